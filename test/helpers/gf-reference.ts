/**
 * The tests' one GF(2^8) and RAID-6 reference: table-free maths written from the definitions
 * (polynomial x^8+x^4+x^3+x^2+1 = 0x11d, generator {02}), independent of lib/gf256.ts and of
 * the native tables, plus the seeded generators the tests share.
 * Threading: none; pure functions.
 */

/** a·b in GF(2^8)/0x11d, shift and add. */
export function gfMul(a: number, b: number): number {
  let r = 0;
  let x = a;
  for (let i = 0; i < 8; i++) {
    if (b & (1 << i)) r ^= x;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  return r;
}

/** g^i for g = {02} (g^255 = 1). */
export function gfPow2(i: number): number {
  let r = 1;
  for (let k = 0; k < i % 255; k++) r = gfMul(r, 2);
  return r;
}

/** P and Q over the data slots (null = zeros), Q coefficient g^slot. */
export function refPq(data: readonly (Uint8Array | null)[], len: number): { p: Uint8Array; q: Uint8Array } {
  return syndrome(data, data.map(() => 0), 0, data.length - 1, len);
}

/** P and Q of data slots start..stop (null slots are zeros), len bytes from each offset. */
export function syndrome(blocks: readonly (Uint8Array | null)[], offs: readonly number[], start: number, stop: number,
  len: number): { p: Uint8Array; q: Uint8Array } {
  const p = new Uint8Array(len);
  const q = new Uint8Array(len);
  for (let z = start; z <= stop; z++) {
    const b = blocks[z];
    if (!b) continue;
    const c = gfPow2(z);
    for (let i = 0; i < len; i++) {
      const d = b[offs[z]! + i]!;
      p[i]! ^= d;
      q[i]! ^= gfMul(c, d);
    }
  }
  return { p, q };
}

/** xorshift32 with a fixed seed: the same numbers on every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

/** A Uint8Array of n random bytes. */
export function randomBytes(next: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = next() & 0xff;
  return b;
}

/** A seeded byte source: each call gives the next n bytes of one xorshift32 stream. */
export function seeded(seed: number): (n: number) => Uint8Array {
  const next = rng(seed);
  return (n: number) => randomBytes(next, n);
}
