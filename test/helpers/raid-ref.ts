/**
 * Reference implementations for the engine tests: byte loops and a table-free GF(2^8)
 * multiply (shift-and-add modulo 0x11d), independent of the native kernels.
 */

/** GF(2^8) multiply, polynomial 0x11d. */
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

/** g^i with g = {02}. */
export function gfPow2(i: number): number {
  let r = 1;
  for (let k = 0; k < i % 255; k++) r = gfMul(r, 2);
  return r;
}

/** P and Q over the data slots (null = zeros), Q coefficient g^slot. */
export function refPq(data: readonly (Uint8Array | null)[], len: number): { p: Uint8Array; q: Uint8Array } {
  const p = new Uint8Array(len);
  const q = new Uint8Array(len);
  data.forEach((d, i) => {
    if (!d) return;
    const c = gfPow2(i);
    for (let j = 0; j < len; j++) {
      p[j]! ^= d[j]!;
      q[j]! ^= gfMul(c, d[j]!);
    }
  });
  return { p, q };
}

/** A seeded generator (xorshift32): the same bytes on every run. */
export function seeded(seed: number): (n: number) => Uint8Array {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      s ^= s << 13; s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5; s >>>= 0;
      out[i] = s & 0xff;
    }
    return out;
  };
}
