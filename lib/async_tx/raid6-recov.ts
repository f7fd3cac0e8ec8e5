/**
 * `async_raid6_2data_recov` and `async_raid6_datap_recov`: rebuild two lost data blocks, or
 * one data block and P, from the survivors.
 *
 * Model: with no DMA_PQ channel in this CPU's table, or no scribble in `submit`, the native
 * recovery kernels run inline (null data slots read as zeros) and the callback runs before
 * the call returns null. Otherwise the rebuild is a fenced chain of primitive operations,
 * each of which picks its own channel and may itself fall back to software:
 *   - sum-product `dest = a·x ⊕ b·y`: a P+Q descriptor with P disabled and explicit
 *     coefficients (software loop if the channel refuses);
 *   - mult `dest = c·x`: the same with one source;
 *   - memcpy, xor (XOR_DROP_DST / XOR_ZERO_DST), gen_syndrome.
 * Layouts as the kernel's, chosen by the number of non-null data slots (engines do not all take
 * 0- or 1-source P+Q): 2 (a 4-disk array), 3 (5 disks), 4 or more (the general case, which
 * computes ΔP/ΔQ with gen_syndrome into the dead slots). The dead data blocks serve as scratch.
 * Only the final XOR carries the caller's flags and callback; its descriptor is returned and
 * left in `submit.dependTx`. The caller's `blocks` and `offs` are never written (the kernel
 * swaps entries in place and restores them).
 *
 * Threading: JavaScript thread only; not from a completion callback.
 */
import { DmaCap } from '../dmaengine/caps';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { dmaMaxpq } from '../dmaengine/device';
import { DmaCtrlFlags, dmaAddr } from '../dmaengine/status';
import { checkInt, invalidRange } from '../validate';
import { checkLen, checkPage } from './args';
import { AsyncTxFlags, type AsyncSubmitCtl, type CheckedSubmit, checkSubmit, initAsyncSubmit, setDependTx } from './flags';
import { inlineCandidate, inlineRun, inlineSubmit, readBlocks, zeroOffs } from './inline';
import { gfExi, gfExp, gfInv, gfMultBytes, gfSumProductBytes } from './gf';
import { asyncMemcpy } from './memcpy';
import { type PqArgs, asyncGenSyndrome, checkPqArgs, pqAligned, recheckPq } from './pq';
import { soft2DataRecov, softDatapRecov } from './soft';
import { type AsyncTxContext, assertNotInCallback, asyncTxFindChannel, asyncTxSubmit, checkDepend } from './submit';
import { runSync } from './wait';
import { asyncXorOffs } from './xor';

const F = AsyncTxFlags;
type Tx = DmaAsyncTxDescriptor | null;

/** `async_sum_product`: dest = coef[0]·x ⊕ coef[1]·y (x/y may be dest). */
function asyncSumProduct(ctx: AsyncTxContext, dest: Uint8Array, dOff: number, x: Uint8Array, xOff: number, y: Uint8Array,
  yOff: number, coef: [number, number], len: number, submit: AsyncSubmitCtl, recheck: () => void): Tx {
  checkPage(dest, 'dest', dOff, 'dOff', len);
  const chan = asyncTxFindChannel(ctx, submit, DmaCap.PQ);
  const dev = chan?.device;
  if (chan && dev?.devicePrepDmaPq && dmaMaxpq(dev, DmaCtrlFlags.PREP_PQ_DISABLE_P) >= 2
    && pqAligned(dev, { blocks: [x, y, dest], offs: [xOff, yOff, dOff], disks: 3, n: len } as PqArgs)) {
    let f = DmaCtrlFlags.PREP_PQ_DISABLE_P;
    if (submit.flags & F.FENCE) f |= DmaCtrlFlags.PREP_FENCE;
    if (submit.cbFn) f |= DmaCtrlFlags.PREP_INTERRUPT;
    const tx = dev.devicePrepDmaPq(chan, [null, dmaAddr(dest, dOff)], [dmaAddr(x, xOff), dmaAddr(y, yOff)], 2,
      Uint8Array.from(coef), len, f);
    if (tx) {
      asyncTxSubmit(ctx, tx, submit);
      return tx;
    }
  }
  return runSync(ctx, submit, () => gfSumProductBytes(dest, dOff, x, xOff, y, yOff, coef[0], coef[1], len), true, recheck);
}

