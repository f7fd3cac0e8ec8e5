import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { paramsFromOptions, formatDmatestTable } from '../lib/cli/dmatest';
import { runCli, runProgram } from '../lib/cli/index';
import { captureIo } from '../lib/cli/io';
import { defaultDmaEngine } from '../lib/dmaengine/index';
import { runResultFromLog } from '../lib/dmatest/result';
import { resolveDmatestParams } from '../lib/dmatest/params';
import { summaryLine, startedLine } from '../lib/dmatest/log-format';

const cli = path.join(__dirname, '..', 'lib', 'cli', 'index.ts');
const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');

describe('dmaengine dmatest (CLI)', () => {
  afterEach(() => {
    // The command must leave the default instance as it found it (empty), for every other test.
    assert.equal(defaultDmaEngine().devices.length, 0, 'dmatest left a device registered on the default instance');
  });

  it('maps options to module parameters', () => {
    assert.deepEqual(paramsFromOptions({ iterations: 7, memset: true, norandom: true, testBufSize: 512 }),
      { iterations: 7, dmatest: 1, norandom: true, test_buf_size: 512 });
  });

  it('rejects a non-decimal or out-of-range integer, naming the flag', async () => {
    for (const [flag, value] of [['--iterations', 'many'], ['--iterations', '1e3'], ['--test-buf-size', '0x10'], ['--timeout', '-2'],
      ['--alignment', '32'], ['--duration', '0'], ['--test-buf-size', '0']]) {
      const r = await runCli(['dmatest', flag, value]);
      assert.equal(r.status, 1, `${flag} ${value}`);
      assert.match(r.stderr, new RegExp(`^error: option '${flag} <[a-z0-9]+>' argument '${value}' is invalid\\. Expected a decimal integer between`), r.stderr);
      assert.equal(r.stdout, '');
    }
  });

  it('formats one row per channel and a total', () => {
    const r = runResultFromLog([startedLine(1, 'dma0chan0'), summaryLine('dma0chan0-copy0', 10, 1, 1000n, 40960n, 0)],
      resolveDmatestParams(), 'in-process');
    const table = formatDmatestTable(r).split('\n');
    assert.match(table[0], /^channel\s+threads\s+tests\s+failures\s+iops\s+KB\/s$/);
    assert.match(table[1], /^dma0chan0\s+1\s+10\s+1\s+10000\.00\s+40000$/);
    assert.match(table[2], /^total\s+10\s+1/);
  });

  it('runs on a laptop (in process): creates channels, prints kernel lines and the table; --json gives the result', async function () {
    this.timeout(30000);
    const json = await runCli(['dmatest', '--iterations', '4', '--test-buf-size', '1024', '--json']);
    assert.equal(json.status, 0, json.stderr);
    const r = JSON.parse(json.stdout);
    assert.equal(r.mode, 'in-process');
    assert.ok(r.channels.length >= 1);
    assert.equal(r.failures, 0);
    assert.equal(r.tests, r.channels.reduce((n: number, c: { threads: unknown[] }) => n + c.threads.length * 4, 0));
    const text = await runCli(['dmatest', '--iterations', '2', '--test-buf-size', '512']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^dmatest: No channels configured, continue with any$/m);
    assert.match(text.stdout, /^dmatest: dma0chan0-copy0: summary 2 tests, 0 failures \d+\.\d\d iops \d+ KB\/s \(0\)$/m);
    assert.match(text.stdout, /^total\s+/m);
    assert.equal(text.stderr, '', 'no bar when stderr is not a terminal');
  });

  it('on a terminal: a bar on stderr counting to threads × iterations, the log lines through it', async function () {
    this.timeout(30000);
    const io = captureIo();
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let screen = '';
    tty.on('data', (d: Buffer) => { screen += d.toString(); });
    io.progressStream = tty as unknown as NodeJS.WriteStream;
    io.stdoutIsTTY = true;
    const status = await runProgram(['dmatest', '--iterations', '3', '--test-buf-size', '512'], io);
    assert.equal(status, 0, io.stderr);
    const threads = Number(/^dmatest: Started (\d+) threads using dma0chan0$/m.exec(screen)?.[1]);
    const channels = (screen.match(/^dmatest: Started \d+ threads using/gm) ?? []).length;
    assert.ok(threads >= 1 && channels >= 1, screen);
    const total = threads * channels * 3;
    assert.match(screen, new RegExp(`dmatest \\[[^\\]]*\\] ${total}/${total} tests`), 'the bar reached the expected total');
    assert.doesNotMatch(screen, new RegExp(`dmatest \\[[^\\]]*\\] \\d+/(?!${total} )\\d+ tests`), 'the total never changed');
    assert.match(screen, /dmatest: dma0chan0-copy0: summary 3 tests, 0 failures/, 'log lines went through the bar');
    assert.doesNotMatch(io.stdout, /^dmatest: /m, 'log lines were not also written under the bar');
    assert.match(io.stdout, /^total\s+/m);
  });

  it('exits 1 with a clear message for a channel that cannot be taken (one spawned run)', function () {
    this.timeout(30000);
    const r = spawnSync(tsx, [cli, 'dmatest', '--iterations', '1', '--channel', 'dma9chan9'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^dmaengine: EINVAL: no channel named "dma9chan9"/m);
  });
});
