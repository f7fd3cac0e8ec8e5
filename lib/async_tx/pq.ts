/**
 * `async_gen_syndrome` and `async_syndrome_val` (RAID-6 P+Q, modern per-block offsets).
 *
 * Layout: `blocks[0..disks-3]` data, `blocks[disks-2]` P, `blocks[disks-1]` Q. A null data
 * slot reads as zeros and keeps its index: Q's coefficient of slot i is {02}^i whatever is
 * null. P or Q may be null (not both): that half is not computed (not checked).
 *
 * Model (gen): channel with DMA_PQ, no PQ_XOR_DST, every offset aligned, and either the data
 * slots fit one descriptor (`disks - 2 <= dma_maxpq(dev, 0)`) or the device can continue
 * (`dma_maxpq(dev, DMA_PREP_CONTINUE) > 0`) → async path: the live sources go in pieces of
 * `dma_maxpq(dev, flags)`, pieces after the first carry DMA_PREP_CONTINUE (the provider folds
 * the running P/Q back in), each fenced on the one before; only the last piece keeps the
 * caller's ACK, DELAY_SUBMIT and callback. Software path: the native P+Q kernel (or its
 * read-modify-write form for PQ_XOR_DST, over the first..last live data slot). Unlike the
 * kernel, a null P or Q is never replaced by a scratch page in the caller's array.
 *
 * Model (val): channel with DMA_PQ_VAL, `disks <= dma_maxpq(dev, 0)`, aligned → one
 * descriptor; the provider writes `pqres.value` at completion. Software path, as the kernel's:
 * needs `spare` and a scribble (DmaBugError otherwise), recomputes P into `spare` and compares,
 * then Q into `spare` and compares; `spare` is left holding the last recomputed block.
 *
 * Threading: JavaScript thread only; not from a completion callback.
 */
import { MAX_DISKS } from '../dmaengine/abi';
import { DmaCap } from '../dmaengine/caps';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { type DmaDevice, dmaMaxpq, isDmaPqAligned } from '../dmaengine/device';
import { DmaBugError } from '../dmaengine/errors';
import { type DmaAddr, DmaCtrlFlags, type Holder, dmaAddr } from '../dmaengine/status';
import { checkInt, invalidRange } from '../validate';
import { checkHolder, checkLen, checkOffsArray, checkPage, checkPageArray, checkPages, recheckPage, recheckPages } from './args';
import { AsyncTxFlags, type AsyncSubmitCtl, type CheckedSubmit, checkSubmit, setDependTx } from './flags';
import { inlineCandidate, inlineRun, inlineSubmit, readBlocks, zeroOffs } from './inline';
import { gfExp } from './gf';
import { softPqGen, softPqGenXor, softSyndromeCheck } from './soft';
import { type AsyncTxContext, assertNotInCallback, asyncTxFindChannel, asyncTxSubmit, checkDepend } from './submit';
import { runSync } from './wait';
import { prepWithRetry } from './xor';
import { byteOffsetOf } from '../views';

/** `MAX_DISKS` (defined with the other native limits in lib/dmaengine/abi.ts) */
export { MAX_DISKS };

/** @internal checked blocks and offsets of a RAID-6 operation */
export interface PqArgs {
  blocks: (Uint8Array | null)[];
  offs: number[];
  disks: number;
  n: number;
  /** the names checkPqArgs gave the offsets ('offsets' per block, else 'offset') and the length */
  perPage: boolean;
  lenName: string;
}

/** @internal the blocks again before their bytes are touched (see runSync) */
export function recheckPq(a: PqArgs): void {
  recheckPages(a.blocks, a.offs, a.n, 'blocks', a.perPage ? 'offsets' : 'offset', a.perPage, a.lenName);
}

/** @internal validate (blocks, offsets, disks, len); `nullable(i)` says which slots may be null */
export function checkPqArgs(blocks: unknown, offsets: unknown, disks: unknown, len: unknown, minDisks: number,
  nullable: (i: number, disks: number) => boolean, disksName = 'disks', lenName = 'len'): PqArgs {
  const d = checkInt(disks, disksName, minDisks, MAX_DISKS);
  const n = checkLen(len, lenName);
  const list = checkPageArray(blocks, 'blocks');
  if (list.length < d) throw invalidRange('blocks', `an Array of at least ${d} (disks) entries`, `an Array of ${list.length}`);
  const o = checkOffsArray(offsets, 'offsets', d);
  const b = checkPages(list, 'blocks', d, o, o ? 'offsets' : 'offset', 0, n, (i) => nullable(i, d), lenName);
  if (b[d - 2] === null && b[d - 1] === null) {
    throw new TypeError(`Expected a Uint8Array or Buffer for "blocks[${d - 2}]" (P) or "blocks[${d - 1}]" (Q) but received null for both`);
  }
  return { blocks: b, offs: b.map((_, i) => (o ? o[i]! : 0)), disks: d, n, perPage: o !== null, lenName };
}

