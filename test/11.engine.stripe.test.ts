// Striping (docs/engine.md, "Striping"): a descriptor cut into byte ranges run by several
// threads gives the bytes and result bits of the same descriptor run whole (an engine with
// striping off is the reference), for every op, lengths around the threshold and odd offsets;
// completions stay exactly once and in cookie order through terminate and injected failures.
import assert from 'node:assert/strict';
import { SoftEngine, DmaTransResult, type EngineOp } from '../lib/engine';
import { collect } from './helpers/engine-wait';
import { seeded } from './helpers/gf-reference';

const STRIPE = 4096;  // bytes touched: most descriptors below are striped

describe('SoftEngine striping', () => {
  const rand = seeded(0x57e1);
  let striped: SoftEngine;
  let whole: SoftEngine;
  beforeEach(() => {
    striped = new SoftEngine({ channels: 1, spinMicros: 10, stripeBytes: STRIPE, stripeThreads: 3 });
    whole = new SoftEngine({ channels: 1, spinMicros: 10, stripeThreads: 0 });
  });
  afterEach(() => { striped.close(); whole.close(); });

  async function runOn(eng: SoftEngine, op: EngineOp) {
    const c = collect(eng);
    const cookie = eng.submit(0, op);
    eng.issuePending(0);
    const [done] = await c.until(1);
    assert.equal(done.cookie, cookie);
    assert.equal(done.result, DmaTransResult.NOERROR);
    return done.valResult;
  }

  // `make(blocks)` builds the op over 12 blocks; it runs on both engines over copies.
  async function same(len: number, what: string, make: (b: Uint8Array[], off: number) => EngineOp,
    spoil?: (b: Uint8Array[], off: number) => void) {
    const off = 1 + (len % 7);
    const a = Array.from({ length: 12 }, () => rand(len + off + 5));
    if (spoil) spoil(a, off);
    const b = a.map((x) => Uint8Array.from(x));
    const got = await runOn(striped, make(a, off));
    const want = await runOn(whole, make(b, off));
    assert.equal(got, want, `${what} len ${len}: result bits`);
    for (let i = 0; i < a.length; i++) assert.deepEqual(a[i], b[i], `${what} len ${len}: block ${i}`);
  }

  it('every op matches the op run whole, lengths around the threshold, odd offsets', async () => {
    const before = striped.stripeStats().striped;
    let expectStriped = 0;
    for (const len of [1, 300, 455, 456, 457, 4097, 9001, 65537, 200003]) {
      const d8 = (b: Uint8Array[]) => b.slice(0, 8);
      const ops: [string, (b: Uint8Array[], off: number) => EngineOp, ((b: Uint8Array[], off: number) => void)?][] = [
        ['memcpy', (b, off) => ({ op: 'memcpy', dst: b[0], dstOffset: off, src: b[1], srcOffset: off + 2, len })],
        ['memset', (b, off) => ({ op: 'memset', dst: b[2], dstOffset: off, value: 0x5a, len })],
        ['xor zeroDst', (b, off) => ({ op: 'xor', dst: b[9], srcs: d8(b), offset: off, len, zeroDst: true })],
        ['xor rmw, null slot, dst fed back', (b, off) => ({ op: 'xor', dst: b[9], srcs: [...d8(b).slice(0, 3), null, b[9]], offset: off, len })],
        ['xor_val mismatch in the last range', (b, off) => ({ op: 'xor_val', srcs: d8(b), offset: off, len }),
          (b, off) => { b[7].set(b[0].subarray(off, off + len), off); for (let i = 1; i < 7; i++) b[i].fill(0); b[3][off + len - 1] = 1; }],
        ['xor_val consistent', (b, off) => ({ op: 'xor_val', srcs: d8(b), offset: off, len }),
          (b, off) => { b[7].set(b[0].subarray(off, off + len), off); for (let i = 1; i < 7; i++) b[i].fill(0); }],
        ['pq', (b, off) => ({ op: 'pq', blocks: b.slice(0, 10), offset: off, len })],
        ['pq no P, null slot', (b, off) => ({ op: 'pq', blocks: [...d8(b).slice(0, 2), null, ...d8(b).slice(3), null, b[9]], offset: off, len })],
        ['pq xorDst', (b, off) => ({ op: 'pq', blocks: b.slice(0, 10), offset: off, len, xorDst: { start: 2, stop: 5 } })],
        ['pq_val', (b, off) => ({ op: 'pq_val', blocks: b.slice(0, 10), offset: off, len })],
        ['recov_2data', (b, off) => ({ op: 'recov_2data', blocks: b.slice(0, 10), offset: off, len, faila: 1, failb: 6 })],
        ['recov_datap', (b, off) => ({ op: 'recov_datap', blocks: b.slice(0, 10), offset: off, len, faila: 3 })],
        ['pq_coef accumulate', (b, off) => ({ op: 'pq_coef', srcs: d8(b), coefs: Uint8Array.of(3, 7, 1, 200, 9, 0, 55, 128), p: b[10], q: b[11], offset: off, len, accumulate: true })],
        ['pq_coef_val', (b, off) => ({ op: 'pq_coef_val', srcs: d8(b), coefs: Uint8Array.of(3, 7, 1, 200, 9, 0, 55, 128), p: null, q: b[11], offset: off, len })],
      ];
      for (const [what, make, spoil] of ops) {
        await same(len, what, make, spoil);
        const op = make(Array.from({ length: 12 }, () => new Uint8Array(len + 16)), 1);
        const blocks = op.op === 'memcpy' ? 2 : op.op === 'memset' ? 1 : op.op === 'xor' ? op.srcs.length + 1
          : op.op === 'xor_val' ? op.srcs.length : op.op === 'pq_coef' || op.op === 'pq_coef_val' ? op.srcs.length + 2
            : op.op === 'interrupt' ? 0 : op.blocks.length;
        // striped when it touches the threshold and has at least two ranges of half of it
        const minChunk = Math.ceil(STRIPE / 2 / blocks / 64) * 64;
        if (len * blocks >= STRIPE && len > Math.max(minChunk, 64)) expectStriped++;
      }
    }
    assert.equal(striped.stripeStats().striped - before, expectStriped);
    assert.equal(whole.stripeStats().striped, 0);
  });

  it('completes each striped descriptor once, in cookie order, through an injected failure and terminate', async () => {
    const c = collect(striped);
    const len = 256 * 1024;
    const src = new Uint8Array(len).fill(0x77);
    const dsts = Array.from({ length: 48 }, () => new Uint8Array(len));
    striped.injectError(0, 5, DmaTransResult.WRITE_FAILED);
    const cookies = dsts.map((dst) => striped.submit(0, { op: 'memcpy', dst, src, len }));
    striped.issuePending(0);
    await new Promise((r) => setImmediate(r));
    striped.terminate(0);
    const all = await c.until(dsts.length);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(c.all.length, dsts.length, 'exactly once');
    assert.deepEqual(all.map((x) => x.cookie), cookies);
    let aborted = false;
    all.forEach((x, i) => {
      if (x.result === DmaTransResult.ABORTED) aborted = true;
      const want = aborted ? DmaTransResult.ABORTED : i === 4 ? DmaTransResult.WRITE_FAILED : DmaTransResult.NOERROR;
      assert.equal(x.result, want, `descriptor ${i}`);
      const byte = want === DmaTransResult.NOERROR ? 0x77 : 0;
      assert.ok(dsts[i][0] === byte && dsts[i][len >> 1] === byte && dsts[i][len - 1] === byte, `descriptor ${i} bytes`);
    });
  });

  it('closes with striped descriptors running', async () => {
    const c = collect(striped);
    const len = 1 << 20;
    const src = new Uint8Array(len).fill(1);
    for (let i = 0; i < 16; i++) striped.submit(0, { op: 'memcpy', dst: new Uint8Array(len), src, len });
    striped.issuePending(0);
    striped.close();
    assert.equal((await c.until(16)).length, 16);
  });

  it('refuses bad striping options, naming them', () => {
    assert.throws(() => new SoftEngine({ channels: 1, stripeBytes: -1 }), { name: 'RangeError', message: /stripeBytes/ });
    assert.throws(() => new SoftEngine({ channels: 1, stripeBytes: 1.5 }), /stripeBytes/);
    assert.throws(() => new SoftEngine({ channels: 1, stripeThreads: 16 }), { name: 'RangeError', message: /stripeThreads/ });
    assert.throws(() => new SoftEngine({ channels: 1, stripeThreads: '2' as unknown as number }), { name: 'TypeError', message: /stripeThreads/ });
  });
});
