/**
 * SoftEngine: the multi-threaded software DMA engine, as JavaScript sees it.
 *
 * Model (dmaengine's): `submit` assigns the channel's next cookie and queues the descriptor;
 * nothing runs until `issuePending` (the doorbell). Each channel is a native worker thread
 * that runs its descriptors in cookie order. The completed cookie of every channel lives in
 * memory shared with the engine (`completedCookie` is an `Atomics.load`, no native call);
 * completion callbacks reach the event loop in batches: one `onComplete` call per wake-up
 * carries every completion ready.
 *
 * Call order: `new SoftEngine({ channels })` → set `onComplete` → `submit`… → `issuePending`
 * → (`onComplete` batches) → `close()`. `terminate` aborts what has not run yet.
 *
 * Threading: call everything on the JavaScript thread; `onComplete` runs there too, never on
 * the caller's stack. Cookies follow dma_cookie_assign: the counter starts at 1, so a
 * channel's first cookie is 2, and after 2^31-1 it wraps to 1.
 *
 * This is the mechanism the `soft` dmaengine provider wraps; policy (inline thresholds,
 * splitting, dependency rules) lives above it.
 */
import { native } from '../native';
import type { KernelUse, SoftEngineHandle } from '../native-types/engine';
import { checkInt, invalidRange, invalidType } from '../validate';
import { CompletionBatch } from './completion-batch';
import {
  COOKIE_CELL_STRIDE, COOKIE_CELL_WORDS, COOKIE_COMPLETED, COOKIE_USED, DmaTransResult, ENGINE_ACCUMULATE as ACCUMULATE,
  ENGINE_DEFAULT_COALESCE_MICROS, ENGINE_DEFAULT_SPIN_MICROS, ENGINE_DEFAULT_STRIPE_BYTES, ENGINE_DEFAULT_WORKER_NICE,
  ENGINE_DEFAULT_WORKER_POLICY, EngineWorkerPolicy,
  ENGINE_FENCE as FENCE, ENGINE_MAX_CHANNELS, ENGINE_MAX_STRIPE_BYTES, ENGINE_MAX_STRIPE_THREADS, ENGINE_MAX_WAIT_MICROS, ENGINE_MAX_WORKER_NICE,
  ENGINE_PQ_XOR_DST as PQ_XOR_DST, ENGINE_ZERO_DST as ZERO_DST,
} from '../dmaengine/abi';
import { dmaAsyncIsComplete } from '../dmaengine/cookie';
import { DmaStatus } from '../dmaengine/status';
import { OP_NAMES, type EngineOp, type OpCommon } from './ops';

/** The most buffers one spread submit takes (xor: dst + 255 sources). */
const ENGINE_MAX_SPREAD_BLOCKS = 256;

/** Options of {@link SoftEngine}'s constructor. */
export interface SoftEngineOptions {
  /** Number of channels (worker threads), 1..64. */
  channels: number;
  /** How long an idle worker spins before it sleeps, in µs (default 50). */
  spinMicros?: number;
  /**
   * Longest a completion of a short descriptor may wait for the next ones of the same burst
   * so they share one wake-up of the event loop, in µs (default 20; 0 = wake at once). With 8
   * or more descriptors issued behind it on its channel, a completion of any size waits up to
   * 100 × this (2 ms by default; docs/engine.md, "Completion delivery").
   */
  coalesceMicros?: number;
  /**
   * Niceness of the worker threads, 0..19 (default 5): when the workers saturate every core,
   * the event loop's thread (niceness unchanged) gets the CPU back sooner.
   */
  workerNice?: number;
  /**
   * How the worker and stripe threads are scheduled (Linux; docs/engine.md, "Threading"):
   * `'normal'` (SCHED_OTHER at `workerNice`), `'batch'` (SCHED_BATCH at `workerNice`) or
   * `'idle'` (SCHED_IDLE: the event loop's thread preempts them at once). Default `'normal'`.
   */
  workerPolicy?: WorkerPolicyName;
  /**
   * Striping threshold in bytes touched (len × blocks, default 1 MiB; 0 = never): a larger
   * descriptor is cut into byte ranges that its channel's worker and the stripe helpers run
   * at once, then completes once, in order (docs/engine.md, "Striping").
   */
  stripeBytes?: number;
  /** Stripe helper threads, 0..15 (default: one per other CPU, at most 15; 0 = no striping). */
  stripeThreads?: number;
}

