/**
 * `runBench(options)`: one sweep, every figure side by side in one process.
 *
 * Order: the C++ program first (its own process, nothing else running), then for each size
 * and each operation: every contender verified once (wrong result: the run stops with an
 * Error), warmed up until it runs at a steady pace (untimed samples; the last sizes the
 * timed ones), then `rounds` rounds in which the contenders
 * alternate (forward, then backward); medians. Then the extras (overhead per op, event-loop
 * delay, two-thread memcpy) and the targets.
 *
 * Threading: JavaScript thread; engines' workers and the C++ program run meanwhile, one
 * contender at a time.
 */
import os from 'node:os';
import { native } from '../native';
import { type BenchEngine, type BenchMemory, type EngineSession, BENCH_ENGINES } from './engines';
import {
  type LoopDelay, type OverheadRow, type TwoThreadCopy, measureLoopDelay, measureOverhead, measureTwoThreadCopy,
} from './extras';
import { type NativeBaseline, type NativeRow, runNativeBaseline } from './native-baseline';
import { benchOpDef } from './ops';
import { type Contender, bindingContender, inlineContender, queuedContender, syncContender } from './runners';
import { type Figure, type SeriesDef, queuedSeriesId, sweepSeries } from './series';
import { summarize } from './stats';
import { type BenchEngineId, type BenchOp, type BenchOptions, dataIn, sizeName, OP_LABELS } from './sweep';
import { type BindingFloor, type KernelThreads, measureBindingFloor, measureKernelThreads } from './limits';
import { type TargetResult, evaluateTargets } from './targets';
import { Workload } from './workload';

export interface EngineStatus {
  id: BenchEngineId;
  loaded: boolean;
  /** Why not, when not loaded. */
  reason?: string;
}

export interface MachineSummary {
  cpu: string;
  cpus: number;
  node: string;
  kernel: string;
  /** Load averages (1, 5, 15 min) when the run started. */
  load: number[];
  /** Kernel variant chosen per operation (`dmaengine info`). */
  selection: Record<string, string>;
}

export interface BenchResult {
  machine: MachineSummary;
  options: BenchOptions;
  engines: EngineStatus[];
  series: SeriesDef[];
  figures: Figure[];
  /** Columns left out of this run, and why. */
  omitted: { series: string; reason: string }[];
  overhead: OverheadRow[];
  loopDelay: LoopDelay[];
  twoThreadCopy: TwoThreadCopy | null;
  /** The limits beside the targets (limits.ts); empty without extras. */
  kernelThreads: KernelThreads[];
  bindingFloor: BindingFloor[];
  targets: TargetResult[];
  /** Queued operations submitted and completion callbacks delivered to JavaScript (equal). */
  queued: { submitted: number; callbacks: number };
  durationMs: number;
}

export interface BenchHooks {
  /** Progress: `done` of `total` steps; `label` says what runs now. */
  progress?(done: number, total: number, label: string): void;
  /** A line for the user (build messages). */
  log?(line: string): void;
}

const MAX_OPS = 1_000_000;

function machine(): MachineSummary {
  const selection: Record<string, string> = {};
  for (const s of native().kernelSelection()) selection[s.op] = s.chosen;
  return {
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown CPU', cpus: os.cpus().length, node: process.version,
    kernel: `${os.type()} ${os.release()}`, load: os.loadavg().map((x) => Math.round(x * 100) / 100), selection,
  };
}

/** Operations of a warm-up/verification run: a few hundred KiB, at least the contender's minimum. */
function warmOps(c: Contender, len: number): number {
  return Math.max(c.minOps, Math.min(128, Math.ceil((256 << 10) / len)));
}

/**
 * Untimed work before a contender's first timed sample, until it runs at its steady pace. The
 * JavaScript of a path runs interpreted until V8 has optimised it, and the compiler and the
 * collector run on V8's helper threads beside the engine's workers meanwhile: measured on a
 * 2-vCPU machine, queued 64 KiB xor took 37 µs per operation over its first 4000 operations
 * (V8's helper threads 35 µs of CPU per operation) and 5 µs from about the 16 000th on, so a
 * cell measured first in its process read a tenth of what it read later. Warm-up ends, after
 * WARM_MIN_MS at least, when two consecutive samples agree within WARM_AGREE and neither is
 * slower than the best seen by more than that, or after WARM_MAX_MS.
 */
const WARM_AGREE = 0.1;
const WARM_MIN_MS = 250;
const WARM_MAX_MS = 2000;

/** Warms `c` up (above); returns ns per op of its last run, which sizes the samples. */
async function warmUp(c: Contender, n0: number, sampleMs: number): Promise<number> {
  let n = n0;
  let spent = 0;
  let best = Infinity;
  let prev = Infinity;
  for (;;) {
    const ns = await c.run(n);
    spent += ns;
    const per = ns / n;
    const sized = ns >= sampleMs * 1e6 || n >= MAX_OPS;
    if (sized) {
      best = Math.min(best, per);
      const steady = Math.abs(per - prev) <= WARM_AGREE * Math.min(per, prev) && Math.max(per, prev) <= best * (1 + WARM_AGREE);
      if ((steady && spent >= WARM_MIN_MS * 1e6) || spent >= WARM_MAX_MS * 1e6) return per;
      prev = per;
    } else {
      n = Math.min(MAX_OPS, n * 2);
    }
  }
}

