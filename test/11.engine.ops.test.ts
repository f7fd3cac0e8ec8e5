// Every operation of the software engine, byte-correct against a reference inside the test
// (byte loops and a table-free GF(2^8) multiply), with fixed seeds, odd lengths and offsets.
import assert from 'node:assert/strict';
import { SoftEngine, DmaTransResult, SumCheckFlags, type EngineOp } from '../lib/engine';
import { collect } from './helpers/engine-wait';
import { refPq, seeded } from './helpers/gf-reference';

describe('SoftEngine operations (byte-correct)', () => {
  let eng: SoftEngine;
  let c: ReturnType<typeof collect>;
  const rand = seeded(0x5eed);
  beforeEach(() => { eng = new SoftEngine({ channels: 2, spinMicros: 10 }); c = collect(eng); });
  afterEach(() => eng.close());

  // Submits ops on channel 0, rings once, returns their completions.
  async function run(...ops: EngineOp[]) {
    const start = c.all.length;
    const cookies = ops.map((op) => eng.submit(0, op));
    eng.issuePending(0);
    const all = (await c.until(start + ops.length)).slice(start);
    assert.deepEqual(all.map((x) => x.cookie), cookies);
    for (const x of all) assert.equal(x.result, DmaTransResult.NOERROR);
    return all;
  }

  it('memcpy with offsets copies exactly the range', async () => {
    const src = rand(10007);
    const dst = new Uint8Array(10007).fill(0xee);
    await run({ op: 'memcpy', dst, dstOffset: 3, src, srcOffset: 5, len: 9001 });
    assert.deepEqual(dst.subarray(3, 9004), src.subarray(5, 9006));
    assert.equal(dst[2], 0xee);
    assert.equal(dst[9004], 0xee);
  });

  it('memset fills exactly the range', async () => {
    const dst = new Uint8Array(5000).fill(1);
    await run({ op: 'memset', dst, dstOffset: 7, value: 0xa5, len: 4000 });
    assert.ok(dst.subarray(7, 4007).every((b) => b === 0xa5));
    assert.equal(dst[6], 1);
    assert.equal(dst[4007], 1);
  });

  it('xor accumulates into dst, and replaces it with zeroDst; null sources are skipped', async () => {
    const len = 3001;
    const srcs = [rand(len + 1), null, rand(len + 1), rand(len + 1)];
    const dst1 = rand(len + 1);
    const dst2 = rand(len + 1);
    const ref1 = Uint8Array.from(dst1);
    const ref2 = new Uint8Array(len + 1);
    ref2[0] = dst2[0]!;
    for (let j = 1; j <= len; j++) {
      let x = 0;
      for (const s of srcs) if (s) x ^= s[j]!;
      ref1[j]! ^= x;
      ref2[j] = x;
    }
    await run({ op: 'xor', dst: dst1, srcs, offset: 1, len },
      { op: 'xor', dst: dst2, srcs, offset: 1, len, zeroDst: true });
    assert.deepEqual(dst1, ref1);
    assert.deepEqual(dst2, ref2);
  });

  it('xor_val reports P_RESULT only when the sum is not zero', async () => {
    const a = rand(999);
    const b = rand(999);
    const p = a.map((x, i) => x ^ b[i]!);
    const all = await run({ op: 'xor_val', srcs: [a, b, p], len: 999 });
    p[998]! ^= 0x10;
    all.push(...await run({ op: 'xor_val', srcs: [a, b, p], len: 999 }));
    assert.equal(all[0]!.valResult, 0);
    assert.equal(all[1]!.valResult, SumCheckFlags.P_RESULT);
  });

  it('pq generates P and Q by slot index, with null data slots and P or Q omitted', async () => {
    const len = 4099;
    const data = [rand(len), null, rand(len), rand(len), rand(len)];
    const ref = refPq(data, len);
    const P = new Uint8Array(len);
    const Q = new Uint8Array(len);
    const Qonly = new Uint8Array(len);
    await run({ op: 'pq', blocks: [...data, P, Q], len },
      { op: 'pq', blocks: [...data, null, Qonly], len });
    assert.deepEqual(P, ref.p);
    assert.deepEqual(Q, ref.q);
    assert.deepEqual(Qonly, ref.q);
  });

  it('pq with xorDst updates P and Q by the contribution of slots start..stop', async () => {
    const len = 1000;
    const data = [rand(len), rand(len), rand(len), rand(len)];
    const base = refPq(data, len);
    const P = Uint8Array.from(base.p);
    const Q = Uint8Array.from(base.q);
    // Remove slots 1..2's contribution: P/Q become those of the data without them.
    await run({ op: 'pq', blocks: [...data, P, Q], len, xorDst: { start: 1, stop: 2 } });
    const ref = refPq([data[0]!, null, null, data[3]!], len);
    assert.deepEqual(P, ref.p);
    assert.deepEqual(Q, ref.q);
  });

  it('pq_val reports P and Q mismatches as result bits', async () => {
    const len = 777;
    const data = [rand(len), rand(len), rand(len)];
    const { p, q } = refPq(data, len);
    await run({ op: 'pq_val', blocks: [...data, p, q], len });
    q[5]! ^= 1;
    await run({ op: 'pq_val', blocks: [...data, p, q], len });
    p[700]! ^= 1;
    await run({ op: 'pq_val', blocks: [...data, p, q], len });
    await run({ op: 'pq_val', blocks: [...data, p, null], len });
    assert.deepEqual(c.all.map((x) => x.valResult), [0, SumCheckFlags.Q_RESULT, SumCheckFlags.P_RESULT | SumCheckFlags.Q_RESULT, SumCheckFlags.P_RESULT]);
  });

  it('recov_2data rebuilds two lost data blocks', async () => {
    const len = 2048 + 3;
    const data = [rand(len), rand(len), rand(len), rand(len), rand(len)];
    const { p, q } = refPq(data, len);
    const lost = [Uint8Array.from(data[1]!), Uint8Array.from(data[3]!)];
    data[1]!.fill(0);
    data[3]!.fill(0xff);
    await run({ op: 'recov_2data', blocks: [...data, p, q], len, faila: 1, failb: 3 });
    assert.deepEqual(data[1], lost[0]);
    assert.deepEqual(data[3], lost[1]);
  });

  it('recov_datap rebuilds a lost data block and P', async () => {
    const len = 513;
    const data = [rand(len), rand(len), rand(len), rand(len)];
    const { p, q } = refPq(data, len);
    const lost = Uint8Array.from(data[2]!);
    data[2]!.fill(0);
    const P = new Uint8Array(len);
    await run({ op: 'recov_datap', blocks: [...data, P, q], len, faila: 2 });
    assert.deepEqual(data[2], lost);
    assert.deepEqual(P, p);
  });

  it('interrupt completes in order and touches nothing', async () => {
    const dst = new Uint8Array(16);
    const all = await run({ op: 'memset', dst, value: 9, len: 16 }, { op: 'interrupt' }, { op: 'interrupt', fence: true });
    assert.equal(all.length, 3);
    assert.ok(dst.every((b) => b === 9));
  });
});