/** `async_mult`: dest = coef·src (src may be dest). */
function asyncMult(ctx: AsyncTxContext, dest: Uint8Array, dOff: number, src: Uint8Array, sOff: number, coef: number, len: number,
  submit: AsyncSubmitCtl, recheck: () => void): Tx {
  const chan = asyncTxFindChannel(ctx, submit, DmaCap.PQ);
  const dev = chan?.device;
  if (chan && dev?.devicePrepDmaPq && dmaMaxpq(dev, DmaCtrlFlags.PREP_PQ_DISABLE_P) >= 1
    && pqAligned(dev, { blocks: [src, dest], offs: [sOff, dOff], disks: 2, n: len } as PqArgs)) {
    let f = DmaCtrlFlags.PREP_PQ_DISABLE_P;
    if (submit.flags & F.FENCE) f |= DmaCtrlFlags.PREP_FENCE;
    if (submit.cbFn) f |= DmaCtrlFlags.PREP_INTERRUPT;
    const tx = dev.devicePrepDmaPq(chan, [null, dmaAddr(dest, dOff)], [dmaAddr(src, sOff)], 1, Uint8Array.of(coef), len, f);
    if (tx) {
      asyncTxSubmit(ctx, tx, submit);
      return tx;
    }
  }
  return runSync(ctx, submit, () => gfMultBytes(dest, dOff, src, sOff, coef, len), true, recheck);
}

/** Whether recovery may take the async path (a DMA_PQ channel in the table and a scribble). */
function recovAsync(ctx: AsyncTxContext, submit: AsyncSubmitCtl): boolean {
  ctx.ensureRegistered();
  const chan = ctx.engine.dmaFindChannel(DmaCap.PQ);
  return chan !== null && chan.device !== null && !chan.removed && submit.scribble !== null;
}

/** The step submit: FENCE (+ extra) after `tx`, no callback; or the caller's for the last step. */
function step(tx: Tx, extra: number, scribble: unknown): AsyncSubmitCtl {
  return initAsyncSubmit(F.FENCE | extra, tx, null, null, scribble);
}

function last(tx: Tx, extra: number, caller: AsyncSubmitCtl): AsyncSubmitCtl {
  return initAsyncSubmit(caller.flags | extra, tx, caller.cbFn, caller.cbParam, caller.scribble);
}

/**
 * `async_raid6_2data_recov(disks, bytes, faila, failb, blocks, offs, submit)`: rebuild data
 * slots `faila` and `failb` (either order) from the other data, P and Q.
 * Honours the caller's flags and callback on the final operation.
 * @returns the final descriptor, or null when done on the software path
 */
export function asyncRaid6_2dataRecov(ctx: AsyncTxContext, disks: number, bytes: number, faila: number, failb: number,
  blocks: (Uint8Array | null)[], offs: number[] | null, submitArg?: AsyncSubmitCtl | null): Tx {
  assertNotInCallback(ctx, 'asyncRaid6_2dataRecov');
  const d = checkInt(disks, 'disks', 4, 255);
  let fa = checkInt(faila, 'faila', 0, d - 3);
  let fb = checkInt(failb, 'failb', 0, d - 3);
  if (fa === fb) throw invalidRange('failb', `different from faila (${fa})`, fb);
  if (fb < fa) [fa, fb] = [fb, fa];
  const n0 = checkLen(bytes, 'bytes');
  const r = readBlocks(blocks, offs, d);
  const full = (): PqArgs => checkPqArgs(r.list, r.offs, d, n0, 4, (i, k) => i < k - 2 && i !== fa && i !== fb, 'disks', 'bytes');
  let a: PqArgs;
  let submit: CheckedSubmit;
  if (inlineCandidate(ctx, DmaCap.PQ)) {
    submit = inlineSubmit(ctx, submitArg, 'asyncRaid6_2dataRecov', full);
    if (submit.dependTx === null && n0 > 0) {
      return inlineRun(ctx, submit, () => soft2DataRecov(r.list, r.offs ?? zeroOffs(d), n0, fa, fb), full);
    }
    a = full();
  } else {
    a = full();
    submit = checkSubmit(submitArg);
    checkDepend(ctx, submit, 'asyncRaid6_2dataRecov');
  }
  const recheck = (): void => recheckPq(a);
  if (!recovAsync(ctx, submit)) return runSync(ctx, submit, () => soft2DataRecov(a.blocks, a.offs, a.n, fa, fb), true, recheck);

  const { blocks: b, offs: o, n } = a;
  const p = b[d - 2]!;
  const q = b[d - 1]!;
  const po = o[d - 2]!;
  const qo = o[d - 1]!;
  const coef: [number, number] = [gfExi(fb - fa), gfInv(gfExp(fa) ^ gfExp(fb))];
  const dp = b[fa]!;
  const dq = b[fb]!;
  const dpo = o[fa]!;
  const dqo = o[fb]!;
  const s = submit.scribble;
  let tx: Tx = submit.dependTx;
  const live = b.slice(0, d - 2).filter((x) => x !== null).length;
  if (live === 2) {
    // P + Pxy == P and Q + Qxy == Q: Db = A·P ⊕ B·Q, Da = P ⊕ Db
    tx = asyncSumProduct(ctx, dq, dqo, p, po, q, qo, coef, n, step(tx, 0, s), recheck);
    tx = asyncXorOffs(ctx, dp, dpo, [p, dq], [po, dqo], 2, n, last(tx, F.XOR_ZERO_DST, submit));
  } else {
    if (live === 3) {
      const good = b.findIndex((x, i) => i < d - 2 && x !== null && i !== fa && i !== fb);
      const g = b[good]!;
      const go = o[good]!;
      tx = asyncMemcpy(ctx, dp, g, dpo, go, n, step(tx, 0, s));
      tx = asyncMult(ctx, dq, dqo, g, go, gfExp(good), n, step(tx, 0, s), recheck);
    } else {
      // ΔP/ΔQ: the syndrome with both dead slots read as zero, into the dead blocks
      const gb = b.slice();
      const go = o.slice();
      gb[fa] = null;
      gb[fb] = null;
      gb[d - 2] = dp;
      go[d - 2] = dpo;
      gb[d - 1] = dq;
      go[d - 1] = dqo;
      tx = asyncGenSyndrome(ctx, gb, go, d, n, step(tx, 0, s));
    }
    tx = asyncXorOffs(ctx, dp, dpo, [dp, p], [dpo, po], 2, n, step(tx, F.XOR_DROP_DST, s)); // P + Pxy
    tx = asyncXorOffs(ctx, dq, dqo, [dq, q], [dqo, qo], 2, n, step(tx, F.XOR_DROP_DST, s)); // Q + Qxy
    tx = asyncSumProduct(ctx, dq, dqo, dp, dpo, dq, dqo, coef, n, step(tx, 0, s), recheck); // Db
    tx = asyncXorOffs(ctx, dp, dpo, [dp, dq], [dpo, dqo], 2, n, last(tx, F.XOR_DROP_DST, submit)); // Da
  }
  setDependTx(submit, tx);
  return tx;
}

