/**
 * `dmaengine dmatest`: the kernel's DMA test client from the command line, in process on this
 * library's channels (the soft engine's by default, created when none are registered) or, with
 * `--kernel`, through the real dmatest module. Prints the log lines as the kernel would, a
 * progress bar on a terminal, and a per-channel summary table; `--json` prints the result
 * object instead. Exit status 1 if any test failed.
 */
import type { Command } from 'commander';
import { defaultDmaEngine } from '../dmaengine/index';
import { DMATEST_DEFAULTS, type DmatestParams } from '../dmatest/params';
import { runDmatest } from '../dmatest/runner';
import { runKernelDmatest } from '../dmatest/kernel-bridge';
import type { DmatestRunResult } from '../dmatest/result';
import { ensureDmatestChannels } from '../dmatest/default-channels';

interface DmatestCliOptions {
  channel?: string[];
  device?: string;
  iterations: string;
  threadsPerChan?: string;
  maxChannels?: string;
  testBufSize?: string;
  xorSources?: string;
  pqSources?: string;
  timeout?: string;
  noverify?: boolean;
  norandom?: boolean;
  alignment?: string;
  transferSize?: string;
  polled?: boolean;
  memset?: boolean;
  kernel?: boolean;
  json?: boolean;
  verbose?: boolean;
  duration?: string;
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new TypeError(`Expected an integer for "--${name}" but received ${JSON.stringify(v)}`);
  return Number(v);
}

/** The module parameters an option set stands for (only the ones given; the rest default). */
export function paramsFromOptions(o: DmatestCliOptions): Partial<DmatestParams> {
  const p: Partial<DmatestParams> = {};
  const set = <K extends keyof DmatestParams>(k: K, v: DmatestParams[K] | undefined) => { if (v !== undefined) p[k] = v; };
  set('device', o.device);
  set('iterations', int('iterations', o.iterations));
  set('threads_per_chan', int('threads-per-chan', o.threadsPerChan));
  set('max_channels', int('max-channels', o.maxChannels));
  set('test_buf_size', int('test-buf-size', o.testBufSize));
  set('xor_sources', int('xor-sources', o.xorSources));
  set('pq_sources', int('pq-sources', o.pqSources));
  set('timeout', int('timeout', o.timeout));
  set('alignment', int('alignment', o.alignment));
  set('transfer_size', int('transfer-size', o.transferSize));
  if (o.noverify) p.noverify = true;
  if (o.norandom) p.norandom = true;
  if (o.polled) p.polled = true;
  if (o.verbose) p.verbose = true;
  if (o.memset) p.dmatest = 1;
  return p;
}

/** The table printed at the end: one row per channel. */
export function formatDmatestTable(r: DmatestRunResult): string {
  const rows = [['channel', 'threads', 'tests', 'failures', 'iops', 'KB/s']];
  for (const c of r.channels) {
    const sum = (f: (t: (typeof c.threads)[number]) => number | null) => c.threads.reduce((n, t) => n + (f(t) ?? 0), 0);
    rows.push([c.channel, String(c.threads.length), String(sum((t) => t.tests)), String(sum((t) => t.failures)),
      sum((t) => t.iops).toFixed(2), String(sum((t) => t.kbPerSec))]);
  }
  rows.push(['total', '', String(r.tests), String(r.failures), '', '']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

export function registerDmatest(program: Command): void {
  program
    .command('dmatest')
    .description("run the kernel's DMA test client: in process on soft-engine channels, or --kernel through the dmatest module")
    .option('--channel <name...>', 'only this channel (repeat to add several, as successive writes to `channel`)')
    .option('--device <name>', 'only channels of this controller')
    .option('--iterations <n>', 'tests per thread (0: until --duration elapses)', '100')
    .option('--threads-per-chan <n>', `threads per channel and operation (default ${DMATEST_DEFAULTS.threads_per_chan})`)
    .option('--max-channels <n>', 'stop adding channels at this many (0: all)')
    .option('--test-buf-size <bytes>', `size of each buffer (default ${DMATEST_DEFAULTS.test_buf_size})`)
    .option('--xor-sources <n>', 'xor sources (forced odd, capped by the device)')
    .option('--pq-sources <n>', 'P+Q sources (forced odd, capped by the device)')
    .option('--timeout <ms>', `per-transfer wait, -1 for ever (default ${DMATEST_DEFAULTS.timeout})`)
    .option('--noverify', 'skip filling and verifying the buffers')
    .option('--norandom', 'whole-buffer transfers at offset 0')
    .option('--alignment <log2>', "alignment override (default: the device's)")
    .option('--transfer-size <bytes>', 'fixed transfer length')
    .option('--polled', 'no interrupt flag: poll for completion')
    .option('--memset', 'memset threads instead of memcpy (the module parameter dmatest=1)')
    .option('--duration <ms>', 'with --iterations 0, stop after this long', '1000')
    .option('--kernel', "drive the kernel's dmatest module (root; /sys/module/dmatest)")
    .option('--json', 'print the structured result instead of the log')
    .option('--verbose', 'also print the passing results')
    .action(async (o: DmatestCliOptions) => {
      const params = paramsFromOptions(o);
      const log = o.json ? undefined : (line: string) => process.stdout.write(line + '\n');
      const bar = !o.json && process.stderr.isTTY ? await progressBar() : null;
      let result: DmatestRunResult;
      try {
        if (o.kernel) {
          result = await runKernelDmatest(params, { channels: o.channel, durationMs: int('duration', o.duration) });
          if (log) for (const line of result.lines) log(line);
        } else {
          const engine = defaultDmaEngine();
          ensureDmatestChannels(engine);
          const expected = params.iterations ?? 0;
          result = await runDmatest(params, {
            engine, channels: o.channel, log, durationMs: int('duration', o.duration),
            onProgress: bar ? (done) => bar.update(done, expected) : undefined,
          });
        }
      } finally {
        bar?.stop();
      }
      if (o.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else process.stdout.write('\n' + formatDmatestTable(result) + '\n');
      if (result.failures > 0) process.exitCode = 1;
    });
}

/** A cli-progress bar on stderr; total = threads × iterations once known. */
async function progressBar(): Promise<{ update: (done: number, perThread: number) => void; stop: () => void }> {
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar({ format: 'dmatest [{bar}] {value} tests', stream: process.stderr, clearOnComplete: true }, Presets.shades_classic);
  bar.start(0, 0);
  return {
    update: (done) => { bar.setTotal(Math.max(done, 1)); bar.update(done); },
    stop: () => bar.stop(),
  };
}
