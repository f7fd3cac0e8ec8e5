// The engine's explicit-coefficient P+Q ops (pq_coef, pq_coef_val: what the soft provider's
// device_prep_dma_pq/pq_val map to) and poll(): bad input first (one case per argument, each
// naming it, nothing queued), then bytes against a table-free GF(2^8) reference.
import assert from 'node:assert/strict';
import { SoftEngine, DmaTransResult, SumCheckFlags, type EngineOp } from '../lib/engine';
import { collect } from './helpers/engine-wait';
import { seeded } from './helpers/gf-reference';
import { gfMul } from './helpers/gf-reference';


function ref(srcs: Uint8Array[], coefs: Uint8Array, off: number, len: number): { p: Uint8Array; q: Uint8Array } {
  const p = new Uint8Array(len);
  const q = new Uint8Array(len);
  srcs.forEach((s, k) => {
    for (let i = 0; i < len; i++) {
      p[i]! ^= s[off + i]!;
      q[i]! ^= gfMul(coefs[k]!, s[off + i]!);
    }
  });
  return { p, q };
}

describe('SoftEngine pq_coef / pq_coef_val', () => {
  let eng: SoftEngine;
  let c: ReturnType<typeof collect>;
  const rand = seeded(0xc0ef);
  beforeEach(() => { eng = new SoftEngine({ channels: 2, spinMicros: 0 }); c = collect(eng); });
  afterEach(() => eng.close());

  describe('invalid arguments', () => {
    const b = (): Uint8Array => new Uint8Array(32);
    const good = (o: Record<string, unknown> = {}): unknown =>
      ({ op: 'pq_coef', srcs: [b(), b()], coefs: Uint8Array.of(1, 2), p: b(), q: b(), len: 32, ...o });
    function rejects(op: unknown, type: typeof TypeError | typeof RangeError, message: RegExp): void {
      const before = eng.lastCookie(0);
      assert.throws(() => eng.submit(0, op as EngineOp), (e: Error) => {
        assert.equal(e.constructor, type, `${e.constructor.name}: ${e.message}`);
        assert.match(e.message, message);
        return true;
      });
      assert.equal(eng.lastCookie(0), before, 'nothing queued');
    }
    it('srcs not an Array', () => rejects(good({ srcs: 5 }), TypeError, /"srcs" but received 5/));
    it('srcs empty', () => rejects(good({ srcs: [] }), RangeError, /"srcs" to have between 1 and 253 entries but received 0/));
    it('srcs too many', () => rejects(good({ srcs: Array.from({ length: 254 }, b), coefs: new Uint8Array(254) }), RangeError, /"srcs" to have between 1 and 253/));
    it('a null source', () => rejects(good({ srcs: [b(), null] }), TypeError, /"srcs\[1\]" but received null/));
    it('a source that is not bytes', () => rejects(good({ srcs: [b(), 'x'] }), TypeError, /"srcs\[1\]"/));
    it('a source too short', () => rejects(good({ srcs: [b(), new Uint8Array(31)] }), RangeError, /"len" to fit in "srcs\[1\]"/));
    it('coefs not bytes', () => rejects(good({ coefs: [1, 2] }), TypeError, /for "coefs"/));
    it('coefs shorter than srcs', () => rejects(good({ coefs: Uint8Array.of(1) }), RangeError, /"coefs" to be at least as long as "srcs" \(2\)/));
    it('p not bytes', () => rejects(good({ p: 7 }), TypeError, /"p" but received 7/));
    it('q too short', () => rejects(good({ q: new Uint8Array(8) }), RangeError, /"len" to fit in "q"/));
    it('p and q both null', () => rejects(good({ p: null, q: null }), RangeError, /"q" to be a buffer when "p" is null/));
    it('offset negative', () => rejects(good({ offset: -1 }), RangeError, /"offset"/));
    it('offset past the end', () => rejects(good({ offset: 1 }), RangeError, /"len" to fit in "srcs\[0\]"/));
    it('len 0', () => rejects(good({ len: 0 }), RangeError, /"len"/));
    it('accumulate not a boolean', () => rejects(good({ accumulate: 1 }), TypeError, /"accumulate"/));
    it('pq_coef_val: the accumulate flag (8) is refused at the handle', () => {
      const h = (eng as unknown as { handle: { pqCoefVal(...a: unknown[]): number } }).handle;
      assert.throws(() => h.pqCoefVal(0, 8, -1, 0, [b()], Uint8Array.of(1), b(), b(), 0, 32),
        { name: 'RangeError', message: /"flags" to be a combination of the flags this operation accepts \(1\)/ });
      assert.equal(eng.lastCookie(0), 1);
    });
    it('pq_coef_val: coefs missing', () => rejects({ ...(good() as object), op: 'pq_coef_val', coefs: undefined }, TypeError, /"coefs"/));
  });

  async function run(...ops: EngineOp[]) {
    const start = c.all.length;
    const cookies = ops.map((op) => eng.submit(0, op));
    eng.issuePending(0);
    const all = (await c.until(start + ops.length)).slice(start);
    assert.deepEqual(all.map((x) => x.cookie), cookies);
    for (const x of all) assert.equal(x.result, DmaTransResult.NOERROR);
    return all;
  }

  it('P and Q with explicit coefficients (all-1, sum-products, zero), at an offset', async () => {
    const len = 4099;
    const off = 3;
    const srcs = [rand(len + off), rand(len + off), rand(len + off), rand(len + off)];
    for (const coefs of [Uint8Array.of(1, 1, 1, 1), Uint8Array.of(0x8e, 0x02, 0xff, 0x00), Uint8Array.of(7, 9, 200, 3)]) {
      const p = new Uint8Array(len + off).fill(0xee);
      const q = new Uint8Array(len + off).fill(0xee);
      await run({ op: 'pq_coef', srcs, coefs, p, q, offset: off, len });
      const r = ref(srcs, coefs, off, len);
      assert.deepEqual(p.subarray(off), r.p);
      assert.deepEqual(q.subarray(off), r.q);
      assert.equal(p[off - 1], 0xee, 'nothing before the range');
    }
  });

  it('P or Q disabled (null) leaves the other untouched; accumulate XORs into P/Q (continuation)', async () => {
    const len = 777;
    const a = [rand(len), rand(len)];
    const bsrc = [rand(len), rand(len), rand(len)];
    const coefs = Uint8Array.of(3, 5, 11, 13, 17);
    const q = new Uint8Array(len);
    await run({ op: 'pq_coef', srcs: a, coefs: coefs.subarray(0, 2), p: null, q, len });
    assert.deepEqual(q, ref(a, coefs, 0, len).q);
    const p = new Uint8Array(len);
    await run({ op: 'pq_coef', srcs: a, coefs, p, q: null, len });
    assert.deepEqual(p, ref(a, coefs, 0, len).p);
    await run({ op: 'pq_coef', srcs: bsrc, coefs: coefs.subarray(2), p, q, len, accumulate: true });
    const whole = ref([...a, ...bsrc], coefs, 0, len);
    assert.deepEqual(p, whole.p);
    assert.deepEqual(q, whole.q);
  });

  it('pq_coef_val reports P and Q mismatch bits and writes nothing', async () => {
    const len = 500;
    const srcs = [rand(len), rand(len), rand(len)];
    const coefs = Uint8Array.of(1, 2, 4);
    const { p, q } = ref(srcs, coefs, 0, len);
    const snap = [Uint8Array.from(p), Uint8Array.from(q)];
    const ok = await run({ op: 'pq_coef_val', srcs, coefs, p, q, len });
    assert.equal(ok[0]!.valResult, 0);
    q[100]! ^= 1;
    const bad = await run({ op: 'pq_coef_val', srcs, coefs, p, q, len }, { op: 'pq_coef_val', srcs, coefs, p: null, q, len },
      { op: 'pq_coef_val', srcs, coefs, p, q: null, len });
    assert.deepEqual(bad.map((x) => x.valResult), [SumCheckFlags.Q_RESULT, SumCheckFlags.Q_RESULT, 0]);
    q[100]! ^= 1;
    assert.deepEqual([p, q], snap);
  });

  it('poll() delivers ready completions on the caller stack, once; not from inside onComplete', async () => {
    const dst = new Uint8Array(64);
    const cookie = eng.submit(0, { op: 'memset', dst, value: 9, len: 64 });
    eng.issuePending(0);
    const t0 = Date.now();
    while (!eng.isComplete(0, cookie) && Date.now() - t0 < 2000) { /* the worker publishes the cookie */ }
    const before = c.all.length;
    assert.equal(eng.poll(), true);
    assert.equal(c.all.length, before + 1, 'delivered synchronously');
    assert.equal(eng.poll(), false, 'nothing left');
    let inner: boolean | null = null;
    eng.onComplete = () => { inner = eng.poll(); };
    eng.submit(0, { op: 'interrupt' });
    eng.issuePending(0);
    const t1 = Date.now();
    while (inner === null && Date.now() - t1 < 2000) await new Promise((r) => setImmediate(r));
    assert.equal(inner, false);
  });
});