/**
 * `async_raid6_datap_recov(disks, bytes, faila, blocks, offs, submit)`: rebuild data slot
 * `faila` and P from the other data and Q. Honours the caller's flags and callback on the
 * final operation.
 * @returns the final descriptor, or null when done on the software path
 */
export function asyncRaid6DatapRecov(ctx: AsyncTxContext, disks: number, bytes: number, faila: number,
  blocks: (Uint8Array | null)[], offs: number[] | null, submitArg?: AsyncSubmitCtl | null): Tx {
  assertNotInCallback(ctx, 'asyncRaid6DatapRecov');
  const d = checkInt(disks, 'disks', 4, 255);
  const fa = checkInt(faila, 'faila', 0, d - 3);
  const n0 = checkLen(bytes, 'bytes');
  const r = readBlocks(blocks, offs, d);
  const full = (): PqArgs => checkPqArgs(r.list, r.offs, d, n0, 4, (i, k) => i < k - 2 && i !== fa, 'disks', 'bytes');
  let a: PqArgs;
  let submit: CheckedSubmit;
  if (inlineCandidate(ctx, DmaCap.PQ)) {
    submit = inlineSubmit(ctx, submitArg, 'asyncRaid6DatapRecov', full);
    if (submit.dependTx === null && n0 > 0) {
      return inlineRun(ctx, submit, () => softDatapRecov(r.list, r.offs ?? zeroOffs(d), n0, fa), full);
    }
    a = full();
  } else {
    a = full();
    submit = checkSubmit(submitArg);
    checkDepend(ctx, submit, 'asyncRaid6DatapRecov');
  }
  const { blocks: b, offs: o, n } = a;
  const recheck = (): void => recheckPq(a);
  const goods = b.map((x, i) => (i < d - 2 && i !== fa && x !== null ? i : -1)).filter((i) => i >= 0);
  // no live data at all: the kernel BUG()s on its async path; the software path handles it
  if (!recovAsync(ctx, submit) || goods.length === 0) {
    return runSync(ctx, submit, () => softDatapRecov(b, o, n, fa), true, recheck);
  }
  const p = b[d - 2]!;
  const q = b[d - 1]!;
  const po = o[d - 2]!;
  const qo = o[d - 1]!;
  const dq = b[fa]!;
  const dqo = o[fa]!;
  const s = submit.scribble;
  let tx: Tx = submit.dependTx;
  if (goods.length === 1) {
    const good = goods[0]!;
    tx = asyncMemcpy(ctx, p, b[good]!, po, o[good]!, n, step(tx, 0, s));
    tx = asyncMult(ctx, dq, dqo, b[good]!, o[good]!, gfExp(good), n, step(tx, 0, s), recheck);
  } else {
    const gb = b.slice();
    const go = o.slice();
    gb[fa] = null;
    gb[d - 1] = dq;
    go[d - 1] = dqo;
    tx = asyncGenSyndrome(ctx, gb, go, d, n, step(tx, 0, s)); // Pxy into P, Qxy into the dead slot
  }
  tx = asyncXorOffs(ctx, dq, dqo, [dq, q], [dqo, qo], 2, n, step(tx, F.XOR_DROP_DST, s)); // Q + Qxy = g^a·Da
  tx = asyncMult(ctx, dq, dqo, dq, dqo, gfInv(gfExp(fa)), n, step(tx, 0, s), recheck); // Da
  tx = asyncXorOffs(ctx, p, po, [p, dq], [po, dqo], 2, n, last(tx, F.XOR_DROP_DST, submit)); // P
  setDependTx(submit, tx);
  return tx;
}
