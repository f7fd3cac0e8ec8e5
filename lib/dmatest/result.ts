/**
 * One result shape for both ways of running dmatest: the in-process runner and the bridge to the
 * kernel module build it the same way, from the log lines dmatest printed (the runner's own
 * lines, or the kernel's read back from /dev/kmsg), so equal parameter sets give equal shapes.
 */
import type { DmatestParams } from './params';
import { parseDmatestLog, type DmatestLogResult, type DmatestLogSummary } from './log-parser';

/**
 * How a run was made: `in-process` ({@link runDmatest}) or `kernel` (the dmatest module,
 * {@link runKernelDmatest}).
 */
export type DmatestMode = 'in-process' | 'kernel';
/** A dmatest thread's operation, from its name: `copy`, `set` (memset), `xor` or `pq`. */
export type DmatestOp = 'copy' | 'set' | 'xor' | 'pq';

/** One dmatest thread: `<chan>-<op><i>`. */
export interface DmatestThreadResult {
  /** The thread's name as dmatest printed it (`dma0chan0-copy0`; the kernel may cut it short). */
  thread: string;
  /** Its operation, from the name; `unknown` when the name was cut before it. */
  op: DmatestOp | 'unknown';
  /** Tests run, from the thread's summary line. */
  tests: number;
  /** Tests failed, from the summary line. */
  failures: number;
  /** iops as the summary line printed it. */
  iops: number | null;
  /** Throughput in KB/s as the summary line printed it (null when it did not). */
  kbPerSec: number | null;
  /** The thread's exit status (0, or a negative errno). */
  ret: number;
  /** Every result line of the thread (failures always; passes with `verbose`). */
  results: DmatestLogResult[];
}

/** One channel of a dmatest run and its threads (copy, set, xor, pq, then by name). */
export interface DmatestChannelResult {
  /** The channel's name (`dma0chan0`). */
  channel: string;
  /** Its threads, in a fixed order whatever order they finished in. */
  threads: DmatestThreadResult[];
}

/**
 * What a dmatest run found, built from its log lines, the same shape whether it ran in-process or
 * in the kernel module.
 */
export interface DmatestRunResult {
  /** How it ran (in-process or the kernel module). */
  mode: DmatestMode;
  /** The parameter set it ran with, defaults applied. */
  params: DmatestParams;
  /** The channels tested, in the order dmatest started them. */
  channels: DmatestChannelResult[];
  /** Totals over every thread's summary. */
  tests: number;
  /** Failures over every thread's summary. */
  failures: number;
  /** The dmatest log lines of this run, in order. */
  lines: string[];
  /** True when dmatest logged "No channels configured, continue with any". */
  noChannelsConfigured: boolean;
}

function opOf(thread: string, channel: string): DmatestOp | 'unknown' {
  // The comm may be cut mid-word ("dma12chan10-co"): match the op by prefix.
  const rest = thread.startsWith(`${channel}-`) ? thread.slice(channel.length + 1).replace(/\d+$/, '') : '';
  return (['copy', 'set', 'xor', 'pq'] as const).find((op) => rest.length > 0 && op.startsWith(rest)) ?? 'unknown';
}

/** Builds the result of a run from its log lines. */
export function runResultFromLog(lines: readonly string[], params: DmatestParams, mode: DmatestMode): DmatestRunResult {
  const parsed = parseDmatestLog(lines);
  const byChannel = new Map<string, Map<string, DmatestThreadResult>>();
  const channelOrder: string[] = [];
  const chan = (name: string) => {
    let m = byChannel.get(name);
    if (!m) { m = new Map(); byChannel.set(name, m); channelOrder.push(name); }
    return m;
  };
  for (const s of parsed.started) chan(s.channel);
  const thread = (name: string, channel: string): DmatestThreadResult => {
    const m = chan(channel);
    let t = m.get(name);
    if (!t) {
      t = { thread: name, op: opOf(name, channel), tests: 0, failures: 0, iops: null, kbPerSec: null, ret: 0, results: [] };
      m.set(name, t);
    }
    return t;
  };
  for (const r of parsed.results) thread(r.thread, r.channel).results.push(r);
  const apply = (s: DmatestLogSummary) => {
    const t = thread(s.thread, s.channel);
    Object.assign(t, { tests: s.tests, failures: s.failures, iops: s.iops, kbPerSec: s.kbPerSec, ret: s.ret });
  };
  parsed.summaries.forEach(apply);
  // Threads in a fixed order (copy, set, xor, pq, then by name), whatever order they finished in.
  const rank = (t: DmatestThreadResult) => ['copy', 'set', 'xor', 'pq', 'unknown'].indexOf(t.op);
  const byRank = (a: DmatestThreadResult, b: DmatestThreadResult) => rank(a) - rank(b) || a.thread.localeCompare(b.thread, 'en', { numeric: true });
  const channels = channelOrder.map((c) => ({ channel: c, threads: [...byChannel.get(c)!.values()].sort(byRank) }));
  const all = channels.flatMap((c) => c.threads);
  return {
    mode,
    params,
    channels,
    tests: all.reduce((n, t) => n + t.tests, 0),
    failures: all.reduce((n, t) => n + t.failures, 0),
    lines: [...lines],
    noChannelsConfigured: parsed.noChannelsConfigured,
  };
}
