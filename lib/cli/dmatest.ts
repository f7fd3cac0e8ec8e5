/**
 * `dmaengine dmatest`: the kernel's DMA test client from the command line, in process on this
 * library's channels (the soft engine's by default, created when none are registered) or, with
 * `--kernel`, through the real dmatest module, or with `--bridge` over the kernel's own channels
 * through the dmaengine bridge. Prints the log lines as the kernel would, a
 * progress bar on stderr when it is a terminal (counting to threads × iterations; the log lines
 * go through it), and a per-channel summary table; `--json` prints the result object instead.
 * Exit status 1 if any test failed.
 */
import type { Command } from 'commander';
import { defaultDmaEngine } from '../dmaengine/index';
import { DMATEST_DEFAULTS, type DmatestParams } from '../dmatest/params';
import { runDmatest } from '../dmatest/runner';
import { runKernelDmatest } from '../dmatest/kernel-bridge';
import type { DmatestRunResult } from '../dmatest/result';
import { ensureDmatestChannels } from '../dmatest/default-channels';
import { INT_MAX, UINT_MAX, intOption } from './int-option';
import type { CliIo } from './io';
import { startProgress } from './progress';
import { registerKernelDevices, unregisterKernelDevices } from '../providers/kernel-bridge-register';
import { allocDmaBuf } from '../dmabuf/alloc';
import type { DmaBuf } from '../dmabuf/dmabuf';
import { DmaEngineError } from '../dmaengine/errors';

/** The options as commander hands them over (integers already parsed by lib/cli/int-option.ts). */
export interface DmatestCliOptions {
  channel?: string[];
  device?: string;
  iterations?: number;
  threadsPerChan?: number;
  maxChannels?: number;
  testBufSize?: number;
  xorSources?: number;
  pqSources?: number;
  timeout?: number;
  noverify?: boolean;
  norandom?: boolean;
  alignment?: number;
  transferSize?: number;
  polled?: boolean;
  memset?: boolean;
  kernel?: boolean;
  bridge?: boolean;
  json?: boolean;
  verbose?: boolean;
  duration?: number;
}

