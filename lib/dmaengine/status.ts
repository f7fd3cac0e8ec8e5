/**
 * The small enums and records shared by clients and providers: transfer status, control flags,
 * transfer results, filter answers, check results, and the address type that stands for
 * `dma_addr_t`.
 *
 * Values are the modern kernel's (see docs/dmaengine.md for the older numbering). Plain data,
 * JavaScript thread only.
 */

/** `enum dma_status` (modern): what `dmaengineTxStatus` and friends answer. */
export enum DmaStatus {
  COMPLETE = 0,
  IN_PROGRESS = 1,
  PAUSED = 2,
  ERROR = 3,
}

/** `enum dma_ctrl_flags` (modern values). */
export enum DmaCtrlFlags {
  PREP_INTERRUPT = 1 << 0,
  CTRL_ACK = 1 << 1,
  PREP_PQ_DISABLE_P = 1 << 2,
  PREP_PQ_DISABLE_Q = 1 << 3,
  PREP_CONTINUE = 1 << 4,
  PREP_FENCE = 1 << 5,
  CTRL_REUSE = 1 << 6,
  PREP_CMD = 1 << 7,
  PREP_REPEAT = 1 << 8,
  PREP_LOAD_EOT = 1 << 9,
}

/** Every defined {@link DmaCtrlFlags} bit. */
export const DMA_CTRL_FLAGS_ALL = (1 << 10) - 1;

/** `enum dmaengine_tx_result`: how a descriptor ended, given to `callbackResult`. */
export enum DmaTransResult {
  NOERROR = 0,
  READ_FAILED = 1,
  WRITE_FAILED = 2,
  ABORTED = 3,
}

/**
 * `enum dma_state_client`: the answer of a filter in the seed RFC's `dma_request_channel`
 * (ACK takes the channel; DUP and NAK pass it by). A filter may also answer a boolean.
 */
export enum DmaStateClient {
  ACK = 0,
  DUP = 1,
  NAK = 2,
}

/** `enum sum_check_flags`: result bits of the *_VAL operations (set = mismatch). */
export enum SumCheckFlags {
  P_RESULT = 1 << 0,
  Q_RESULT = 1 << 1,
}

/** `DMA_MIN_COOKIE`: the first valid cookie; a cookie below it is an error. */
export const DMA_MIN_COOKIE = 1;

/** Largest s32: the cookie after it wraps to {@link DMA_MIN_COOKIE}. */
export const DMA_MAX_COOKIE = 0x7fffffff;

/** `struct dmaengine_result`: what `callbackResult` receives. */
export interface DmaengineResult {
  result: DmaTransResult;
  /** bytes not transferred (0 when the descriptor completed) */
  residue: number;
}

/** `struct dma_tx_state`: filled by `deviceTxStatus` / `dmaCookieStatus` when given. */
export interface DmaTxState {
  /** last completed cookie */
  last: number;
  /** last cookie assigned */
  used: number;
  residue: number;
  inFlightBytes: number;
}

/** A fresh {@link DmaTxState} to pass as an out-parameter. */
export function dmaTxState(): DmaTxState {
  return { last: 0, used: 0, residue: 0, inFlightBytes: 0 };
}

/**
 * What the kernel passes as `dma_addr_t`: a place in memory, here a byte array and an offset
 * into it. A provider reads `len` bytes from `buf` starting at `off`. The core never maps
 * anything; a provider backed by native memory passes the same object to its addon, whose
 * argument guards check `off + len` against the array.
 */
export interface DmaAddr {
  buf: Uint8Array;
  off: number;
}

/** `{ buf, off }` with `off` defaulting to 0. */
export function dmaAddr(buf: Uint8Array, off = 0): DmaAddr {
  return { buf, off };
}

/** An out-parameter holder (`enum sum_check_flags *result`, `dma_cookie_t *last`, …). */
export interface Holder<T> {
  value: T;
}
