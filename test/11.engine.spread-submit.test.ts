// The software engine's spread submits (SoftEngine#xorBlocks, #xorValBlocks, #pqCoefBlocks and
// the handle's xorV/xorValV/pqCoefV/pqCoefValV behind them): each block a call argument with
// its own offset. Results against a reference computed here; bad input refused with a named
// error before anything is queued (the cookie counter does not move); a getter that detaches
// a buffer during the spread, or a count that does not match the arguments, is refused too.
import assert from 'node:assert/strict';
import { SoftEngine } from '../lib/engine';
import { DmaTransResult } from '../lib/dmaengine/abi';
import type { SoftEngineHandle } from '../lib/native-types/engine';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1103515245 + 12345) >>> 0; return s >>> 24; };
}
function filled(n: number, next: () => number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = next();
  return b;
}
function gfMul(a: number, b: number): number {
  let r = 0;
  for (; b; b >>= 1) {
    if (b & 1) r ^= a;
    a = (a << 1) ^ (a & 0x80 ? 0x11d : 0);
    a &= 0xff;
  }
  return r;
}
const detached = (): Uint8Array => {
  const ab = new ArrayBuffer(64);
  const u8 = new Uint8Array(ab);
  structuredClone(ab, { transfer: [ab] });
  return u8;
};

