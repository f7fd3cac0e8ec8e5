// The engine threads' scheduling policy (docs/engine.md, "Threading"): what SoftEngine's and
// the soft device's workerPolicy option asks is what the kernel reports for every dmae-*
// thread (/proc/self/task/*/stat, read in a child process so no other engine's threads are
// counted), and a bad value is refused.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SoftEngine } from '../lib/engine';
import { SoftDevice } from '../lib/providers/soft';

// Linux's policy numbers (sched.h), as /proc's field 41 shows them.
const SCHED_OTHER = 0;
const SCHED_BATCH = 3;
const SCHED_IDLE = 5;

interface ThreadSched { name: string; nice: number; policy: number }

function childThreads(mode: 'engine' | 'device', opts: object): ThreadSched[] {
  const script = path.join(__dirname, 'helpers', 'thread-policy-child.ts');
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', script, mode, JSON.stringify(opts)], {
    encoding: 'utf8', timeout: 15000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ThreadSched[];
}

const linux = process.platform === 'linux';

describe('engine: worker scheduling policy', function () {
  before(function () {
    if (!linux) {
      console.log('    (skipped: per-thread scheduling policies are read from Linux /proc)');
      this.skip();
    }
  });

  it('default: SCHED_OTHER at niceness 5 on every worker', () => {
    const ts = childThreads('engine', {});
    assert.deepEqual(ts.filter((t) => t.name.startsWith('dmae-chan')).length, 2, JSON.stringify(ts));
    for (const t of ts) assert.deepEqual({ ...t, name: '' }, { name: '', nice: 5, policy: SCHED_OTHER }, t.name);
  });

  it("'idle' puts every worker under SCHED_IDLE, 'batch' under SCHED_BATCH at workerNice", () => {
    const idle = childThreads('engine', { workerPolicy: 'idle' });
    assert.equal(idle.filter((t) => t.name.startsWith('dmae-chan')).length, 2, JSON.stringify(idle));
    for (const t of idle) assert.equal(t.policy, SCHED_IDLE, `${t.name}: ${JSON.stringify(idle)}`);
    const batch = childThreads('engine', { workerPolicy: 'batch', workerNice: 9 });
    assert.equal(batch.filter((t) => t.name.startsWith('dmae-chan')).length, 2, JSON.stringify(batch));
    for (const t of batch) assert.deepEqual([t.policy, t.nice], [SCHED_BATCH, 9], t.name);
  });

  it("'normal' with workerNice 0 leaves the workers as the event loop's thread", () => {
    const ts = childThreads('engine', { workerPolicy: 'normal', workerNice: 0 });
    assert.equal(ts.length >= 2, true, JSON.stringify(ts));
    for (const t of ts) assert.deepEqual([t.policy, t.nice], [SCHED_OTHER, 0], t.name);
  });

  it('a soft device passes workerPolicy to its engine', () => {
    const ts = childThreads('device', { workerPolicy: 'idle' });
    assert.equal(ts.filter((t) => t.name.startsWith('dmae-chan')).length, 1, JSON.stringify(ts));
    for (const t of ts) assert.equal(t.policy, SCHED_IDLE, t.name);
  });

  it('refuses an unknown policy with a RangeError naming the option', () => {
    for (const bad of ['IDLE', 'fifo', 2, null, {}]) {
      assert.throws(() => new SoftEngine({ channels: 1, workerPolicy: bad as never }), (e: unknown) =>
        e instanceof RangeError && /"workerPolicy"/.test(e.message) && /'normal', 'batch', 'idle'/.test(e.message));
      assert.throws(() => new SoftDevice({ workerPolicy: bad as never }), RangeError);
    }
  });
});
