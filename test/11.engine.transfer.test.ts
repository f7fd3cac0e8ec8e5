// In-flight memory stays valid whatever JavaScript does with its buffer (issue 10, item 3):
// transferred (structuredClone with `transfer`) and collected while the software engine reads
// or writes it. Each case runs in a child process with --expose-gc (test/helpers/
// transfer-child.ts), so a crash is a failed test, not a dead runner.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

function runChild(scenario: string): { status: number | null; signal: string | null; line: Record<string, unknown>; stderr: string } {
  const script = path.join(__dirname, 'helpers', 'transfer-child.ts');
  const r = spawnSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', script, scenario], {
    cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 120000,
  });
  const out = r.stdout.trim().split('\n').filter(Boolean);
  let line: Record<string, unknown> = {};
  try { line = JSON.parse(out[out.length - 1] ?? '{}') as Record<string, unknown>; } catch { /* reported below */ }
  return { status: r.status, signal: r.signal, line, stderr: r.stderr };
}

describe('SoftEngine: buffers transferred and collected while in flight (child processes)', function () {
  this.timeout(150000);

  it('asyncMemcpy on a soft device: destinations and sources transferred and collected mid-flight', () => {
    const r = runChild('async-memcpy');
    assert.equal(r.signal, null, `child died of ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.ok((r.line.queued as number) >= 72, `the copies went to the device: ${JSON.stringify(r.line)}`);
    assert.equal(r.line.callbacks, r.line.queued, 'every copy completed and called back');
  });

  it('a destination transferred in flight and kept: the bytes land in the memory its new owner holds', () => {
    const r = runChild('kept-clone');
    assert.equal(r.signal, null, `child died of ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.line, { async: true, detached: true, landed: true });
  });

  it('a dma-buf mapping transferred and collected in flight stays mapped until delivery', () => {
    const r = runChild('dmabuf-map');
    assert.equal(r.signal, null, `child died of ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.line, { submitted: 48, delivered: 48, failed: 0 });
  });
});