describe('SoftEngine: spread submits (blocks as call arguments, one offset each)', () => {
  let eng: SoftEngine;
  let results: Map<number, { result: number; val: number }>;
  beforeEach(() => {
    eng = new SoftEngine({ channels: 1, spinMicros: 0 });
    results = new Map();
    eng.onComplete = (b) => { for (let i = 0; i < b.count; i++) results.set(b.cookie(i), { result: b.result(i), val: b.valResult(i) }); };
  });
  afterEach(() => eng.close());
  const settle = async (cookie: number): Promise<{ result: number; val: number }> => {
    eng.issuePending(0);
    for (let i = 0; i < 2000 && !results.has(cookie); i++) await new Promise((r) => setTimeout(r, 1));
    return results.get(cookie)!;
  };
  const rejects = (fn: () => unknown, type: typeof TypeError | typeof RangeError, re: RegExp): void => {
    const before = eng.lastCookie(0);
    assert.throws(fn, (e: Error) => {
      assert.equal(e.constructor, type, `${e.constructor.name}: ${e.message}`);
      assert.match(e.message, re);
      return true;
    });
    assert.equal(eng.lastCookie(0), before, 'nothing queued');
  };

  it('xorBlocks: dst = ⊕ sources, each at its own offset (null skipped); zeroDst off accumulates', async () => {
    const next = rng(13);
    const len = 1000;
    const srcs = [filled(1100, next), filled(1200, next), filled(1003, next)];
    const dst = filled(1010, next);
    const want = Buffer.from(dst);
    for (let i = 0; i < len; i++) want[5 + i] = srcs[0]![100 + i]! ^ srcs[1]![200 + i]! ^ srcs[2]![3 + i]!;
    const c = eng.xorBlocks(0, false, true, len, [dst, srcs[0]!, null, srcs[1]!, srcs[2]!], [5, 100, 0, 200, 3]);
    assert.equal((await settle(c)).result, DmaTransResult.NOERROR);
    assert.deepEqual(dst, want);
    // accumulate: dst ^= src
    const before = Buffer.from(dst);
    const c2 = eng.xorBlocks(0, false, false, 10, [dst, srcs[0]!], [0, 0]);
    await settle(c2);
    for (let i = 0; i < 10; i++) assert.equal(dst[i], before[i]! ^ srcs[0]![i]!);
  });

  it('xorValBlocks: valResult says whether the sources XOR to zero', async () => {
    const a = filled(64, rng(2));
    const b = Buffer.concat([Buffer.alloc(7), a]);
    assert.equal((await settle(eng.xorValBlocks(0, false, 64, [a, b], [0, 7]))).val, 0);
    b[30] ^= 1;
    assert.notEqual((await settle(eng.xorValBlocks(0, false, 64, [a, b], [0, 7]))).val, 0);
  });

  it('pqCoefBlocks: P = ⊕ srcs, Q = ⊕ coef·src, then the check finds them consistent', async () => {
    const next = rng(7);
    const len = 333;
    const srcs = [filled(400, next), filled(340, next), filled(500, next)];
    const so = [10, 0, 100];
    const coefs = new Uint8Array([1, 2, 4]);
    const p = Buffer.alloc(400);
    const q = Buffer.alloc(350);
    const c = eng.pqCoefBlocks(0, false, false, false, len, coefs, [...srcs, p, q], [...so, 50, 17]);
    assert.equal((await settle(c)).result, DmaTransResult.NOERROR);
    for (let i = 0; i < len; i++) {
      let wp = 0, wq = 0;
      srcs.forEach((s, k) => { wp ^= s[so[k]! + i]!; wq ^= gfMul(coefs[k]!, s[so[k]! + i]!); });
      assert.equal(p[50 + i], wp, `P byte ${i}`);
      assert.equal(q[17 + i], wq, `Q byte ${i}`);
    }
    assert.equal((await settle(eng.pqCoefBlocks(0, false, false, true, len, coefs, [...srcs, p, q], [...so, 50, 17]))).val, 0);
    // P disabled (null): Q alone
    const q2 = Buffer.alloc(len);
    await settle(eng.pqCoefBlocks(0, false, false, false, len, coefs, [...srcs, null, q2], [...so, 0, 0]));
    assert.deepEqual(q2, q.subarray(17, 17 + len));
  });

  describe('refusals (named, nothing queued)', () => {
    const a = Buffer.alloc(64, 1);
    const d = Buffer.alloc(64);
    it('a block that is not a buffer, by index', () => {
      rejects(() => eng.xorBlocks(0, false, true, 8, [d, a, 'x' as never], [0, 0, 0]), TypeError, /"blocks\[2\]"/);
    });
    it('a null dst', () => rejects(() => eng.xorBlocks(0, false, true, 8, [null, a], [0, 0]), TypeError, /"blocks\[0\]"/));
    it('a null source of pqCoef', () => {
      rejects(() => eng.pqCoefBlocks(0, false, false, false, 8, new Uint8Array(2), [a, null, d, d], [0, 0, 0, 0]), TypeError,
        /"blocks\[1\]"/);
    });
    it('both P and Q null', () => {
      rejects(() => eng.pqCoefBlocks(0, false, false, false, 8, new Uint8Array(2), [a, a, null, null], [0, 0, 0, 0]), RangeError,
        /"blocks"/);
    });
    it('coefs shorter than the sources', () => {
      rejects(() => eng.pqCoefBlocks(0, false, false, false, 8, new Uint8Array(1), [a, a, d, d], [0, 0, 0, 0]), RangeError,
        /"coefs"/);
    });
    it('an offset past the end, or not an integer, by index', () => {
      rejects(() => eng.xorBlocks(0, false, true, 8, [d, a], [0, 60]), RangeError, /"len" to fit in "blocks\[1\]"/);
      rejects(() => eng.xorBlocks(0, false, true, 8, [d, a], [0, 1.5]), TypeError, /"offs\[1\]"/);
      rejects(() => eng.xorBlocks(0, false, true, 8, [d, a], [0, '1' as never]), TypeError, /"offs\[1\]"/);
    });
    it('fewer offsets than blocks', () => rejects(() => eng.xorBlocks(0, false, true, 8, [d, a], [0]), RangeError, /"offs.length"/));
    it('a detached block, by index', () => {
      rejects(() => eng.xorBlocks(0, false, true, 8, [d, a, detached()], [0, 0, 0]), TypeError, /attached.*"blocks\[2\]"|"blocks\[2\]"/);
    });
    it('too few sources', () => rejects(() => eng.xorBlocks(0, false, true, 8, [d], [0]), RangeError, /"blocks.length"/));
    it('a block that a getter of the list detaches during the spread', () => {
      const ab = new ArrayBuffer(64);
      const victim = new Uint8Array(ab);
      const list = [d, a, victim];
      Object.defineProperty(list, 1, { get() { structuredClone(ab, { transfer: [ab] }); return a; } });
      rejects(() => eng.xorBlocks(0, false, true, 8, list, [0, 0, 0]), TypeError, /"blocks\[2\]"/);
    });
    it('the handle: a count that does not match the buffers passed, and offs that is not a Float64Array', () => {
      const h = (eng as unknown as { handle: SoftEngineHandle }).handle;
      const offs = new Float64Array(4);
      rejects(() => h.xorV(0, 0, -1, 0, 8, 3, offs, d, a), RangeError, /"blocks" to hold 3 entries but 2 were passed/);
      rejects(() => h.xorV(0, 0, -1, 0, 8, 2, offs, d, a, a), RangeError, /"blocks" to hold 2 entries but 3 were passed/);
      rejects(() => h.xorV(0, 0, -1, 0, 8, 2, [0, 0] as never, d, a), TypeError, /"offs"/);
      rejects(() => h.xorV(0, 0, -1, 0, 8, 2, new Float64Array(1), d, a), RangeError, /"offs.length"/);
      rejects(() => h.xorV(0, 4, -1, 0, 8, 2, offs, d, a), RangeError, /"flags"/);
    });
    it('a resizable buffer (JavaScript could shrink it under the worker)', function () {
      if (typeof (ArrayBuffer.prototype as { resize?: unknown }).resize !== 'function') this.skip();
      const rab = new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(64, { maxByteLength: 128 });
      rejects(() => eng.xorBlocks(0, false, true, 8, [d, new Uint8Array(rab)], [0, 0]), TypeError, /"blocks\[1\]"/);
    });
  });
});
