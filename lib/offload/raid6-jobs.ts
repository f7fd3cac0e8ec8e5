/**
 * RAID-6 operations of the Promise API as {@link Job}s: generate P/Q, check P/Q, recover up to
 * two lost blocks through the right path.
 *
 * Layout: `data` blocks D0..Dn-1, then P (= ⊕ Di) and Q (= ⊕ g^i·Di, g = 2 in GF(2^8) with
 * polynomial 0x11d), every block the same length; 2..251 data blocks (the soft engine's P+Q
 * validate takes 253 blocks in all).
 *
 * Recovery (`blocks` = [...data, P, Q], `failed` = one or two indices): the lost blocks are
 * rewritten from the survivors, the others are only read.
 *   - one data block: XOR of P and the other data;
 *   - P, Q, or both: generated again from the data (only the lost ones are written);
 *   - two data blocks: async_raid6_2data_recov;
 *   - a data block and P: async_raid6_datap_recov;
 *   - a data block and Q: the data block from P (XOR), then Q generated again.
 *
 * Threading: JavaScript thread only.
 */
import { AsyncTxFlags } from '../async_tx/flags';
import { DmaCap } from '../dmaengine/caps';
import { SumCheckFlags } from '../dmaengine/status';
import { native } from '../native';
import { checkInt, invalidRange, invalidType } from '../validate';
import { byteLengthOf } from '../views';
import { checkSameLength, toBlockList, toBytes } from './args';
import type { Job, Step } from './job';

/** Fewest and most data blocks of a RAID-6 operation. */
export const RAID6_MIN_DATA = 2;
export const RAID6_MAX_DATA = 251;

interface Stripe {
  data: Uint8Array[];
  len: number;
}

function stripe(dataArg: unknown): Stripe {
  const data = toBlockList(dataArg, 'data', RAID6_MIN_DATA, RAID6_MAX_DATA);
  const len = byteLengthOf(data[0]!);
  data.forEach((d, i) => { if (i > 0) checkSameLength(d, `data[${i}]`, len, 'data[0]'); });
  return { data, len };
}

function parityArg(v: unknown, name: string, len: number, nullable: boolean): Uint8Array | null {
  if (v === null && nullable) return null;
  const b = toBytes(v, name);
  checkSameLength(b, name, len, 'data[0]');
  return b;
}

const gen = (blocks: (Uint8Array | null)[], len: number): Step =>
  (api, s) => api.asyncGenSyndrome(blocks, null, blocks.length, len, s(0));

/** @internal P and/or Q from the data */
export function generateJob(dataArg: unknown, pArg: unknown, qArg: unknown): Job<void> {
  const { data, len } = stripe(dataArg);
  const p = parityArg(pArg, 'p', len, true);
  const q = parityArg(qArg, 'q', len, true);
  if (p === null && q === null) throw new TypeError('Expected an ArrayBufferView for "p" or "q" but received null for both');
  const blocks = [...data, p, q];
  return {
    op: 'raid6.generate',
    bytes: (data.length + (p ? 1 : 0) + (q ? 1 : 0)) * len,
    steps: [gen(blocks, len)],
    operands: blocks.filter((b): b is Uint8Array => b !== null),
    caps: [DmaCap.PQ],
    result: () => undefined,
  };
}

/** @internal whether P and Q match the data; writes nothing */
export function checkJob(dataArg: unknown, pArg: unknown, qArg: unknown): Job<{ p: boolean; q: boolean }> {
  const { data, len } = stripe(dataArg);
  const p = parityArg(pArg, 'p', len, false)!;
  const q = parityArg(qArg, 'q', len, false)!;
  const blocks = [...data, p, q];
  const res = { value: -1 };
  return {
    op: 'raid6.check',
    bytes: blocks.length * len,
    // a channel's P+Q validate only reads; the software path would need a spare page: the
    // native check inline writes nothing
    steps: [(api, s) => api.asyncSyndromeVal(blocks, null, blocks.length, len, res, null, 0, s(0))],
    operands: blocks,
    caps: [DmaCap.PQ_VAL],
    inline: () => { res.value = len === 0 ? 0 : native().kernelPqCheck(blocks, blocks.map(() => 0), len); },
    result: () => ({ p: (res.value & SumCheckFlags.P_RESULT) === 0, q: (res.value & SumCheckFlags.Q_RESULT) === 0 }),
  };
}

function checkFailed(v: unknown, disks: number): number[] {
  if (!Array.isArray(v)) throw invalidType('an Array of block indices', 'failed', v);
  if (v.length < 1 || v.length > 2) throw invalidRange('failed.length', '1 or 2', v.length);
  const f = v.map((x, i) => checkInt(x, `failed[${i}]`, 0, disks - 1));
  if (f.length === 2 && f[0] === f[1]) throw invalidRange('failed[1]', `different from failed[0] (${f[0]})`, f[1]);
  return f.sort((a, b) => a - b);
}

/** @internal rebuild the blocks named by `failed` in [...data, P, Q] */
export function recoverJob(blocksArg: unknown, failedArg: unknown): Job<void> {
  const blocks = toBlockList(blocksArg, 'blocks', RAID6_MIN_DATA + 2, RAID6_MAX_DATA + 2);
  const len = byteLengthOf(blocks[0]!);
  blocks.forEach((b, i) => { if (i > 0) checkSameLength(b, `blocks[${i}]`, len, 'blocks[0]'); });
  const disks = blocks.length;
  const P = disks - 2;
  const Q = disks - 1;
  const [a, b] = checkFailed(failedArg, disks);
  const data = blocks.slice(0, P);
  const fromP = (i: number): Step => {
    const srcs = [...data.filter((_, k) => k !== i), blocks[P]!];
    return (api, s) => api.asyncXor(blocks[i]!, srcs, 0, srcs.length, len, s(AsyncTxFlags.XOR_ZERO_DST));
  };
  const only = (keepP: boolean, keepQ: boolean): (Uint8Array | null)[] =>
    [...data, keepP ? blocks[P]! : null, keepQ ? blocks[Q]! : null];
  let steps: Step[];
  // what async_tx's recovery paths ask a channel for (lib/async_tx/raid6-recov.ts)
  let caps: DmaCap[];
  if (b === undefined) {
    if (a === P) steps = [gen(only(true, false), len)];
    else if (a === Q) steps = [gen(only(false, true), len)];
    else steps = [fromP(a!)];
    caps = a === P || a === Q ? [DmaCap.PQ] : [DmaCap.XOR];
  } else if (a === P) { // and b === Q
    steps = [gen(blocks, len)];
    caps = [DmaCap.PQ];
  } else if (b === P) {
    steps = [(api, s) => api.asyncRaid6DatapRecov(disks, len, a!, blocks, null, s(0))];
    caps = [DmaCap.PQ, DmaCap.XOR, DmaCap.MEMCPY];
  } else if (b === Q) {
    steps = [fromP(a!), gen(only(false, true), len)];
    caps = [DmaCap.XOR, DmaCap.PQ];
  } else {
    steps = [(api, s) => api.asyncRaid6_2dataRecov(disks, len, a!, b, blocks, null, s(0))];
    caps = [DmaCap.PQ, DmaCap.XOR, DmaCap.MEMCPY];
  }
  return { op: 'raid6.recover', bytes: disks * len, steps, operands: blocks, caps, result: () => undefined };
}
