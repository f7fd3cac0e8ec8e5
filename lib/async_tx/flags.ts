/**
 * async_tx flags and the submit control block (`struct async_submit_ctl`).
 *
 * Model: every async_* operation takes, last, a submit control block made by
 * {@link initAsyncSubmit}: the flags, the descriptor it depends on, the completion callback and
 * its parameter, and the scribble. As in the kernel, the library writes `dependTx` back: a
 * split operation leaves its last piece there, a software path that waited clears it.
 *
 * Call order: `initAsyncSubmit(...)` → `async*(..., submit)` → reuse or re-init the block.
 *
 * Threading: plain objects, JavaScript thread only.
 */
import { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { SumCheckFlags } from '../dmaengine/status';
import { checkInt, invalidRange, invalidType } from '../validate';

export { SumCheckFlags };

/**
 * `enum async_tx_flags`, modern values (2.6.32+, PQ_XOR_DST ~4.1+). `DELAY_SUBMIT` is the seed
 * RFC's flag, which mainline never shipped: its value is this library's choice.
 */
export enum AsyncTxFlags {
  /** The destination is not a source: the software path zeroes it first. */
  XOR_ZERO_DST = 1 << 0,
  /** The destination is `srcList[0]`: the software path drops it from the list. */
  XOR_DROP_DST = 1 << 1,
  /** Acknowledge the returned descriptor now: it may not be a dependency afterwards. */
  ACK = 1 << 2,
  /** The next operation consumes this one's result (`DMA_PREP_FENCE`). */
  FENCE = 1 << 3,
  /** asyncGenSyndrome XORs into the existing P/Q (read-modify-write; software only). */
  PQ_XOR_DST = 1 << 4,
  /** RFC only: prepare, do not submit; {@link asyncTriggerCallback} submits it with its callback. */
  DELAY_SUBMIT = 1 << 5,
}

/** Every defined {@link AsyncTxFlags} bit. */
export const ASYNC_TX_FLAGS_ALL = (1 << 6) - 1;

/** `dma_async_tx_callback`: called with `cbParam`. */
export type AsyncTxCallback = (param: unknown) => void;

/** `struct async_submit_ctl`. */
export interface AsyncSubmitCtl {
  /** {@link AsyncTxFlags} */
  flags: number;
  /** The descriptor this operation waits for (written back by the library). */
  dependTx: DmaAsyncTxDescriptor | null;
  /** Completion callback, run once the operation (all of its pieces) completed. */
  cbFn: AsyncTxCallback | null;
  cbParam: unknown;
  /**
   * The caller's scratch space (`addr_conv_t *`). Nothing is written to it here; only whether it
   * is present matters, where the kernel tests it (RAID-6 recovery, syndrome check).
   */
  scribble: unknown;
}

/**
 * `init_async_submit(args, flags, tx, cb_fn, cb_param, scribble)`: a new control block (the
 * kernel fills a caller's struct; here it is returned).
 * @param flags {@link AsyncTxFlags}
 * @param dependTx the descriptor to wait for, or null
 * @param cbFn completion callback, or null
 * @param cbParam its argument
 * @param scribble scratch space or null
 * @throws TypeError/RangeError naming the argument
 * @example
 * const submit = initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST, null, done, 'p', []);
 * const tx = asyncXor(dest, srcs, 0, srcs.length, 4096, submit);
 */
export function initAsyncSubmit(flags = 0, dependTx: DmaAsyncTxDescriptor | null = null, cbFn: AsyncTxCallback | null = null,
  cbParam: unknown = null, scribble: unknown = null): AsyncSubmitCtl {
  const submit = { flags, dependTx, cbFn, cbParam, scribble };
  checkSubmitFields(submit, 'flags', 'dependTx', 'cbFn');
  return submit;
}

function checkSubmitFields(s: AsyncSubmitCtl, fName: string, dName: string, cName: string): void {
  checkInt(s.flags, fName, 0, 0x7fffffff);
  if ((s.flags & ~ASYNC_TX_FLAGS_ALL) !== 0) {
    throw invalidRange(fName, `a combination of AsyncTxFlags (mask 0x${ASYNC_TX_FLAGS_ALL.toString(16)})`, s.flags);
  }
  if (s.dependTx !== null && !(s.dependTx instanceof DmaAsyncTxDescriptor)) {
    throw invalidType('a DmaAsyncTxDescriptor or null', dName, s.dependTx);
  }
  if (s.cbFn !== null && typeof s.cbFn !== 'function') throw invalidType('a function or null', cName, s.cbFn);
}

/**
 * @internal the submit argument of an operation: a control block (validated), or a fresh one
 * when omitted. Undefined fields read as the defaults of {@link initAsyncSubmit}.
 */
export function checkSubmit(submit: unknown): AsyncSubmitCtl {
  if (submit === undefined || submit === null) return initAsyncSubmit();
  if (typeof submit !== 'object') throw invalidType('an AsyncSubmitCtl (initAsyncSubmit) or null', 'submit', submit);
  const s = submit as AsyncSubmitCtl;
  if (s.flags === undefined) s.flags = 0;
  if (s.dependTx === undefined) s.dependTx = null;
  if (s.cbFn === undefined) s.cbFn = null;
  if (s.scribble === undefined) s.scribble = null;
  checkSubmitFields(s, 'submit.flags', 'submit.dependTx', 'submit.cbFn');
  return s;
}
