/**
 * `dmaengine raid6test [--disks 4,5,11,12,16] [--len 4096] [--path both|software|device] [--json]`:
 * the kernel's RAID-6 recovery self test, on the software path (an engine with no device) and
 * on device channels with small maxPq/maxXor, so that P+Q continuation and XOR splitting run.
 * Prints one line per failure, then `raid6test: complete (N tests, M failures)` (`--json`: the
 * report object), with a progress bar on stderr when it is a terminal; exit status 1 on any
 * failure.
 */
import { Option, type Command } from 'commander';
import { DmaCap } from '../dmaengine/caps';
import type { DmaDevice } from '../dmaengine/device';
import { type DmaEngine, createDmaEngine } from '../dmaengine/instance';
import type { PlainDeviceOptions } from '../providers/plain';
import { registerSoftDevice } from '../providers/soft';
import { createAsyncTx } from '../async_tx/api';
import { RAID6TEST_DEFAULT_DISKS, formatRaid6Failure, raid6test, raid6testCount, type Raid6TestFailure } from '../async_tx/raid6test';
import { intListOption, intOption } from './int-option';
import type { CliIo } from './io';
import { startProgress } from './progress';

/** The provider the device runs use: the native-engine `soft` provider. */
export const raid6testRegister: (options: PlainDeviceOptions, engine: DmaEngine) => DmaDevice = registerSoftDevice;

/** Device configurations: small limits so that splitting and continuation are exercised. */
export const RAID6TEST_DEVICES: readonly PlainDeviceOptions[] = [
  { name: 'r6-small', channels: 2, caps: [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT], maxXor: 3, maxPq: 4 },
  { name: 'r6-cont', channels: 2, caps: [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT], maxXor: 2, maxPq: 3, pqContinue: true },
];

/** What `dmaengine raid6test --json` prints. */
export interface Raid6testReport {
  disks: number[];
  len: number;
  runs: { label: string; tests: number; failures: (Raid6TestFailure & { text: string })[] }[];
  tests: number;
  failures: number;
}

interface Raid6testCliOptions { disks: number[]; len: number; path: string; json?: boolean }

export function registerRaid6test(program: Command, io: CliIo): void {
  program
    .command('raid6test')
    .description("the kernel's RAID-6 recovery self test (async_tx), on the software path and on device channels")
    .option('--disks <list>', 'array sizes, comma separated, 4..255 each', intListOption(4, 255), [...RAID6TEST_DEFAULT_DISKS])
    .option('--len <bytes>', 'block length, 1..16777216', intOption(1, 1 << 24), 4096)
    .addOption(new Option('--path <which>', 'software path, device channels, or both').choices(['both', 'software', 'device']).default('both'))
    .option('--json', 'print the structured result instead of the lines')
    .action(async (opts: Raid6testCliOptions) => {
      const report = await runRaid6test(opts, io);
      if (opts.json) io.out(JSON.stringify(report, null, 2) + '\n');
      else io.out(`raid6test: complete (${report.tests} tests, ${report.failures} failure${report.failures === 1 ? '' : 's'})\n`);
      if (report.failures > 0) io.exitCode = 1;
    });
}

/** Every run (software path, then each device configuration) on a fresh private instance. */
async function runRaid6test(opts: Raid6testCliOptions, io: CliIo): Promise<Raid6testReport> {
  const runs: { label: string; setup: (e: DmaEngine) => void }[] = [];
  if (opts.path !== 'device') runs.push({ label: 'software', setup: () => undefined });
  if (opts.path !== 'software') {
    for (const dev of RAID6TEST_DEVICES) runs.push({ label: dev.name!, setup: (e) => { raid6testRegister(dev, e); } });
  }
  const perRun = raid6testCount(opts.disks);
  const bar = await startProgress(io, 'raid6test', perRun * runs.length);
  const report: Raid6testReport = { disks: opts.disks, len: opts.len, runs: [], tests: 0, failures: 0 };
  try {
    for (const run of runs) {
      const engine = createDmaEngine({ cpus: 1 });
      run.setup(engine);
      const api = createAsyncTx(engine);
      const failures: Raid6testReport['runs'][number]['failures'] = [];
      const before = report.tests;
      const r = await raid6test(api, {
        disks: opts.disks, len: opts.len,
        onFailure: (f) => {
          const text = `${formatRaid6Failure(f)} [${run.label}]`;
          failures.push({ ...f, text });
          if (!opts.json) bar.log(text);
        },
        onProgress: (n) => bar.update(before + n),
      });
      api.exit();
      for (const d of engine.devices.slice()) engine.dmaAsyncDeviceUnregister(d);
      report.runs.push({ label: run.label, tests: r.tests, failures });
      report.tests += r.tests;
      report.failures += r.failures.length;
    }
  } finally {
    bar.stop();
  }
  return report;
}
