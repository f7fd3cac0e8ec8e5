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

/**
 * `enum dma_state_client`: the answer of a filter in the seed RFC's `dma_request_channel`
 * (ACK takes the channel; DUP and NAK pass it by). A filter may also answer a boolean.
 */
export enum DmaStateClient {
  ACK = 0,
  DUP = 1,
  NAK = 2,
}

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
