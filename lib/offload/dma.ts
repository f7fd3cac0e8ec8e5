/**
 * The Dma class: the Promise API's operations on one opened engine (see {@link openDma}).
 *
 * Call order: `const dma = await openDma()` → operations (each returns a Promise; the doorbell
 * rings by itself once per tick) → `await dma.close()`.
 *
 * Threading: JavaScript thread only. Buffers passed to an operation must not be changed or
 * transferred until its promise settled (the engine's threads read and write them meanwhile).
 */
import { type OpOptions, checkOpOptions } from './args';
import type { InlineCalibration } from './threshold';
import { copyJob, fillJob, xorCheckJob, xorJob } from './ops';
import { Raid6 } from './raid6';
import { Scheduler } from './scheduler';
import { invalidType } from '../validate';

/** Which engine a Dma runs on: the calling thread only, the soft engine's worker threads, or bridged kernel channels. */
export type DmaEngineName = 'inline' | 'soft' | 'bridge';

/** @internal what openDma hands the constructor */
export interface DmaSetup {
  sched: Scheduler;
  engine: DmaEngineName;
  channels: number;
  timeout: number;
  calibration: InlineCalibration | null;
  fallbackReason: string | null;
}

/** How many operations ran where since open ({@link Dma.placement}). */
export interface DmaPlacement {
  /** on the calling thread, below {@link Dma.inlineBelow} */
  inline: number;
  /** on the soft engine's worker threads */
  soft: number;
  /** on bridged kernel channels */
  bridge: number;
  /** submitted to a channel that refused (a step of) it, so async_tx did it on the calling thread */
  software: number;
}

/**
 * An opened offload engine with the operations Node programs expect: each validates its
 * arguments synchronously (TypeError/RangeError naming the argument) and returns a Promise
 * that resolves when the bytes are written, or rejects with a {@link DmaTransferError}
 * (`code` `'EIO'`/`'ECANCELED'`, `result`), a DmaEngineError `ETIMEDOUT`, or the signal's
 * reason. Any ArrayBufferView of bytes is accepted (Buffer, Uint8Array, other typed arrays,
 * DataView, a dma-buf's `bytes`).
 *
 * Operations smaller than {@link Dma.inlineBelow} bytes (read plus written) run on the calling
 * thread; the others go to the engine's channels, spread by load. Operations given no `after`
 * are independent and may run in any order and at once.
 */
export class Dma {
  /** The engine this Dma runs on. */
  readonly engine: DmaEngineName;
  /** Channels operations spread over (0 for `'inline'`). */
  readonly channels: number;
  /** Operations touching fewer bytes than this run inline (Infinity for `'inline'`). */
  readonly inlineBelow: number;
  /** Default timeout of an operation in ms (0 = none). */
  readonly timeout: number;
  /** What the inline threshold measurement saw (null when `inlineBelow` was given, or for `'inline'`). */
  readonly calibration: InlineCalibration | null;
  /** Why `'auto'` did not take the kernel bridge (null otherwise). */
  readonly fallbackReason: string | null;
  /** RAID-6 P+Q: generate, check, recover. */
  readonly raid6: Raid6;
  readonly #sched: Scheduler;

  /**
   * Made by {@link openDma}; not for direct use.
   * @internal
   * @param setup the opened engine
   */
  constructor(setup: DmaSetup) {
    if (setup === null || typeof setup !== 'object' || !(setup.sched instanceof Scheduler)) {
      throw invalidType('the setup openDma() makes (open a Dma with openDma)', 'setup', setup);
    }
    this.#sched = setup.sched;
    this.engine = setup.engine;
    this.channels = setup.channels;
    this.inlineBelow = setup.sched.inlineBelow;
    this.timeout = setup.timeout;
    this.calibration = setup.calibration;
    this.fallbackReason = setup.fallbackReason;
    this.raid6 = new Raid6(setup.sched, () => this.timeout);
  }

  /**
   * Copy `src` into the start of `dst`.
   * @param dst destination, at least as long as `src`
   * @param src source
   * @param options signal, after, timeout
   * @returns a Promise that resolves once the bytes are copied
   * @throws TypeError/RangeError (synchronously) for a bad argument
   * @example
   * await dma.copy(dst, src, { signal: AbortSignal.timeout(100) });
   */
  copy(dst: ArrayBufferView, src: ArrayBufferView, options?: OpOptions): Promise<void> {
    const job = copyJob(dst, src);
    return this.#sched.run(job, checkOpOptions(options, this.timeout));
  }

  /**
   * Set every byte of `dst` to `value`.
   * @param dst destination
   * @param value a byte, 0 to 255
   * @param options signal, after, timeout
   * @returns a Promise that resolves once the bytes are written
   * @throws TypeError/RangeError (synchronously) for a bad argument
   * @example
   * await dma.fill(buf, 0xa5);
   */
  fill(dst: ArrayBufferView, value: number, options?: OpOptions): Promise<void> {
    const job = fillJob(dst, value);
    return this.#sched.run(job, checkOpOptions(options, this.timeout));
  }

  /**
   * `parity = srcs[0] ⊕ srcs[1] ⊕ …`.
   * @param parity destination, the sources' length (not one of them)
   * @param srcs 1 to 255 sources of one length
   * @param options signal, after, timeout
   * @returns a Promise that resolves once parity is written
   * @throws TypeError/RangeError (synchronously) for a bad argument
   * @example
   * await dma.xor(parity, [d0, d1, d2, d3]);
   */
  xor(parity: ArrayBufferView, srcs: readonly ArrayBufferView[], options?: OpOptions): Promise<void> {
    const job = xorJob(parity, srcs);
    return this.#sched.run(job, checkOpOptions(options, this.timeout));
  }

  /**
   * Whether the XOR of all `blocks` is zero, that is whether `blocks[0]` is the parity of the
   * others. Writes nothing (unlike the kernel's async_xor_val, which leaves the XOR in the
   * first block).
   * @param blocks 2 to 255 blocks of one length, typically `[parity, ...srcs]`
   * @param options signal, after, timeout
   * @returns a Promise of true when the parity is consistent
   * @throws TypeError/RangeError (synchronously) for a bad argument
   * @example
   * if (!(await dma.xorCheck([parity, d0, d1, d2, d3]))) console.log('parity mismatch');
   */
  xorCheck(blocks: readonly ArrayBufferView[], options?: OpOptions): Promise<boolean> {
    const job = xorCheckJob(blocks);
    return this.#sched.run(job, checkOpOptions(options, this.timeout));
  }

  /**
   * How many operations ran where since open: `inline` on the calling thread (below
   * {@link Dma.inlineBelow}), `soft` on the soft engine's worker threads (with `'bridge'`: the
   * operations bridged channels cannot take, such as Node-allocated memory), `bridge` on
   * bridged kernel channels, `software` submitted to a channel that refused (a step of) it, so
   * async_tx did it on the calling thread. Each operation counts once, when it starts.
   */
  get placement(): DmaPlacement {
    return { ...this.#sched.placement };
  }

  /** Operations not settled yet (waiting, queued or running). */
  get pending(): number {
    return this.#sched.pendingCount;
  }

  /**
   * Close: later operations reject with `ESHUTDOWN`; operations still waiting for their
   * `after` dependencies reject with `ECANCELED`; those already asked for this tick or running
   * are waited for (each settles as usual); then the channels are released. Calling it again
   * returns the same promise.
   * @returns a Promise that resolves once everything is released
   * @example
   * await dma.close();
   */
  close(): Promise<void> {
    return this.#sched.close();
  }
}
