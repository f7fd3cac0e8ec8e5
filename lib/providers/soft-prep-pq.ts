/**
 * The `soft` provider's prep work for P+Q and its check, with the explicit coefficients of
 * `device_prep_dma_pq` (`scf`): the engine's `pq_coef` / `pq_coef_val`.
 *
 * Model: the core checked every argument (lib/dmaengine/prep.ts). `DMA_PREP_PQ_DISABLE_P/Q`
 * pass a null output, `DMA_PREP_CONTINUE` accumulates into P/Q. The engine takes 1..253
 * sources: `srcCnt` 0 returns null (the op does not fit). Nothing to write (zero length, or
 * both outputs disabled) becomes an in-order no-op.
 *
 * Threading: JavaScript thread only; the returned `submitOp` runs at `txSubmit`.
 */
import { type DmaAddr, DmaCtrlFlags, type Holder } from '../dmaengine/status';
import { type SoftPrep, prepInterrupt } from './soft-prep';

/**
 * The engine's blocks (the sources, then P|null, Q|null) and their offsets, without views
 * (the engine takes each block with its own offset: pqCoefBlocks).
 */
function pqArgs(pq: readonly (DmaAddr | null)[], src: readonly DmaAddr[], srcCnt: number, scf: Uint8Array, flags: number) {
  const p = (flags & DmaCtrlFlags.PREP_PQ_DISABLE_P) !== 0 ? null : pq[0]!;
  const q = (flags & DmaCtrlFlags.PREP_PQ_DISABLE_Q) !== 0 ? null : pq[1]!;
  const blocks: (Uint8Array | null)[] = [];
  const offs: number[] = [];
  for (let i = 0; i < srcCnt; i++) {
    blocks.push(src[i]!.buf);
    offs.push(src[i]!.off);
  }
  blocks.push(p === null ? null : p.buf, q === null ? null : q.buf);
  offs.push(p === null ? 0 : p.off, q === null ? 0 : q.off);
  // the engine copies the coefficients at submit; copy now so later changes do not leak in
  return { p, q, blocks, offs, coefs: scf.slice(0, srcCnt) };
}

/** P = ⊕ src, Q = ⊕ scf[i]·src[i] (XORed in with DMA_PREP_CONTINUE); null when srcCnt is 0. */
export function prepPq(dst: readonly (DmaAddr | null)[], src: readonly DmaAddr[], srcCnt: number, scf: Uint8Array, len: number,
  flags: number): SoftPrep | null {
  if (srcCnt === 0) return null;
  const { p, q, blocks, offs, coefs } = pqArgs(dst, src, srcCnt, scf, flags);
  const accumulate = (flags & DmaCtrlFlags.PREP_CONTINUE) !== 0;
  if (len === 0 || (p === null && q === null)) return prepInterrupt();
  return {
    submitOp: (e, ch, fence) => e.pqCoefBlocks(ch, fence, accumulate, false, len, coefs, blocks, offs),
    memcpyLen: -1, finish: null, corrupt: p ?? q,
  };
}

/** `pqres.value` = the P/Q mismatch bits of [P, Q] against the sources; null when srcCnt is 0. */
export function prepPqVal(pq: readonly (DmaAddr | null)[], src: readonly DmaAddr[], srcCnt: number, scf: Uint8Array, len: number,
  pqres: Holder<number>, flags: number): SoftPrep | null {
  if (srcCnt === 0) return null;
  const { p, q, blocks, offs, coefs } = pqArgs(pq, src, srcCnt, scf, flags);
  const set = (v: number): void => { pqres.value = v; };
  if (len === 0 || (p === null && q === null)) return prepInterrupt(-1, () => set(0));
  return {
    submitOp: (e, ch, fence) => e.pqCoefBlocks(ch, fence, false, true, len, coefs, blocks, offs),
    memcpyLen: -1, finish: set, corrupt: null,
  };
}
