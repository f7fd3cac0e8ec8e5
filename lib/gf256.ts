/**
 * GF(2^8) for RAID-6 in TypeScript (polynomial 0x11d, generator {02}), as lib/raid6: the tables
 * built once at load and the few scalar helpers the TypeScript layers need (the plain provider's
 * byte work, async_tx's recovery coefficients). Bulk work goes to the native kernels.
 *
 * Threading: pure functions over module-level tables.
 */

/** exp[i] = {02}^i, doubled so that exp[log a + log b] needs no modulo. */
export const GF_EXP = new Uint8Array(512);
/** log[a] for a ≠ 0. */
export const GF_LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    GF_EXP[i] = x;
    GF_LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) GF_EXP[i] = GF_EXP[i - 255]!;
}

/** a·b */
export function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : GF_EXP[GF_LOG[a]! + GF_LOG[b]!]!;
}

/** `raid6_gfexp[i]` = {02}^i, the Q coefficient of data slot i. */
export function gfExp(i: number): number {
  return GF_EXP[i % 255]!;
}

/** `raid6_gfinv[a]` = a^-1 (0 for 0) */
export function gfInv(a: number): number {
  return a === 0 ? 0 : GF_EXP[255 - GF_LOG[a]!]!;
}
