// worker.terminate() on worker threads whose software engine has copies in flight, 1,000
// times (issue 10, item 4). It used to abort the whole process in about half of the runs of a
// few hundred cycles: an exception thrown while the worker's environment was stopping escaped
// a submit callback (std::terminate). The cycles run in a child process
// (test/helpers/worker-terminate-child.js) so an abort is a failed test; a longer soak is
// scripts/soak-worker-terminate.js.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

describe('SoftEngine in worker threads terminated with work in flight', function () {
  this.timeout(300000);

  it('1,000 terminate cycles (4 workers at a time) without an abort', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'helpers', 'worker-terminate-child.js'), '1000', '4'], {
      cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 280000,
    });
    assert.equal(r.signal, null, `the process died of ${r.signal}: ${r.stderr.slice(-2000)}`);
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    const line = JSON.parse(r.stdout.trim()) as { cycles: number; seconds: number; kbPerCycleAfterWarmup: number };
    assert.equal(line.cycles, 1000);
    console.log(`      ${line.cycles} cycles in ${line.seconds} s; RSS ${line.kbPerCycleAfterWarmup} KB/cycle after warm-up`);
  });
});