/**
 * How the engine's worker threads are scheduled (`SoftDeviceOptions.workerPolicy`): `'normal'`
 * (the default), `'batch'` (SCHED_BATCH) or `'idle'` (SCHED_IDLE: the event loop's thread always
 * preempts them, at a throughput cost when other processes compete; docs/engine.md).
 */
export type WorkerPolicyName = 'normal' | 'batch' | 'idle';
const POLICIES: Readonly<Record<WorkerPolicyName, EngineWorkerPolicy>> = {
  normal: EngineWorkerPolicy.NORMAL, batch: EngineWorkerPolicy.BATCH, idle: EngineWorkerPolicy.IDLE,
};

/** Validates a `workerPolicy` option (undefined: the default). */
export function workerPolicyOf(v: unknown): EngineWorkerPolicy {
  if (v === undefined) return ENGINE_DEFAULT_WORKER_POLICY;
  if (typeof v !== 'string' || !Object.hasOwn(POLICIES, v)) {
    throw invalidRange('workerPolicy', `one of ${Object.keys(POLICIES).map((k) => `'${k}'`).join(', ')}`, v);
  }
  return POLICIES[v as WorkerPolicyName];
}

/** What striping did so far ({@link SoftEngine#stripeStats}). */
export interface StripeStats {
  /** Descriptors cut into ranges. */
  striped: number;
  /** Ranges of them that a helper thread ran (the rest ran on the channel's worker). */
  helped: number;
}

/** Receives every completion ready at one event-loop wake-up. */
export type CompletionHandler = (batch: CompletionBatch) => void;

function flag(v: unknown, name: string, bit: number): number {
  if (v === undefined || v === false) return 0;
  if (v === true) return bit;
  throw invalidType('a boolean', name, v);
}

/**
 * The software engine: `channels` native worker threads with in-order descriptor queues.
 *
 * @example
 * const eng = new SoftEngine({ channels: 2 });
 * eng.onComplete = (batch) => { for (let i = 0; i < batch.count; i++) console.log(batch.cookie(i)); };
 * const cookie = eng.submit(0, { op: 'memcpy', dst, src, len: src.length });
 * eng.issuePending(0);
 */
export class SoftEngine {
  /** Number of channels. */
  readonly channels: number;
  /**
   * Called once per wake-up with every completion ready (in cookie order per channel). The
   * batch object is reused: read it during the call. A handler that throws raises an
   * uncaught exception, as an event listener would.
   */
  onComplete: CompletionHandler | null = null;

  private readonly handle: SoftEngineHandle;
  private readonly statusWords: Int32Array;
  private readonly batch = new CompletionBatch();
  /** The spread submits' offsets (`takeOffs`), and whether a submit is using them now. */
  private readonly offs = new Float64Array(ENGINE_MAX_SPREAD_BLOCKS);
  private offsBusy = false;

