import assert from 'node:assert/strict';
import { native } from '../lib/native';
import { rng, randomBytes, gfMul, gfPow2, syndrome } from './helpers/gf-reference';

/**
 * The kernel bindings against references written here (fixed seeds): random offsets, lengths
 * across vector tails, null slots, and bytes outside each range left untouched.
 */

const n = () => native();
const LENGTHS = [1, 2, 31, 32, 33, 63, 64, 65, 127, 200, 1000, 4096, 4097, 70001];

// A buffer with `pad` random bytes before and after the range the call may write.
function padded(next: () => number, len: number, pad: number) {
  const whole = randomBytes(next, len + 2 * pad);
  return { whole, off: pad, before: Uint8Array.from(whole) };
}
function assertOutsideUntouched(p: { whole: Uint8Array; off: number; before: Uint8Array }, len: number) {
  assert.deepEqual(p.whole.subarray(0, p.off), p.before.subarray(0, p.off));
  assert.deepEqual(p.whole.subarray(p.off + len), p.before.subarray(p.off + len));
}

describe('kernelCopy()', () => {
  it('copies every length at odd offsets and writes nothing else', () => {
    const next = rng(101);
    for (const len of LENGTHS) {
      const src = randomBytes(next, len + 9);
      const d = padded(next, len, 7 + (len % 5));
      n().kernelCopy(d.whole, d.off, src, 9, len);
      assert.deepEqual(d.whole.subarray(d.off, d.off + len), src.subarray(9, 9 + len));
      assertOutsideUntouched(d, len);
    }
  });
  it('copies between overlapping views of one buffer as memmove does', () => {
    const next = rng(102);
    const b = randomBytes(next, 300);
    const want = Buffer.from(b);
    want.copy(want, 10, 0, 200);
    n().kernelCopy(b, 10, b, 0, 200);
    assert.deepEqual(Buffer.from(b), want);
  });
});

describe('kernelFill()', () => {
  it('fills every length at odd offsets and writes nothing else', () => {
    const next = rng(103);
    for (const len of LENGTHS) {
      const d = padded(next, len, 3 + (len % 7));
      const v = next() & 0xff;
      n().kernelFill(d.whole, d.off, v, len);
      assert.ok(d.whole.subarray(d.off, d.off + len).every((x) => x === v));
      assertOutsideUntouched(d, len);
    }
  });
});

function xorRef(dst: Uint8Array, dOff: number, srcs: (Uint8Array | null)[], offs: number[], len: number, zero: boolean): Uint8Array {
  const out = zero ? new Uint8Array(len) : dst.slice(dOff, dOff + len);
  for (let s = 0; s < srcs.length; s++) {
    const b = srcs[s];
    if (!b) continue;
    for (let i = 0; i < len; i++) out[i] ^= b[offs[s] + i];
  }
  return out;
}

describe('kernelXor()', () => {
  it('matches the reference for 1..20 and 255 sources, null slots, both modes', () => {
    const next = rng(104);
    const counts = [1, 2, 3, 4, 5, 7, 8, 9, 16, 20, 255];
    for (const count of counts) {
      for (const len of [1, 33, 64, 1000, 4097]) {
        const srcs: (Uint8Array | null)[] = [];
        const offs: number[] = [];
        for (let s = 0; s < count; s++) {
          const off = next() % 13;
          srcs.push(next() % 5 === 0 ? null : randomBytes(next, len + off));
          offs.push(off);
        }
        const zero = (next() & 1) === 1;
        const d = padded(next, len, 5);
        const want = xorRef(d.whole, d.off, srcs, offs, len, zero);
        n().kernelXor(d.whole, d.off, srcs, offs, len, zero);
        assert.deepEqual(d.whole.subarray(d.off, d.off + len), want, `count ${count} len ${len}`);
        assertOutsideUntouched(d, len);
      }
    }
  });
  it('reads the old destination when dst is also a source', () => {
    const next = rng(105);
    const len = 777;
    const dst = randomBytes(next, len);
    const other = randomBytes(next, len);
    const want = xorRef(dst, 0, [dst, other], [0, 0], len, true);
    n().kernelXor(dst, 0, [dst, other], [0, 0], len, true);
    assert.deepEqual(dst, want);
  });
});

describe('kernelXorIsZero()', () => {
  it('is true for a zero sum and false after any one-bit change', () => {
    const next = rng(106);
    for (const len of LENGTHS) {
      const a = randomBytes(next, len);
      const b = randomBytes(next, len);
      const c = xorRef(new Uint8Array(len), 0, [a, b], [0, 0], len, true);
      assert.equal(n().kernelXorIsZero([a, null, b, c], [0, 0, 0, 0], len), true);
      const at = next() % len;
      b[at] ^= 1 << (next() % 8);
      assert.equal(n().kernelXorIsZero([a, null, b, c], [0, 0, 0, 0], len), false);
    }
  });
});

function pqBlocks(next: () => number, disks: number, len: number, nulls: boolean) {
  const blocks: (Uint8Array | null)[] = [];
  const offs: number[] = [];
  for (let z = 0; z < disks; z++) {
    const off = next() % 11;
    blocks.push(nulls && z < disks - 2 && next() % 4 === 0 ? null : randomBytes(next, len + off));
    offs.push(off);
  }
  return { blocks, offs };
}
const view = (b: Uint8Array, off: number, len: number) => b.subarray(off, off + len);

