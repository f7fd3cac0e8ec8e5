/**
 * The values both sides of the native boundary use, defined once for the TypeScript side.
 *
 * Model: the native engine (native/engine/engine.h) and kernels (native/kernels/kernels.h)
 * mirror the kernel's enums and add a few of their own (descriptor flags, the status block
 * layout, limits). Every TypeScript file that needs one of them imports it from here: the core
 * (status, cookies, channels), the engine wrapper (lib/engine), the providers and async_tx.
 * Nothing here imports anything, so the pure-TypeScript core can use it (test/02.layers).
 * A later step compares these values with the addon's exported constants.
 *
 * docs/engine.md, "Where each shared definition lives", lists them with their C++ twins.
 */

// ---- the kernel's enums, as the engine reports them ---------------------------------------

/** `enum dmaengine_tx_result`: how a descriptor ended (engine: `TxResult`). */
export enum DmaTransResult {
  NOERROR = 0,
  READ_FAILED = 1,
  WRITE_FAILED = 2,
  /** Terminated, or the dependant of a fenced descriptor that failed. */
  ABORTED = 3,
}

/**
 * `enum sum_check_flags`: result bits of the *_VAL operations, set = mismatch (engine:
 * `kPResult`, `kQResult`).
 */
export enum SumCheckFlags {
  P_RESULT = 1 << 0,
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

// ---- limits and defaults --------------------------------------------------------------------

/** Most channels (worker threads) one engine runs (engine: `Engine::kMaxChannels`). */
export const ENGINE_MAX_CHANNELS = 64;
/** Most sources of one XOR or XOR-check call (kernels: `kMaxXorSources`). */
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
/** Largest worker niceness. */
export const ENGINE_MAX_WORKER_NICE = 19;
