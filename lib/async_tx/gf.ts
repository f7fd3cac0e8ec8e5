/**
 * GF(2^8) for the RAID-6 recovery chains (polynomial 0x11d, generator {02}): the coefficient
 * tables async_raid6_recov uses (`raid6_gfexp`, `raid6_gfinv`, `raid6_gfexi`) and the two
 * byte loops its software fallbacks run (`async_mult`, `async_sum_product`). The bulk software
 * paths use the native kernels; these loops only run when a channel refused a one- or
 * two-source P+Q descriptor.
 *
 * Threading: pure functions on module-level tables built once at load.
 */

import { gfExp, gfInv, gfMul } from '../gf256';

export { gfExp, gfInv, gfMul };

/** `raid6_gfexi[i]` = ({02}^i + 1)^-1 */
export function gfExi(i: number): number {
  return gfInv(gfExp(i) ^ 1);
}

function mulTable(c: number): Uint8Array {
  const t = new Uint8Array(256);
  for (let v = 1; v < 256; v++) t[v] = gfMul(c, v);
  return t;
}

/** dest[dOff..] = coef · src[sOff..] over len bytes (`async_mult`'s software path). */
export function gfMultBytes(dest: Uint8Array, dOff: number, src: Uint8Array, sOff: number, coef: number, len: number): void {
  const t = mulTable(coef);
  for (let i = 0; i < len; i++) dest[dOff + i] = t[src[sOff + i]!]!;
}

/** dest = a·x ⊕ b·y over len bytes (`async_sum_product`'s software path). */
export function gfSumProductBytes(dest: Uint8Array, dOff: number, x: Uint8Array, xOff: number, y: Uint8Array, yOff: number,
  a: number, b: number, len: number): void {
  const ta = mulTable(a);
  const tb = mulTable(b);
  for (let i = 0; i < len; i++) dest[dOff + i] = ta[x[xOff + i]!]! ^ tb[y[yOff + i]!]!;
}
