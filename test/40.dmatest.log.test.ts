import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseDmatestLog, channelOfThread } from '../lib/dmatest/log-parser';
import {
  resultLine, summaryLine, summaryFigures, mismatchLine, suppressedLine, threadName,
  addedLine, startedLine, NO_CHANNELS_LINE,
} from '../lib/dmatest/log-format';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', 'dmatest', name), 'utf8');

describe('dmatest log format (spec §4.5)', () => {
  it('threadName cuts to the kernel comm length of 15', () => {
    assert.equal(threadName('dma0chan0', 'copy', 0), 'dma0chan0-copy0');
    assert.equal(threadName('dma0chan10', 'copy', 0), 'dma0chan10-copy');
    assert.equal(threadName('dma12chan10', 'pq', 3), 'dma12chan10-pq3');
  });

  it('prints result lines byte for byte, signed data only when negative', () => {
    assert.equal(resultLine('dma0chan0-copy0', 1, 'test passed', 0x7bf, 0x8ad, 0x3fea, 0),
      "dmatest: dma0chan0-copy0: result #1: 'test passed' with src_off=0x7bf dst_off=0x8ad len=0x3fea (0)");
    assert.equal(resultLine('t', 2, 'prep error', 0, 0, 16, -5),
      "dmatest: t: result #2: 'prep error' with src_off=0x0 dst_off=0x0 len=0x10 (-5)");
    assert.equal(mismatchLine('t', 'dstbuf not copied', 0x1f0, 0x5f, 0x1f), 'dmatest: t: dstbuf[0x1f0] not copied! Expected 5f, got 1f');
    assert.equal(mismatchLine('t', 'srcbuf overwritten', 2, 0x9d, 0), 'dmatest: t: srcbuf[0x2] overwritten! Expected 9d, got 00');
    assert.equal(suppressedLine('t', 7), 'dmatest: t: 7 errors suppressed');
    assert.equal(addedLine(1, 'dma0chan0'), 'dmatest: Added 1 threads using dma0chan0');
    assert.equal(startedLine(2, 'dma0chan0'), 'dmatest: Started 2 threads using dma0chan0');
    assert.equal(NO_CHANNELS_LINE, 'dmatest: No channels configured, continue with any');
  });

  it('computes iops and KB/s in 8-bit fixed point as dmatest does', () => {
    // Independent arithmetic: iops = floor(3e6·256/1994) = 385155 → 1504 + (131·100 >> 8) = 1504.51
    assert.deepEqual(summaryFigures(3, 1994n, 21n * 1024n), { iops: '1504.51', kbs: BigInt(Math.floor((21e6 * 256) / 1994) >> 8) });
    // Zero runtime gives zeros, not a division by zero.
    assert.deepEqual(summaryFigures(5, 0n, 4096n), { iops: '0.00', kbs: 0n });
    // Runtimes beyond 32 bits drop precision the kernel's way (runtime halved, per_sec doubled).
    const big = 0x1_0000_0001n;
    const f = summaryFigures(1000, big, 0n);
    const rt = big >> 1n; const perSec = 2000000n * 1000n * 256n;
    const fix = perSec / rt;
    assert.equal(f.iops, `${fix >> 8n}.${(((fix & 255n) * 100n) >> 8n).toString().padStart(2, '0')}`);
    assert.equal(summaryLine('dma0chan0-copy0', 3, 2, 1994n, 21n * 1024n, 0),
      `dmatest: dma0chan0-copy0: summary 3 tests, 2 failures 1504.51 iops ${Math.floor((21e6 * 256) / 1994) >> 8} KB/s (0)`);
  });
});