  /**
   * Starts the engine's worker threads.
   * @param options - `{ channels, spinMicros?, coalesceMicros?, workerNice?, workerPolicy?, stripeBytes?, stripeThreads? }`.
   * @throws TypeError/RangeError naming the option when one is invalid.
   */
  constructor(options: SoftEngineOptions) {
    if (typeof options !== 'object' || options === null) throw invalidType('an object', 'options', options);
    this.channels = checkInt(options.channels, 'channels', 1, ENGINE_MAX_CHANNELS);
    const spin = options.spinMicros === undefined ? ENGINE_DEFAULT_SPIN_MICROS
      : checkInt(options.spinMicros, 'spinMicros', 0, ENGINE_MAX_WAIT_MICROS);
    const coalesce = options.coalesceMicros === undefined ? ENGINE_DEFAULT_COALESCE_MICROS
      : checkInt(options.coalesceMicros, 'coalesceMicros', 0, ENGINE_MAX_WAIT_MICROS);
    const nice = options.workerNice === undefined ? ENGINE_DEFAULT_WORKER_NICE
      : checkInt(options.workerNice, 'workerNice', 0, ENGINE_MAX_WORKER_NICE);
    const stripeBytes = options.stripeBytes === undefined ? ENGINE_DEFAULT_STRIPE_BYTES
      : checkInt(options.stripeBytes, 'stripeBytes', 0, ENGINE_MAX_STRIPE_BYTES);
    const stripeThreads = options.stripeThreads === undefined ? -1
      : checkInt(options.stripeThreads, 'stripeThreads', 0, ENGINE_MAX_STRIPE_THREADS);
    const policy = workerPolicyOf(options.workerPolicy);
    const batch = this.batch;
    this.handle = new (native().SoftEngineHandle)(this.channels, spin, (data, count) => {
      batch.data = data;
      batch.count = count;
      const h = this.onComplete;
      if (h !== null) h(batch);
    }, coalesce, nice, stripeBytes, stripeThreads, policy);
    this.statusWords = this.handle.status();
  }

  /**
   * Queues `op` on `channel` and returns the cookie it was assigned. Runs nothing: the
   * descriptor waits for {@link SoftEngine#issuePending}. The op's buffers are held until its
   * completion has been delivered.
   * @param channel - 0..channels-1.
   * @param op - the operation ({@link EngineOp}); read once, during this call.
   * @returns the cookie (a positive s32).
   * @throws TypeError/RangeError naming the argument (nothing is queued); Error once closed.
   */
  submit(channel: number, op: EngineOp): number {
    if (typeof op !== 'object' || op === null) throw invalidType('an object', 'op', op);
    const h = this.handle;
    const w = (op as OpCommon).waitFor;
    let wc = -1;
    let wk = 0;
    if (w !== undefined) {
      if (typeof w !== 'object' || w === null) throw invalidType('an object', 'waitFor', w);
      wc = checkInt(w.channel, 'waitFor.channel', 0, this.channels - 1);
      wk = w.cookie;
    }
    const f = flag((op as OpCommon).fence, 'fence', FENCE);
    switch (op.op) {
      case 'memcpy':
        return h.memcpy(channel, f, wc, wk, op.dst, op.dstOffset ?? 0, op.src, op.srcOffset ?? 0, op.len);
      case 'memset':
        return h.memset(channel, f, wc, wk, op.dst, op.dstOffset ?? 0, op.value, op.len);
      case 'xor':
        return h.xor(channel, f | flag(op.zeroDst, 'zeroDst', ZERO_DST), wc, wk, op.dst, op.srcs, op.offset ?? 0, op.len);
      case 'xor_val':
        return h.xorVal(channel, f, wc, wk, op.srcs, op.offset ?? 0, op.len);
      case 'pq': {
        const x = op.xorDst;
        if (x === undefined) return h.pq(channel, f, wc, wk, op.blocks, op.offset ?? 0, op.len, 0, 0);
        if (typeof x !== 'object' || x === null) throw invalidType('an object', 'xorDst', x);
        return h.pq(channel, f | PQ_XOR_DST, wc, wk, op.blocks, op.offset ?? 0, op.len, x.start, x.stop);
      }
      case 'pq_val':
        return h.pqVal(channel, f, wc, wk, op.blocks, op.offset ?? 0, op.len);
      case 'recov_2data':
        return h.recov2Data(channel, f, wc, wk, op.blocks, op.offset ?? 0, op.len, op.faila, op.failb);
      case 'recov_datap':
        return h.recovDataP(channel, f, wc, wk, op.blocks, op.offset ?? 0, op.len, op.faila);
      case 'interrupt':
        return h.interrupt(channel, f, wc, wk);
      case 'pq_coef':
        return h.pqCoef(channel, f | flag(op.accumulate, 'accumulate', ACCUMULATE), wc, wk, op.srcs, op.coefs,
          op.p, op.q, op.offset ?? 0, op.len);
      case 'pq_coef_val':
        return h.pqCoefVal(channel, f, wc, wk, op.srcs, op.coefs, op.p, op.q, op.offset ?? 0, op.len);
      default: {
        const name: unknown = (op as { op: unknown }).op;
        if (typeof name !== 'string') throw invalidType('a string', 'op.op', name);
        throw invalidRange('op.op', `one of ${OP_NAMES.join(', ')}`, name);
      }
    }
  }