/** @internal every block's offset aligned for the device's P+Q */
export function pqAligned(dev: DmaDevice, a: PqArgs): boolean {
  for (let i = 0; i < a.blocks.length; i++) {
    const p = a.blocks[i]!;
    if (p !== null && !isDmaPqAligned(dev, byteOffsetOf(p) + a.offs[i]!, 0, a.n)) return false;
  }
  return true;
}

function liveSources(a: PqArgs): { addrs: DmaAddr[]; coefs: Uint8Array } {
  let live = 0;
  for (let i = 0; i < a.disks - 2; i++) if (a.blocks[i]) live++;
  const addrs = new Array<DmaAddr>(live);
  const coefs = new Uint8Array(live);
  for (let i = 0, k = 0; i < a.disks - 2; i++) {
    const p = a.blocks[i];
    if (p) {
      addrs[k] = dmaAddr(p, a.offs[i]!);
      coefs[k++] = gfExp(i);
    }
  }
  return { addrs, coefs };
}

/** `do_async_gen_syndrome` */
function doAsyncGenSyndrome(ctx: AsyncTxContext, chan: NonNullable<ReturnType<typeof asyncTxFindChannel>>, a: PqArgs,
  submit: AsyncSubmitCtl): DmaAsyncTxDescriptor | null {
  const dev = chan.device!;
  const { addrs, coefs } = liveSources(a);
  const P = a.blocks[a.disks - 2];
  const Q = a.blocks[a.disks - 1];
  let dmaFlags = 0;
  if (!P) dmaFlags |= DmaCtrlFlags.PREP_PQ_DISABLE_P;
  if (!Q) dmaFlags |= DmaCtrlFlags.PREP_PQ_DISABLE_Q;
  const dst = [P ? dmaAddr(P, a.offs[a.disks - 2]!) : null, Q ? dmaAddr(Q, a.offs[a.disks - 1]!) : null];
  const flagsOrig = submit.flags;
  const cbOrig = submit.cbFn;
  const paramOrig = submit.cbParam;
  let at = 0;
  let tx: DmaAsyncTxDescriptor | null = null;
  while (at < addrs.length) {
    const take = Math.min(addrs.length - at, dmaMaxpq(dev, dmaFlags));
    if (take <= 0) throw new DmaBugError('async_gen_syndrome: the device takes no source in this P+Q piece');
    const last = at + take >= addrs.length;
    submit.flags = flagsOrig;
    if (!last) {
      submit.flags = (submit.flags & ~(AsyncTxFlags.ACK | AsyncTxFlags.DELAY_SUBMIT)) | AsyncTxFlags.FENCE;
      submit.cbFn = null;
      submit.cbParam = null;
    } else {
      submit.cbFn = cbOrig;
      submit.cbParam = paramOrig;
      if (cbOrig) dmaFlags |= DmaCtrlFlags.PREP_INTERRUPT;
    }
    if (submit.flags & AsyncTxFlags.FENCE) dmaFlags |= DmaCtrlFlags.PREP_FENCE;
    // One piece (the usual case): the lists as they are, no copies (nothing below keeps or
    // changes them: the core checks copies, the providers copy what they keep).
    const whole = at === 0 && take === addrs.length;
    const src = whole ? addrs : addrs.slice(at, at + take);
    const scf = whole ? coefs : coefs.slice(at, at + take);
    const f = dmaFlags;
    tx = prepWithRetry(ctx, submit, chan, () => dev.devicePrepDmaPq!(chan, dst, src, take, scf, a.n, f));
    if (tx === null) {
      // refused twice: the rest in software, XORed into what the pieces before produced
      submit.flags = flagsOrig;
      submit.cbFn = cbOrig;
      submit.cbParam = paramOrig;
      const first = at === 0;
      const startAt = at;
      return runSync(ctx, submit, () => softGenRest(a, first ? 0 : startAt, first), true, () => recheckPq(a));
    }
    asyncTxSubmit(ctx, tx, submit);
    setDependTx(submit, tx);
    at += take;
    dmaFlags |= DmaCtrlFlags.PREP_CONTINUE;
  }
  submit.flags = flagsOrig;
  return tx;
}

