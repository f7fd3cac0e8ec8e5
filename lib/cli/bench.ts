/**
 * `dmaengine bench`: the public API's paths against the kernels and CPU baselines, one run,
 * ratios side by side (lib/bench, docs/bench.md).
 *
 *   dmaengine bench [--quick] [--ops xor,pq] [--sizes 4K,64K,1M,64M] [--rounds N]
 *                   [--depth 1,64] [--channels 1,2] [--engines inline,soft,bridge]
 *                   [--no-native] [--no-extras] [--json | --csv] [--svg FILE]
 *
 * Prints markdown tables (or JSON, or CSV) on stdout; a progress bar on stderr when stderr is
 * a terminal; `--svg FILE` also writes the plot. Exit status 1 when any path computed a wrong
 * result (the bench stops there).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import {
  BENCH_ENGINE_IDS, BENCH_OPS, type BenchEngineId, type BenchOp, type BenchOptions, benchDefaults,
} from '../bench/sweep';
import { runBench, type BenchHooks } from '../bench/run';
import { formatBenchTable } from '../bench/format-table';
import { formatBenchCsv, formatBenchJson } from '../bench/format-data';
import { formatBenchSvg } from '../bench/format-svg';
import type { CliIo } from './io';
import { parseStrictInt } from './int-option';

/** The command line's options as commander gives them. */
export interface BenchCliOptions {
  quick?: boolean;
  ops?: string;
  sizes?: string;
  rounds?: string;
  depth?: string;
  channels?: string;
  engines?: string;
  sampleMs?: string;
  native?: boolean;
  extras?: boolean;
  json?: boolean;
  csv?: boolean;
  svg?: string;
}

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

// The CLI's one strict parser, with this command's message shape (it validates after parsing,
// so that resolveBenchOptions is usable without commander).
function int(text: string, name: string, min: number, max: number): number {
  const v = parseStrictInt(text.trim(), min, max);
  if (typeof v === 'string') throw new RangeError(`Expected "--${name}" to be an integer from ${min} to ${max} but received ${JSON.stringify(text)}`);
  return v;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1 << 20, mib: 1 << 20 };

/** "4K", "64KiB", "1M", "65536" → bytes (1 B .. 256 MiB). */
export function parseSize(text: string): number {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const v = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(v) || v < 1 || v > 256 << 20) {
    throw new RangeError(`Expected "--sizes" to list sizes from 1 B to 256M (e.g. 4K,64K,1M) but received ${JSON.stringify(text)}`);
  }
  return v;
}

function oneOf<T extends string>(text: string, name: string, allowed: readonly T[]): T[] {
  const out = list(text);
  if (out.length === 0) throw new RangeError(`Expected "--${name}" to list one or more of ${allowed.join(', ')} but received ${JSON.stringify(text)}`);
  for (const x of out) {
    if (!allowed.includes(x as T)) throw new RangeError(`Expected "--${name}" to list some of ${allowed.join(', ')} but received ${JSON.stringify(x)}`);
  }
  return [...new Set(out)] as T[];
}

/** The sweep the options describe: `--quick`'s or the full run's defaults, then each option. */
export function resolveBenchOptions(opts: BenchCliOptions): BenchOptions {
  if (opts.json && opts.csv) throw new RangeError('Expected at most one of "--json" and "--csv"');
  const o = benchDefaults(opts.quick === true);
  if (opts.ops !== undefined) o.ops = oneOf<BenchOp>(opts.ops, 'ops', BENCH_OPS);
  if (opts.sizes !== undefined) {
    o.sizes = [...new Set(list(opts.sizes).map(parseSize))].sort((a, b) => a - b);
    if (o.sizes.length === 0) throw new RangeError(`Expected "--sizes" to list one or more sizes but received ${JSON.stringify(opts.sizes)}`);
  }
  if (opts.rounds !== undefined) o.rounds = int(opts.rounds, 'rounds', 1, 1000);
  if (opts.depth !== undefined) o.depths = [...new Set(list(opts.depth).map((d) => int(d, 'depth', 1, 4096)))];
  if (opts.channels !== undefined) o.channels = [...new Set(list(opts.channels).map((c) => int(c, 'channels', 1, 64)))];
  if (opts.engines !== undefined) o.engines = oneOf<BenchEngineId>(opts.engines, 'engines', BENCH_ENGINE_IDS);
  if (opts.sampleMs !== undefined) o.sampleMs = int(opts.sampleMs, 'sample-ms', 1, 10000);
  if (o.depths.length === 0) throw new RangeError('Expected "--depth" to list one or more depths');
  if (o.channels.length === 0) throw new RangeError('Expected "--channels" to list one or more channel counts');
  if (opts.native === false) o.native = false;
  if (opts.extras === false) o.extras = false;
  return o;
}

async function progressBar(io: CliIo): Promise<{ hooks: BenchHooks; stop(): void }> {
  const stream = io.progressStream;
  if (stream === null) {
    return { hooks: { log: (l) => io.err(`${l}\n`) }, stop: () => undefined };
  }
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar({ format: 'bench [{bar}] {value}/{total} {label}', stream, clearOnComplete: true, hideCursor: true },
    Presets.shades_classic);
  bar.start(1, 0, { label: '' });
  return {
    hooks: {
      progress: (done, total, label) => { bar.setTotal(total); bar.update(done, { label }); },
      log: (l) => { bar.stop(); io.err(`${l}\n`); bar.start(1, 0, { label: '' }); },
    },
    stop: () => bar.stop(),
  };
}

export function registerBench(program: Command, io: CliIo): void {
  program
    .command('bench')
    .description('throughput of the public API (inline, queued engines) beside the kernels, ISA-L and Buffer.copy/fill, in one run')
    .option('--quick', 'fewer rounds, no 64 MiB size')
    .option('--ops <list>', `operations: ${BENCH_OPS.join(',')}`)
    .option('--sizes <list>', 'block sizes, e.g. 4K,64K,1M,64M')
    .option('--rounds <n>', 'rounds per figure (medians)')
    .option('--depth <list>', 'queue depths of the queued engines', '64')
    .option('--channels <list>', 'channel counts of the queued engines', '1,2')
    .option('--engines <list>', `engines: ${BENCH_ENGINE_IDS.join(',')}`)
    .option('--sample-ms <n>', 'target length of one timed sample in ms')
    .option('--no-native', 'skip the C++ program (kernel and ISA-L columns)')
    .option('--no-extras', 'skip overhead per op, event-loop delay and two-thread memcpy')
    .option('--json', 'print the whole result as JSON')
    .option('--csv', 'print the figures as CSV')
    .option('--svg <file>', 'also write throughput against size as an SVG plot')
    .action(async (opts: BenchCliOptions) => {
      const o = resolveBenchOptions(opts);
      const bar = await progressBar(io);
      let result;
      try {
        result = await runBench(o, bar.hooks);
      } finally {
        bar.stop();
      }
      if (opts.svg) fs.writeFileSync(opts.svg, formatBenchSvg(result));
      if (opts.json) io.out(formatBenchJson(result) + '\n');
      else if (opts.csv) io.out(formatBenchCsv(result));
      else io.out(formatBenchTable(result).join('\n') + '\n');
      if (opts.svg) io.err(`bench: wrote ${opts.svg}\n`);
    });
}
