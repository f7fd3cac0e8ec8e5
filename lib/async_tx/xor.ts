/**
 * `async_xor`, `async_xor_offs`, `async_xor_val`, `async_xor_val_offs`.
 *
 * Model (xor): channel with DMA_XOR + every offset aligned → async path. More sources than
 * the device's `maxXor` become a fenced chain: the first piece takes `maxXor` sources, every
 * later piece takes the running destination as its first source and `maxXor - 1` new ones;
 * pieces before the last have ACK and DELAY_SUBMIT cleared, FENCE set and no callback; each
 * piece depends on the one before (`submit.dependTx`). Software path: with XOR_DROP_DST the
 * first source (the destination) is dropped, with XOR_ZERO_DST the destination is zeroed, then
 * dest ^= every source. Without either flag the two paths differ, as in the kernel (hardware
 * writes dest = ⊕ sources, software accumulates): pass one of them.
 *
 * Model (xor_val): async only when the sources fit one descriptor (`srcCnt <= maxXor`); the
 * provider writes `result.value` at completion. Software path: the kernel's — the destination
 * (`srcList[0]`) is overwritten with the XOR of all sources, then tested for zero.
 *
 * A prep that returns null (a full ring) is retried once after the dependency and the channel
 * drained — where the kernel would spin forever — then the rest runs in software.
 *
 * Threading: JavaScript thread only; not from a completion callback.
 */
import { DmaCap } from '../dmaengine/caps';
import type { DmaChan } from '../dmaengine/channel';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { isDmaXorAligned } from '../dmaengine/device';
import { type DmaAddr, DmaCtrlFlags, type Holder, SumCheckFlags, dmaAddr } from '../dmaengine/status';
import { checkInt, invalidRange } from '../validate';
import { checkHolder, checkLen, checkOffsArray, checkPage, checkPageArray, checkPages, recheckPage, recheckPages } from './args';
import { AsyncTxFlags, type AsyncSubmitCtl, type CheckedSubmit, checkSubmit, setDependTx } from './flags';
import { inlineCandidate, inlineRun, xorInline } from './inline';
import { softIsZero, softXor } from './soft';
import { kernelXorList } from '../kernels';
import { MAX_XOR_SOURCES } from '../dmaengine/abi';
import { type AsyncTxContext, assertNotInCallback, asyncTxFindChannel, asyncTxSubmit, checkDepend } from './submit';
import { asyncTxQuiesce, runSync } from './wait';
import { bufferOf, byteOffsetOf, isRealUint8Array } from '../views';

interface XorArgs {
  srcs: (Uint8Array | null)[];
  offs: number[];
  /** whether the offsets came from `srcOffs` (the name of a source's offset in messages) */
  perPage: boolean;
  submit: AsyncSubmitCtl;
  n: number;
}

/** The pages again before their bytes are touched (see runSync). */
function recheckXor(dest: Uint8Array, offset: number, a: XorArgs): void {
  recheckPage(dest, 'dest', offset, 'offset', a.n);
  recheckPages(a.srcs, a.offs, a.n, 'srcList', a.perPage ? 'srcOffs' : 'offset', a.perPage);
}

function checkXorArgs(ctx: AsyncTxContext, fn: string, dest: Uint8Array, offset: number, srcList: unknown, srcOffs: unknown,
  srcCnt: unknown, len: unknown, submitArg: unknown, allowNull: boolean): XorArgs {
  assertNotInCallback(ctx, fn);
  const n = checkLen(len);
  checkPage(dest, 'dest', offset, 'offset', n);
  const list = checkPageArray(srcList, 'srcList');
  const cnt = checkInt(srcCnt, 'srcCnt', 2, Math.max(2, list.length));
  if (cnt > list.length) throw invalidRange('srcCnt', `at most srcList.length (${list.length})`, cnt);
  const so = checkOffsArray(srcOffs, 'srcOffs', cnt);
  const srcs = checkPages(list, 'srcList', cnt, so, so ? 'srcOffs' : 'offset', offset, n, () => allowNull);
  const offs = srcs.map((_, i) => (so ? so[i]! : offset));
  const submit = checkSubmit(submitArg);
  if ((submit.flags & AsyncTxFlags.XOR_DROP_DST) !== 0 || fn.startsWith('asyncXorVal')) {
    const s0 = srcs[0];
    if (!s0 || bufferOf(s0) !== bufferOf(dest) || byteOffsetOf(s0) + offs[0]! !== byteOffsetOf(dest) + offset) {
      throw invalidRange('srcList[0]', 'the destination (same memory as "dest" at "offset")', s0);
    }
  }
  checkDepend(ctx, submit, fn);
  return { srcs, offs, perPage: so !== null, submit, n };
}