  /**
   * `dst ^= ⊕ srcs` (or `dst = ⊕ srcs` with `zeroDst`), each block at its own offset: the
   * soft provider's path. `blocks[0]` is dst, then 1..255 sources (null ones skipped); block i
   * starts at `offs[i]`. The blocks reach the engine as call arguments (docs/engine.md, "Why one
   * channel is short of the inline path at 64 KiB"); the engine checks every one of them.
   * @returns the cookie
   * @throws TypeError/RangeError naming `blocks[i]`, `offs[i]` or the count (nothing is queued)
   */
  xorBlocks(channel: number, fence: boolean, zeroDst: boolean, len: number, blocks: readonly (Uint8Array | null)[],
    offs: readonly number[]): number {
    const o = this.takeOffs(blocks, offs);
    try {
      return this.handle.xorV(channel, (fence ? FENCE : 0) | (zeroDst ? ZERO_DST : 0), -1, 0, len, blocks.length, o, ...blocks);
    } finally {
      if (o === this.offs) this.offsBusy = false;
    }
  }

  /** `xor_val` with per-block offsets ({@link SoftEngine#xorBlocks}'s shape, no dst). */
  xorValBlocks(channel: number, fence: boolean, len: number, blocks: readonly (Uint8Array | null)[], offs: readonly number[]): number {
    const o = this.takeOffs(blocks, offs);
    try {
      return this.handle.xorValV(channel, fence ? FENCE : 0, -1, 0, len, blocks.length, o, ...blocks);
    } finally {
      if (o === this.offs) this.offsBusy = false;
    }
  }

  /**
   * `pq_coef` (or `pq_coef_val` with `check`) with per-block offsets: `blocks` = the sources
   * (never null), then P|null, Q|null; `coefs[i]` is source i's Q coefficient.
   * @see SoftEngine#xorBlocks
   */
  pqCoefBlocks(channel: number, fence: boolean, accumulate: boolean, check: boolean, len: number, coefs: Uint8Array,
    blocks: readonly (Uint8Array | null)[], offs: readonly number[]): number {
    const o = this.takeOffs(blocks, offs);
    try {
      const f = (fence ? FENCE : 0) | (accumulate ? ACCUMULATE : 0);
      return check ? this.handle.pqCoefValV(channel, f, -1, 0, len, coefs, blocks.length, o, ...blocks)
        : this.handle.pqCoefV(channel, f, -1, 0, len, coefs, blocks.length, o, ...blocks);
    } finally {
      if (o === this.offs) this.offsBusy = false;
    }
  }

