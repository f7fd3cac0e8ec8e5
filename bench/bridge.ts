/**
 * The dmaengine bridge from Node against the kernel's own dmatest, in the same guest boot, on
 * the same dmae_soft channel (a ratio, not absolute figures: the lane's guest is emulated).
 *
 * Run: npm run bench:bridge (boots the 6.12 lane guest with KERNEL_LANE_CMD pointing here).
 * For each size (4 KiB, 64 KiB, 1 MiB): the kernel's dmatest memcpy thread (noverify,
 * norandom, one thread, for BENCH_MS), then memcpy descriptors through the bridge at queue
 * depth 64 with doorbells of 1, 16 and 64 operations (one submit ioctl each), counting every
 * ioctl the binding made. Prints one table; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { allocDmaBuf } from '../lib/dmabuf';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { dmaengineSubmit } from '../lib/dmaengine/client';
import { runKernelDmatest } from '../lib/dmatest/kernel-bridge';
import { readKernelDma, registerKernelDevices, unregisterKernelDevices, type KernelBridgeDevice } from '../lib/providers/kernel';

const MS = Number(process.env.BENCH_MS ?? 3000);
const SIZES = [4096, 65536, 1 << 20];
const BATCHES = [1, 16, 64];
const DEPTH = 64;
const moddir = process.env.LANE_MODDIR ?? '';
const bb = process.env.LANE_BUSYBOX || '/bin/busybox';

function reloadSoft(): void {
  if (existsSync('/sys/module/dmae_soft')) execFileSync(bb, ['rmmod', 'dmae_soft']);
  // one memcpy channel, so dmatest runs one copy thread and the bridge gets the same channel
  execFileSync(bb, ['insmod', join(moddir, 'dmae_soft.ko'), 'channels=1', 'caps=memcpy,interrupt']);
  if (!existsSync('/sys/module/dmatest')) execFileSync(bb, ['insmod', join(moddir, 'dmatest.ko')]);
}

async function kernel(size: number): Promise<{ ops: number; mbs: number }> {
  const r = await runKernelDmatest({ iterations: 0, test_buf_size: size, noverify: true, norandom: true, threads_per_chan: 1, timeout: 30000 },
    { channels: [readKernelDma().channels.find((c) => c.device === 'dmae_soft')!.name], durationMs: MS });
  const t = r.channels[0]!.threads.find((x) => x.op === 'copy')!;
  return { ops: t.iops ?? 0, mbs: (t.kbPerSec ?? 0) / 1024 };
}

/** memcpys of `size` through the bridge at depth 64, `batch` per doorbell, for MS ms. */
async function bridge(dev: KernelBridgeDevice, size: number, batch: number): Promise<{ ops: number; mbs: number; ioctlsPerOp: number }> {
  const chan = dev.channels[0]!;
  const src = allocDmaBuf(size, { source: 'udmabuf' });
  const dst = allocDmaBuf(size, { source: 'udmabuf' });
  const s = { buf: src.bytes, off: 0 };
  const d = { buf: dst.bytes, off: 0 };
  let inflight = 0;
  let done = 0;
  let wake: (() => void) | null = null;
  const cb = () => { inflight--; done++; const w = wake; wake = null; w?.(); };
  // warm up (imports the two buffers)
  const first = dev.devicePrepDmaMemcpy(chan, d, s, size, 1)!;
  first.callback = cb;
  inflight++;
  dmaengineSubmit(first);
  dev.deviceIssuePending(chan);
  while (inflight > 0) await new Promise<void>((r) => { wake = r; });
  const st0 = dev.bridgeStats();
  done = 0;
  const t0 = performance.now();
  const end = t0 + MS;
  while (performance.now() < end) {
    while (inflight + batch <= DEPTH) {
      for (let i = 0; i < batch; i++) {
        const tx = dev.devicePrepDmaMemcpy(chan, d, s, size, 1)!;
        tx.callback = cb;
        dmaengineSubmit(tx);
      }
      inflight += batch;
      dev.deviceIssuePending(chan);
    }
    await new Promise<void>((r) => { wake = r; });
  }
  while (inflight > 0) await new Promise<void>((r) => { wake = r; });
  const secs = (performance.now() - t0) / 1000;
  const st1 = dev.bridgeStats();
  src.close();
  dst.close();
  return { ops: done / secs, mbs: (done * size) / secs / (1 << 20), ioctlsPerOp: (st1.ioctls - st0.ioctls) / Math.max(done, 1) };
}

async function main(): Promise<void> {
  reloadSoft();
  const rows: string[][] = [['size', 'dmatest ops/s', 'dmatest MB/s', 'batch', 'bridge ops/s', 'bridge MB/s', 'ratio', 'ioctls/op']];
  for (const size of SIZES) {
    const k = await kernel(size);
    const engine = createDmaEngine({ cpus: 1 });
    const devs = registerKernelDevices({ model: 'exclusive', engine, private: true });
    try {
      for (const b of BATCHES) {
        const r = await bridge(devs[0]!, size, b);
        rows.push([size >= 1 << 20 ? `${size >> 20} MiB` : `${size >> 10} KiB`, k.ops.toFixed(0), k.mbs.toFixed(1), String(b),
          r.ops.toFixed(0), r.mbs.toFixed(1), (r.mbs / Math.max(k.mbs, 1e-9)).toFixed(2), r.ioctlsPerOp.toFixed(3)]);
      }
    } finally {
      unregisterKernelDevices(devs, engine);
    }
  }
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('\nbench:bridge (dmae_soft, 1 channel, guest under TCG; ratio = bridge MB/s / dmatest MB/s)');
  for (const r of rows) console.log(r.map((c, i) => c.padStart(w[i]!)).join('  '));
}

main().then(() => { console.log('BENCH-BRIDGE-DONE'); }, (e) => { console.error(e); process.exitCode = 1; });
