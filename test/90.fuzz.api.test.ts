// The public-API fuzzer's bounded run (scripts/fuzz-api): every export of the built package with
// seeded hostile arguments, in a child process so a crash fails this test instead of ending
// the run. A fixed seed and case count make it the same run every time (~15 s here); the long
// run is `npm run fuzz:api -- --seconds N --seed S`. Needs dist/ (npm test builds it first).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const SEED = 4;
const CASES = 4096;

describe('public API fuzzer (bounded run)', function () {
  this.timeout(90000);
  it(`seed ${SEED}, ${CASES} cases: no crash, only named errors, guards intact, nothing written on throw, callbacks once`, function () {
    if (!existsSync(path.join(ROOT, 'dist/index.js'))) {
      console.log('      (skipped: dist/ is not built; run npm run build:ts)');
      this.skip();
    }
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/fuzz-api/run.js'), '--seed', String(SEED), '--cases', String(CASES),
      '--seconds', '80'], { cwd: ROOT, encoding: 'utf8', timeout: 85000 });
    const lines = r.stdout.trim().split('\n');
    const done = lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).find((o) => o && o.done);
    assert.equal(r.status, 0, `fuzzer status ${r.status} signal ${r.signal}:\n${r.stdout}\n${r.stderr}`);
    assert.ok(done, r.stdout);
    assert.equal(done.cases, CASES, 'the whole run was made');
    assert.equal(done.findings, 0);
    assert.ok(done.returned > CASES / 5, `enough calls got past the checks (${done.returned})`);
  });
});
