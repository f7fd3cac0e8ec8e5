import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');

// The README's Promise API block is examples/promise-api.mts word for word (but for where the
// package is imported from), and the example runs as a user's ES module would.
describe('README Promise API example (examples/promise-api.mts)', () => {
  it('is the README block, word for word', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const m = /## The Promise API[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
    assert.ok(m, 'README has a "## The Promise API" section with a ts block');
    const example = readFileSync(path.join(root, 'examples', 'promise-api.mts'), 'utf8');
    const body = /\/\/ README:begin\n([\s\S]*?)\/\/ README:end\n/.exec(example);
    assert.ok(body, 'the example has its README markers');
    assert.equal(body[1]!.replace("from '../dist/index.mjs';", "from 'dmaengine';"), m[1]);
  });

  it('runs and prints what it checked', function () {
    this.timeout(60000);
    if (!existsSync(path.join(root, 'dist', 'index.mjs'))) {
      console.log('      (skipped: no dist/index.mjs; npm run build:ts makes it, npm test does first)');
      this.skip();
    }
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const r = spawnSync(tsx, [path.join(root, 'examples', 'promise-api.mts')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^engine: (soft|bridge), \d+ channel\(s\), inline below \d+ bytes$/);
    assert.deepEqual(lines.slice(1), ['xor: parity ok', 'recover: ok']);
  });
});