function nativeFigures(nb: NativeBaseline, o: BenchOptions): Figure[] {
  const out: Figure[] = [];
  const pick = (r: NativeRow): string | null => (r.role === 'ours' ? 'kernel' : r.role === 'baseline' ? 'clib' : null);
  for (const r of nb.rows) {
    const series = pick(r);
    if (!series || !o.sizes.includes(r.len) || !o.ops.includes(r.op)) continue;
    out.push({
      op: r.op, len: r.len, series, gbps: r.gbps, nsPerOp: dataIn(r.op, r.len) / r.gbps, minGbps: r.gbps, maxGbps: r.gbps,
      rounds: r.rounds, ratioToInline: null, impl: r.impl,
    });
  }
  return out;
}

/**
 * Runs the sweep `o`.
 * @throws Error('wrong result: …') when any path computes a wrong result
 */
export async function runBench(o: BenchOptions, hooks: BenchHooks = {}): Promise<BenchResult> {
  const started = Date.now();
  const log = hooks.log ?? (() => undefined);
  const m = machine();
  const engines: EngineStatus[] = BENCH_ENGINES.filter((e) => o.engines.includes(e.id)).map((e) => {
    const reason = e.probe();
    return reason === null ? { id: e.id, loaded: true } : { id: e.id, loaded: false, reason };
  });
  const loaded = (e: BenchEngine): boolean => engines.some((s) => s.id === e.id && s.loaded);
  const queuedEngines = BENCH_ENGINES.filter((e) => e.queued && loaded(e));
  const omitted: { series: string; reason: string }[] = [];
  for (const e of engines) if (!e.loaded) omitted.push({ series: e.id, reason: `not loaded: ${e.reason}` });

  const cells = o.sizes.length * o.ops.length;
  const total = cells + (o.native ? cells : 0) + (o.extras ? 4 : 0);
  let done = 0;
  const tick = (label: string): void => { hooks.progress?.(done, total, label); };
  const step = (label: string): void => { done++; tick(label); };

  let nb: NativeBaseline | null = null;
  if (o.native) {
    tick('C++ kernels and ISA-L');
    nb = await runNativeBaseline({
      ops: o.ops, sizes: o.sizes, rounds: o.rounds, log,
      onRow: (r) => { if (r.role === 'ours') step(`C++ ${r.op} ${sizeName(r.len)}`); },
    });
    if (nb.missing) omitted.push({ series: 'kernel', reason: nb.missing }, { series: 'clib', reason: nb.missing });
    else if (nb.isalMissing) omitted.push({ series: 'clib', reason: `${nb.isalMissing} (glibc memcpy/memset only)` });
    done = o.native ? cells : 0;
  }
  const series = sweepSeries(o, queuedEngines.map((e) => e.id), nb !== null && nb.missing === null);
  const figures: Figure[] = nb ? nativeFigures(nb, o) : [];

  const addon = native();
  addon.kernelSelection();
  const sessions = new Map<string, EngineSession>();
  const open = (e: BenchEngine, ch: number): EngineSession => {
    const key = `${e.id}/${ch}`;
    let s = sessions.get(key);
    if (!s) { s = e.open(ch); sessions.set(key, s); }
    return s;
  };
  const queuedCounts: Contender['counts'][] = [];
  const maxCh = Math.max(1, ...o.channels);
  const memories: BenchMemory[] = [];
  try {
    for (const len of o.sizes) {
      const sets: Workload[] = [new Workload(len)];
      const setsFor = (n: number): Workload[] => {
        while (sets.length < n) sets.push(new Workload(len));
        return sets.slice(0, n);
      };
      if (queuedEngines.length > 0) setsFor(maxCh);
      // an engine whose channels take only some memory (the bridge: dma-buf bytes) gets blocks there
      const own = new Map<BenchEngine, { mem: BenchMemory; sets: Workload[] }>();
      const engineSets = (e: BenchEngine, n: number): Workload[] => {
        if (e.memory === undefined) return setsFor(n);
        let m = own.get(e);
        if (m === undefined) {
          m = { mem: e.memory(), sets: [] };
          memories.push(m.mem);
          own.set(e, m);
        }
        while (m.sets.length < n) m.sets.push(new Workload(len, m.mem.alloc));
        return m.sets.slice(0, n);
      };
      for (const op of o.ops) {
        tick(`${OP_LABELS[op]} ${sizeName(len)}`);
        const def = benchOpDef(op);
        const cs: Contender[] = [bindingContender(def, addon, sets[0]!)];
        if (def.node) cs.push(syncContender('node', def, sets[0]!, def.node.run));
        if (o.engines.includes('inline')) cs.push(inlineContender('inline', def, open(BENCH_ENGINES[0]!, 1), sets[0]!));
        for (const e of queuedEngines) {
          const why = open(e, o.channels[0]!).cannot?.(op) ?? null;
          if (why !== null) {
            if (len === o.sizes[0]) omitted.push({ series: `${e.id} ${op}`, reason: why });
            continue;
          }
          for (const ch of o.channels) {
            for (const depth of o.depths) {
              const c = queuedContender(queuedSeriesId(e.id, ch, depth), def, open(e, ch), engineSets(e, ch), depth);
              queuedCounts.push(c.counts);
              cs.push(c);
            }
          }
        }
        await measureCell(o, op, len, cs, figures, def.node?.name);
        step(`${OP_LABELS[op]} ${sizeName(len)}`);
      }
      for (const m of own.values()) m.mem.free();
    }
  } finally {
    for (const s of sessions.values()) s.close();
    for (const m of memories) m.free();
  }
  for (const f of figures) {
    const inl = figures.find((g) => g.series === 'inline' && g.op === f.op && g.len === f.len);
    f.ratioToInline = inl ? f.gbps / inl.gbps : null;
  }

  let overhead: OverheadRow[] = [];
  let loopDelay: LoopDelay[] = [];
  let twoThreadCopy: TwoThreadCopy | null = null;
  let kernelThreads: KernelThreads[] = [];
  let bindingFloor: BindingFloor[] = [];
  if (o.extras) {
    tick('engine overhead per op');
    if (queuedEngines.some((e) => e.id === 'soft')) overhead = await measureOverhead([64, 4096], o.rounds, o.quick);
    step('event-loop delay');
    if (queuedEngines.some((e) => e.id === 'soft')) loopDelay = await measureLoopDelay(500, maxCh, o.quick ? 1 : 3);
    step('two-thread memcpy');
    const big = Math.max(...o.sizes);
    if (big >= 16 << 20) twoThreadCopy = await measureTwoThreadCopy(big, o.rounds);
    else omitted.push({ series: 'two-thread memcpy', reason: 'measured at 64 MiB only (not in this sweep)' });
    step('limits: two kernel threads, binding floor');
    const threadOps = (['xor', 'pq'] as const).filter((op) => o.ops.includes(op));
    const threadLens = o.sizes.filter((len) => len >= 1 << 20);
    if (threadOps.length > 0 && threadLens.length > 0) kernelThreads = await measureKernelThreads(threadOps, threadLens, o.rounds);
    if (o.sizes.includes(4096)) bindingFloor = measureBindingFloor(o.ops, o.rounds);
    step('done');
  }
  const queued = queuedCounts.reduce((a, c) => ({ submitted: a.submitted + c.submitted, callbacks: a.callbacks + c.callbacks }),
    { submitted: 0, callbacks: 0 });
  if (queued.submitted !== queued.callbacks) {
    throw new Error(`queued path: ${queued.submitted} operations submitted but ${queued.callbacks} callbacks delivered`);
  }
  const result: BenchResult = {
    machine: m, options: o, engines, series, figures, omitted, overhead, loopDelay, twoThreadCopy, kernelThreads, bindingFloor, targets: [], queued,
    durationMs: Date.now() - started,
  };
  result.targets = evaluateTargets(result);
  return result;
}

