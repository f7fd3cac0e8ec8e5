/**
 * The `soft` provider's channel, descriptor and fault-injection records.
 *
 * Model: a {@link SoftChan} is one worker thread of the device's {@link SoftEngine}. Its
 * cookie cell (DmaChan) is the engine's status-block cell for that worker, so
 * `dmaCookieStatus`, `dmaengineTxStatus` and `dmaSyncWait` see a completion the moment a worker
 * publishes it, without a native call; the device re-points it when its engine restarts. The
 * engine assigns cookies at submit; the channel keeps the submitted descriptors in cookie
 * order (`inflight`) until their completions are delivered. From a hung descriptor on (the
 * `hang` fault) the channel reads a cell of its own whose completed cookie stays just before
 * the hung one, until terminate.
 *
 * Fault injection (tests): `faults` holds countdowns; the provider applies one to the n-th
 * descriptor prepared (`prep`) or submitted (every other kind) on the channel from the moment
 * it was injected.
 *
 * Threading: JavaScript thread only; the status block is written by the engine's workers
 * (aligned 32-bit stores), read with `Atomics.load` (DmaChan#completedCookie).
 */
import { COOKIE_COMPLETED, COOKIE_USED } from '../dmaengine/abi';
import { DmaChan, dmaChanSetCookies, newCookieCell } from '../dmaengine/channel';
import { dmaCookiePrev } from '../dmaengine/cookie';
import { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import type { SoftEngine } from '../engine/soft-engine';
import { FailedCookies } from './outcome';
import type { DmaAddr } from '../dmaengine/status';

/**
 * A fault the soft device can inject into one descriptor:
 * - `prep`: the prep call returns null (as a driver out of descriptors does);
 * - `submit`: `txSubmit` returns a negative cookie (-EIO) and queues nothing;
 * - `hang`: the descriptor never completes: its callback never comes, its cookie and every
 *   later one of the channel stay IN_PROGRESS until `dmaengineTerminateAll` (then ABORTED);
 * - `read` / `write`: the engine fails it (READ_FAILED / WRITE_FAILED), nothing is written;
 * - `busy`: the callback comes (NOERROR) but the cookie's status still reads IN_PROGRESS;
 * - `corrupt`: it completes NOERROR but every byte of its destination is inverted after the
 *   work (the first destination: `dst`, or P for P+Q), before the callback.
 */
export type SoftFault = 'prep' | 'submit' | 'hang' | 'read' | 'write' | 'busy' | 'corrupt';

/** The fault names, for validation. */
export const SOFT_FAULTS: readonly SoftFault[] = ['prep', 'submit', 'hang', 'read', 'write', 'busy', 'corrupt'];

/** @internal one pending fault: applies when `left` counts down to 0 */
export interface PendingFault {
  kind: SoftFault;
  left: number;
}

/** What a descriptor hands the engine at submit, and what it does with the completion. */
export type SoftSubmit = (eng: SoftEngine, channel: number, fence: boolean) => number;

/** A descriptor of the soft provider: its engine operation, prepared but not yet queued. */
export class SoftDesc extends DmaAsyncTxDescriptor {
  /** @internal the injected fault that applies to this descriptor, if any */
  fault: SoftFault | null = null;
  /** @internal the cookie the engine gave it (kept after `cookie` is cleared) */
  engineCookie = 0;

  /**
   * @param submitOp queues the operation on the engine, returns the cookie
   * @param memcpyLen bytes counted in `bytesTransferred` (-1: not a copy)
   * @param finish stores a validate result (`valResult`) at completion
   * @param corruptAt where the destination bytes the `corrupt` fault inverts start
   * @param len the descriptor's byte count (of the `corrupt` fault's range)
   */
  constructor(chan: SoftChan, flags: number, readonly submitOp: SoftSubmit, readonly memcpyLen = -1,
    readonly finish: ((valResult: number) => void) | null = null,
    readonly corruptAt: DmaAddr | null = null, readonly len = 0) {
    super(chan, flags);
  }
}

/** Where a channel's cookies are: the cell of the device's engine, while it runs. */
export interface SoftStatusView {
  /** The engine's cell of channel `index`, or null while no engine runs. */
  engineCell(index: number): Int32Array | null;
}

/** A channel of the soft provider (one engine worker thread). */
export class SoftChan extends DmaChan {
  /** @internal submitted to the engine, completion not delivered yet, in cookie order */
  inflight: SoftDesc[] = [];
  /** @internal index of the first live entry of `inflight` */
  head = 0;
  /** @internal cookies that did not end well (delivered), kept while their descriptors live */
  failed = new FailedCookies();
  /** @internal cookies whose status reads IN_PROGRESS after completion (`busy` fault) */
  busy = new Set<number>();
  /** @internal the cookie of a hung descriptor (0: none); it and later ones are held */
  hangCookie = 0;
  /** @internal set once delivery reached the hung descriptor */
  holding = false;
  /** @internal the last cookie handed to the worker (doorbell or terminate) */
  issuedUpTo = 1;
  /** @internal completions held behind a hung descriptor, with their results */
  held: { d: SoftDesc; result: number; val: number }[] = [];
  /** @internal pending injected faults */
  faults: PendingFault[] = [];

  /** @param index the engine channel @param view where the status block is */
  constructor(readonly index: number, private readonly view: SoftStatusView) {
    super();
  }

  /** @internal back to the engine's cell (or a fresh one while no engine runs) */
  useEngineCookies(): void {
    dmaChanSetCookies(this, this.view.engineCell(this.index) ?? newCookieCell());
  }

  /**
   * @internal `cookie` hangs: from now on the channel reads a cell of its own, completed held
   * just before `cookie`, until {@link SoftChan#unhang}
   */
  hang(cookie: number): void {
    this.hangCookie = cookie;
    const cell = newCookieCell();
    cell[COOKIE_USED] = cookie;
    cell[COOKIE_COMPLETED] = dmaCookiePrev(cookie);
    dmaChanSetCookies(this, cell);
  }

  /** @internal a descriptor submitted to the engine got `cookie` */
  submitted(cookie: number): void {
    if (this.hangCookie !== 0) this.cookie = cookie; // the held cell follows the assignments
  }

  /** @internal the hang is over (terminate): the engine's cookies again */
  unhang(): void {
    this.hangCookie = 0;
    this.holding = false;
    this.useEngineCookies();
  }

  /** @internal take a matching fault for `stage`, counting this descriptor down */
  takeFault(prep: boolean): SoftFault | null {
    let hit: SoftFault | null = null;
    for (const f of this.faults) {
      if ((f.kind === 'prep') !== prep) continue;
      if (--f.left === 0 && hit === null) hit = f.kind;
    }
    if (hit !== null || this.faults.some((f) => f.left <= 0)) this.faults = this.faults.filter((f) => f.left > 0);
    return hit;
  }
}
