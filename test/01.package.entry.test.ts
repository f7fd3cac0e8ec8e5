import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// The built package as users load it: `require('dmaengine')` and `import … from 'dmaengine'`
// give the same names (dist/ is built by `npm test` / `npm install` before this runs).
const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');

describe('package entry points (dist/)', function () {
  before(function () {
    if (!fs.existsSync(path.join(dist, 'index.mjs'))) {
      console.log('      (skipped: dist/ is not built; `npm run build:ts` builds it, `npm test` does so first)');
      this.skip();
    }
  });

  it('require and import expose the same public names', () => {
    const script = `
      const cjs = require(${JSON.stringify(path.join(dist, 'index.js'))});
      import(${JSON.stringify(path.join(dist, 'index.mjs'))}).then((esm) => {
        const a = Object.keys(cjs).filter((k) => k !== '__esModule').sort();
        const b = Object.keys(esm).filter((k) => k !== 'default').sort();
        console.log(JSON.stringify({ a, b, same: esm.asyncXor === cjs.asyncXor }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    assert.deepEqual(out.b, out.a);
    assert.equal(out.same, true);
    for (const name of ['dmaRequestChannel', 'asyncXor', 'allocDmaBuf', 'runDmatest', 'DmaEngineError', 'createDmaEngine']) {
      assert.ok(out.a.includes(name), name);
    }
  });

  it('package.json points bin, main, types and exports at built files', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const dot = pkg.exports['.'];
    for (const f of [pkg.main, pkg.types, pkg.bin.dmaengine, dot.import.default, dot.import.types, dot.require.default, dot.require.types]) {
      assert.ok(fs.existsSync(path.join(root, f)), f);
    }
    // Each entry typed by a declaration file of its own module kind (no "masquerading as CJS").
    assert.match(dot.import.types, /\.d\.mts$/);
    assert.match(dot.require.types, /\.d\.ts$/);
  });
});