/** @internal prep, and once more after the dependency and the channel drained */
export function prepWithRetry(ctx: AsyncTxContext, submit: AsyncSubmitCtl, chan: DmaChan,
  prep: () => DmaAsyncTxDescriptor | null): DmaAsyncTxDescriptor | null {
  const tx = prep();
  if (tx) return tx;
  const holder = { value: submit.dependTx };
  asyncTxQuiesce(ctx, holder);
  setDependTx(submit, null);
  ctx.engine.dmaSyncWait(chan, chan.cookie);
  return prep();
}

function xorAligned(ctx: AsyncTxContext, chan: DmaChan, dest: Uint8Array, offset: number, a: XorArgs): boolean {
  const dev = chan.device!;
  if (!isDmaXorAligned(dev, byteOffsetOf(dest) + offset, 0, a.n)) return false;
  return a.srcs.every((s, i) => s === null || isDmaXorAligned(dev, byteOffsetOf(s) + a.offs[i]!, 0, a.n));
}

function softXorAll(dest: Uint8Array, offset: number, a: XorArgs): void {
  let srcs = a.srcs;
  let offs = a.offs;
  if (a.submit.flags & AsyncTxFlags.XOR_DROP_DST) {
    srcs = srcs.slice(1);
    offs = offs.slice(1);
  }
  softXor(dest, offset, srcs, offs, a.n, (a.submit.flags & AsyncTxFlags.XOR_ZERO_DST) !== 0);
}

/** `do_async_xor`: the pieces, each fenced on the one before. */
function doAsyncXor(ctx: AsyncTxContext, chan: DmaChan, dest: Uint8Array, offset: number, a: XorArgs,
  addrs: DmaAddr[], live: { buf: Uint8Array; off: number }[]): DmaAsyncTxDescriptor | null {
  const dev = chan.device!;
  const max = dev.maxXor!;
  const { submit } = a;
  const flagsOrig = submit.flags;
  const cbOrig = submit.cbFn;
  const paramOrig = submit.cbParam;
  const dst = dmaAddr(dest, offset);
  let dmaFlags = 0;
  let at = 0; // next new source
  let tx: DmaAsyncTxDescriptor | null = null;
  while (at < addrs.length) {
    const first = at === 0;
    const room = first ? max : max - 1;
    const take = Math.min(addrs.length - at, room);
    const last = at + take >= addrs.length;
    submit.flags = flagsOrig;
    if (!last) {
      submit.flags = (submit.flags & ~(AsyncTxFlags.ACK | AsyncTxFlags.DELAY_SUBMIT)) | AsyncTxFlags.FENCE;
      submit.cbFn = null;
      submit.cbParam = null;
    } else {
      submit.cbFn = cbOrig;
      submit.cbParam = paramOrig;
    }
    if (submit.cbFn) dmaFlags |= DmaCtrlFlags.PREP_INTERRUPT;
    if (submit.flags & AsyncTxFlags.FENCE) dmaFlags |= DmaCtrlFlags.PREP_FENCE;
    const batch = first ? addrs.slice(at, at + take) : [dst, ...addrs.slice(at, at + take)];
    const f = dmaFlags;
    tx = prepWithRetry(ctx, submit, chan, () => dev.devicePrepDmaXor!(chan, dst, batch, batch.length, a.n, f));
    if (tx === null) {
      // the channel refused twice: finish in software after what was submitted
      submit.flags = flagsOrig;
      submit.cbFn = cbOrig;
      submit.cbParam = paramOrig;
      const rest = live.slice(at);
      const recheck = (): void => recheckXor(dest, offset, a);
      if (first) return runSync(ctx, submit, () => softXorAll(dest, offset, a), true, recheck);
      return runSync(ctx, submit, () => softXor(dest, offset, rest.map((r) => r.buf), rest.map((r) => r.off), a.n, false), true,
        recheck);
    }
    asyncTxSubmit(ctx, tx, submit);
    setDependTx(submit, tx);
    at += take;
  }
  submit.flags = flagsOrig;
  return tx;
}

