// The block-list bindings that take the blocks as call arguments (kernel*V,
// native/addon/kernels_spread_binding.cc) and lib/kernels.ts, which calls them on its valid
// path: results against the Array bindings and a byte-loop reference over random lengths and
// offsets; every refusal names its argument and writes nothing; getters run by lib/kernels.ts
// while it reads the lists (detaching a buffer, calling back in) are refused or harmless.
import assert from 'node:assert/strict';
import * as K from '../lib/kernels';
import { native } from '../lib/native';
import { randomBytes, rng as rng32 } from './helpers/gf-reference';

const n = () => native();
/** A seeded uniform number in [0, 1). */
const rng = (seed: number): (() => number) => { const r = rng32(seed); return () => r() / 2 ** 32; };
const bytes = (next: () => number, len: number): Uint8Array => randomBytes(() => Math.floor(next() * 256), len);
const F = (...v: number[]): Float64Array => Float64Array.from(v);

// Random blocks with random offsets: each buffer holds its range at `off` with bytes around it.
function blocks(next: () => number, count: number, len: number): { bufs: Uint8Array[]; offs: number[] } {
  const bufs: Uint8Array[] = [];
  const offs: number[] = [];
  for (let i = 0; i < count; i++) {
    const off = Math.floor(next() * 97);
    bufs.push(bytes(next, off + len + Math.floor(next() * 50)));
    offs.push(off);
  }
  return { bufs, offs };
}
const copies = (bufs: Uint8Array[]): Uint8Array[] => bufs.map((b) => Uint8Array.from(b));