/** The module parameters an option set stands for (only the ones given; the rest default). */
export function paramsFromOptions(o: DmatestCliOptions): Partial<DmatestParams> {
  const p: Partial<DmatestParams> = {};
  const set = <K extends keyof DmatestParams>(k: K, v: DmatestParams[K] | undefined) => { if (v !== undefined) p[k] = v; };
  set('device', o.device);
  set('iterations', o.iterations);
  set('threads_per_chan', o.threadsPerChan);
  set('max_channels', o.maxChannels);
  set('test_buf_size', o.testBufSize);
  set('xor_sources', o.xorSources);
  set('pq_sources', o.pqSources);
  set('timeout', o.timeout);
  set('alignment', o.alignment);
  set('transfer_size', o.transferSize);
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

export function registerDmatest(program: Command, io: CliIo): void {
  program
    .command('dmatest')
    .description("run the kernel's DMA test client: in process on soft-engine channels, or --kernel through the dmatest module")
    .option('--channel <name...>', 'only this channel (repeat to add several, as successive writes to `channel`)')
    .option('--device <name>', 'only channels of this controller')
    .option('--iterations <n>', 'tests per thread (0: until --duration elapses)', intOption(0, UINT_MAX), 100)
    .option('--threads-per-chan <n>', `threads per channel and operation (default ${DMATEST_DEFAULTS.threads_per_chan})`, intOption(0, UINT_MAX))
    .option('--max-channels <n>', 'stop adding channels at this many (0: all)', intOption(0, UINT_MAX))
    .option('--test-buf-size <bytes>', `size of each buffer (default ${DMATEST_DEFAULTS.test_buf_size})`, intOption(1, UINT_MAX))
    .option('--xor-sources <n>', 'xor sources (forced odd, capped by the device)', intOption(0, UINT_MAX))
    .option('--pq-sources <n>', 'P+Q sources (forced odd, capped by the device)', intOption(0, UINT_MAX))
    .option('--timeout <ms>', `per-transfer wait, -1 for ever (default ${DMATEST_DEFAULTS.timeout})`, intOption(-1, INT_MAX))
    .option('--noverify', 'skip filling and verifying the buffers')
    .option('--norandom', 'whole-buffer transfers at offset 0')
    .option('--alignment <log2>', "alignment override, -1..31 (default: the device's)", intOption(-1, 31))
    .option('--transfer-size <bytes>', 'fixed transfer length', intOption(0, UINT_MAX))
    .option('--polled', 'no interrupt flag: poll for completion')
    .option('--memset', 'memset threads instead of memcpy (the module parameter dmatest=1)')
    .option('--duration <ms>', 'with --iterations 0, stop after this long', intOption(1, INT_MAX), 1000)
    .option('--kernel', "drive the kernel's dmatest module (root; /sys/module/dmatest)")
    .option('--bridge', 'in process over the kernel\'s own channels through the dmaengine bridge (dma-buf buffers)')
    .option('--json', 'print the structured result instead of the log')
    .option('--verbose', 'also print the passing results')
    .action(async (o: DmatestCliOptions) => {
      const params = paramsFromOptions(o);
      let result: DmatestRunResult;
      if (o.kernel) {
        result = await runKernelDmatest(params, { channels: o.channel, durationMs: o.duration });
        if (!o.json) for (const line of result.lines) io.out(line + '\n');
      } else if (o.bridge) {
        result = await runOverBridge(params, o, io);
      } else {
        result = await runInProcess(params, o, io);
      }
      if (o.json) io.out(JSON.stringify(result, null, 2) + '\n');
      else io.out('\n' + formatDmatestTable(result) + '\n');
      if (result.failures > 0) io.exitCode = 1;
    });
}

/**
 * The in-process run, with a bar counting to threads × iterations (or the --duration in ms).
 * Channels it had to create are unregistered afterwards: the default instance is left as found.
 */
async function runInProcess(params: Partial<DmatestParams>, o: DmatestCliOptions, io: CliIo,
  bridged?: { channels: string[]; alloc: (size: number) => Uint8Array }): Promise<DmatestRunResult> {
  const engine = defaultDmaEngine();
  const created = bridged ? null : ensureDmatestChannels(engine);
  const bar = await startProgress(io, 'dmatest');
  const iterations = params.iterations ?? DMATEST_DEFAULTS.iterations;
  const started = Date.now();
  try {
    return await runDmatest(params, {
      engine, channels: o.channel ?? bridged?.channels, durationMs: o.duration, alloc: bridged?.alloc,
      log: o.json ? undefined : (line) => bar.log(line),
      onStart: (threads) => {
        if (iterations > 0) bar.setTotal(threads * iterations, 'tests');
        else bar.setTotal(o.duration ?? 1000, 'ms');
      },
      onProgress: (done) => bar.update(iterations > 0 ? done : Date.now() - started),
    });
  } finally {
    bar.stop();
    if (created) engine.dmaAsyncDeviceUnregister(created);
  }
}

/**
 * `--bridge`: the kernel's channels registered through the bridge (shared model) on the
 * default instance, tested on dma-buf buffers (the only memory they reach), then unregistered.
 */
async function runOverBridge(params: Partial<DmatestParams>, o: DmatestCliOptions, io: CliIo): Promise<DmatestRunResult> {
  const devices = registerKernelDevices();
  if (devices.length === 0) throw new DmaEngineError('ENODEV', 'the dmaengine bridge reaches no channel');
  const bufs: DmaBuf[] = [];
  try {
    return await runInProcess(params, o, io, {
      channels: devices.flatMap((d) => d.channels.map((c) => c.name)),
      alloc: (size) => {
        const b = allocDmaBuf(size);
        bufs.push(b);
        return b.bytes;
      },
    });
  } finally {
    unregisterKernelDevices(devices);
    for (const b of bufs) b.close();
  }
}
