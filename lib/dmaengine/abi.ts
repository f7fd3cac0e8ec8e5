/**
 * The values both sides of the native boundary use, defined once for the TypeScript side.
 *
 * Model: the native engine's ABI header (native/engine/abi.h, with the kernels' limits from
 * native/kernels/limits.h) mirrors the kernel's enums and adds a few of its own (descriptor
 * flags, the status block and completion batch layouts, limits, defaults). Every TypeScript
 * file that needs one of them imports it from here: the core (status, cookies, channels), the
 * engine wrapper (lib/engine), the providers and async_tx. Nothing here imports anything, so
 * the pure-TypeScript core can use it (test/02.layers). The addon exports the header's values
 * as `native().constants`; test/11.engine.abi.test.ts checks that every one of them equals its
 * twin here, and that neither side has a value the other lacks.
 *
 * docs/engine.md, "Where each shared definition lives", lists them with their C++ twins.
 */

// ---- the kernel's enums, as the engine reports them ---------------------------------------

/** `enum dmaengine_tx_result`: how a descriptor ended (engine: `TxResult`). */
export enum DmaTransResult {
  /** `DMA_TRANS_NOERROR`: the descriptor completed and its data was written. */
  NOERROR = 0,
  /** `DMA_TRANS_READ_FAILED`: reading a source failed; the destination may be partly written. */
  READ_FAILED = 1,
  /** `DMA_TRANS_WRITE_FAILED`: writing the destination failed; it may be partly written. */
  WRITE_FAILED = 2,
  /** Terminated, or the dependant of a fenced descriptor that failed. */
  ABORTED = 3,
}

/**
 * `enum sum_check_flags`: result bits of the *_VAL operations, set = mismatch (engine:
 * `kPResult`, `kQResult`).
 */
export enum SumCheckFlags {
  /** `SUM_CHECK_P_RESULT`: the xor (P) check found a mismatch. */
  P_RESULT = 1 << 0,
  /** `SUM_CHECK_Q_RESULT`: the Q syndrome check found a mismatch. */
  Q_RESULT = 1 << 1,
}

// ---- cookies and the cookie cell ------------------------------------------------------------

/** `DMA_MIN_COOKIE`: the first valid cookie; a cookie below it is an error. */
export const DMA_MIN_COOKIE = 1;

/** Largest s32: the cookie after it wraps to {@link DMA_MIN_COOKIE}. */
export const DMA_MAX_COOKIE = 0x7fffffff;

/**
 * A channel's cookie cell: int32 words, {@link COOKIE_USED} the last cookie assigned
 * (`chan->cookie`), {@link COOKIE_COMPLETED} the last one completed. The engine's status block
 * is one such cell per channel, {@link COOKIE_CELL_STRIDE} words apart (one cache line; engine:
 * `ChannelStatus`, `kStatusStrideWords`).
 */
export const COOKIE_USED = 0;
/** See {@link COOKIE_USED}. */
export const COOKIE_COMPLETED = 1;
/** Words a cookie cell needs at least. */
export const COOKIE_CELL_WORDS = 2;
/** Words between two channels' cells in the engine's status block. */
export const COOKIE_CELL_STRIDE = 16;

// ---- the engine's descriptor flags (engine: `DescFlags`) --------------------------------------

/** DMA_PREP_FENCE: the next descriptor of the channel depends on this one's result. */
export const ENGINE_FENCE = 1 << 0;
/** xor: ASYNC_TX_XOR_ZERO_DST (dst = ⊕ srcs instead of dst ^= ⊕ srcs). */
export const ENGINE_ZERO_DST = 1 << 1;
/** pq: ASYNC_TX_PQ_XOR_DST, read-modify-write over slots start..stop. */
export const ENGINE_PQ_XOR_DST = 1 << 2;
/** pq_coef: P/Q ^= the result (DMA_PREP_CONTINUE). */
export const ENGINE_ACCUMULATE = 1 << 3;

// ---- completion batches ---------------------------------------------------------------------

/** Int32 words per completion in a batch: channel, cookie, result, valResult. */
export const COMPLETION_STRIDE = 4;
/** Word of a completion holding its channel. */
export const COMPLETION_CHANNEL = 0;
/** Word of a completion holding its cookie. */
export const COMPLETION_COOKIE = 1;
/** Word of a completion holding its {@link DmaTransResult}. */
export const COMPLETION_RESULT = 2;
/** Word of a completion holding its {@link SumCheckFlags} bits (the *_VAL operations). */
export const COMPLETION_VAL_RESULT = 3;

// ---- limits and defaults --------------------------------------------------------------------

/** Most channels (worker threads) one engine runs (engine: `Engine::kMaxChannels`). */
export const ENGINE_MAX_CHANNELS = 64;
/** Most sources of one XOR or XOR-check call (kernels: `kMaxXorSources`, native/kernels/limits.h). */
export const MAX_XOR_SOURCES = 255;
/** Most blocks of one RAID-6 call, data slots plus P and Q (kernels: `kMaxDisks`). */
export const MAX_DISKS = 255;
/** Most sources of one P+Q descriptor: {@link MAX_DISKS} less P and Q. */
export const MAX_PQ_SOURCES = MAX_DISKS - 2;
/** Longest byte count of one descriptor: the kernel's `size_t len` kept to a positive s32. */
export const DMA_MAX_LEN = 0x7fffffff;

/** Engine default: how long an idle worker spins before it sleeps, in µs. */
export const ENGINE_DEFAULT_SPIN_MICROS = 50;
/** Engine default: longest a short completion waits for its batch-mates, in µs. */
export const ENGINE_DEFAULT_COALESCE_MICROS = 20;
/** Engine default: niceness of the worker threads (0..19). */
export const ENGINE_DEFAULT_WORKER_NICE = 5;
/**
 * How the engine's worker and stripe threads are scheduled against the event loop's thread
 * (docs/engine.md, "Threading"): SCHED_OTHER at the worker niceness, SCHED_BATCH at it, or
 * SCHED_IDLE (any normal thread of the process that wakes up preempts them at once).
 */
export enum EngineWorkerPolicy {
  NORMAL = 0,
  BATCH = 1,
  IDLE = 2,
}
/** Engine default: the worker threads' scheduling policy. */
export const ENGINE_DEFAULT_WORKER_POLICY: EngineWorkerPolicy = EngineWorkerPolicy.NORMAL;
/**
 * Engine default: a descriptor touching at least this many bytes (len × blocks) is striped
 * over the engine's helper threads (docs/engine.md, "Striping").
 */
export const ENGINE_DEFAULT_STRIPE_BYTES = 1024 * 1024;
/** Most stripe helper threads of one engine (the default is one per other CPU, up to this). */
export const ENGINE_MAX_STRIPE_THREADS = 15;
/** Largest `stripeBytes` option. */
export const ENGINE_MAX_STRIPE_BYTES = 2 ** 40;
/** Largest worker niceness. */
export const ENGINE_MAX_WORKER_NICE = 19;
/** Largest spin and coalesce time an engine accepts, in µs. */
export const ENGINE_MAX_WAIT_MICROS = 100000;