/** P/Q over the live sources from the `from`-th on: generated (fresh) or XORed in. */
function softGenRest(a: PqArgs, from: number, fresh: boolean): void {
  if (fresh) {
    softPqGen(a.blocks, a.offs, a.n);
    return;
  }
  let seen = 0;
  const part = a.blocks.map((p, i) => (i < a.disks - 2 && p !== null ? (seen++ >= from ? p : null) : p));
  softPqGenXor(part, a.offs, 0, a.disks - 3, a.n);
}

/**
 * `async_gen_syndrome(blocks, offsets, disks, len, submit)`: P and Q of the data slots.
 * Honours ACK, FENCE, PQ_XOR_DST, DELAY_SUBMIT.
 * @param offsets each block's offset, or null for 0
 * @param disks 3..255, counting P and Q
 * @returns the (last) descriptor, or null when done on the software path
 */
export function asyncGenSyndrome(ctx: AsyncTxContext, blocks: (Uint8Array | null)[], offsets: number[] | null, disks: number,
  len: number, submitArg?: AsyncSubmitCtl | null): DmaAsyncTxDescriptor | null {
  assertNotInCallback(ctx, 'asyncGenSyndrome');
  const d = checkInt(disks, 'disks', 3, MAX_DISKS);
  const n = checkLen(len);
  const r = readBlocks(blocks, offsets, d);
  const full = (): PqArgs => checkPqArgs(r.list, r.offs, d, n, 3, () => true);
  if (inlineCandidate(ctx, DmaCap.PQ)) {
    const submit = inlineSubmit(ctx, submitArg, 'asyncGenSyndrome', full);
    if (submit.dependTx === null && !(submit.flags & AsyncTxFlags.PQ_XOR_DST) && n > 0) {
      return inlineRun(ctx, submit, () => softPqGen(r.list, r.offs ?? zeroOffs(d), n), full);
    }
    return genSyndrome(ctx, full(), submit);
  }
  const a = full();
  const submit = checkSubmit(submitArg);
  checkDepend(ctx, submit, 'asyncGenSyndrome');
  return genSyndrome(ctx, a, submit);
}

/** asyncGenSyndrome once every argument was checked. */
function genSyndrome(ctx: AsyncTxContext, a: PqArgs, submit: CheckedSubmit): DmaAsyncTxDescriptor | null {
  const chan = asyncTxFindChannel(ctx, submit, DmaCap.PQ);
  const dev = chan?.device;
  const srcCnt = a.disks - 2;
  let live = false;
  for (let i = 0; i < srcCnt && !live; i++) live = a.blocks[i] !== null;
  if (chan && dev?.devicePrepDmaPq && live && !(submit.flags & AsyncTxFlags.PQ_XOR_DST) && dmaMaxpq(dev, 0) >= 1
    && (srcCnt <= dmaMaxpq(dev, 0) || dmaMaxpq(dev, DmaCtrlFlags.PREP_CONTINUE) > 0) && pqAligned(dev, a)) {
    return doAsyncGenSyndrome(ctx, chan, a, submit);
  }
  return runSync(ctx, submit, () => {
    if (!(submit.flags & AsyncTxFlags.PQ_XOR_DST)) {
      softPqGen(a.blocks, a.offs, a.n);
      return;
    }
    let start = -1;
    let stop = -1;
    for (let i = 0; i < srcCnt; i++) {
      if (a.blocks[i] === null) continue;
      if (start < 0) start = i;
      stop = i;
    }
    if (start >= 0) softPqGenXor(a.blocks, a.offs, start, stop, a.n);
  }, true, () => recheckPq(a));
}

/**
 * `async_syndrome_val(blocks, offsets, disks, len, pqres, spare, s_off, submit)`: whether P
 * and Q match the data. `pqres.value` becomes 0, or SumCheckFlags.P_RESULT and/or Q_RESULT for
 * the mismatches, at completion. Honours ACK, FENCE, DELAY_SUBMIT.
 * @param disks 4..255
 * @param spare a page the software path recomputes into (required there, with a scribble)
 * @throws DmaBugError on the software path without `spare` or `submit.scribble` (the kernel's BUG_ON)
 */
