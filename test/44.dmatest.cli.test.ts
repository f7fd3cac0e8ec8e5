import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { paramsFromOptions, formatDmatestTable } from '../lib/cli/dmatest';
import { runResultFromLog } from '../lib/dmatest/result';
import { resolveDmatestParams } from '../lib/dmatest/params';
import { summaryLine, startedLine } from '../lib/dmatest/log-format';

const cli = path.join(__dirname, '..', 'lib', 'cli', 'index.ts');
const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');

describe('dmaengine dmatest (CLI)', () => {
  it('maps options to module parameters, rejecting non-integers by option name', () => {
    assert.deepEqual(paramsFromOptions({ iterations: '7', memset: true, norandom: true, testBufSize: '512' }),
      { iterations: 7, dmatest: 1, norandom: true, test_buf_size: 512 });
    assert.throws(() => paramsFromOptions({ iterations: 'many' }), { name: 'TypeError', message: /"--iterations"/ });
  });

  it('formats one row per channel and a total', () => {
    const r = runResultFromLog([startedLine(1, 'dma0chan0'), summaryLine('dma0chan0-copy0', 10, 1, 1000n, 40960n, 0)],
      resolveDmatestParams(), 'in-process');
    const table = formatDmatestTable(r).split('\n');
    assert.match(table[0], /^channel\s+threads\s+tests\s+failures\s+iops\s+KB\/s$/);
    assert.match(table[1], /^dma0chan0\s+1\s+10\s+1\s+10000\.00\s+40000$/);
    assert.match(table[2], /^total\s+10\s+1/);
  });

  it('runs on a laptop: creates channels, prints kernel lines and the table, --json gives the result', () => {
    const out = execFileSync(tsx, [cli, 'dmatest', '--iterations', '4', '--test-buf-size', '1024', '--json'], { encoding: 'utf8' });
    const r = JSON.parse(out);
    assert.equal(r.mode, 'in-process');
    assert.ok(r.channels.length >= 1);
    assert.equal(r.failures, 0);
    assert.equal(r.tests, r.channels.reduce((n: number, c: { threads: unknown[] }) => n + c.threads.length * 4, 0));
    const text = execFileSync(tsx, [cli, 'dmatest', '--iterations', '2', '--test-buf-size', '512'], { encoding: 'utf8' });
    assert.match(text, /^dmatest: No channels configured, continue with any$/m);
    assert.match(text, /^dmatest: dma0chan0-copy0: summary 2 tests, 0 failures \d+\.\d\d iops \d+ KB\/s \(0\)$/m);
    assert.match(text, /^total\s+/m);
  });

  it('exits 1 with a clear message for a channel that cannot be taken', () => {
    const r = spawnSync(tsx, [cli, 'dmatest', '--iterations', '1', '--channel', 'dma9chan9'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /EINVAL: no channel named "dma9chan9"/);
  });
});
