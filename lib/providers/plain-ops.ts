/**
 * The byte work of the plain TypeScript provider: copy, fill, XOR, P+Q over GF(2^8)
 * (polynomial 0x11d, generator {02}), and their checks. Written for clarity, not speed: the
 * `soft` provider's native kernels are the fast path; these are also a second, independent
 * reference for tests.
 *
 * Threading: JavaScript thread only; each function runs to completion.
 */
import type { DmaAddr } from '../dmaengine/status';
import { GF_EXP as EXP, GF_LOG as LOG } from '../gf256';
import { copyView, fillView } from '../views';

/** `len` bytes from `src` to `dst` (overlap allowed, like memmove). */
export function copyBytes(dst: DmaAddr, src: DmaAddr, len: number): void {
  copyView(dst.buf, dst.off, src.buf, src.off, len);
}

/** `len` bytes of `value` at `dst`. */
export function fillBytes(dst: DmaAddr, value: number, len: number): void {
  fillView(dst.buf, value, dst.off, dst.off + len);
}

/** The XOR of `srcs` over `len` bytes, as a new array. */
export function xorOf(srcs: readonly DmaAddr[], len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (const s of srcs) {
    const b = s.buf;
    for (let i = 0; i < len; i++) out[i]! ^= b[s.off + i]!;
  }
  return out;
}

/** The Q syndrome Σ scf[i]·src[i] over `len` bytes, as a new array. */
export function qOf(srcs: readonly DmaAddr[], scf: Uint8Array, len: number): Uint8Array {
  const out = new Uint8Array(len);
  srcs.forEach((s, k) => {
    const c = scf[k]!;
    if (c === 0) return;
    const lc = LOG[c]!;
    const b = s.buf;
    for (let i = 0; i < len; i++) {
      const v = b[s.off + i]!;
      if (v !== 0) out[i]! ^= EXP[lc + LOG[v]!]!;
    }
  });
  return out;
}

/** Write `data` at `dst`, or XOR it in when `accumulate`. */
export function storeBytes(dst: DmaAddr, data: Uint8Array, accumulate: boolean): void {
  if (!accumulate) {
    copyView(dst.buf, dst.off, data, 0, data.length);
    return;
  }
  for (let i = 0; i < data.length; i++) dst.buf[dst.off + i]! ^= data[i]!;
}

/** Whether every byte is zero. */
export function allZero(data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) return false;
  return true;
}

/** Whether `data` equals the `len` bytes at `at`. */
export function sameBytes(data: Uint8Array, at: DmaAddr): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] !== at.buf[at.off + i]) return false;
  return true;
}
