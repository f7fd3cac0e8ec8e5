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
import { checkDescriptorOrNull } from '../dmaengine/checks';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { SumCheckFlags } from '../dmaengine/status';
import { canWriteLater, checkInt, invalidRange, invalidType } from '../validate';

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
  /** The value passed to `cbFn` when the chain's last operation completes (`cb_param`). */
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
  if (s.dependTx !== null) checkDescriptorOrNull(s.dependTx, dName);
  if (s.cbFn !== null && typeof s.cbFn !== 'function') throw invalidType('a function or null', cName, s.cbFn);
}

/** @internal a validated copy of a caller's control block; `owner` gets `dependTx` written back. */
export interface CheckedSubmit extends AsyncSubmitCtl {
  readonly owner: AsyncSubmitCtl | null;
}

/**
 * @internal the submit argument of an operation: a validated copy of the caller's control
 * block (each field read once, so a getter cannot show the checks one value and the work
 * another; undefined fields read as initAsyncSubmit's defaults, which are never written into
 * the caller's object), or a fresh block when omitted. The operation works on the copy and
 * writes only `dependTx` back to the caller's object ({@link setDependTx}), as the kernel
 * does; a block that cannot take that write (frozen) is a TypeError before anything happens.
 */
export function checkSubmit(submit: unknown): CheckedSubmit {
  if (submit === undefined || submit === null) return { ...initAsyncSubmit(), owner: null };
  if (typeof submit !== 'object') throw invalidType('an AsyncSubmitCtl (initAsyncSubmit) or null', 'submit', submit);
  const s = submit as Partial<AsyncSubmitCtl>;
  const flags = s.flags;
  const dependTx = s.dependTx;
  const cbFn = s.cbFn;
  const cbParam = s.cbParam;
  const scribble = s.scribble;
  const out: CheckedSubmit = {
    flags: flags === undefined ? 0 : flags,
    dependTx: dependTx === undefined ? null : dependTx,
    cbFn: cbFn === undefined ? null : cbFn,
    cbParam,
    scribble: scribble === undefined ? null : scribble,
    owner: submit as AsyncSubmitCtl,
  };
  checkSubmitFields(out, 'submit.flags', 'submit.dependTx', 'submit.cbFn');
  if (!canWriteLater(submit, 'dependTx')) {
    throw invalidType('a writable AsyncSubmitCtl (the operation writes "dependTx" back; not frozen, not a Proxy)', 'submit', submit);
  }
  return out;
}

/** @internal `submit->depend_tx = tx`: on the working copy and on the caller's block. */
export function setDependTx(submit: { dependTx: DmaAsyncTxDescriptor | null; owner?: AsyncSubmitCtl | null }, tx: DmaAsyncTxDescriptor | null): void {
  submit.dependTx = tx;
  if (submit.owner) submit.owner.dependTx = tx;
}
