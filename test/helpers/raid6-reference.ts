/**
 * Test-only references for the kernel tests: a seeded PRNG and table-free GF(2^8) maths
 * (polynomial 0x11d, generator {02}), written from the definitions, independent of the native
 * tables. Threading: none; pure functions.
 */

/** xorshift32 with a fixed seed: the same bytes on every run. */
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

/** Shift-and-add multiply modulo x^8+x^4+x^3+x^2+1. */
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

/** g^i for g = {02}. */
export function gfPow2(i: number): number {
  let r = 1;
  for (let k = 0; k < i; k++) r = gfMul(r, 2);
  return r;
}

/** P and Q of data slots start..stop (null slots are zeros), len bytes from each offset. */
export function syndrome(blocks: (Uint8Array | null)[], offs: number[], start: number, stop: number,
  len: number): { p: Uint8Array; q: Uint8Array } {
  const p = new Uint8Array(len);
  const q = new Uint8Array(len);
  for (let z = start; z <= stop; z++) {
    const b = blocks[z];
    if (!b) continue;
    const c = gfPow2(z);
    for (let i = 0; i < len; i++) {
      const d = b[offs[z] + i];
      p[i] ^= d;
      q[i] ^= gfMul(c, d);
    }
  }
  return { p, q };
}
