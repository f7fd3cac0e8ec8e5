/**
 * The dmaengine bridge from Node against the kernel's own dmatest, in the same guest boot, on
 * the same dmae_soft channel (a ratio, not absolute figures: the lane's guest is emulated).
 *
 * Run: npm run bench:bridge (boots the 6.12 lane guest, 2 vCPUs, with KERNEL_LANE_CMD pointing
 * here). For each size (4 KiB, 64 KiB, 1 MiB), ROUNDS rounds of: the kernel's dmatest memcpy
 * thread (noverify, norandom, one thread, for BENCH_MS), then memcpy descriptors through the
 * bridge at queue depth 64 with doorbells of 1, 16 and 64 operations (one submit ioctl each),
 * counting every ioctl and wake-up the binding made and the JavaScript time per operation.
 * The figures are per-configuration medians over the rounds: interleaving keeps the ratio
 * honest when the emulating host's load drifts. Prints one table; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { allocDmaBuf } from '../dist/dmabuf';
import { createDmaEngine } from '../dist/dmaengine/instance';
import { dmaengineSubmit } from '../dist/dmaengine/client';
import { runKernelDmatest } from '../dist/dmatest/kernel-bridge';
import { readKernelDma, registerKernelDevices, unregisterKernelDevices, type KernelBridgeDevice } from '../dist/providers/kernel';

const MS = Number(process.env.BENCH_MS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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
interface BridgeRun { ops: number; mbs: number; ioctlsPerOp: number; wakesPerOp: number; prepUs: number; issueUs: number; cbUs: number }

async function bridge(dev: KernelBridgeDevice, size: number, batch: number): Promise<BridgeRun> {
  const chan = dev.channels[0]!;
  const src = allocDmaBuf(size, { source: 'udmabuf' });
  const dst = allocDmaBuf(size, { source: 'udmabuf' });
  const s = { buf: src.bytes, off: 0 };
  const d = { buf: dst.bytes, off: 0 };
  let inflight = 0;
  let done = 0;
  let wake: (() => void) | null = null;
  let cbNs = 0n;
  const cb = () => { const c0 = process.hrtime.bigint(); inflight--; done++; const w = wake; wake = null; w?.(); cbNs += process.hrtime.bigint() - c0; };
  // warm up (imports the two buffers)
  const first = dev.devicePrepDmaMemcpy(chan, d, s, size, 1)!;
  first.callback = cb;
  inflight++;
  dmaengineSubmit(first);
  dev.deviceIssuePending(chan);
  while (inflight > 0) await new Promise<void>((r) => { wake = r; });
  const st0 = dev.bridgeStats();
  done = 0;
  cbNs = 0n;
  let prepNs = 0n;
  let issueNs = 0n;
  const t0 = performance.now();
  const end = t0 + MS;
  while (performance.now() < end) {
    while (inflight + batch <= DEPTH) {
      const p0 = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) {
        const tx = dev.devicePrepDmaMemcpy(chan, d, s, size, 1)!;
        tx.callback = cb;
        dmaengineSubmit(tx);
      }
      inflight += batch;
      const p1 = process.hrtime.bigint();
      dev.deviceIssuePending(chan);
      issueNs += process.hrtime.bigint() - p1;
      prepNs += p1 - p0;
    }
    await new Promise<void>((r) => { wake = r; });
  }
  while (inflight > 0) await new Promise<void>((r) => { wake = r; });
  const secs = (performance.now() - t0) / 1000;
  const st1 = dev.bridgeStats();
  src.close();
  dst.close();
  const n = Math.max(done, 1);
  const us = (x: bigint) => Number(x) / 1000 / n;
  return { ops: done / secs, mbs: (done * size) / secs / (1 << 20), ioctlsPerOp: (st1.ioctls - st0.ioctls) / n,
    wakesPerOp: (st1.wakeups - st0.wakeups) / n, prepUs: us(prepNs), issueUs: us(issueNs), cbUs: us(cbNs) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  reloadSoft();
  const rows: string[][] = [['size', 'dmatest ops/s', 'dmatest MB/s', 'batch', 'bridge ops/s', 'bridge MB/s', 'ratio', 'ioctls/op',
    'wakes/op', 'JS prep µs/op', 'ioctl µs/op', 'cb µs/op']];
  for (const size of SIZES) {
    const k: { ops: number; mbs: number }[] = [];
    const b = new Map<number, BridgeRun[]>(BATCHES.map((x) => [x, []]));
    for (let round = 0; round < ROUNDS; round++) {
      k.push(await kernel(size));
      const engine = createDmaEngine({ cpus: 1 });
      const devs = registerKernelDevices({ model: 'exclusive', engine, private: true });
      try {
        for (const x of BATCHES) b.get(x)!.push(await bridge(devs[0]!, size, x));
      } finally {
        unregisterKernelDevices(devs, engine);
      }
    }
    const kOps = median(k.map((x) => x.ops));
    const kMbs = median(k.map((x) => x.mbs));
    for (const x of BATCHES) {
      const rs = b.get(x)!;
      const m = (f: (r: BridgeRun) => number) => median(rs.map(f));
      rows.push([size >= 1 << 20 ? `${size >> 20} MiB` : `${size >> 10} KiB`, kOps.toFixed(0), kMbs.toFixed(1), String(x),
        m((r) => r.ops).toFixed(0), m((r) => r.mbs).toFixed(1), (m((r) => r.mbs) / Math.max(kMbs, 1e-9)).toFixed(2),
        m((r) => r.ioctlsPerOp).toFixed(3), m((r) => r.wakesPerOp).toFixed(3), m((r) => r.prepUs).toFixed(1),
        m((r) => r.issueUs).toFixed(1), m((r) => r.cbUs).toFixed(1)]);
    }
  }
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`\nbench:bridge (dmae_soft, 1 channel, guest under TCG, ${cpus().length} vCPU, medians of ${ROUNDS} interleaved rounds; ` +
    'ratio = bridge MB/s / dmatest MB/s)');
  for (const r of rows) console.log(r.map((c, i) => c.padStart(w[i]!)).join('  '));
}

main().then(() => { console.log('BENCH-BRIDGE-DONE'); }, (e) => { console.error(e); process.exitCode = 1; });