/**
 * `async_xor_offs(dest, offset, src_list, src_offs, src_cnt, len, submit)`: dest = ⊕ sources
 * (XOR_ZERO_DST) or dest ^= ⊕ sources[1..] (XOR_DROP_DST, `srcList[0]` is dest). Null sources
 * are skipped. Honours ACK, FENCE, XOR_ZERO_DST, XOR_DROP_DST, DELAY_SUBMIT.
 * @param srcOffs each source's offset, or null for `offset`
 * @returns the (last) descriptor, or null when done on the software path
 */
export function asyncXorOffs(ctx: AsyncTxContext, dest: Uint8Array, offset: number, srcList: (Uint8Array | null)[],
  srcOffs: number[] | null, srcCnt: number, len: number, submitArg?: AsyncSubmitCtl | null): DmaAsyncTxDescriptor | null {
  if (xorInline(ctx, dest, offset, srcList, srcOffs, srcCnt, len, submitArg)) return null;
  const a = checkXorArgs(ctx, 'asyncXorOffs', dest, offset, srcList, srcOffs, srcCnt, len, submitArg, true);
  const chan = asyncTxFindChannel(ctx, a.submit, DmaCap.XOR);
  if (chan && chan.device?.devicePrepDmaXor && (chan.device.maxXor ?? 0) >= 2) {
    // Only a channel needs the live-source list: the software path skips null sources itself.
    const live: { buf: Uint8Array; off: number }[] = [];
    a.srcs.forEach((s, i) => { if (s !== null) live.push({ buf: s, off: a.offs[i]! }); });
    if (live.length > 0 && xorAligned(ctx, chan, dest, offset, a)) {
      return doAsyncXor(ctx, chan, dest, offset, a, live.map((l) => dmaAddr(l.buf, l.off)), live);
    }
  }
  return runSync(ctx, a.submit, () => softXorAll(dest, offset, a), true, () => recheckXor(dest, offset, a));
}

/**
 * `async_xor(dest, src_list, offset, src_cnt, len, submit)` = asyncXorOffs with every source
 * at `offset`.
 */
export function asyncXor(ctx: AsyncTxContext, dest: Uint8Array, srcList: (Uint8Array | null)[], offset: number, srcCnt: number,
  len: number, submitArg?: AsyncSubmitCtl | null): DmaAsyncTxDescriptor | null {
  return asyncXorOffs(ctx, dest, offset, srcList, null, srcCnt, len, submitArg);
}

/**
 * `async_xor_val_offs(dest, offset, src_list, src_offs, src_cnt, len, result, submit)`:
 * whether ⊕ sources is zero (`srcList[0]` is dest). `result.value` becomes 0 or
 * SumCheckFlags.P_RESULT at completion. Honours ACK, FENCE, DELAY_SUBMIT.
 */
