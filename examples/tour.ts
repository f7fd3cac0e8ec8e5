/**
 * The README's short tour, runnable: `npx tsx examples/tour.ts`. A test runs it too, so the
 * README cannot drift from the API.
 */
import {
  registerSoftDevice, DmaCap, DmaCapMask, dmaRequestChannel, dmaReleaseChannel,
  initAsyncSubmit, AsyncTxFlags, asyncXor, asyncMemcpy, asyncTriggerCallback,
  asyncTxIssuePendingAll, waitForAsyncTx, allocDmaBuf, runDmatest, kernelBridgeStatus, registerKernelDevices,
  unregisterKernelDevices,
} from '../lib/index';

export async function tour(log: (s: string) => void = console.log): Promise<void> {
  // async_tx with no device: every operation runs inline on the SIMD kernels and returns null.
  const dest = Buffer.alloc(4096);
  const srcs = [Buffer.alloc(4096, 1), Buffer.alloc(4096, 2), Buffer.alloc(4096, 4)];
  const inline = asyncXor(dest, srcs, 0, srcs.length, 4096, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST, null, null, null, null));
  log(`software path: returned ${inline}, dest[0] = ${dest[0]}`);

  // Register a device: now operations queue on its channels and complete on the event loop.
  registerSoftDevice({ channels: 2, caps: [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.INTERRUPT], maxXor: 8 });
  const copy = Buffer.alloc(4096);
  let tx = asyncXor(dest, srcs, 0, 3, 4096, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST, null, null, null, null));
  tx = asyncMemcpy(copy, dest, 0, 0, 4096, initAsyncSubmit(0, tx, null, null, null));
  tx = asyncTriggerCallback(initAsyncSubmit(AsyncTxFlags.ACK, tx, () => log('chain done'), null, null));
  asyncTxIssuePendingAll();
  await waitForAsyncTx(tx);
  log(`device path: copy[0] = ${copy[0]}`);

  // An exclusive channel, as a device-to-memory user takes it: from a private device (the
  // public one's channels are all held by async_tx, the all-public-or-all-private rule).
  registerSoftDevice({ channels: 1, caps: [DmaCap.MEMCPY], private: true, name: 'rig0' });
  const chan = dmaRequestChannel(DmaCapMask.of(DmaCap.MEMCPY), (c) => c.device?.dev === 'rig0', null);
  log(`exclusive channel: ${chan?.name}`);
  if (chan) dmaReleaseChannel(chan);

  // dma-buf memory (dma-heap, then udmabuf, then plain memfd), usable as async_tx pages.
  const buf = allocDmaBuf(1 << 20, { source: 'auto' });
  log(`dma-buf: ${buf.source}, ${buf.bytes.length} bytes`);
  buf.close();

  // dmatest in process, with the kernel module's parameters, log lines and result shape.
  const r = await runDmatest({ iterations: 10, test_buf_size: 4096 });
  log(`dmatest: ${r.tests} tests, ${r.failures} failures`);

  // The machine's own DMA engines, through the dmaengine bridge module when it is loaded: its
  // devices join the default instance and async_tx uses them for dma-buf bytes.
  const bridge = kernelBridgeStatus();
  log(`bridge: ${bridge.reason ?? `ABI ${bridge.version}`}`);
  if (bridge.reason === null) unregisterKernelDevices(registerKernelDevices());
}

if (require.main === module) {
  tour().catch((e) => { console.error(e); process.exitCode = 1; });
}
