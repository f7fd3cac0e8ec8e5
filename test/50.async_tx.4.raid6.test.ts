import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { initAsyncSubmit } from '../lib/async_tx/flags';
import { raid6test, formatRaid6Failure, raid6testCount } from '../lib/async_tx/raid6test';
import { runCli, runProgram } from '../lib/cli/index';
import { captureIo } from '../lib/cli/io';
import type { Raid6testReport } from '../lib/cli/raid6test';
import { defaultDmaEngine } from '../lib/dmaengine/index';
import { PassThrough } from 'node:stream';
import { DmaCap } from '../lib/dmaengine/caps';
import type { DmaDevice } from '../lib/dmaengine/device';
import { ASYNC_CAPS, ASYNC_TEST_PROVIDERS, settle, setupAsync } from './helpers/async-providers';
import { randomBytes } from './helpers/dmaengine-fixtures';
import { syndrome } from './helpers/gf-reference';

const eq = (a: Uint8Array, b: Uint8Array, msg?: string) => assert.ok(Buffer.from(a).equals(Buffer.from(b)), msg);

/** Count the prep calls a device receives, by name. */
function spy(dev: DmaDevice): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of ['devicePrepDmaMemcpy', 'devicePrepDmaXor', 'devicePrepDmaPq', 'devicePrepDmaPqVal'] as const) {
    const f = dev[k] as ((...a: unknown[]) => unknown) | undefined;
    if (!f) continue;
    (dev as unknown as Record<string, unknown>)[k] = (...a: unknown[]) => { counts[k] = (counts[k] ?? 0) + 1; return f.apply(dev, a); };
  }
  return counts;
}

const setups = [
  { label: 'software path', make: () => setupAsync(null) },
  ...ASYNC_TEST_PROVIDERS.flatMap((p) => [
    { label: `${p.name}, maxPq 4, maxXor 3`, make: () => setupAsync(p, [{ caps: ASYNC_CAPS, maxXor: 3, maxPq: 4 }]) },
    { label: `${p.name}, PQ only (primitives without a channel fall back one by one)`, make: () => setupAsync(p, [{ caps: [DmaCap.PQ], maxPq: 3, pqContinue: true }]) },
  ]),
];

for (const s of setups) {
  describe(`RAID-6 recovery: ${s.label}`, () => {
    for (const disks of [4, 5, 6, 9]) {
      it(`${disks} disks: every data pair (2data) and every data + P (datap), with a null data slot where possible`, async () => {
        const len = 64;
        for (const withNull of [false, true]) {
          const { api } = s.make();
          const data = Array.from({ length: disks - 2 }, (_, i) => randomBytes(len, disks * 100 + i) as Uint8Array | null);
          if (withNull && disks > 5) data[disks - 3] = null;
          const ref = syndrome([...data], data.map(() => 0), 0, disks - 3, len);
          for (let a = 0; a < disks - 2; a++) {
            if (data[a] === null) continue;
            for (let b = a + 1; b < disks - 2; b++) {
              if (data[b] === null) continue;
              const blocks = [...data, Uint8Array.from(ref.p), Uint8Array.from(ref.q)];
              blocks[a] = new Uint8Array(len).fill(0xf0);
              blocks[b] = new Uint8Array(len).fill(0xf0);
              let cb = 0;
              const submit = initAsyncSubmit(0, null, () => cb++, null, []);
              const tx = api.asyncRaid6_2dataRecov(disks, len, b, a, blocks, null, submit); // reversed order is accepted
              assert.equal(submit.dependTx, tx);
              await settle(api, tx);
              assert.equal(cb, 1);
              eq(blocks[a]!, data[a]!, `D${a} of (${a},${b})`);
              eq(blocks[b]!, data[b]!, `D${b} of (${a},${b})`);
            }
            const blocks = [...data, new Uint8Array(len).fill(0xf0), Uint8Array.from(ref.q)];
            blocks[a] = new Uint8Array(len).fill(0xf0);
            await settle(api, api.asyncRaid6DatapRecov(disks, len, a, blocks, null, initAsyncSubmit(0, null, null, null, [])));
            eq(blocks[a]!, data[a]!, `D${a} of (${a},P)`);
            eq(blocks[disks - 2]!, ref.p, `P of (${a},P)`);
          }
        }
      });
    }

    it('the caller\'s blocks array is never written', async () => {
      const { api } = s.make();
      const len = 32;
      const data = Array.from({ length: 6 }, (_, i) => randomBytes(len, 7 + i));
      const ref = syndrome(data, data.map(() => 0), 0, 5, len);
      const blocks = [...data, ref.p, ref.q];
      blocks[1] = new Uint8Array(len);
      blocks[4] = new Uint8Array(len);
      const copy = blocks.slice();
      const offs = blocks.map(() => 0);
      await settle(api, api.asyncRaid6_2dataRecov(8, len, 1, 4, blocks, offs, initAsyncSubmit(0, null, null, null, [])));
      assert.deepEqual(blocks.map((b, i) => b === copy[i]), blocks.map(() => true));
      assert.deepEqual(offs, blocks.map(() => 0));
      eq(blocks[4]!, data[4]!);
    });
  });
}

