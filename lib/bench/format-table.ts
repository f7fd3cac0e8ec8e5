/**
 * The bench's human-readable output: markdown tables a README can take as they are.
 * GB/s of data in per cell with the ratio to the inline path; the extras; the targets with
 * pass/miss.
 */
import type { BenchResult } from './run';
import { type BenchOp, OP_LABELS, sizeName } from './sweep';

function table(head: string[], rows: string[][]): string[] {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' | ')} |`;
  return [line(head), `|${w.map((x, i) => (i < 2 ? '-'.repeat(x + 2) : `${'-'.repeat(x + 1)}:`)).join('|')}|`, ...rows.map(line)];
}

const gb = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ns = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} ms` : x >= 1e3 ? `${(x / 1e3).toFixed(2)} µs` : `${x.toFixed(0)} ns`);

/** The whole report as lines. */
export function formatBenchTable(r: BenchResult): string[] {
  const out: string[] = [];
  const m = r.machine;
  out.push(`dmaengine bench: ${m.cpu}, ${m.cpus} CPUs, Node ${m.node}, ${m.kernel}; load average at start ${m.load.join(' ')}`);
  out.push(`kernels chosen: ${Object.entries(m.selection).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  out.push(`engines: ${r.engines.map((e) => (e.loaded ? `${e.id} (loaded)` : `${e.id} (not loaded: ${e.reason})`)).join('; ')}`);
  for (const o of r.omitted) out.push(`omitted: ${o.series}: ${o.reason}`);
  out.push('');
  out.push(`## Throughput: GB/s of data in (8 × size for the 8-source operations), median of ${r.options.rounds} rounds; (×) = ratio to the inline path`);
  out.push('');
  const cols = r.series;
  const rows: string[][] = [];
  for (const op of r.options.ops) {
    for (const len of r.options.sizes) {
      rows.push([OP_LABELS[op as BenchOp], sizeName(len), ...cols.map((s) => {
        const f = r.figures.find((g) => g.op === op && g.len === len && g.series === s.id);
        if (!f) return '—';
        return s.id === 'inline' || f.ratioToInline === null ? gb(f.gbps) : `${gb(f.gbps)} (${f.ratioToInline.toFixed(2)}×)`;
      })]);
    }
  }
  out.push(...table(['op', 'size', ...cols.map((s) => s.label)], rows));
  out.push('');
  out.push('Columns: kernel (C++) = the chosen kernel called from C++; kernel via binding = the same kernel called from');
  out.push('JavaScript through the addon; inline = async_tx with no device (runs before returning); soft Nch qD = async_tx');
  out.push('queued on a soft device with N channels, D operations in flight, a callback each, one doorbell per batch;');
  out.push('ISA-L / glibc = ISA-L (xor_gen, xor_check, pq_gen, pq_check, ec_encode_data 8→2) or glibc memcpy/memset.');

  if (r.overhead.length > 0) {
    out.push('', '## Engine overhead per operation (asyncMemcpy, all in: submit, doorbell, callback delivered to JavaScript)', '');
    out.push(...table(['size', 'inline', 'queued depth 1', 'overhead', 'queued depth 64', 'overhead'], r.overhead.map((o) => [
      sizeName(o.len), ns(o.inlineNs), ns(o.q1Ns), ns(o.q1Ns - o.inlineNs), ns(o.q64Ns), ns(o.q64Ns - o.inlineNs),
    ])));
  }
  if (r.loopDelay.length > 0) {
    out.push('', '## Event-loop delay (perf_hooks.monitorEventLoopDelay, resolution 1 ms; medians of alternating idle and saturated segments)', '');
    out.push(...table(['load', '', 'p50 ms', 'p99 ms', 'max ms', 'GB/s'], r.loopDelay.map((l) => [
      l.load, '', l.p50Ms.toFixed(3), l.p99Ms.toFixed(3), l.maxMs.toFixed(3), l.gbps ? gb(l.gbps) : '—',
    ])));
  }
  if (r.twoThreadCopy) {
    const t = r.twoThreadCopy;
    out.push('', `## memcpy bandwidth (Buffer.copy of ${sizeName(t.len)} in worker threads): 1 thread ${gb(t.oneThreadGbps)} GB/s, 2 threads ${gb(t.twoThreadGbps)} GB/s`);
  }
  if (r.kernelThreads.length > 0) {
    out.push('', '## Two kernel threads (the kernel through the binding on worker threads, blocks of their own; the ceiling of two channels)', '');
    out.push(...table(['op', 'size', '1 thread GB/s', '2 threads GB/s', '2 / 1'], r.kernelThreads.map((t) => [
      OP_LABELS[t.op], sizeName(t.len), gb(t.oneGbps), gb(t.twoGbps), `${(t.twoGbps / t.oneGbps).toFixed(2)}×`,
    ])));
  }
  if (r.bindingFloor.length > 0) {
    out.push('', `## Binding floor (the kernel through the binding on 1-byte blocks, per call): ${
      r.bindingFloor.map((b) => `${OP_LABELS[b.op]} ${ns(b.ns)}`).join(', ')}`);
  }
  if (r.targets.length > 0) {
    out.push('', '## Targets', '');
    out.push(...table(['target', 'measured', 'goal', 'result', 'limit measured in this run'], r.targets.map((t) => [
      t.name, t.value === null ? 'n/a' : `${t.value.toFixed(2)}×`, t.goal, t.pass === null ? 'not measured' : t.pass ? 'pass' : 'MISS',
      t.limit ?? '',
    ])));
  }
  out.push('', `queued operations: ${r.queued.submitted} submitted, ${r.queued.callbacks} callbacks delivered; every configuration's result verified; ${(r.durationMs / 1000).toFixed(1)} s`);
  return out;
}
