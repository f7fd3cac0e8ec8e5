/**
 * Software-engine benchmark: what offloading costs, all in (submit + doorbell + completion
 * delivered to JavaScript), next to doing the same copy synchronously; and how much the event
 * loop lags while the engine is saturated with 64 MiB work. Prints tables; asserts nothing.
 *
 * Run: npm run bench:engine   (BENCH_ROUNDS=n to change the rounds; medians are printed)
 * Every figure is a median over rounds that alternate engine and baseline in one process.
 */
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SoftEngine } from '../lib/engine';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const now = () => performance.now();

/** ns per op for `n` memcpys of `size` bytes at queue depth `depth`, on one channel. */
function offload(eng: SoftEngine, size: number, depth: number, n: number): Promise<number> {
  const src = Buffer.alloc(size, 1);
  const dst = Buffer.alloc(size);
  const op = { op: 'memcpy' as const, dst, src, len: size };
  return new Promise((resolve) => {
    let submitted = 0;
    let done = 0;
    const t0 = now();
    eng.onComplete = (batch) => {
      done += batch.count;
      if (done === n) {
        resolve(((now() - t0) * 1e6) / n);
        return;
      }
      // Refill the window: one doorbell per batch.
      let k = Math.min(batch.count, n - submitted);
      if (k > 0) {
        submitted += k;
        while (k-- > 0) eng.submit(0, op);
        eng.issuePending(0);
      }
    };
    for (; submitted < Math.min(depth, n); submitted++) eng.submit(0, op);
    eng.issuePending(0);
  });
}

/** ns per op of a synchronous Buffer.copy of the same size (the inline baseline). */
function directCopy(size: number, n: number): number {
  const src = Buffer.alloc(size, 1);
  const dst = Buffer.alloc(size);
  const t0 = now();
  for (let i = 0; i < n; i++) src.copy(dst, 0, 0, size);
  return ((now() - t0) * 1e6) / n;
}

/** ns per submit alone (no doorbell), in runs of 64 that a terminate then aborts. */
async function submitOnly(eng: SoftEngine, n: number): Promise<number> {
  const src = Buffer.alloc(64, 1);
  const dst = Buffer.alloc(64);
  const op = { op: 'memcpy' as const, dst, src, len: 64 };
  let ms = 0;
  for (let done = 0; done < n; done += 64) {
    const t0 = now();
    for (let i = 0; i < 64; i++) eng.submit(0, op);
    ms += now() - t0;
    await new Promise<void>((resolve) => {
      let got = 0;
      eng.onComplete = (b) => { got += b.count; if (got === 64) resolve(); };
      eng.terminate(0);
    });
  }
  return (ms * 1e6) / n;
}

/** Event-loop delay (ms, p50/p99/max) over `ms` while `load` runs. */
async function loopLag(ms: number, load: (stop: () => boolean) => Promise<number>): Promise<{ p50: number; p99: number; max: number; gbps: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const t0 = now();
  h.enable();
  const bytes = await load(() => now() - t0 > ms);
  h.disable();
  const secs = (now() - t0) / 1000;
  return { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6, gbps: bytes / secs / 1e9 };
}

/** Keeps `chans` busy with 64 MiB copies (2 queued per channel) until stop(). */
function saturate(eng: SoftEngine, chans: number[]): (stop: () => boolean) => Promise<number> {
  const size = 64 << 20;
  const bufs = [0, 1].map(() => ({ src: Buffer.alloc(size, 1), dst: Buffer.alloc(size) }));
  return (stop) => new Promise((resolve) => {
    let inFlight = 0;
    let bytes = 0;
    const submit = (ch: number) => {
      eng.submit(ch, { op: 'memcpy', dst: bufs[ch]!.dst, src: bufs[ch]!.src, len: size });
      inFlight++;
    };
    eng.onComplete = (b) => {
      inFlight -= b.count;
      bytes += b.count * size;
      const refill = !stop();
      for (let i = 0; i < b.count; i++) {
        if (refill) { const ch = b.channel(i); submit(ch); eng.issuePending(ch); }
      }
      if (inFlight === 0) resolve(bytes);
    };
    for (const ch of chans) { submit(ch); submit(ch); eng.issuePending(ch); }
  });
}