describe('kernel bindings with the blocks as call arguments (kernel*V)', () => {
  it('xor, xor check, P+Q, P+Q rmw, P+Q check and both recoveries agree with the Array bindings (random lengths and offsets)', () => {
    const next = rng(1301);
    for (let round = 0; round < 60; round++) {
      const len = 1 + Math.floor(next() ** 3 * 70000);
      const count = 3 + Math.floor(next() * 10);
      const { bufs, offs } = blocks(next, count + 1, len);
      // xor: dst is block 0
      const a = copies(bufs);
      const b = copies(bufs);
      const zero = next() < 0.5;
      n().kernelXor(a[0]!, offs[0]!, a.slice(1), offs.slice(1), len, zero);
      K.kernelXor(b[0]!, offs[0]!, b.slice(1), offs.slice(1), len, zero);
      assert.deepEqual(b, a, `xor round ${round}`);
      // byte-loop reference for the xor
      const want = Uint8Array.from(bufs[0]!);
      for (let j = 0; j < len; j++) {
        let x = zero ? 0 : want[offs[0]! + j]!;
        for (let s = 1; s <= count; s++) x ^= bufs[s]![offs[s]! + j]!;
        want[offs[0]! + j] = x;
      }
      assert.deepEqual(b[0], want, `xor reference round ${round}`);
      assert.equal(K.kernelXorIsZero(b, offs, len), n().kernelXorIsZero(b, offs, len));
      assert.equal(K.kernelXorIsZero([b[0]!, b[0]!], [offs[0]!, offs[0]!], len), true);
      // RAID-6 over the same blocks: data, then P, then Q
      const disks = count + 1;
      const p = copies(bufs);
      const q = copies(bufs);
      n().kernelPqGen(p, offs, len);
      K.kernelPqGen(q, offs, len);
      assert.deepEqual(q, p, `pq round ${round}`);
      assert.equal(K.kernelPqCheck(q, offs, len), 0);
      q[1]![offs[1]! + (len >> 1)]! ^= 4;
      assert.equal(K.kernelPqCheck(q, offs, len), n().kernelPqCheck(q, offs, len));
      assert.notEqual(K.kernelPqCheck(q, offs, len), 0);
      q[1]![offs[1]! + (len >> 1)]! ^= 4;
      const start = Math.floor(next() * (disks - 2));
      const stop = start + Math.floor(next() * (disks - 2 - start));
      n().kernelPqGenXor(p, offs, start, stop, len);
      K.kernelPqGenXor(q, offs, start, stop, len);
      assert.deepEqual(q, p, `pq rmw round ${round}`);
      if (disks >= 4) {
        K.kernelPqGen(q, offs, len);
        const good = copies(q);
        const fa = Math.floor(next() * (disks - 3));
        const fb = fa + 1 + Math.floor(next() * (disks - 3 - fa));
        q[fa]!.fill(0xee);
        q[fb]!.fill(0xee);
        K.kernel2DataRecov(q, offs, len, fa, fb);
        for (const f of [fa, fb]) {
          assert.deepEqual(q[f]!.subarray(offs[f]!, offs[f]! + len), good[f]!.subarray(offs[f]!, offs[f]! + len), `2data ${f}`);
        }
        q[fa]!.fill(0xdd);
        q[disks - 2]!.fill(0xdd);
        K.kernelDatapRecov(q, offs, len, fa);
        for (const f of [fa, disks - 2]) {
          assert.deepEqual(q[f]!.subarray(offs[f]!, offs[f]! + len), good[f]!.subarray(offs[f]!, offs[f]! + len), `datap ${f}`);
        }
      }
    }
  });

  it('null slots: skipped xor sources, P or Q omitted', () => {
    const next = rng(1302);
    const { bufs, offs } = blocks(next, 6, 300);
    const a = copies(bufs);
    const b = copies(bufs);
    n().kernelXor(a[0]!, offs[0]!, [a[1]!, null, a[3]!], [offs[1]!, 0, offs[3]!], 300, true);
    K.kernelXor(b[0]!, offs[0]!, [b[1]!, null, b[3]!], [offs[1]!, 0, offs[3]!], 300, true);
    assert.deepEqual(b, a);
    const pa: (Uint8Array | null)[] = copies(bufs);
    const pb: (Uint8Array | null)[] = copies(bufs);
    pa[5] = null;
    pb[5] = null;
    n().kernelPqGen(pa, offs, 300);
    K.kernelPqGen(pb, offs, 300);
    assert.deepEqual(pb, pa);
  });

  describe('refusals: named, and nothing written', () => {
    const LEN = 64;
    const blk = (v: number): Uint8Array => new Uint8Array(LEN).fill(v);
    function refuses(call: () => unknown, type: typeof TypeError | typeof RangeError, names: string, written: Uint8Array[]): void {
      const before = written.map((w) => Uint8Array.from(w));
      assert.throws(call, (e: Error) => {
        assert.ok(e instanceof type, `expected ${type.name}, got ${e.constructor.name}: ${e.message}`);
        assert.ok(e.message.includes(names), `message should include ${names}: ${e.message}`);
        return true;
      });
      written.forEach((w, i) => assert.deepEqual(w, before[i], 'a buffer was written'));
    }
    it('offs: not a Float64Array, too short', () => {
      const d = blk(9);
      refuses(() => n().kernelXorV(LEN, true, 1, [0, 0] as unknown as Float64Array, d, blk(1)), TypeError, '"offs"', [d]);
      refuses(() => n().kernelXorV(LEN, true, 1, new Float32Array(2) as unknown as Float64Array, d, blk(1)), TypeError, '"offs"', [d]);
      refuses(() => n().kernelXorV(LEN, true, 2, F(0, 0), d, blk(1), blk(2)), RangeError, '"offs.length"', [d]);
    });
    it('count: out of range, or not the number of blocks passed', () => {
      const d = blk(9);
      refuses(() => n().kernelXorV(LEN, true, 0, F(0), d), RangeError, '"srcs.length"', [d]);
      refuses(() => n().kernelXorV(LEN, true, 2, F(0, 0, 0), d, blk(1)), RangeError, 'entries but 1 were passed', [d]);
      refuses(() => n().kernelPqGenV(LEN, 2, F(0, 0), blk(1), blk(2)), RangeError, '"blocks.length"', []);
      refuses(() => n().kernel2DataRecovV(LEN, 0, 1, 3, F(0, 0, 0), blk(1), blk(2), blk(3)), RangeError, '"blocks.length"', []);
      refuses(() => n().kernelXorV(LEN, true, 'x' as unknown as number, F(0, 0), d, blk(1)), TypeError, '"count"', [d]);
    });
    it('offsets: NaN, fractional, negative, past the end, or the range past the end', () => {
      const d = blk(9);
      refuses(() => n().kernelXorV(LEN, true, 1, F(NaN, 0), d, blk(1)), TypeError, '"dstOff"', [d]);
      refuses(() => n().kernelXorV(LEN, true, 1, F(0, 1.5), d, blk(1)), TypeError, '"srcOffs[0]"', [d]);
      refuses(() => n().kernelXorV(LEN, true, 2, F(0, 0, -1), d, blk(1), blk(2)), RangeError, '"srcOffs[1]"', [d]);
      refuses(() => n().kernelXorV(LEN, true, 1, F(0, LEN + 1), d, blk(1)), RangeError, '"srcOffs[0]"', [d]);
      refuses(() => n().kernelXorV(LEN, true, 1, F(0, 1), d, blk(1)), RangeError, '"len" to fit in "srcs[0]"', [d]);
      refuses(() => n().kernelXorV(LEN, true, 2, F(0, 0, Infinity), d, blk(1), null), TypeError, '"srcOffs[1]"', [d]);
      const p = blk(5);
      refuses(() => n().kernelPqGenV(LEN, 4, F(0, 0, 3, 0), blk(1), blk(2), p, blk(4)), RangeError, '"len" to fit in "blocks[2]"', [p]);
    });
    it('blocks: wrong types, null where not allowed, P and Q both null, a detached buffer', () => {
      const d = blk(9);
      refuses(() => n().kernelXorV(LEN, true, 1, F(0, 0), null as unknown as Uint8Array, blk(1)), TypeError, '"dst"', []);
      refuses(() => n().kernelXorV(LEN, true, 2, F(0, 0, 0), d, blk(1), new Uint16Array(LEN) as unknown as Uint8Array), TypeError, '"srcs[1]"', [d]);
      refuses(() => n().kernelXorV(LEN, true, 1, F(0, 0), d, 'abc' as unknown as Uint8Array), TypeError, '"srcs[0]"', [d]);
      refuses(() => n().kernelXorV(LEN, 1 as unknown as boolean, 1, F(0, 0), d, blk(1)), TypeError, '"zeroDst"', [d]);
      const p = blk(7);
      refuses(() => n().kernelPqGenV(LEN, 4, F(0, 0, 0, 0), blk(1), blk(2), null, null), TypeError, '(P) or', []);
      refuses(() => n().kernel2DataRecovV(LEN, 0, 1, 4, F(0, 0, 0, 0), blk(1), blk(2), null, blk(4)), TypeError, '"blocks[2]"', []);
      refuses(() => n().kernelDatapRecovV(LEN, 0, 4, F(0, 0, 0, 0), blk(1), blk(2), p, null), TypeError, '"blocks[3]"', [p]);
      const gone = blk(3);
      structuredClone(gone.buffer, { transfer: [gone.buffer] });
      refuses(() => n().kernelXorV(LEN, true, 1, F(0, 0), d, gone), TypeError, '"srcs[0]"', [d]);
      refuses(() => n().kernelPqCheckV(LEN, 4, F(0, 0, 0, 0), blk(1), gone, blk(3), blk(4)), TypeError, 'detached', []);
    });
    it('lib/kernels.ts words the same errors, taking the Array bindings where the lists are unusual', () => {
      const d = blk(9);
      refuses(() => K.kernelXor(d, 0, [blk(1), 'x' as unknown as Uint8Array], [0, 0], LEN, true), TypeError, '"srcs[1]"', [d]);
      refuses(() => K.kernelXor(d, 0, [blk(1)], ['0' as unknown as number], LEN, true), TypeError, '"srcOffs[0]"', [d]);
      refuses(() => K.kernelXor(d, 0, [blk(1)], [0, 0], LEN, true), RangeError, '"srcOffs.length"', [d]);
      refuses(() => K.kernelXor(d, 0, 'no' as unknown as Uint8Array[], [0], LEN, true), TypeError, '"srcs"', [d]);
      refuses(() => K.kernelPqGen([blk(1), blk(2), null, null], [0, 0, 0, 0], LEN), TypeError, '(P) or', []);
    });
  });

  describe('getters run by lib/kernels.ts while it reads the lists', () => {
    const LEN = 64;
    const blk = (v: number): Uint8Array => new Uint8Array(LEN).fill(v);
    function withGetter<T>(items: T[], at: number, value: T, effect: () => void): T[] {
      const a = items.slice();
      Object.defineProperty(a, at, { get: () => { effect(); return value; }, enumerable: true });
      return a;
    }
    function detachable(fill: number): { buf: Uint8Array; detach: () => void; moved: () => Uint8Array } {
      const buf = blk(fill);
      let moved: ArrayBuffer | null = null;
      return {
        buf,
        detach: () => { moved = structuredClone(buf.buffer as ArrayBuffer, { transfer: [buf.buffer as ArrayBuffer] }); },
        moved: () => new Uint8Array(moved!),
      };
    }
    const detachedError = (name: string) => (e: Error): boolean => {
      assert.ok(e instanceof TypeError && /detached/.test(e.message) && e.message.includes(`"${name}"`), e.message);
      return true;
    };
    it('kernelXor: dst detached by a source getter', () => {
      const v = detachable(0x5a);
      assert.throws(() => K.kernelXor(v.buf, 0, withGetter([blk(1), blk(2)], 1, blk(2), v.detach), [0, 0], LEN, true), detachedError('dst'));
      assert.ok(v.moved().every((b) => b === 0x5a), 'dst was written');
    });
    it('kernelXor: dst detached by an offset getter', () => {
      const v = detachable(0x5a);
      assert.throws(() => K.kernelXor(v.buf, 0, [blk(1), blk(2)], withGetter([0, 0], 0, 0, v.detach), LEN, false), detachedError('dst'));
      assert.ok(v.moved().every((b) => b === 0x5a), 'dst was written');
    });
    it('kernelPqGen: P detached by a data block getter', () => {
      const v = detachable(0x5a);
      const list = [blk(1), blk(2), blk(3), v.buf, blk(0)];
      assert.throws(() => K.kernelPqGen(withGetter(list, 0, blk(1), v.detach), [0, 0, 0, 0, 0], LEN), detachedError('blocks[3]'));
      assert.ok(v.moved().every((b) => b === 0x5a), 'P was written');
    });
    it('kernel2DataRecov: a lost block detached by the Q getter', () => {
      const v = detachable(0x5a);
      const list = [v.buf, blk(2), blk(3), blk(4), blk(5)];
      assert.throws(() => K.kernel2DataRecov(withGetter(list, 4, blk(5), v.detach), [0, 0, 0, 0, 0], LEN, 0, 1), detachedError('blocks[0]'));
      assert.ok(v.moved().every((b) => b === 0x5a), 'the lost block was written');
    });
    it('a getter that calls back in does not disturb the offsets already packed', () => {
      // The outer call packs offsets [dstOff 3, srcs at 5 and 7]; the getter runs a nested
      // xor with other offsets. Were the scratch shared, the outer call would use the nested one's.
      const dst = new Uint8Array(80);
      const s1 = new Uint8Array(80).map((_, i) => i);
      const s2 = new Uint8Array(80).map((_, i) => 3 * i + 1);
      const other = new Uint8Array(80);
      const srcs = withGetter([s1, s2], 1, s2, () => K.kernelXor(other, 11, [s1, s2], [13, 17], 8, true));
      K.kernelXor(dst, 3, srcs, [5, 7], LEN, true);
      for (let j = 0; j < LEN; j++) assert.equal(dst[3 + j], s1[5 + j]! ^ s2[7 + j]!, `byte ${j}`);
      for (let j = 0; j < 8; j++) assert.equal(other[11 + j], s1[13 + j]! ^ s2[17 + j]!, `nested byte ${j}`);
    });
  });
});
