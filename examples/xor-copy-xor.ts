/**
 * The seed RFC's example, `run_xor_copy_xor`: an XOR, a copy that depends on it, a second XOR
 * that depends on the copy and is only prepared (ASYNC_TX_DELAY_SUBMIT), then
 * asyncTriggerCallback to put the completion callback on that last XOR and submit it, and
 * asyncTxIssuePendingAll to start the lot. The callback runs once, after the whole chain.
 *
 * The kernel's version copies `xor_srcs` into a local array first because async_xor overwrote
 * its source list; this library never writes the caller's list, so no copy is needed.
 *
 * Run: `npx tsx examples/xor-copy-xor.ts` (default instance: software path unless a provider
 * registered a device).
 */
import {
  type AsyncTx, type AsyncTxCallback, AsyncTxFlags, defaultAsyncTx, initAsyncSubmit,
} from '../lib/async_tx/index';
import type { DmaAsyncTxDescriptor } from '../lib/dmaengine/descriptor';

/**
 * `run_xor_copy_xor(xor_srcs, xor_src_cnt, xor_dest, xor_len, copy_src, copy_dest, copy_len)`,
 * with the completion callback and the API to use as extra arguments.
 * `xorSrcs[0]` must be `xorDest` (ASYNC_TX_XOR_DROP_DST).
 * @returns the descriptor carrying the callback, or null when everything already ran
 */
export function runXorCopyXor(xorSrcs: Uint8Array[], xorSrcCnt: number, xorDest: Uint8Array, xorLen: number,
  copySrc: Uint8Array, copyDest: Uint8Array, copyLen: number, complete: AsyncTxCallback,
  api: AsyncTx = defaultAsyncTx()): DmaAsyncTxDescriptor | null {
  let tx = api.asyncXor(xorDest, xorSrcs, 0, xorSrcCnt, xorLen, initAsyncSubmit(AsyncTxFlags.XOR_DROP_DST, null));
  tx = api.asyncMemcpy(copyDest, copySrc, 0, 0, copyLen, initAsyncSubmit(0, tx));
  tx = api.asyncXor(xorDest, xorSrcs, 0, xorSrcCnt, xorLen,
    initAsyncSubmit(AsyncTxFlags.XOR_DROP_DST | AsyncTxFlags.DELAY_SUBMIT, tx));
  tx = api.asyncTriggerCallback(initAsyncSubmit(0, tx, complete, 'xor-copy-xor'));
  api.asyncTxIssuePendingAll();
  return tx;
}

if (require.main === module) {
  const len = 4096;
  const dest = new Uint8Array(len).fill(0x5a);
  const srcs = [dest, ...Array.from({ length: 4 }, (_, k) => new Uint8Array(len).fill(k + 1))];
  const copy = new Uint8Array(len);
  const tx = runXorCopyXor(srcs, srcs.length, dest, len, dest, copy, len, (param) => {
    process.stdout.write(`${String(param)}: complete; dest[0]=0x${dest[0]!.toString(16)} copy[0]=0x${copy[0]!.toString(16)}\n`);
  });
  process.stdout.write(tx === null ? 'ran on the software path\n' : 'queued on a channel\n');
}
