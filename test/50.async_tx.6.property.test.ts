import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AsyncTx } from '../lib/async_tx/api';
import { AsyncTxFlags, initAsyncSubmit } from '../lib/async_tx/flags';
import type { DmaAsyncTxDescriptor } from '../lib/dmaengine/descriptor';
import { pathSetups, settle } from './helpers/async-providers';

const NBUF = 6;
const LEN = 48;
const MAXOFF = 8;

type Op =
  | { k: 'memcpy'; d: number; s: number; dOff: number; sOff: number; len: number }
  | { k: 'memset'; d: number; val: number; off: number; len: number }
  | { k: 'xorZero'; d: number; srcs: number[]; offs: number[]; dOff: number; len: number }
  | { k: 'xorDrop'; d: number; srcs: number[]; off: number; len: number }
  | { k: 'xorVal'; d: number; srcs: number[]; off: number; len: number }
  | { k: 'pq'; data: (number | null)[]; p: number | null; q: number; len: number }
  | { k: 'pqVal'; data: number[]; p: number; q: number; len: number };

const len = fc.integer({ min: 1, max: LEN - MAXOFF });
const off = fc.integer({ min: 0, max: MAXOFF });
/** `n` distinct buffer indexes */
const distinct = (n: number) => fc.shuffledSubarray([...Array(NBUF).keys()], { minLength: n, maxLength: n });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(distinct(2), off, off, len).map(([[d, s], dOff, sOff, l]) => ({ k: 'memcpy', d: d!, s: s!, dOff, sOff, len: l }) as Op),
  fc.tuple(fc.integer({ min: 0, max: NBUF - 1 }), fc.integer({ min: 0, max: 255 }), off, len).map(([d, val, o, l]) => ({ k: 'memset', d, val, off: o, len: l }) as Op),
  fc.integer({ min: 3, max: NBUF }).chain((n) => fc.tuple(distinct(n), fc.array(off, { minLength: n, maxLength: n }), off, len))
    .map(([ix, offs, dOff, l]) => ({ k: 'xorZero', d: ix[0]!, srcs: ix.slice(1), offs: offs.slice(1), dOff, len: l }) as Op),
  fc.integer({ min: 2, max: NBUF }).chain((n) => fc.tuple(distinct(n), off, len))
    .map(([ix, o, l]) => ({ k: 'xorDrop', d: ix[0]!, srcs: ix.slice(1), off: o, len: l }) as Op),
  fc.integer({ min: 2, max: NBUF }).chain((n) => fc.tuple(distinct(n), off, len))
    .map(([ix, o, l]) => ({ k: 'xorVal', d: ix[0]!, srcs: ix.slice(1), off: o, len: l }) as Op),
  fc.integer({ min: 4, max: NBUF }).chain((n) => fc.tuple(distinct(n), fc.boolean(), fc.boolean(), len))
    .map(([ix, nullSlot, noP, l]) => ({
      k: 'pq', data: ix.slice(0, -2).map((v, i) => (nullSlot && i === 0 ? null : v)), p: noP ? null : ix.at(-2)!, q: ix.at(-1)!, len: l,
    }) as Op),
  fc.integer({ min: 4, max: NBUF }).chain((n) => fc.tuple(distinct(n), len))
    .map(([ix, l]) => ({ k: 'pqVal', data: ix.slice(0, -2), p: ix.at(-2)!, q: ix.at(-1)!, len: l }) as Op),
);