for (const p of ASYNC_TEST_PROVIDERS) {
  describe(`RAID-6 recovery path choice (${p.name})`, () => {
    it('a PQ channel and a scribble: a chain of primitive ops (sum-product and mult as PQ with P disabled)', async () => {
      const { api, devs } = setupAsync(p, [{ caps: ASYNC_CAPS, maxXor: 4, maxPq: 8 }]);
      const counts = spy(devs[0]!);
      const len = 16;
      const data = Array.from({ length: 3 }, (_, i) => randomBytes(len, 60 + i));
      const ref = syndrome(data, [0, 0, 0], 0, 2, len);
      const blocks = [data[0]!, new Uint8Array(len), new Uint8Array(len), ref.p, ref.q];
      const tx = api.asyncRaid6_2dataRecov(5, len, 1, 2, blocks, null, initAsyncSubmit(0, null, null, null, []));
      assert.notEqual(tx, null);
      // 5 disks, 3 live data: memcpy, mult, xor, xor, sum-product, xor
      assert.deepEqual(counts, { devicePrepDmaMemcpy: 1, devicePrepDmaPq: 2, devicePrepDmaXor: 3 });
      await settle(api, tx);
      eq(blocks[1]!, data[1]!);
      eq(blocks[2]!, data[2]!);
    });
    it('without a scribble: the software path, as the kernel', () => {
      const { api, devs } = setupAsync(p, [{ caps: ASYNC_CAPS, maxPq: 8 }]);
      const counts = spy(devs[0]!);
      const len = 16;
      const data = Array.from({ length: 2 }, (_, i) => randomBytes(len, 90 + i));
      const ref = syndrome(data, [0, 0], 0, 1, len);
      const blocks = [new Uint8Array(len), new Uint8Array(len), ref.p, ref.q];
      let cb = 0;
      assert.equal(api.asyncRaid6_2dataRecov(4, len, 0, 1, blocks, null, initAsyncSubmit(0, null, () => cb++)), null);
      assert.equal(cb, 1);
      assert.deepEqual(counts, {});
      eq(blocks[0]!, data[0]!);
    });
  });
}

describe('raid6test (the kernel conformance test)', () => {
  it('software path: disks 4 and 5, every pair, no failure', async () => {
    const { api } = setupAsync(null);
    const r = await raid6test(api, { disks: [4, 5], len: 256 });
    assert.equal(r.tests, 6 + 10);
    assert.deepEqual(r.failures, []);
  });
  for (const p of ASYNC_TEST_PROVIDERS) {
    it(`${p.name}: disks 4, 5, 11, 12, 16 with maxPq 4 / maxXor 3 (splitting and continuation)`, async () => {
      const { api } = setupAsync(p, [{ caps: ASYNC_CAPS, channels: 2, maxXor: 3, maxPq: 4 }]);
      const r = await raid6test(api, { len: 128 });
      assert.equal(r.tests, 6 + 10 + 55 + 66 + 120);
      assert.deepEqual(r.failures.map(formatRaid6Failure), []);
    });
  }
  it('reports a broken recovery (a provider that corrupts its XOR) and formats it as the kernel', async () => {
    const { api, devs } = setupAsync(ASYNC_TEST_PROVIDERS[0]!, [{ caps: ASYNC_CAPS, maxXor: 8, maxPq: 8 }]);
    const dev = devs[0]!;
    const orig = dev.devicePrepDmaXor!.bind(dev);
    // the last source of every XOR replaced by zeros: a wrong result
    dev.devicePrepDmaXor = (c, d, src, n, l, f) => orig(c, d, src.map((x, i) => (i === n - 1 ? { buf: new Uint8Array(l), off: 0 } : x)), n, l, f);
    const r = await raid6test(api, { disks: [4], len: 64 });
    assert.equal(r.tests, 6);
    assert.ok(r.failures.length > 0);
    assert.match(formatRaid6Failure(r.failures[0]!), /^raid6test: test_disks\(disks=4\): faila= {2}\d\(\w\) {2}failb= {2}\d\(\w\) {2}/);
  });
  it('dmaengine raid6test: one line per failure, the final count, exit status (one spawned run)', function () {
    this.timeout(60000);
    const cli = path.join(__dirname, '..', 'lib', 'cli', 'index.ts');
    const out = spawnSync(process.execPath, ['--import', 'tsx', cli, 'raid6test', '--disks', '4,5', '--len', '64'], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.equal(lines.at(-1), `raid6test: complete (${(6 + 10) * 3} tests, 0 failures)`);
  });
  it('dmaengine raid6test --json (in process): the report per run, the default instance untouched', async function () {
    this.timeout(30000);
    const r = await runCli(['raid6test', '--disks', '4,5', '--len', '64', '--path', 'device', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Raid6testReport;
    assert.deepEqual(report.runs.map((x) => [x.label, x.tests, x.failures.length]), [['r6-small', 16, 0], ['r6-cont', 16, 0]]);
    assert.equal(report.tests, raid6testCount([4, 5]) * 2);
    assert.deepEqual([report.disks, report.len, report.failures], [[4, 5], 64, 0]);
    assert.equal(defaultDmaEngine().devices.length, 0);
  });
  it('dmaengine raid6test: integer flags parse strictly and errors name the flag', async () => {
    for (const args of [['--len', '0x10'], ['--len', '1e3'], ['--len', '0'], ['--len', '16777217'], ['--disks', '3'], ['--disks', '4,0x5'], ['--disks', '4,,5']]) {
      const r = await runCli(['raid6test', ...args]);
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, new RegExp(`^error: option '${args[0]} <\\w+>' argument '${args[1]}' is invalid\\. Expected a decimal integer`), r.stderr);
    }
  });
  it('dmaengine raid6test on a terminal: a bar counting to every pair of every run', async function () {
    this.timeout(30000);
    const io = captureIo();
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let screen = '';
    tty.on('data', (d: Buffer) => { screen += d.toString(); });
    io.progressStream = tty as unknown as NodeJS.WriteStream;
    const status = await runProgram(['raid6test', '--disks', '4,5', '--len', '64'], io);
    assert.equal(status, 0, io.stderr);
    assert.match(screen, /raid6test \[[^\]]*\] 48\/48 tests/);
    assert.equal(io.stdout, 'raid6test: complete (48 tests, 0 failures)\n');
  });
});