export function asyncXorValOffs(ctx: AsyncTxContext, dest: Uint8Array, offset: number, srcList: Uint8Array[], srcOffs: number[] | null,
  srcCnt: number, len: number, result: Holder<number>, submitArg?: AsyncSubmitCtl | null): DmaAsyncTxDescriptor | null {
  if (!inlineCandidate(ctx, DmaCap.XOR_VAL)) {
    const a = checkXorArgs(ctx, 'asyncXorValOffs', dest, offset, srcList, srcOffs, srcCnt, len, submitArg, false);
    return xorVal(ctx, dest, offset, a, checkHolder(result, 'result'));
  }
  // The inline path (lib/async_tx/inline.ts): the sources read once into a copy, their checks
  // left to the kernel binding; `full` words a refusal in the general path's order.
  assertNotInCallback(ctx, 'asyncXorValOffs');
  const n = checkLen(len);
  checkPage(dest, 'dest', offset, 'offset', n);
  const list = checkPageArray(srcList, 'srcList');
  const cnt = checkInt(srcCnt, 'srcCnt', 2, Math.max(2, list.length));
  if (cnt > list.length) throw invalidRange('srcCnt', `at most srcList.length (${list.length})`, cnt);
  const so = checkOffsArray(srcOffs, 'srcOffs', cnt);
  const srcs = list.slice(0, cnt);
  const full = (): (Uint8Array | null)[] => {
    recheckPage(dest, 'dest', offset, 'offset', n); // the submit block's getters ran since
    return checkPages(srcs, 'srcList', cnt, so, so ? 'srcOffs' : 'offset', offset, n, () => false);
  };
  let submit: CheckedSubmit;
  let res: Holder<number>;
  try {
    submit = checkSubmit(submitArg);
    const s0: unknown = srcs[0];
    const o0 = so ? so[0] : offset;
    if (!isRealUint8Array(s0) || bufferOf(s0) !== bufferOf(dest) || byteOffsetOf(s0) + (o0 as number) !== byteOffsetOf(dest) + offset) {
      full();
      throw invalidRange('srcList[0]', 'the destination (same memory as "dest" at "offset")', s0);
    }
    checkDepend(ctx, submit, 'asyncXorValOffs');
    res = checkHolder(result, 'result');
  } catch (e) {
    full();
    throw e;
  }
  // xor_val takes no null source; the xor binding would skip one
  for (let i = 1; i < cnt; i++) if (srcs[i] === null || srcs[i] === undefined) full();
  if (submit.dependTx !== null || n === 0 || cnt - 1 > MAX_XOR_SOURCES) {
    const checked = full();
    const a: XorArgs = { srcs: checked, offs: checked.map((_, i) => (so ? so[i]! : offset)), perPage: so !== null, submit, n };
    return xorVal(ctx, dest, offset, a, res);
  }
  return inlineRun(ctx, submit, () => {
    // the kernel's software xor_val: the XOR into srcList[0] (= dest), then tested for zero
    if (!kernelXorList(dest, offset, srcs.slice(1), cnt - 1, so ? so.slice(1) : null, offset, n, false)) full();
    res.value = softIsZero(dest, offset, n) ? 0 : SumCheckFlags.P_RESULT;
  }, full);
}

/** asyncXorValOffs once every argument was checked. */
function xorVal(ctx: AsyncTxContext, dest: Uint8Array, offset: number, a: XorArgs, res: Holder<number>): DmaAsyncTxDescriptor | null {
  const { submit } = a;
  const chan = asyncTxFindChannel(ctx, submit, DmaCap.XOR_VAL);
  const dev = chan?.device;
  if (chan && dev?.devicePrepDmaXorVal && a.srcs.length <= (dev.maxXor ?? 0) && xorAligned(ctx, chan, dest, offset, a)) {
    const addrs = a.srcs.map((s, i) => dmaAddr(s!, a.offs[i]!));
    let f = 0;
    if (submit.cbFn) f |= DmaCtrlFlags.PREP_INTERRUPT;
    if (submit.flags & AsyncTxFlags.FENCE) f |= DmaCtrlFlags.PREP_FENCE;
    const tx = prepWithRetry(ctx, submit, chan, () => dev.devicePrepDmaXorVal!(chan, addrs, addrs.length, a.n, res, f));
    if (tx) {
      asyncTxSubmit(ctx, tx, submit);
      return tx;
    }
  }
  return runSync(ctx, submit, () => {
    softXor(dest, offset, a.srcs.slice(1), a.offs.slice(1), a.n, false);
    res.value = softIsZero(dest, offset, a.n) ? 0 : SumCheckFlags.P_RESULT;
  }, true, () => recheckXor(dest, offset, a));
}

/** `async_xor_val(dest, src_list, offset, src_cnt, len, result, submit)` = asyncXorValOffs at `offset`. */
export function asyncXorVal(ctx: AsyncTxContext, dest: Uint8Array, srcList: Uint8Array[], offset: number, srcCnt: number, len: number,
  result: Holder<number>, submitArg?: AsyncSubmitCtl | null): DmaAsyncTxDescriptor | null {
  return asyncXorValOffs(ctx, dest, offset, srcList, null, srcCnt, len, result, submitArg);
}
