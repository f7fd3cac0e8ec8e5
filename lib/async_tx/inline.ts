/**
 * The inline path of the block-list operations (xor, xor check, P+Q, the RAID-6 recoveries) when nothing can
 * take the work off the CPU: the per-block checks are left to the kernel binding, which makes
 * them anyway, right before it reads or writes a byte, instead of being made twice (they were
 * most of a 4 KiB call: docs/kernels.md, "The boundary"). The caller's list and offsets are
 * read once, here, into copies; when the binding refuses, or the submit block is refused, the
 * full checks run on those copies to throw the error with the public names ("blocks[3]",
 * "offsets[3]") in the general path's order; nothing was written.
 *
 * Threading: JavaScript thread only.
 */
import { MAX_XOR_SOURCES } from '../dmaengine/abi';
import { DmaCap } from '../dmaengine/caps';
import { kernelXorList } from '../kernels';
import { checkLen, checkOffsArray, checkPage, checkPageArray, checkPages, recheckPage } from './args';
import { AsyncTxFlags, type AsyncSubmitCtl, type CheckedSubmit, checkSubmit, setDependTx } from './flags';
import { type AsyncTxContext, assertNotInCallback, asyncTxSyncEpilog, checkDepend } from './submit';
import { checkInt, invalidRange } from '../validate';
import { runSync } from './wait';

/** A block list and its offsets as read once from the caller (copies; the blocks not yet checked). */
export interface ReadBlocks {
  list: (Uint8Array | null)[];
  offs: number[] | null;
}

/**
 * The list and offsets of a RAID-6 operation of `d` blocks, each element read once: the
 * Array checks of checkPqArgs, in its order and words; the blocks are checked later.
 */
export function readBlocks(blocks: unknown, offsets: unknown, d: number): ReadBlocks {
  const list = checkPageArray(blocks, 'blocks');
  if (list.length < d) throw invalidRange('blocks', `an Array of at least ${d} (disks) entries`, `an Array of ${list.length}`);
  const offs = checkOffsArray(offsets, 'offsets', d);
  const copy: (Uint8Array | null)[] = new Array(d);
  for (let i = 0; i < d; i++) {
    const b = list[i];
    copy[i] = b === undefined ? null : b; // the checks take a missing block as null; the bindings want null
  }
  return { list: copy, offs };
}

/** Whether the operation may run inline with its checks left to the binding: no channel anywhere for `cap`. */
export function inlineCandidate(ctx: AsyncTxContext, cap: DmaCap): boolean {
  ctx.ensureRegistered();
  return !ctx.engine.tableHasCap(cap);
}

/**
 * The submit block and the dependency rules, with `full` (the block checks) run first when
 * either is refused: the general path checks the blocks before the submit block.
 */
export function inlineSubmit(ctx: AsyncTxContext, submitArg: unknown, fn: string, full: () => unknown): CheckedSubmit {
  try {
    const submit = checkSubmit(submitArg);
    checkDepend(ctx, submit, fn);
    return submit;
  } catch (e) {
    full();
    throw e;
  }
}

/** `work()` (a kernel call that checks every block first); on its refusal, `full()` words it. */
export function inlineRun(ctx: AsyncTxContext, submit: CheckedSubmit, work: () => void, full: () => unknown): null {
  setDependTx(submit, null); // as runSync: before any byte (it was null already)
  try {
    work();
  } catch (e) {
    full();
    throw e;
  }
  asyncTxSyncEpilog(ctx, submit);
  return null;
}

const zeros: number[][] = [];

/** An Array of `n` zero offsets (shared, never written: the kernels only read it). */
export function zeroOffs(n: number): number[] {
  let z = zeros[n];
  if (z === undefined) {
    z = new Array<number>(n).fill(0);
    zeros[n] = z;
  }
  return z;
}

/**
 * @internal the inline path of asyncXorOffs when nothing can take the work off the CPU (no channel with
 * DMA_XOR anywhere in the table) and there is no dependency to wait for: the per-source checks
 * are left to the kernel binding, which makes them anyway before it reads or writes a byte,
 * instead of being made twice (they were most of a 4 KiB call: docs/kernels.md, "The
 * boundary"). When the binding refuses a source, the full checks run to throw the error with
 * the public API's names ("srcList[3]", "srcOffs[3]"); nothing was written. Returns false,
 * having done nothing, where the general path must decide (it re-checks from the start).
 */
export function xorInline(ctx: AsyncTxContext, dest: Uint8Array, offset: number, srcList: unknown, srcOffs: unknown,
  srcCnt: unknown, len: unknown, submitArg: unknown): boolean {
  ctx.ensureRegistered();
  if (ctx.engine.tableHasCap(DmaCap.XOR)) return false;
  assertNotInCallback(ctx, 'asyncXorOffs');
  const n = checkLen(len);
  if (n === 0) return false;
  checkPage(dest, 'dest', offset, 'offset', n);
  const list = checkPageArray(srcList, 'srcList');
  const cnt = checkInt(srcCnt, 'srcCnt', 2, Math.max(2, list.length));
  if (cnt > list.length || cnt > MAX_XOR_SOURCES) return false;
  const so = checkOffsArray(srcOffs, 'srcOffs', cnt);
  let submit: AsyncSubmitCtl;
  try {
    submit = checkSubmit(submitArg);
  } catch (e) {
    // the general path checks the sources before the submit block: keep that order of errors
    checkPages(list, 'srcList', cnt, so, so ? 'srcOffs' : 'offset', offset, n, () => true);
    throw e;
  }
  if (submit.dependTx !== null || (submit.flags & AsyncTxFlags.XOR_DROP_DST) !== 0) return false;
  let done: boolean;
  try {
    done = kernelXorList(dest, offset, list, cnt, so, offset, n, (submit.flags & AsyncTxFlags.XOR_ZERO_DST) !== 0);
  } catch (e) {
    // the submit block's getters ran after dest was checked
    recheckPage(dest, 'dest', offset, 'offset', n);
    checkPages(list, 'srcList', cnt, so, so ? 'srcOffs' : 'offset', offset, n, () => true);
    // a missing (undefined) source: skipped as null by the checks, refused by the binding
    // before it wrote anything; the general path takes it
    for (let i = 0; i < cnt; i++) if (list[i] === undefined) return false;
    throw e;
  }
  if (!done) return false;
  runSync(ctx, submit, () => undefined);
  return true;
}
