/**
 * `dmaengine raid6test [--disks 4,5,11,12,16] [--len 4096] [--path both|software|device]`:
 * the kernel's RAID-6 recovery self test, on the software path (an engine with no device) and
 * on device channels with small maxPq/maxXor, so that P+Q continuation and XOR splitting run.
 * Prints one line per failure, then `raid6test: complete (N tests, M failures)`; exit status 1
 * on any failure.
 */
import type { Command } from 'commander';
import { DmaCap } from '../dmaengine/caps';
import type { DmaDevice } from '../dmaengine/device';
import { type DmaEngine, createDmaEngine } from '../dmaengine/instance';
import type { PlainDeviceOptions } from '../providers/plain';
import { registerSoftDevice } from '../providers/soft';
import { createAsyncTx } from '../async_tx/api';
import { RAID6TEST_DEFAULT_DISKS, formatRaid6Failure, raid6test } from '../async_tx/raid6test';

/** The provider the device runs use: the native-engine `soft` provider. */
export const raid6testRegister: (options: PlainDeviceOptions, engine: DmaEngine) => DmaDevice = registerSoftDevice;

/** Device configurations: small limits so that splitting and continuation are exercised. */
export const RAID6TEST_DEVICES: readonly PlainDeviceOptions[] = [
  { name: 'r6-small', channels: 2, caps: [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT], maxXor: 3, maxPq: 4 },
  { name: 'r6-cont', channels: 2, caps: [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT], maxXor: 2, maxPq: 3, pqContinue: true },
];

function parseDisks(text: string): number[] {
  const list = text.split(',').map((s) => Number(s.trim()));
  for (const d of list) {
    if (!Number.isInteger(d) || d < 4 || d > 255) throw new RangeError(`Expected "--disks" to be a list of integers between 4 and 255 but received ${JSON.stringify(text)}`);
  }
  return list;
}

export function registerRaid6test(program: Command): void {
  program
    .command('raid6test')
    .description("the kernel's RAID-6 recovery self test (async_tx), on the software path and on device channels")
    .option('--disks <list>', 'array sizes, comma separated', RAID6TEST_DEFAULT_DISKS.join(','))
    .option('--len <bytes>', 'block length', '4096')
    .option('--path <which>', 'both, software or device', 'both')
    .action(async (opts: { disks: string; len: string; path: string }) => {
      const disks = parseDisks(opts.disks);
      const len = Number(opts.len);
      if (!Number.isInteger(len) || len < 1) throw new RangeError(`Expected "--len" to be a positive integer but received ${JSON.stringify(opts.len)}`);
      if (!['both', 'software', 'device'].includes(opts.path)) throw new RangeError(`Expected "--path" to be both, software or device but received ${JSON.stringify(opts.path)}`);
      const runs: { label: string; setup: (e: DmaEngine) => void }[] = [];
      if (opts.path !== 'device') runs.push({ label: 'software', setup: () => undefined });
      if (opts.path !== 'software') {
        for (const dev of RAID6TEST_DEVICES) runs.push({ label: dev.name!, setup: (e) => { raid6testRegister(dev, e); } });
      }
      let tests = 0;
      let failures = 0;
      for (const run of runs) {
        const engine = createDmaEngine({ cpus: 1 });
        run.setup(engine);
        const api = createAsyncTx(engine);
        const r = await raid6test(api, {
          disks, len,
          onFailure: (f) => process.stdout.write(`${formatRaid6Failure(f)} [${run.label}]\n`),
        });
        api.exit();
        tests += r.tests;
        failures += r.failures.length;
      }
      process.stdout.write(`raid6test: complete (${tests} tests, ${failures} failure${failures === 1 ? '' : 's'})\n`);
      if (failures > 0) process.exitCode = 1;
    });
}
