// The public-API fuzzer's bounded run (scripts/fuzz-api): every export of the built package with
// seeded hostile arguments, dependencies across engines included, in a child process so a
// crash fails this test instead of ending the run. Fixed seeds and case counts make it the same
// run every time (~7 s a seed on the 2-core box); the long run is
// `npm run fuzz:api -- --seconds N --seed S`. Needs dist/ (npm test builds it first).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
// 3 and 5 found the junk-descriptor errors, 4 was the one seed the first version passed; 7 runs
// with detaching getters and traps (buffers transferred away in the middle of a call); 11
// found the last put dropping a queued descriptor (docs/reliability.md).
const SEEDS: { seed: number; detach: boolean }[] = [{ seed: 3, detach: false }, { seed: 4, detach: false }, { seed: 5, detach: false }, { seed: 7, detach: true }, { seed: 11, detach: true }];
const CASES = 6144;

describe('public API fuzzer (bounded run)', function () {
  this.timeout(60000);
  for (const { seed, detach } of SEEDS) {
    it(`seed ${seed}${detach ? ' --detach' : ''}, ${CASES} cases: no crash, only named errors, guards intact, nothing written on throw, callbacks once`, function () {
      if (!existsSync(path.join(ROOT, 'dist/index.js'))) {
        console.log('      (skipped: dist/ is not built; run npm run build:ts)');
        this.skip();
      }
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/fuzz-api/run.js'), '--seed', String(seed), '--cases', String(CASES),
        '--seconds', '50', ...(detach ? ['--detach'] : [])], { cwd: ROOT, encoding: 'utf8', timeout: 55000 });
      const lines = r.stdout.trim().split('\n');
      const done = lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).find((o) => o && o.done);
      assert.equal(r.status, 0, `fuzzer status ${r.status} signal ${r.signal}:\n${r.stdout}\n${r.stderr}`);
      assert.ok(done, r.stdout);
      assert.equal(done.cases, CASES, 'the whole run was made');
      assert.equal(done.findings, 0);
      assert.equal(done.functions, done.exported, 'every exported function was called');
      assert.ok(done.returned > CASES / 5, `enough calls got past the checks (${done.returned})`);
      assert.ok(done.deps > 0, 'some operations returned with a dependency');
    });
  }
});