/** The same 64 MiB copies done synchronously on the JS thread, with timers trying to run. */
function blocking(stop: () => boolean): Promise<number> {
  const size = 64 << 20;
  const src = Buffer.alloc(size, 1);
  const dst = Buffer.alloc(size);
  return new Promise((resolve) => {
    let bytes = 0;
    const step = () => {
      src.copy(dst);
      bytes += size;
      if (stop()) resolve(bytes); else setImmediate(step);
    };
    step();
  });
}

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`engine bench: ${cpu}, ${os.cpus().length} CPUs, Node ${process.version}, ${ROUNDS} rounds (medians)\n`);
  const eng = new SoftEngine({ channels: 2, spinMicros: 50 });

  const sizes = [64, 4096, 65536, 1 << 20];
  const rows: string[][] = [];
  for (const size of sizes) {
    const n1 = size >= 1 << 20 ? 300 : 2000;
    const n64 = size >= 1 << 20 ? 1000 : 20000;
    const r = { qd1: [] as number[], qd64: [] as number[], sync: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      r.sync.push(directCopy(size, n64));
      r.qd1.push(await offload(eng, size, 1, n1));
      r.qd64.push(await offload(eng, size, 64, n64));
    }
    const [qd1, qd64, sync] = [median(r.qd1), median(r.qd64), median(r.sync)];
    rows.push([fmtSize(size), fmtNs(sync), fmtNs(qd1), (qd1 / sync).toFixed(1) + '×', fmtNs(qd64), (qd64 / sync).toFixed(2) + '×',
      fmtNs(Math.max(0, qd64 - sync))]);
  }
  console.log('Per-operation cost, all in (submit + doorbell + completion delivered to JS), one channel');
  table(['size', 'Buffer.copy (sync)', 'engine QD1', 'QD1 / sync', 'engine QD64', 'QD64 / sync', 'QD64 overhead'], rows);

  const sub: number[] = [];
  for (let round = 0; round < ROUNDS; round++) sub.push(await submitOnly(eng, 20000));
  console.log(`\nsubmit() alone (64 B memcpy, runs of 64, no doorbell): ${fmtNs(median(sub))} per call\n`);

  const lagRows: string[][] = [];
  const idleLag = await loopLag(1000, (stop) => new Promise((r) => { const t = setInterval(() => { if (stop()) { clearInterval(t); r(0); } }, 5); }));
  const busy1Lag = await loopLag(2000, saturate(eng, [0]));
  const busyLag = await loopLag(2000, saturate(eng, [0, 1]));
  const syncLag = await loopLag(1000, blocking);
  for (const [name, l] of [['idle loop (baseline)', idleLag], ['engine saturated: 1 channel × 64 MiB memcpy', busy1Lag],
    ['engine saturated: 2 channels × 64 MiB memcpy', busyLag],
    ['same copies synchronously on the JS thread', syncLag]] as const) {
    lagRows.push([name, l.p50.toFixed(3), l.p99.toFixed(3), l.max.toFixed(3), l.gbps ? l.gbps.toFixed(2) : '-']);
  }
  console.log(`Event-loop delay (perf_hooks.monitorEventLoopDelay, resolution 1 ms: an idle loop reads ~1 ms; ${os.cpus().length} CPUs)`);
  table(['load', 'p50 ms', 'p99 ms', 'max ms', 'GB/s copied'], lagRows);
  eng.close();
}

function fmtNs(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
}
function fmtSize(n: number): string {
  return n >= 1 << 20 ? `${n >> 20} MiB` : n >= 1024 ? `${n >> 10} KiB` : `${n} B`;
}
function table(head: string[], rows: string[][]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padStart(w[i]!)).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

main().catch((e) => { console.error(e); process.exit(1); });
