/**
 * The plain operations of the Promise API as {@link Job}s: copy, fill, xor, xorCheck. Each
 * builder checks its arguments (synchronously, TypeError/RangeError naming them) and returns
 * the job; nothing runs here.
 *
 * Threading: JavaScript thread only.
 */
import { AsyncTxFlags } from '../async_tx/flags';
import { DmaCap } from '../dmaengine/caps';
import { SumCheckFlags } from '../dmaengine/status';
import { native } from '../native';
import { checkInt, invalidRange } from '../validate';
import { bufferOf, byteLengthOf, byteOffsetOf } from '../views';
import { checkSameLength, toBlockList, toBytes } from './args';
import type { Job } from './job';

/** Most sources of one XOR (the soft engine's and the native kernel's limit). */
export const MAX_XOR_SOURCES = 255;

const sameMemory = (a: Uint8Array, b: Uint8Array): boolean =>
  bufferOf(a) === bufferOf(b) && byteOffsetOf(a) === byteOffsetOf(b) && byteLengthOf(a) !== 0;

/** @internal dst[0, src.byteLength) = src */
export function copyJob(dstArg: unknown, srcArg: unknown): Job<void> {
  const dst = toBytes(dstArg, 'dst');
  const src = toBytes(srcArg, 'src');
  const len = byteLengthOf(src);
  if (byteLengthOf(dst) < len) throw invalidRange('dst.byteLength', `at least src.byteLength (${len})`, byteLengthOf(dst));
  return {
    op: 'copy',
    bytes: 2 * len,
    steps: [(api, s) => api.asyncMemcpy(dst, src, 0, 0, len, s(0))],
    operands: [dst, src],
    caps: [DmaCap.MEMCPY],
    result: () => undefined,
  };
}

/** @internal every byte of dst = value */
export function fillJob(dstArg: unknown, valueArg: unknown): Job<void> {
  const dst = toBytes(dstArg, 'dst');
  const value = checkInt(valueArg, 'value', 0, 255);
  const len = byteLengthOf(dst);
  return {
    op: 'fill',
    bytes: len,
    steps: [(api, s) => api.asyncMemset(dst, value, 0, len, s(0))],
    operands: [dst],
    caps: [DmaCap.MEMSET],
    result: () => undefined,
  };
}

/** @internal parity = ⊕ srcs */
export function xorJob(parityArg: unknown, srcsArg: unknown): Job<void> {
  const parity = toBytes(parityArg, 'parity');
  const srcs = toBlockList(srcsArg, 'srcs', 1, MAX_XOR_SOURCES);
  const len = byteLengthOf(parity);
  srcs.forEach((s, i) => {
    checkSameLength(s, `srcs[${i}]`, len, 'parity');
    // ZERO_DST clears the destination first: a source that is the destination would read zeros
    if (sameMemory(s, parity)) throw invalidRange(`srcs[${i}]`, 'other memory than "parity"', s);
  });
  return {
    op: 'xor',
    bytes: (srcs.length + 1) * len,
    steps: [(api, s) => api.asyncXor(parity, srcs, 0, srcs.length, len, s(AsyncTxFlags.XOR_ZERO_DST))],
    operands: [parity, ...srcs],
    caps: [DmaCap.XOR],
    result: () => undefined,
  };
}

/** @internal whether ⊕ blocks is all zero; writes nothing */
export function xorCheckJob(blocksArg: unknown): Job<boolean> {
  const blocks = toBlockList(blocksArg, 'blocks', 2, MAX_XOR_SOURCES);
  const len = byteLengthOf(blocks[0]!);
  blocks.forEach((b, i) => { if (i > 0) checkSameLength(b, `blocks[${i}]`, len, 'blocks[0]'); });
  const res = { value: -1 };
  return {
    op: 'xorCheck',
    bytes: blocks.length * len,
    // On a channel, XOR-validate only reads (the soft engine's xor_val); async_tx's software
    // path would leave the XOR in blocks[0] (the kernel's), hence the native check inline.
    steps: [(api, s) => api.asyncXorVal(blocks[0]!, blocks, 0, blocks.length, len, res, s(0))],
    operands: blocks,
    caps: [DmaCap.XOR_VAL],
    inline: () => {
      res.value = len === 0 || native().kernelXorIsZero(blocks, blocks.map(() => 0), len) ? 0 : SumCheckFlags.P_RESULT;
    },
    result: () => res.value === 0,
  };
}
