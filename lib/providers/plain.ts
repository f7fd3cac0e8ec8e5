/**
 * The `plain` provider: a DMA device written in plain TypeScript, no native code. It does the
 * byte work in JavaScript and serves channels exactly as a kernel driver would, so it is both
 * the device the core's tests run on and the worked example of docs/dmaengine.md.
 *
 * Model: per channel, descriptors move submitted → issued → done. `txSubmit` assigns the cookie
 * and queues; `deviceIssuePending` moves the queue to the issued list and schedules the work on
 * a later turn of the event loop (never on the caller's stack). Done means: bytes written,
 * cookie completed, counters updated, callback invoked, dependants submitted
 * (`dmaRunDependencies`). `deviceTxStatus` first finishes the issued work, as kernel drivers
 * clean up in `device_tx_status`, so `dmaSyncWait` completes. Terminate completes every
 * queued descriptor as ABORTED. Errors can be injected per channel for tests.
 *
 * Threading: JavaScript thread only.
 */
import { ModelledDevice, type ModelledDeviceOptions } from './device-options';
import { MAX_XOR_SOURCES } from '../dmaengine/abi';
import { DmaChan } from '../dmaengine/channel';
import { dmaCookieAssign, dmaCookieComplete, dmaCookieInit, dmaCookieStatus } from '../dmaengine/cookie';
import { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { DMA_HAS_PQ_CONTINUE, type DmaDevice } from '../dmaengine/device';
import { defaultDmaEngine } from '../dmaengine/index';
import { DmaEngine } from '../dmaengine/instance';
import {
  type DmaAddr, DmaCtrlFlags, DmaStatus, DmaTransResult, type DmaTxState, type Holder, SumCheckFlags,
} from '../dmaengine/status';
import { checkInt, invalidType } from '../validate';
import { FailedCookies, finishStep, recordOutcome, reportLater } from './outcome';
import { allZero, copyBytes, fillBytes, qOf, sameBytes, storeBytes, xorOf } from './plain-ops';

/** Options of {@link createPlainDevice} (the same as the `soft` provider's). */
export type PlainDeviceOptions = ModelledDeviceOptions;

/** A queued operation: does its bytes, says how it ended. */
class PlainDesc extends DmaAsyncTxDescriptor {
  constructor(chan: PlainChan, flags: number, readonly work: () => void, readonly memcpyLen = -1) {
    super(chan, flags);
  }
}

/** A channel of the plain provider. */
export class PlainChan extends DmaChan {
  /** @internal submitted, not yet issued */
  submitted: PlainDesc[] = [];
  /** @internal issued, not yet done */
  issued: PlainDesc[] = [];
  /** @internal cookies that did not end well, kept while their descriptors live */
  failed = new FailedCookies();
  /** @internal countdown to an injected failure */
  failIn = 0;
  /** @internal the result the injected failure reports (set by `injectError`) */
  failWith: DmaTransResult = DmaTransResult.READ_FAILED;
  /** @internal a run of the issued queue is scheduled on the event loop */
  scheduled = false;
  /** @internal the issued queue is being run now (no reentry) */
  running = false;
}

let counter = 0;

/**
 * A device of the `plain` provider: a `struct dma_device` written in TypeScript that does the byte
 * work in JavaScript on a later turn of the event loop (never on the caller's stack), with every
 * capability the options claim. The device the core's tests run on, and the worked example of a
 * provider (docs/dmaengine.md). Register it with `dmaAsyncDeviceRegister`, or use
 * {@link registerPlainDevice}.
 */
export class PlainDevice extends ModelledDevice implements DmaDevice {
  driver = 'plain';
  channels: PlainChan[];

  /** @param options see {@link PlainDeviceOptions} */
  constructor(options: PlainDeviceOptions = {}) {
    super(options, { channels: 1024, maxXor: MAX_XOR_SOURCES, maxPq: DMA_HAS_PQ_CONTINUE - 1 }, () => `plain${counter++}`);
    this.channels = Array.from({ length: this.channelCount }, () => new PlainChan());
  }

  /**
   * Make the `nth` next descriptor run on `chan` fail (1 = the next one): nothing is written,
   * its callback gets `result`, its status reads ERROR.
   */
  injectError(chan: PlainChan, nth: number, result: DmaTransResult = DmaTransResult.READ_FAILED): void {
    chan.failIn = checkInt(nth, 'nth', 1, 0x7fffffff);
    chan.failWith = result;
  }

  // ---- channel resources -------------------------------------------------------------

  deviceAllocChanResources(chan: DmaChan): number {
    dmaCookieInit(chan);
    return 64; // descriptors we could hold; informational, as in the kernel
  }

  deviceFreeChanResources(chan: DmaChan): void {
    const c = chan as PlainChan;
    c.submitted = [];
    c.issued = [];
    c.failed.clear();
  }

  // ---- prep ------------------------------------------------------------------------------

  private desc(chan: DmaChan, flags: number, work: () => void, memcpyLen = -1): PlainDesc {
    const d = new PlainDesc(chan as PlainChan, flags, work, memcpyLen);
    d.txSubmit = (tx) => this.submit(tx as PlainDesc);
    return d;
  }

  devicePrepDmaMemcpy(chan: DmaChan, dst: DmaAddr, src: DmaAddr, len: number, flags: number): DmaAsyncTxDescriptor | null {
    return this.desc(chan, flags, () => copyBytes(dst, src, len), len);
  }

  devicePrepDmaMemset(chan: DmaChan, dst: DmaAddr, value: number, len: number, flags: number): DmaAsyncTxDescriptor | null {
    return this.desc(chan, flags, () => fillBytes(dst, value, len));
  }

  devicePrepDmaXor(chan: DmaChan, dst: DmaAddr, src: DmaAddr[], srcCnt: number, len: number, flags: number): DmaAsyncTxDescriptor | null {
    const s = src.slice(0, srcCnt);
    return this.desc(chan, flags, () => storeBytes(dst, xorOf(s, len), false));
  }

  devicePrepDmaXorVal(chan: DmaChan, src: DmaAddr[], srcCnt: number, len: number, result: Holder<number>, flags: number): DmaAsyncTxDescriptor | null {
    const s = src.slice(0, srcCnt);
    return this.desc(chan, flags, () => { result.value = allZero(xorOf(s, len)) ? 0 : SumCheckFlags.P_RESULT; });
  }

  private pqArgs(pq: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, flags: number) {
    const p = (flags & DmaCtrlFlags.PREP_PQ_DISABLE_P) !== 0 ? null : pq[0]!;
    const q = (flags & DmaCtrlFlags.PREP_PQ_DISABLE_Q) !== 0 ? null : pq[1]!;
    return { p, q, s: src.slice(0, srcCnt) };
  }

  devicePrepDmaPq(chan: DmaChan, dst: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, scf: Uint8Array, len: number, flags: number): DmaAsyncTxDescriptor | null {
    const { p, q, s } = this.pqArgs(dst, src, srcCnt, flags);
    const coef = scf.slice(0, srcCnt);
    const cont = (flags & DmaCtrlFlags.PREP_CONTINUE) !== 0;
    return this.desc(chan, flags, () => {
      if (p) storeBytes(p, xorOf(s, len), cont);
      if (q) storeBytes(q, qOf(s, coef, len), cont);
    });
  }

  devicePrepDmaPqVal(chan: DmaChan, pq: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, scf: Uint8Array, len: number,
    pqres: Holder<number>, flags: number): DmaAsyncTxDescriptor | null {
    const { p, q, s } = this.pqArgs(pq, src, srcCnt, flags);
    const coef = scf.slice(0, srcCnt);
    return this.desc(chan, flags, () => {
      let r = 0;
      if (p && !sameBytes(xorOf(s, len), p)) r |= SumCheckFlags.P_RESULT;
      if (q && !sameBytes(qOf(s, coef, len), q)) r |= SumCheckFlags.Q_RESULT;
      pqres.value = r;
    });
  }

  devicePrepDmaInterrupt(chan: DmaChan, flags: number): DmaAsyncTxDescriptor | null {
    return this.desc(chan, flags, () => undefined);
  }

  // ---- submit, issue, complete -------------------------------------------------------------

  private submit(tx: PlainDesc): number {
    const chan = tx.chan as PlainChan;
    const cookie = dmaCookieAssign(tx);
    chan.failed.forget(cookie);
    chan.submitted.push(tx);
    return cookie;
  }

  deviceIssuePending(chan: DmaChan): void {
    const c = chan as PlainChan;
    if (c.submitted.length > 0) {
      c.issued.push(...c.submitted);
      c.submitted = [];
    }
    if (c.issued.length > 0 && !c.scheduled) {
      c.scheduled = true;
      setImmediate(() => {
        c.scheduled = false;
        this.runIssued(c);
      });
    }
  }

  /**
   * Finish every issued descriptor, in order (the cleanup path of a kernel driver). Work that
   * throws (a result holder that cannot be written) ends its descriptor WRITE_FAILED; nothing
   * a descriptor throws stops the others: the errors are rethrown afterwards (outcome.ts).
   */
  private runIssued(c: PlainChan): void {
    if (c.running || c.removed) return;
    c.running = true;
    const errors: unknown[] = [];
    try {
      while (c.issued.length > 0) {
        const d = c.issued.shift()!;
        let result = DmaTransResult.NOERROR;
        if (c.failIn > 0 && --c.failIn === 0) result = c.failWith;
        else {
          try {
            d.work();
          } catch (err) {
            errors.push(err);
            result = DmaTransResult.WRITE_FAILED;
          }
        }
        recordOutcome(c, d, d.cookie, result, null, 0, d.memcpyLen, errors);
        dmaCookieComplete(d);
        finishStep(d, { result, residue: 0 }, errors);
      }
    } finally {
      c.running = false;
      reportLater(errors);
    }
  }

  deviceTxStatus(chan: DmaChan, cookie: number, state: DmaTxState | null): DmaStatus {
    const c = chan as PlainChan;
    this.runIssued(c); // poll: finish what was issued
    const status = dmaCookieStatus(chan, cookie, state);
    if (status === DmaStatus.COMPLETE && c.failed.has(cookie)) return DmaStatus.ERROR;
    return status;
  }

  deviceTerminateAll(chan: DmaChan): number {
    const c = chan as PlainChan;
    const all = [...c.issued, ...c.submitted];
    c.issued = [];
    c.submitted = [];
    const errors: unknown[] = [];
    for (const d of all) {
      c.failed.add(d, d.cookie, DmaTransResult.ABORTED);
      dmaCookieComplete(d);
      finishStep(d, { result: DmaTransResult.ABORTED, residue: d.memcpyLen > 0 ? d.memcpyLen : 0 }, errors);
    }
    reportLater(errors);
    return 0;
  }

  deviceSynchronize(_chan: DmaChan): void {
    // terminate completes synchronously: nothing can still be running
  }

  deviceRelease(_device: DmaDevice): void {
    for (const c of this.channels) c.failed.clear();
  }
}

/**
 * A plain device, not registered yet.
 * @throws TypeError or RangeError naming the option, for a bad one (nothing is created)
 */
export function createPlainDevice(options?: PlainDeviceOptions): PlainDevice {
  return new PlainDevice(options);
}

/**
 * Create a plain device and register it with `engine` (the default instance if omitted): its
 * channels then serve `dmaFindChannel`, `dmaRequestChannel` and async_tx.
 * @returns the registered device
 * @throws TypeError or RangeError for a bad option or engine
 */
export function registerPlainDevice(options?: PlainDeviceOptions, engine?: DmaEngine): PlainDevice {
  if (engine != null && !(engine instanceof DmaEngine)) throw invalidType('a DmaEngine (createDmaEngine) or undefined', 'engine', engine);
  const dev = new PlainDevice(options);
  (engine ?? defaultDmaEngine()).dmaAsyncDeviceRegister(dev);
  return dev;
}
