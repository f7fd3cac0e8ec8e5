/**
 * Child process of 11.engine.transfer.test.ts (run with --expose-gc): buffers transferred away
 * and collected while the software engine still reads or writes them. Before in-flight memory
 * was pinned, the workers wrote into freed (unmapped) memory: SIGSEGV. argv[2] picks the
 * scenario; the child prints one JSON line the parent checks.
 */
import { createAsyncTx } from '../../lib/async_tx/api';
import { initAsyncSubmit } from '../../lib/async_tx/flags';
import { DmaCap } from '../../lib/dmaengine/caps';
import { createDmaEngine } from '../../lib/dmaengine/instance';
import { SoftEngine } from '../../lib/engine';
import { native } from '../../lib/native';
import { registerSoftDevice } from '../../lib/providers/soft';

const gc = (globalThis as { gc?: () => void }).gc!;
const say = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
const scenario = process.argv[2];

if (scenario === 'async-memcpy') {
  // The issue's case: asyncMemcpy on a soft device; each destination is transferred (the
  // clone dropped) and collected while its copies run; large buffers (above malloc's mmap
  // threshold, so freeing unmaps them) and many rounds make the window real.
  const engine = createDmaEngine({ cpus: 1 });
  registerSoftDevice({ channels: 2, caps: [DmaCap.MEMCPY, DmaCap.INTERRUPT] }, engine);
  const api = createAsyncTx(engine);
  const N = 32 << 20;
  const src = new Uint8Array(N).fill(3);
  let callbacks = 0;
  let queued = 0;
  for (let round = 0; round < 24; round++) {
    const dst = new Uint8Array(N);
    for (let i = 0; i < 3; i++) {
      if (api.asyncMemcpy(dst, src, 0, 0, N, initAsyncSubmit(0, null, () => callbacks++, null, null))) queued++;
    }
    api.asyncTxIssuePendingAll();
    structuredClone(dst.buffer, { transfer: [dst.buffer] });
    gc();
    for (let k = 0; k < 2; k++) new Uint8Array(N).fill(0xee);  // reuse what was freed, if anything was
  }
  // The sources too: transferred away and collected under the copies that read them.
  for (let round = 0; round < 8; round++) {
    const s = new Uint8Array(N).fill(round);
    const d = new Uint8Array(N);
    if (api.asyncMemcpy(d, s, 0, 0, N, initAsyncSubmit(0, null, () => callbacks++, null, null))) queued++;
    api.asyncTxIssuePendingAll();
    structuredClone(s.buffer, { transfer: [s.buffer] });
    gc();
  }
  const wait = () => (callbacks === queued ? say({ queued, callbacks }) : setTimeout(wait, 5));
  wait();
} else if (scenario === 'kept-clone') {
  // Transferred while in flight and kept: the copy's bytes land in the memory the new owner
  // holds (the same memory, as with hardware DMA), and nothing else is touched.
  const engine = createDmaEngine({ cpus: 1 });
  registerSoftDevice({ channels: 1, caps: [DmaCap.MEMCPY, DmaCap.INTERRUPT] }, engine);
  const api = createAsyncTx(engine);
  const N = 16 << 20;
  const src = new Uint8Array(N).fill(0x42);
  const dst = new Uint8Array(N);
  let done = false;
  const tx = api.asyncMemcpy(dst, src, 0, 0, N, initAsyncSubmit(0, null, () => { done = true; }, null, null));
  api.asyncTxIssuePendingAll();
  const moved = new Uint8Array(structuredClone(dst.buffer, { transfer: [dst.buffer] }));
  gc();
  const wait = () => {
    if (!done) { setTimeout(wait, 5); return; }
    say({ async: tx !== null, detached: dst.length === 0, landed: moved.every((b) => b === 0x42) });
  };
  wait();
} else if (scenario === 'dmabuf-map') {
  // A mapping (an external ArrayBuffer whose finalizer munmaps) as the destination: transferred
  // and collected in flight, it must stay mapped until the copies are delivered.
  const n = native();
  const N = 16 << 20;
  const fd = n.dmabuf.memfdCreate('transfer-test', N, false);
  const eng = new SoftEngine({ channels: 2, spinMicros: 0 });
  let delivered = 0;
  let failed = 0;
  eng.onComplete = (b) => { for (let i = 0; i < b.count; i++) { delivered++; if (b.result(i) !== 0) failed++; } };
  const src = new Uint8Array(N).fill(9);
  let submitted = 0;
  const rounds = async () => {
    for (let round = 0; round < 6; round++) {
      const map = n.dmabuf.map(fd, N);
      for (let i = 0; i < 8; i++) { eng.submit(i & 1, { op: 'memcpy', dst: map, src, len: N }); submitted++; }
      eng.issuePending(0);
      eng.issuePending(1);
      structuredClone(map.buffer, { transfer: [map.buffer] });
      gc();
      // Node runs an external buffer's finalizer (here: munmap) from the event loop.
      await new Promise((r) => setImmediate(r));
    }
  };
  const wait = () => {
    if (delivered < submitted) { setTimeout(wait, 5); return; }
    n.dmabuf.closeFd(fd);
    eng.close();
    say({ submitted, delivered, failed });
  };
  void rounds().then(wait);
}