export function asyncSyndromeVal(ctx: AsyncTxContext, blocks: (Uint8Array | null)[], offsets: number[] | null, disks: number,
  len: number, pqres: Holder<number>, spare: Uint8Array | null, sOff: number, submitArg?: AsyncSubmitCtl | null): DmaAsyncTxDescriptor | null {
  assertNotInCallback(ctx, 'asyncSyndromeVal');
  const d = checkInt(disks, 'disks', 4, MAX_DISKS);
  const n = checkLen(len);
  const r = readBlocks(blocks, offsets, d);
  const full = (): PqArgs => checkPqArgs(r.list, r.offs, d, n, 4, () => true);
  if (!inlineCandidate(ctx, DmaCap.PQ_VAL) || n === 0) {
    const a = full();
    const res = checkHolder(pqres, 'pqres');
    if (spare !== null && spare !== undefined) checkPage(spare, 'spare', sOff, 'sOff', a.n);
    const submit = checkSubmit(submitArg);
    checkDepend(ctx, submit, 'asyncSyndromeVal');
    return syndromeVal(ctx, a, res, spare, sOff, submit);
  }
  // The inline path (lib/async_tx/inline.ts): the data blocks' checks left to the kernel
  // bindings; P and Q, compared here, and `spare` are checked in full.
  let res: Holder<number>;
  let submit: CheckedSubmit;
  const po = r.offs ? r.offs[d - 2] : 0;
  const qo = r.offs ? r.offs[d - 1] : 0;
  const offName = r.offs ? 'offsets' : 'offset';
  const P = r.list[d - 2];
  const Q = r.list[d - 1];
  try {
    if (P === null && Q === null) full();
    if (P !== null) checkPage(P, `blocks[${d - 2}]`, po, r.offs ? `${offName}[${d - 2}]` : offName, n);
    if (Q !== null) checkPage(Q, `blocks[${d - 1}]`, qo, r.offs ? `${offName}[${d - 1}]` : offName, n);
    res = checkHolder(pqres, 'pqres');
    if (spare !== null && spare !== undefined) checkPage(spare, 'spare', sOff, 'sOff', n);
    submit = checkSubmit(submitArg);
    checkDepend(ctx, submit, 'asyncSyndromeVal');
  } catch (e) {
    full();
    throw e;
  }
  if (submit.dependTx !== null || !spare || submit.scribble === null) return syndromeVal(ctx, full(), res, spare, sOff, submit);
  const offs = r.offs ?? zeroOffs(d);
  return inlineRun(ctx, submit, () => {
    // P and Q were checked before the submit block's getters ran: again, now
    if (P) recheckPage(P, `blocks[${d - 2}]`, po as number, r.offs ? `${offName}[${d - 2}]` : offName, n);
    if (Q) recheckPage(Q, `blocks[${d - 1}]`, qo as number, r.offs ? `${offName}[${d - 1}]` : offName, n);
    recheckPage(spare, 'spare', sOff, 'sOff', n);
    res.value = softSyndromeCheck(r.list, offs, d, n, spare, sOff);
  }, full);
}

/** asyncSyndromeVal once every argument was checked. */
function syndromeVal(ctx: AsyncTxContext, a: PqArgs, res: Holder<number>, spare: Uint8Array | null, sOff: number,
  submit: CheckedSubmit): DmaAsyncTxDescriptor | null {
  const chan = asyncTxFindChannel(ctx, submit, DmaCap.PQ_VAL);
  const dev = chan?.device;
  const { addrs, coefs } = liveSources(a);
  if (chan && dev?.devicePrepDmaPqVal && addrs.length > 0 && a.disks <= dmaMaxpq(dev, 0) && pqAligned(dev, a)) {
    const P = a.blocks[a.disks - 2];
    const Q = a.blocks[a.disks - 1];
    let f = submit.cbFn ? DmaCtrlFlags.PREP_INTERRUPT : 0;
    if (!P) f |= DmaCtrlFlags.PREP_PQ_DISABLE_P;
    if (!Q) f |= DmaCtrlFlags.PREP_PQ_DISABLE_Q;
    if (submit.flags & AsyncTxFlags.FENCE) f |= DmaCtrlFlags.PREP_FENCE;
    const pq = [P ? dmaAddr(P, a.offs[a.disks - 2]!) : null, Q ? dmaAddr(Q, a.offs[a.disks - 1]!) : null];
    const tx = prepWithRetry(ctx, submit, chan, () => dev.devicePrepDmaPqVal!(chan, pq, addrs, addrs.length, coefs, a.n, res, f));
    if (tx) {
      asyncTxSubmit(ctx, tx, submit);
      return tx;
    }
  }
  if (!spare || submit.scribble === null) {
    throw new DmaBugError('async_syndrome_val: the software path needs a spare page and a scribble (submit.scribble)');
  }
  return runSync(ctx, submit, () => {
    res.value = softSyndromeCheck(a.blocks, a.offs, a.disks, a.n, spare, sOff);
  }, true, () => {
    recheckPq(a);
    recheckPage(spare, 'spare', sOff, 'sOff', a.n);
  });
}