  /**
   * The offsets packed for a spread submit: the reused scratch, or a fresh array while the
   * scratch is taken (a getter of `blocks`, run by the spread, submitting again).
   */
  private takeOffs(blocks: readonly unknown[], offs: readonly number[]): Float64Array {
    if (!Array.isArray(blocks)) throw invalidType('an Array of Uint8Array or null', 'blocks', blocks);
    if (!Array.isArray(offs)) throw invalidType('an Array of offsets', 'offs', offs);
    const n = blocks.length;
    if (offs.length < n) throw invalidRange('offs.length', `at least blocks.length (${n})`, offs.length);
    const o = !this.offsBusy && n <= this.offs.length ? this.offs : new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = offs[i];
      // a number only: a Float64Array store would run an object's valueOf
      if (typeof v !== 'number') throw invalidType('an integer', `offs[${i}]`, v);
      o[i] = v;
    }
    if (o === this.offs) this.offsBusy = true;
    return o;
  }

  /**
   * The doorbell (dma_async_issue_pending): hands every descriptor submitted on `channel` to
   * its worker.
   * @returns how many descriptors it issued.
   */
  issuePending(channel: number): number {
    return this.handle.issuePending(channel);
  }

  /**
   * The last completed cookie of `channel`, read from shared memory (no native call).
   * Starts at 1 (dma_cookie_init).
   */
  completedCookie(channel: number): number {
    if (!(channel >= 0 && channel < this.channels) || !Number.isInteger(channel)) {
      checkInt(channel, 'channel', 0, this.channels - 1);
    }
    return Atomics.load(this.statusWords, channel * COOKIE_CELL_STRIDE + COOKIE_COMPLETED);
  }

  /** The last cookie `channel` assigned (dma_chan.cookie), from shared memory. */
  lastCookie(channel: number): number {
    checkInt(channel, 'channel', 0, this.channels - 1);
    return Atomics.load(this.statusWords, channel * COOKIE_CELL_STRIDE + COOKIE_USED);
  }

  /**
   * Whether `cookie` of `channel` is complete, by dma_async_is_complete's window rule
   * (cookies the channel has not assigned yet read as complete, as in the kernel).
   */
  isComplete(channel: number, cookie: number): boolean {
    const last = this.completedCookie(channel);
    const used = Atomics.load(this.statusWords, channel * COOKIE_CELL_STRIDE + COOKIE_USED);
    return dmaAsyncIsComplete(cookie, last, used) === DmaStatus.COMPLETE;
  }

  /**
   * `channel`'s cookie cell in the status block (COOKIE_USED, COOKIE_COMPLETED; see
   * lib/dmaengine/abi.ts): a view on memory the workers write, for a provider to hand its
   * channel (`dmaChanSetCookies`), so status queries cost no native call.
   */
  cookieCell(channel: number): Int32Array {
    checkInt(channel, 'channel', 0, this.channels - 1);
    const at = channel * COOKIE_CELL_STRIDE;
    return this.statusWords.subarray(at, at + COOKIE_CELL_WORDS);
  }

  /**
   * Every descriptor of `channel` that has not started (pending, issued, or parked on a
   * wait) completes as ABORTED, in order; the one running finishes. The channel stays usable.
   */
  terminate(channel: number): void {
    this.handle.terminate(channel);
  }

  /**
   * For tests: the `nth` descriptor submitted on `channel` from now (1 = the next one) fails
   * with `result` and writes nothing.
   * @param result - `DmaTransResult.READ_FAILED` or `DmaTransResult.WRITE_FAILED`.
   */
  injectError(channel: number, nth: number, result: DmaTransResult.READ_FAILED | DmaTransResult.WRITE_FAILED): void {
    this.handle.injectError(channel, nth, result);
  }

  /**
   * Delivers the completions that are ready now to `onComplete`, on the caller's stack (for a
   * status query that saw a cookie complete before its batch reached the loop). Does nothing
   * from inside `onComplete`.
   * @returns whether it delivered anything
   */
  poll(): boolean {
    return this.handle.poll();
  }

  /** How many descriptors were striped so far, and how many of their ranges helpers ran. */
  stripeStats(): StripeStats {
    const [striped, helped] = this.handle.stripeStats();
    return { striped, helped };
  }

  /**
   * Which dispatched kernel operation and variant ran the descriptors of `channel` so far, one
   * entry per pair used (`{ op: 'pq_gen', variant: 'gfni', count: 3 }`); interrupts and the
   * descriptors that did not run are not counted. Readable after `close()`.
   */
  kernelUse(channel: number): KernelUse[] {
    return this.handle.kernelUse(checkInt(channel, 'channel', 0, this.channels - 1));
  }

  /** Issued descriptors whose completion has not reached `onComplete` yet. */
  get outstanding(): number {
    return this.handle.outstanding();
  }

  /**
   * Aborts what has not run, waits for the running descriptors and stops the workers. The
   * remaining completions (ABORTED ones included) are still delivered to `onComplete`,
   * asynchronously. Idempotent; `submit` throws afterwards.
   */
  close(): void {
    this.handle.close();
  }

  /** Tests only: sets `channel`'s cookie counter (used and completed); the engine must be idle. */
  setCookieForTest(channel: number, cookie: number): void {
    this.handle.setCookieForTest(channel, cookie);
  }
}
