/**
 * `dma.raid6`: RAID-6 P+Q on a Dma (generate, check, recover). Layout and recovery paths:
 * lib/offload/raid6-jobs.ts; scheduling: lib/offload/scheduler.ts.
 *
 * Threading: JavaScript thread only.
 */
import { type OpOptions, checkOpOptions } from './args';
import { checkJob, generateJob, recoverJob } from './raid6-jobs';
import { Scheduler } from './scheduler';
import { invalidType } from '../validate';

/** The result of {@link Raid6.check}: whether each parity block matches the data. */
export interface Raid6CheckResult {
  /** P equals the XOR of the data blocks. */
  p: boolean;
  /** Q equals ⊕ g^i·Di in GF(2^8). */
  q: boolean;
}

/**
 * RAID-6 operations of a {@link Dma} (`dma.raid6`). Blocks are ArrayBufferViews of one
 * length; 2 to 251 data blocks. Every method checks its arguments synchronously (TypeError or
 * RangeError naming the argument) and returns a Promise.
 */
export class Raid6 {
  readonly #sched: Scheduler;
  readonly #timeout: () => number;

  /**
   * Made by {@link openDma}; not for direct use.
   * @internal
   * @param sched the Dma's scheduler
   * @param timeout the Dma's default timeout
   */
  constructor(sched: Scheduler, timeout: () => number) {
    if (!(sched instanceof Scheduler)) throw invalidType('a Dma\'s scheduler (use dma.raid6)', 'sched', sched);
    if (typeof timeout !== 'function') throw invalidType('a function', 'timeout', timeout);
    this.#sched = sched;
    this.#timeout = timeout;
  }

  /**
   * Compute P (XOR of the data) and/or Q (the Reed-Solomon syndrome) of a stripe.
   * @param data the data blocks, 2 to 251, all one length
   * @param p where P goes, or null to leave it out
   * @param q where Q goes, or null to leave it out (not both null)
   * @param options signal, after, timeout
   * @returns a Promise that resolves once P and Q are written
   * @throws TypeError/RangeError (synchronously) for a bad argument: not a view, wrong length, both parities null
   * @example
   * const data = Array.from({ length: 8 }, () => randomBytes(65536));
   * const p = Buffer.alloc(65536), q = Buffer.alloc(65536);
   * await dma.raid6.generate(data, p, q);
   */
  generate(data: readonly ArrayBufferView[], p: ArrayBufferView | null, q: ArrayBufferView | null, options?: OpOptions): Promise<void> {
    const job = generateJob(data, p, q);
    return this.#sched.run(job, checkOpOptions(options, this.#timeout()));
  }

  /**
   * Check P and Q against the data. Writes nothing.
   * @param data the data blocks, 2 to 251, all one length
   * @param p the stored P
   * @param q the stored Q
   * @param options signal, after, timeout
   * @returns a Promise of `{ p, q }`, each true when that parity matches
   * @throws TypeError/RangeError (synchronously) for a bad argument
   * @example
   * const { p: pOk, q: qOk } = await dma.raid6.check(data, p, q);
   */
  check(data: readonly ArrayBufferView[], p: ArrayBufferView, q: ArrayBufferView, options?: OpOptions): Promise<Raid6CheckResult> {
    const job = checkJob(data, p, q);
    return this.#sched.run(job, checkOpOptions(options, this.#timeout()));
  }

  /**
   * Rebuild one or two lost blocks of a stripe in place, through the path their positions
   * call for: one data block from P; P and/or Q by generating them again; two data blocks by
   * the 2-data recovery; a data block and P by the data+P recovery; a data block and Q from P,
   * then Q again. Only the lost blocks are written.
   * @param blocks the whole stripe, `[...data, p, q]` (4 to 253 blocks, one length)
   * @param failed the indices of the lost blocks in `blocks`, one or two
   * @param options signal, after, timeout
   * @returns a Promise that resolves once the lost blocks hold their contents again
   * @throws TypeError/RangeError (synchronously) for a bad argument (index out of range, twice the same, …)
   * @example
   * const blocks = [...data, p, q];
   * blocks[2].fill(0); blocks[5].fill(0);           // two disks lost
   * await dma.raid6.recover(blocks, [2, 5]);
   */
  recover(blocks: readonly ArrayBufferView[], failed: readonly number[], options?: OpOptions): Promise<void> {
    const job = recoverJob(blocks, failed);
    return this.#sched.run(job, checkOpOptions(options, this.#timeout()));
  }
}