/** Run the chain on `api`; every op depends on the one before. Returns the buffers and results. */
async function runChain(api: AsyncTx, init: Uint8Array[], ops: Op[], delayLast: boolean): Promise<{ bufs: Uint8Array[]; results: number[] }> {
  const bufs = init.map((b) => Uint8Array.from(b));
  const results: { value: number }[] = [];
  const scribble: unknown[] = [];
  let tx: DmaAsyncTxDescriptor | null = null;
  let k = 0;
  for (const op of ops) {
    // the last op held with DELAY_SUBMIT, then released by asyncTriggerCallback (the RFC's way)
    const hold = delayLast && ++k === ops.length && (op.k === 'memcpy' || op.k === 'memset' || op.k === 'pq');
    const sub = (flags = 0) => initAsyncSubmit(flags | (hold ? AsyncTxFlags.DELAY_SUBMIT : 0), tx, null, null, scribble);
    switch (op.k) {
      case 'memcpy': tx = api.asyncMemcpy(bufs[op.d]!, bufs[op.s]!, op.dOff, op.sOff, op.len, sub()); break;
      case 'memset': tx = api.asyncMemset(bufs[op.d]!, op.val, op.off, op.len, sub()); break;
      case 'xorZero':
        tx = api.asyncXorOffs(bufs[op.d]!, op.dOff, op.srcs.map((i) => bufs[i]!), op.offs, op.srcs.length, op.len, sub(AsyncTxFlags.XOR_ZERO_DST));
        break;
      case 'xorDrop': {
        const srcs = [op.d, ...op.srcs].map((i) => bufs[i]!);
        tx = api.asyncXor(bufs[op.d]!, srcs, op.off, srcs.length, op.len, sub(AsyncTxFlags.XOR_DROP_DST));
        break;
      }
      case 'xorVal': {
        // the software path leaves dest = XOR (as the kernel's): save and restore it in the chain
        const save = new Uint8Array(LEN);
        const d = bufs[op.d]!;
        tx = api.asyncMemcpy(save, d, 0, 0, LEN, sub());
        const r = { value: -1 };
        results.push(r);
        const srcs = [op.d, ...op.srcs].map((i) => bufs[i]!);
        tx = api.asyncXorVal(d, srcs, op.off, srcs.length, op.len, r, sub());
        tx = api.asyncMemcpy(d, save, 0, 0, LEN, sub());
        break;
      }
      case 'pq': {
        const blocks = [...op.data.map((i) => (i === null ? null : bufs[i]!)), op.p === null ? null : bufs[op.p]!, bufs[op.q]!];
        tx = api.asyncGenSyndrome(blocks, null, blocks.length, op.len, sub());
        break;
      }
      case 'pqVal': {
        const blocks = [...op.data.map((i) => bufs[i]!), bufs[op.p]!, bufs[op.q]!];
        const r = { value: -1 };
        results.push(r);
        tx = api.asyncSyndromeVal(blocks, null, blocks.length, op.len, r, new Uint8Array(LEN), 0, sub());
        break;
      }
    }
  }
  let fired = 0;
  if (delayLast) tx = api.asyncTriggerCallback(initAsyncSubmit(0, tx, () => fired++));
  await settle(api, tx);
  for (let i = 0; i < 3 && delayLast && fired === 0; i++) await new Promise((r) => setImmediate(r));
  if (delayLast) assert.equal(fired, 1, 'the trigger callback ran once');
  return { bufs, results: results.map((r) => r.value) };
}

describe('async_tx property: random chains give the same bytes and results on every path', () => {
  it('software path = one channel = several channels (fast-check, fixed seed)', async function () {
    this.timeout(120000);
    const setups = pathSetups();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: LEN, maxLength: LEN }), { minLength: NBUF, maxLength: NBUF }),
        fc.array(opArb, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (init, ops, delayLast) => {
          const outs = [];
          for (const s of setups) outs.push({ label: s.label, ...(await runChain(s.make().api, init, ops, delayLast)) });
          const ref = outs[0]!;
          assert.ok(ref.results.every((r) => r >= 0 && r <= 3), 'every result written');
          for (const o of outs.slice(1)) {
            assert.deepEqual(o.results, ref.results, `results: ${o.label} vs ${ref.label}`);
            o.bufs.forEach((b, i) => assert.ok(Buffer.from(b).equals(Buffer.from(ref.bufs[i]!)), `buffer ${i}: ${o.label} vs ${ref.label}`));
          }
        },
      ),
      { seed: 0x5eed, numRuns: 80 },
    );
  });
});
