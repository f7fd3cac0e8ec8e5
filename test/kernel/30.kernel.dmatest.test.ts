// The kernel's own dmatest (built by the lane from linux-source) against the soft module's
// channels: the workflow of spec §4.6, results read from /dev/kmsg.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireGuest, insmod, moduleDir, moduleLoaded, softChannels, kmsgMark, kmsgSince, param } from './lane';

const SUMMARY = /^dmatest: (\S+): summary (\d+) tests?, (\d+) failures (\d+)(?:\.(\d+))? iops (\d+) KB\/s \((-?\d+)\)$/;
const RESULT = /^dmatest: (\S+): result #(\d+): '([^']*)' with src_off=0x([0-9a-f]+) dst_off=0x([0-9a-f]+) len=0x([0-9a-f]+) \((-?\d+)\)$/;

const dt = (name: string, value?: string | number) => param('dmatest', name, value);
const inUse = (chan: string) => Number(readFileSync(`/sys/class/dma/${chan}/in_use`, 'utf8'));

/** Runs dmatest on one channel to completion; returns its log lines. Checks in_use on the way. */
function runOn(chan: string, iterations: number, memset: boolean): string[] {
  assert.equal(inUse(chan), 0, `${chan} idle before`);
  const mark = kmsgMark();
  dt('iterations', iterations);
  dt('timeout', 30000); // TCG is slow; the default 3 s is for hardware
  dt('verbose', 'Y');
  dt('dmatest', memset ? 1 : 0);
  dt('test_buf_size', 8192);
  dt('channel', chan);
  assert.equal(inUse(chan), 1, `${chan}: in_use 1 while dmatest holds it`);
  dt('run', 1);
  dt('wait'); // blocks until every thread is done (iterations > 0)
  assert.equal(dt('run'), 'N');
  const lines = kmsgSince(mark).filter((l) => l.startsWith('dmatest: '));
  dt('run', 0);
  assert.equal(inUse(chan), 0, `${chan}: in_use back to 0 after run=0`);
  return lines;
}

describe('dmatest on the soft dmaengine channels (guest)', function () {
  before(function () {
    requireGuest(this);
    if (!moduleLoaded('dmatest')) insmod(join(moduleDir(), 'dmatest.ko'));
  });

  it('dmatest.ko loads and shows its parameters', () => {
    for (const p of ['channel', 'device', 'iterations', 'run', 'wait', 'threads_per_chan', 'test_buf_size', 'timeout', 'xor_sources', 'pq_sources', 'dmatest']) {
      assert.ok(existsSync(`/sys/module/dmatest/parameters/${p}`), p);
    }
    assert.equal(dt('run'), 'N');
  });

  it('memcpy, xor and pq on one soft channel: every test passes', () => {
    const chan = softChannels()[0].name;
    const lines = runOn(chan, 3, false);
    assert.ok(lines.includes(`dmatest: Added 3 threads using ${chan}`), lines.join('\n'));
    assert.ok(lines.includes(`dmatest: Started 3 threads using ${chan}`), lines.join('\n'));
    for (const op of ['copy', 'xor', 'pq']) {
      const thread = `${chan}-${op}0`.slice(0, 15);
      const sum = lines.map((l) => SUMMARY.exec(l)).find((m) => m && m[1] === thread);
      assert.ok(sum, `no summary for ${thread}:\n${lines.join('\n')}`);
      assert.equal(sum[2], '3', `${thread} tests`);
      assert.equal(sum[3], '0', `${thread} failures`);
      assert.equal(sum[7], '0', `${thread} status`);
      const results = lines.map((l) => RESULT.exec(l)).filter((m) => m && m[1] === thread);
      assert.equal(results.length, 3, `${thread} result lines`);
      for (const r of results) assert.equal(r?.[3], 'test passed');
    }
    assert.ok(!lines.some((l) => /mismatch|not copied|overwritten|timed out|error/.test(l)), lines.join('\n'));
  });

  it('memset (dmatest=1) on another channel passes', () => {
    const chans = softChannels();
    const chan = chans[chans.length > 1 ? 1 : 0].name;
    const lines = runOn(chan, 2, true);
    const thread = `${chan}-set0`.slice(0, 15);
    const sum = lines.map((l) => SUMMARY.exec(l)).find((m) => m && m[1] === thread);
    assert.ok(sum, `no summary for ${thread}:\n${lines.join('\n')}`);
    assert.equal(sum[2], '2');
    assert.equal(sum[3], '0');
  });

  it('a channel name that matches nothing is refused and nothing is held', () => {
    dt('iterations', 1);
    assert.throws(() => dt('channel', 'dma99chan99'), (e: NodeJS.ErrnoException) => ['EINVAL', 'EBUSY'].includes(String(e.code)));
    for (const c of softChannels()) assert.equal(c.inUse, 0, c.name);
  });
});