describe('kernelPqGen()', () => {
  it('matches P = ⊕D and Q = ⊕g^i·D by slot index, null slots zero', () => {
    const next = rng(107);
    for (const disks of [3, 4, 5, 10, 18, 40]) {
      for (const len of [1, 64, 100, 4096, 5000]) {
        const { blocks, offs } = pqBlocks(next, disks, len, true);
        const ref = syndrome(blocks, offs, 0, disks - 3, len);
        n().kernelPqGen(blocks, offs, len);
        assert.deepEqual(view(blocks[disks - 2]!, offs[disks - 2], len), ref.p, `P disks ${disks} len ${len}`);
        assert.deepEqual(view(blocks[disks - 1]!, offs[disks - 1], len), ref.q, `Q disks ${disks} len ${len}`);
      }
    }
  });
  it('writes only Q when P is null', () => {
    const next = rng(108);
    const { blocks, offs } = pqBlocks(next, 7, 300, false);
    blocks[5] = null;
    const ref = syndrome(blocks, offs, 0, 4, 300);
    n().kernelPqGen(blocks, offs, 300);
    assert.deepEqual(view(blocks[6]!, offs[6], 300), ref.q);
  });
  it('known answer: one data block in slot 1 gives Q = {02}·D', () => {
    const d = Uint8Array.from([0x80, 0x01, 0xff]);
    const P = new Uint8Array(3), Q = new Uint8Array(3);
    n().kernelPqGen([null, d, null, P, Q], [0, 0, 0, 0, 0], 3);
    assert.deepEqual(P, d);
    assert.deepEqual(Q, Uint8Array.from([0x1d, 0x02, gfMul(0xff, 2)]));
    assert.equal(gfMul(0xff, 2), 0xe3);
  });
});

describe('kernelPqGenXor()', () => {
  it('xors the contribution of slots start..stop into P and Q', () => {
    const next = rng(109);
    for (let r = 0; r < 30; r++) {
      const disks = 4 + (next() % 20);
      const len = 1 + (next() % 3000);
      const { blocks, offs } = pqBlocks(next, disks, len, true);
      const start = next() % (disks - 2);
      const stop = start + (next() % (disks - 2 - start));
      const ref = syndrome(blocks, offs, start, stop, len);
      const P = view(blocks[disks - 2]!, offs[disks - 2], len).slice();
      const Q = view(blocks[disks - 1]!, offs[disks - 1], len).slice();
      for (let i = 0; i < len; i++) { P[i] ^= ref.p[i]; Q[i] ^= ref.q[i]; }
      n().kernelPqGenXor(blocks, offs, start, stop, len);
      assert.deepEqual(view(blocks[disks - 2]!, offs[disks - 2], len), P);
      assert.deepEqual(view(blocks[disks - 1]!, offs[disks - 1], len), Q);
    }
  });
});

describe('kernelPqCheck()', () => {
  it('returns 0 when consistent and the mismatch bits of a corrupted P, Q or data block', () => {
    const next = rng(110);
    for (let r = 0; r < 30; r++) {
      const disks = 4 + (next() % 12);
      const len = 1 + (next() % 5000);
      const { blocks, offs } = pqBlocks(next, disks, len, true);
      n().kernelPqGen(blocks, offs, len);
      assert.equal(n().kernelPqCheck(blocks, offs, len), 0);
      let victim = next() % disks;
      while (!blocks[victim]) victim = next() % disks;
      blocks[victim]![offs[victim] + (next() % len)] ^= 1 << (next() % 8);
      const want = victim === disks - 2 ? 1 : victim === disks - 1 ? 2 : 3;
      assert.equal(n().kernelPqCheck(blocks, offs, len), want, `victim ${victim} of ${disks}`);
    }
  });
});

describe('kernel2DataRecov() and kernelDatapRecov()', () => {
  it('rebuild every pair of lost data slots, and every data slot with P (6 disks)', () => {
    const next = rng(111);
    const disks = 6;
    for (let a = 0; a < disks - 2; a++) {
      for (let b = a; b < disks - 2; b++) {
        const len = 1 + (next() % 2000);
        const { blocks, offs } = pqBlocks(next, disks, len, false);
        n().kernelPqGen(blocks, offs, len);
        const saved = blocks.map((x, i) => view(x!, offs[i], len).slice());
        if (a === b) {
          view(blocks[a]!, offs[a], len).fill(0xee);
          view(blocks[disks - 2]!, offs[disks - 2], len).fill(0xdd);
          n().kernelDatapRecov(blocks, offs, len, a);
        } else {
          view(blocks[a]!, offs[a], len).fill(0xee);
          view(blocks[b]!, offs[b], len).fill(0xdd);
          n().kernel2DataRecov(blocks, offs, len, a, b);
        }
        blocks.forEach((x, i) => assert.deepEqual(view(x!, offs[i], len), saved[i], `lost ${a},${b}: slot ${i}`));
      }
    }
  });
  it('treat other null data slots as zero', () => {
    const next = rng(112);
    const len = 513;
    const { blocks, offs } = pqBlocks(next, 9, len, false);
    blocks[3] = null;
    n().kernelPqGen(blocks, offs, len);
    const lost = view(blocks[6]!, offs[6], len).slice();
    view(blocks[6]!, offs[6], len).fill(0);
    const lost0 = view(blocks[0]!, offs[0], len).slice();
    n().kernel2DataRecov(blocks, offs, len, 0, 6);
    assert.deepEqual(view(blocks[6]!, offs[6], len), lost);
    assert.deepEqual(view(blocks[0]!, offs[0], len), lost0);
    assert.equal(gfPow2(8), 0x1d);
  });
});
