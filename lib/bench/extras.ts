/**
 * The bench's figures beyond the sweep: what offloading costs per operation at queue depth 1
 * and 64 (all in: submit, doorbell, completion delivered to JavaScript, minus the inline
 * call), event-loop delay (perf_hooks.monitorEventLoopDelay) with an idle loop and with the
 * engine saturating every channel, and the memcpy bandwidth of two threads (two
 * worker_threads doing Buffer.copy), the ceiling two channels can reach at 64 MiB.
 *
 * Threading: JavaScript thread; the memcpy threads are worker_threads (threads.ts), ended
 * before returning.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { benchEngine } from './engines';
import { benchOpDef } from './ops';
import { type Contender, inlineContender, queuedContender } from './runners';
import { median, nowNs } from './stats';
import { timedThreads } from './threads';
import { dataIn } from './sweep';
import { Workload } from './workload';

export interface OverheadRow {
  len: number;
  /** ns per asyncMemcpy on the inline path. */
  inlineNs: number;
  /** ns per asyncMemcpy queued on one soft channel, depth 1 and 64, all in. */
  q1Ns: number;
  q64Ns: number;
}

export interface LoopDelay {
  load: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** GB/s of data in the engine moved meanwhile (0 when idle). */
  gbps: number;
}

export interface TwoThreadCopy {
  len: number;
  oneThreadGbps: number;
  twoThreadGbps: number;
}

async function alternate(cs: Contender[], opsOf: (c: Contender) => number, rounds: number): Promise<number[][]> {
  const out = cs.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    const order = r & 1 ? [...cs.keys()].reverse() : [...cs.keys()];
    for (const k of order) out[k]!.push((await cs[k]!.run(opsOf(cs[k]!))) / opsOf(cs[k]!));
  }
  return out;
}

/** Per-op cost of asyncMemcpy of each length: inline, queued at depth 1 and at depth 64. */
export async function measureOverhead(lens: number[], rounds: number, quick: boolean): Promise<OverheadRow[]> {
  const def = benchOpDef('memcpy');
  const inline = benchEngine('inline').open(1);
  const soft = benchEngine('soft').open(1);
  const rows: OverheadRow[] = [];
  try {
    for (const len of lens) {
      const w = new Workload(len);
      const cs = [inlineContender('inline', def, inline, w), queuedContender('q1', def, soft, [w], 1), queuedContender('q64', def, soft, [w], 64)];
      for (const c of cs) await c.verify(64);
      const n = quick ? 2000 : 5000;
      const [a, b, c] = await alternate(cs, (x) => (x.id === 'q1' ? n / 5 : n), rounds);
      rows.push({ len, inlineNs: median(a!), q1Ns: median(b!), q64Ns: median(c!) });
    }
  } finally {
    inline.close();
    soft.close();
  }
  return rows;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** monitorEventLoopDelay's finest resolution (Node takes whole milliseconds, ≥ 1). */
const LOOP_RESOLUTION_MS = 1;

/** One monitorEventLoopDelay histogram over `segment` (a fresh one each time: a re-enabled
 * histogram's first sample spans the time it was disabled). */
async function loopSegment(segment: () => Promise<unknown>): Promise<{ p50: number; p99: number; max: number }> {
  const h = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  h.enable();
  await segment();
  h.disable();
  return { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
}

/**
 * Event-loop delay idle and with P+Q of 1 MiB queued on `channels` soft channels at depth 64:
 * `pairs` idle segments of `segMs` alternating with as many saturated ones (so a machine
 * whose load drifts loads both alike); each row gives the median over its segments of each
 * segment's p50 and p99, and the largest max. A sample is the timer's interval: resolution +
 * delay.
 */
export async function measureLoopDelay(segMs: number, channels: number, pairs = 3): Promise<LoopDelay[]> {
  const len = 1 << 20;
  const def = benchOpDef('pq');
  const soft = benchEngine('soft').open(channels);
  try {
    const sets = Array.from({ length: channels }, () => new Workload(len));
    const c = queuedContender('saturate', def, soft, sets, 64);
    await c.verify(2 * channels);
    const estNs = (await c.run(16 * channels)) / (16 * channels);
    const n = Math.max(16 * channels, Math.ceil((segMs * 1e6) / estNs));
    const idle: Array<Awaited<ReturnType<typeof loopSegment>>> = [];
    const busy: typeof idle = [];
    let busyNs = 0;
    for (let i = 0; i < pairs; i++) {
      idle.push(await loopSegment(() => sleep(segMs)));
      busy.push(await loopSegment(async () => {
        const t0 = nowNs();
        await c.run(n);
        busyNs += nowNs() - t0;
      }));
    }
    const row = (segs: typeof idle, load: string, gbps: number): LoopDelay => ({
      load, gbps, p50Ms: median(segs.map((x) => x.p50)), p99Ms: median(segs.map((x) => x.p99)),
      maxMs: Math.max(...segs.map((x) => x.max)),
    });
    return [
      row(idle, 'idle loop', 0),
      row(busy, `engine saturated: P+Q 8+2 × 1 MiB, depth 64, ${channels} soft channel${channels === 1 ? '' : 's'}`,
        (pairs * n * dataIn('pq', len)) / (busyNs / 1e9) / 1e9),
    ];
  } finally {
    soft.close();
  }
}

// Each worker copies between buffers of its own.
const COPY_SCRIPT = `
const src = Buffer.alloc(workerData.len, 1), dst = Buffer.alloc(workerData.len);
src.copy(dst);
ready(() => src.copy(dst));
`;

async function copyThreads(threads: number, len: number, iters: number): Promise<number> {
  const ns = await timedThreads(COPY_SCRIPT, threads, iters, { len });
  return (threads * iters * len) / ns;
}

/** Buffer.copy bandwidth (GB/s of data in) with one and with two worker threads. */
export async function measureTwoThreadCopy(len: number, rounds: number): Promise<TwoThreadCopy> {
  const iters = Math.max(2, Math.ceil((256 << 20) / len));
  const one: number[] = [];
  const two: number[] = [];
  for (let r = 0; r < rounds; r++) {
    one.push(await copyThreads(1, len, iters));
    two.push(await copyThreads(2, len, iters));
  }
  return { len, oneThreadGbps: median(one), twoThreadGbps: median(two) };
}