/** Verifies, sizes, and times the contenders of one (op, len); appends their figures. */
async function measureCell(o: BenchOptions, op: BenchOp, len: number, cs: Contender[], figures: Figure[], nodeName?: string): Promise<void> {
  const ops: number[] = [];
  for (const c of cs) {
    const n0 = warmOps(c, len);
    try {
      await c.verify(n0);
    } catch (err) {
      throw new Error(`${c.id}, ${OP_LABELS[op]}, ${sizeName(len)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const est = await warmUp(c, n0, o.sampleMs);
    ops.push(Math.min(MAX_OPS, Math.max(c.minOps, Math.ceil((o.sampleMs * 1e6) / est))));
  }
  const gbps = cs.map((): number[] => []);
  const bytes = dataIn(op, len);
  for (let r = 0; r < o.rounds; r++) {
    const order = r & 1 ? [...cs.keys()].reverse() : [...cs.keys()];
    for (const k of order) {
      const ns = await cs[k]!.run(ops[k]!);
      gbps[k]!.push((bytes * ops[k]!) / ns);
    }
  }
  const selection = native().kernelSelection();
  const kop = { memcpy: 'memcpy', memset: 'memset', xor: 'xor', xor_val: 'xor_check', pq: 'pq_gen', pq_val: 'pq_check', recov_2data: 'recov', recov_datap: 'recov' }[op];
  const chosen = selection.find((s) => s.op === kop)?.chosen;
  cs.forEach((c, k) => {
    const s = summarize(gbps[k]!);
    figures.push({
      op, len, series: c.id, gbps: s.median, nsPerOp: bytes / s.median, minGbps: s.min, maxGbps: s.max, rounds: s.n,
      ratioToInline: null, impl: c.id === 'node' ? nodeName : chosen,
    });
  });
}
