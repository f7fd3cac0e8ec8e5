/**
 * The inline path of the block-list operations (P+Q, the RAID-6 recoveries) when nothing can
 * take the work off the CPU: the per-block checks are left to the kernel binding, which makes
 * them anyway, right before it reads or writes a byte, instead of being made twice (they were
 * most of a 4 KiB call: docs/kernels.md, "The boundary"). The caller's list and offsets are
 * read once, here, into copies; when the binding refuses, or the submit block is refused, the
 * full checks run on those copies to throw the error with the public names ("blocks[3]",
 * "offsets[3]") in the general path's order; nothing was written.
 *
 * Threading: JavaScript thread only.
 */
import type { DmaCap } from '../dmaengine/caps';
import { checkOffsArray, checkPageArray } from './args';
import { type CheckedSubmit, checkSubmit, setDependTx } from './flags';
import { type AsyncTxContext, asyncTxSyncEpilog, checkDepend } from './submit';
import { invalidRange } from '../validate';

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
  return { list: list.slice(0, d), offs };
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
