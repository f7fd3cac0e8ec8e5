// Lifetime of the software engine across process boundaries: a process that exits with work
// in flight exits promptly and cleanly; submitted-but-unissued work keeps nothing alive;
// issued work keeps the loop alive until delivered; buffers live until their descriptor
// completes. Each case runs in a child process (test/helpers/engine-child.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

interface ChildRun { code: number | null; signal: string | null; lines: Record<string, unknown>[]; msAfterFirstLine: number; stderr: string }

function runChild(scenario: string, nodeArgs: string[] = []): Promise<ChildRun> {
  const script = path.join(__dirname, 'helpers', 'engine-child.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--require', 'tsx/cjs', script, scenario], {
      cwd: path.join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let firstLineAt = 0;
    child.stdout.on('data', (d: Buffer) => {
      if (!firstLineAt) firstLineAt = performance.now();
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`child ${scenario} hung; stderr: ${err}`)); }, 15000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const msAfterFirstLine = firstLineAt ? performance.now() - firstLineAt : -1;
      const lines = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, signal, lines, msAfterFirstLine, stderr: err });
    });
  });
}

describe('SoftEngine lifetime (child processes)', function () {
  this.timeout(30000);

  it('process.exit() with gigabytes in flight exits within 2 s with code 0', async () => {
    const r = await runChild('exit-in-flight');
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines[0]!.exiting, true);
    assert.ok((r.lines[0]!.outstanding as number) > 300, `work was still in flight: ${JSON.stringify(r.lines[0])}`);
    assert.ok(r.msAfterFirstLine < 2000, `exited ${r.msAfterFirstLine.toFixed(0)} ms after process.exit()`);
  });

  it('close() and a collection with a wake-up still queued: the queued call finds no freed engine (300 rounds)', async () => {
    const r = await runChild('close-queued-gc', ['--expose-gc']);
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.lines, [{ rounds: 300, delivered: 300 }]);
  });

  it('submitted but unissued work does not keep the process alive', async () => {
    const r = await runChild('unissued');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.lines, [{ exited: true, delivered: 0 }]);
  });

  it('issued work keeps the loop alive until every completion is delivered, then it ends', async () => {
    const r = await runChild('natural');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.lines, [{ exited: true, delivered: 300 }]);
  });

  it('a throwing onComplete is an uncaught exception and delivery goes on', async () => {
    const r = await runChild('throwing');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.lines, [{ uncaught: 'handler failed' }, { delivered: 2, dst: 2 }]);
  });

  it('holds buffers whose only reference is the engine until their descriptor completes', async () => {
    const r = await runChild('keepalive', ['--expose-gc']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.lines, [{ ok: true }, { shared: true }]);
  });

  it('a forgotten idle engine is collected and its threads stop', async () => {
    const r = await runChild('collect', ['--expose-gc']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.lines, [{ created: 20, left: 0 }]);
  });

  it('a worker thread terminated with work in flight stops its engine promptly', async () => {
    const addon = process.env.DMAENGINE_ADDON
      ? path.resolve(process.env.DMAENGINE_ADDON)
      : path.join(__dirname, '..', 'build', 'Release', 'dmaengine.node');
    const code = `
      const { parentPort } = require('node:worker_threads');
      const n = require(${JSON.stringify(addon)});
      const h = new n.SoftEngineHandle(2, 20, () => {});
      const src = Buffer.alloc(8 << 20, 1), d0 = Buffer.alloc(8 << 20), d1 = Buffer.alloc(8 << 20);
      for (let i = 0; i < 200; i++) h.memcpy(i & 1, 0, -1, 0, i & 1 ? d1 : d0, 0, src, 0, src.length);
      h.issuePending(0); h.issuePending(1);
      parentPort.postMessage(h.outstanding());
      setInterval(() => {}, 1000);`;
    const w = new Worker(code, { eval: true });
    const outstanding = await new Promise<number>((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
    assert.equal(outstanding, 200);
    const t0 = performance.now();
    const exitCode = await w.terminate();
    const ms = performance.now() - t0;
    assert.equal(exitCode, 1);
    assert.ok(ms < 2000, `worker took ${ms.toFixed(0)} ms to stop`);
  });
});
