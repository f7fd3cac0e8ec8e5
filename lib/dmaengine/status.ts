/**
 * The small enums and records shared by clients and providers: transfer status, control flags,
 * transfer results, filter answers, check results, and the address type that stands for
 * `dma_addr_t`.
 *
 * Values are the modern kernel's (see docs/dmaengine.md for the older numbering). Plain data,
 * JavaScript thread only.
 *
 * The values the native engine shares (transfer results, check bits, cookie bounds) are
 * defined in abi.ts and re-exported here under their usual home.
 */
import { DmaTransResult } from './abi';

export { DmaTransResult, SumCheckFlags, DMA_MIN_COOKIE, DMA_MAX_COOKIE } from './abi';

/** `enum dma_status` (modern): what `dmaengineTxStatus` and friends answer. */
export enum DmaStatus {
  /** `DMA_COMPLETE`: the cookie (and every one before it on the channel) has completed. */
  COMPLETE = 0,
  /** `DMA_IN_PROGRESS`: the cookie was submitted and has not completed yet. */
  IN_PROGRESS = 1,
  /** `DMA_PAUSED`: the channel was paused (`dmaengine_pause`) with the cookie outstanding. */
  PAUSED = 2,
  /** `DMA_ERROR`: the cookie, or the channel it ran on, failed. */
  ERROR = 3,
}

/** `enum dma_ctrl_flags` (modern values). */
export enum DmaCtrlFlags {
  /** `DMA_PREP_INTERRUPT`: run the descriptor's callback when it completes. */
  PREP_INTERRUPT = 1 << 0,
  /**
   * `DMA_CTRL_ACK`: the client will not chain to this descriptor, so the provider may recycle it
   * once complete.
   */
  CTRL_ACK = 1 << 1,
  /** `DMA_PREP_PQ_DISABLE_P`: a pq operation leaves P (the xor parity) alone. */
  PREP_PQ_DISABLE_P = 1 << 2,
  /** `DMA_PREP_PQ_DISABLE_Q`: a pq operation leaves Q (the Reed-Solomon syndrome) alone. */
  PREP_PQ_DISABLE_Q = 1 << 3,
  /**
   * `DMA_PREP_CONTINUE`: a pq operation continues a previous one, folding its P/Q into the sources.
   */
  PREP_CONTINUE = 1 << 4,
  /** `DMA_PREP_FENCE`: the next dependent operation must see this one's results (no overlap). */
  PREP_FENCE = 1 << 5,
  /**
   * `DMA_CTRL_REUSE`: the descriptor may be resubmitted after completion until `dmaengineDescFree`.
   */
  CTRL_REUSE = 1 << 6,
  /**
   * `DMA_PREP_CMD`: the data is a command for the device rather than a payload (slave transfers).
   */
  PREP_CMD = 1 << 7,
  /**
   * `DMA_PREP_REPEAT`: repeat the interleaved transfer until a new one with `PREP_LOAD_EOT`
   * replaces it.
   */
  PREP_REPEAT = 1 << 8,
  /** `DMA_PREP_LOAD_EOT`: this transfer replaces the repeating one at its end of transfer. */
  PREP_LOAD_EOT = 1 << 9,
}

/** Every defined {@link DmaCtrlFlags} bit. */
export const DMA_CTRL_FLAGS_ALL = (1 << 10) - 1;

/**
 * `enum dma_state_client`: the answer of a filter in the seed RFC's `dma_request_channel`
 * (ACK takes the channel; DUP and NAK pass it by). A filter may also answer a boolean.
 */
export enum DmaStateClient {
  /** `DMA_ACK`: take this channel. */
  ACK = 0,
  /** `DMA_DUP`: pass this channel by (the client already has an equivalent one). */
  DUP = 1,
  /** `DMA_NAK`: pass this channel by. */
  NAK = 2,
}

/** `struct dmaengine_result`: what `callbackResult` receives. */
export interface DmaengineResult {
  /** Whether the transfer succeeded, or which side (read or write) failed. */
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
  /**
   * Bytes of the queried transfer not yet transferred (0 when complete or when the provider reports
   * no residue).
   */
  residue: number;
  /**
   * Bytes the provider has taken but not yet written out (`in_flight_bytes`; 0 when it does not
   * report it).
   */
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
  /** The memory the address points into. */
  buf: Uint8Array;
  /** Byte offset of the address in `buf`. */
  off: number;
}

/** `{ buf, off }` with `off` defaulting to 0. */
export function dmaAddr(buf: Uint8Array, off = 0): DmaAddr {
  return { buf, off };
}

/** An out-parameter holder (`enum sum_check_flags *result`, `dma_cookie_t *last`, …). */
export interface Holder<T> {
  /** The value, written by the callee (at completion for asynchronous checks). */
  value: T;
}
