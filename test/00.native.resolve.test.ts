import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { addonCandidates, addonLoadError } from '../lib/addon-path';

// Our own addon resolution (no `bindings`): DMAENGINE_ADDON alone when set, else the source
// build, then the shipped prebuilt; one actionable message when nothing loads.
const root = path.join(__dirname, '..');

describe('native addon resolution', () => {
  it('looks in build/Release, then prebuilds/linux-x64; DMAENGINE_ADDON replaces both', () => {
    assert.deepEqual(addonCandidates({}).map((c) => [c.kind, path.relative(root, c.path)]), [
      ['build', path.join('build', 'Release', 'dmaengine.node')],
      ['prebuilt', path.join('prebuilds', 'linux-x64', 'dmaengine.node')],
    ]);
    const only = addonCandidates({ DMAENGINE_ADDON: 'x/y.node' });
    assert.deepEqual(only.map((c) => [c.kind, c.path, c.exists]), [['env', path.resolve('x/y.node'), false]]);
  });

  it('a missing addon is one line saying what to install and what to run', () => {
    const err = addonLoadError(null);
    assert.equal((err as Error & { code: string }).code, 'ERR_DMAENGINE_ADDON');
    assert.doesNotMatch(err.message, /\n/);
    assert.match(err.message, /g\+\+ make python3/);
    assert.match(err.message, /npm rebuild dmaengine/);
  });

  it('a file that does not load names itself and why, in one line', () => {
    const err = addonLoadError({ kind: 'build', path: '/p/dmaengine.node', exists: true }, new Error('invalid ELF header\nstack…'));
    assert.match(err.message, /^dmaengine: the native addon \/p\/dmaengine\.node does not load \(invalid ELF header\): install/);
    assert.ok(err.cause instanceof Error);
  });

  it('a DMAENGINE_ADDON that names nothing fails the first native call with that name', () => {
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e',
      "try { require('./lib/native').native(); } catch (e) { console.log(e.message); }"],
    { cwd: root, encoding: 'utf8', env: { ...process.env, DMAENGINE_ADDON: '/nonexistent/dmaengine.node' } });
    assert.equal(r.stdout.trim(), 'dmaengine: DMAENGINE_ADDON names "/nonexistent/dmaengine.node", which does not exist');
  });
});