describe('parseDmatestLog()', () => {
  it('reads the modern 6.x format from /dev/kmsg records', () => {
    const p = parseDmatestLog(fixture('modern-6.x.kmsg'));
    assert.deepEqual(p.added.map((a) => a.channel), ['dma0chan0', 'dma0chan10']);
    assert.equal(p.started.length, 2);
    assert.equal(p.results.length, 4);
    const [first, second] = p.results;
    assert.deepEqual({ ...first, line: undefined }, {
      thread: 'dma0chan0-copy0', channel: 'dma0chan0', n: 1, message: 'test passed',
      srcOff: 0x7bf, dstOff: 0x8ad, len: 0x3fea, data: 0, era: 'modern', line: undefined,
    });
    // The 15-character comm "dma0chan10-copy" maps back to dma0chan10, not dma0chan1.
    assert.equal(second.channel, 'dma0chan10');
    assert.equal(second.message, 'data error');
    assert.equal(second.data, 2);
    assert.equal(p.results[3].data, -5);
    assert.equal(p.mismatches.length, 2);
    assert.equal(p.mismatches[0].kind, 'dstbuf not copied');
    assert.equal(p.mismatches[0].channel, 'dma0chan10');
    assert.deepEqual(p.summaries.map((s) => [s.channel, s.tests, s.failures, s.iops, s.kbPerSec, s.ret]),
      [['dma0chan0', 3, 2, 1504.51, 10830, 0], ['dma0chan10', 1, 1, 833.33, 416, 0]]);
    assert.deepEqual(p.unknown, []);
  });

  it('reads 5.x dmesg lines with integer iops, mismatches and suppressed counts', () => {
    const p = parseDmatestLog(fixture('modern-5.x.dmesg'));
    assert.equal(p.results[0].message, 'test timed out');
    assert.equal(p.mismatches[0].kind, 'srcbuf overwritten');
    assert.deepEqual(p.suppressed, [{ thread: 'dma1chan3-xor0', channel: 'dma1chan3', count: 7 }]);
    assert.equal(p.summaries[0].iops, 19);
    assert.equal(p.summaries[0].kbPerSec, 159);
  });

  it('reads the 3.10–3.12 debugfs format, with and without the "result" word', () => {
    const p = parseDmatestLog(fixture('debugfs-3.11.log'));
    assert.deepEqual(p.results.map((r) => [r.n, r.message, r.data, r.era]), [
      [1, 'test passed', 0, 'debugfs'],
      [2, 'completion error status', 0, 'debugfs'],
      [3, 'data error', 3, 'debugfs'],
    ]);
    assert.equal(p.results[0].channel, 'dma0chan0');
    assert.equal(p.mismatches[0].kind, 'srcbuf overwritten');
    assert.equal(p.mismatches[0].index, 3);
  });

  it('reads the 2.6.32–3.9 format: 0-based numbers made 1-based, error counts, status summary', () => {
    const p = parseDmatestLog(fixture('legacy-2.6.32.log'));
    assert.deepEqual(p.results.map((r) => [r.n, r.message, r.data]), [
      [1, 'test passed', 0], [2, 'data error', 12], [3, 'prep error', 0], [4, 'submit error', -16],
      [5, 'test timed out', 0], [6, 'completion busy status', 0],
    ]);
    assert.equal(p.results[4].len, null);
    assert.deepEqual(p.summaries.map((s) => [s.channel, s.tests, s.failures, s.iops, s.ret, s.era]),
      [['dma0chan1', 6, 5, null, 0, 'legacy']]);
  });

  it('reads the 2.6.27 format (<chan>-test<i> threads, "error during copy")', () => {
    const p = parseDmatestLog(fixture('legacy-2.6.27.log'));
    assert.equal(p.results[0].message, 'completion error status');
    assert.equal(p.results[0].channel, 'dma0chan0');
    assert.equal(p.summaries[0].failures, 1);
  });

  it('reads vendor "terminating after … iops … KB/s" summaries through syslog prefixes', () => {
    const p = parseDmatestLog(fixture('vendor-terminating-iops.log'));
    assert.deepEqual(p.summaries.map((s) => [s.channel, s.tests, s.iops, s.kbPerSec]), [['dma2chan0', 100, 5000, 80000]]);
  });

  it('round-trips every line the formatter prints', () => {
    const lines = [
      addedLine(1, 'dma3chan11'), startedLine(1, 'dma3chan11'),
      resultLine(threadName('dma3chan11', 'pq', 0), 9, 'completion busy status', 1, 2, 3, 0),
      summaryLine(threadName('dma3chan11', 'pq', 0), 9, 1, 1000n, 4096n, 0),
    ];
    const p = parseDmatestLog(lines);
    assert.equal(p.results[0].channel, 'dma3chan11');
    assert.equal(p.results[0].message, 'completion busy status');
    assert.equal(p.summaries[0].tests, 9);
    assert.equal(p.summaries[0].iops, 9000);
  });

  it('flags dmatest lines it cannot read instead of dropping them silently', () => {
    const p = parseDmatestLog(['dmatest: something new in 7.0', 'unrelated line']);
    assert.deepEqual(p.unknown, ['dmatest: something new in 7.0']);
  });

  it('channelOfThread falls back to the -<op><i> suffix with no known channels', () => {
    assert.equal(channelOfThread('dma5chan2-set0', []), 'dma5chan2');
    assert.equal(channelOfThread('dma0chan10-copy', ['dma0chan1', 'dma0chan10']), 'dma0chan10');
  });
});
