#!/usr/bin/env node
'use strict';
// `npm run test:package` (CI, .ci/run): the package as a user gets it.
//  1. `npm pack` (prepack builds a fresh prebuilt, prepare the TypeScript) and check what the
//     tarball holds and leaves out;
//  2. @arethetypeswrong/cli on the tarball: CJS and ESM entries each typed as what they are;
//  3. install the tarball into a fresh app, offline, with every compiler shimmed to fail, so only
//     the prebuilt can make it work. The npm cache `npm ci` filled holds the dependencies'
//     tarballs but not their registry metadata, so the app gets a lockfile: dmaengine from the
//     tarball, its dependency closure copied from our package-lock.json (versions, integrity);
//  4. in that app: the README's tour verbatim (as tour.mjs), `require`, `npx dmaengine info`
//     (must report the prebuilt) and `npx dmaengine list`.
// Needs: a built checkout (`npm ci`). About 30 s here.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dmaengine-package-'));
const t0 = Date.now();
const crypto = require('crypto');
let failures = 0;

function step(what) { process.stdout.write(`test:package: ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`); }
function check(ok, what) {
  process.stdout.write(`  ${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  if (!ok) failures++;
}
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) {
    process.stderr.write(`test:package: ${cmd} ${args.join(' ')} exited ${r.status}${r.error ? ` (${r.error.message})` : ''}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
    process.exit(1);
  }
  return r.stdout;
}

/** The lockfile entries of `deps` and their dependencies, resolved as Node would in our tree. */
function lockClosure(lock, deps) {
  const out = {};
  const visit = (from, names) => {
    for (const name of Object.keys(names ?? {})) {
      let base = from;
      let found = null;
      for (;;) {
        const at = `${base ? `${base}/` : ''}node_modules/${name}`;
        if (lock.packages[at]) { found = at; break; }
        if (!base) break;
        const i = base.lastIndexOf('/node_modules/');
        base = i < 0 ? '' : base.slice(0, i);
      }
      if (found === null) throw new Error(`package-lock.json has no entry for ${name} (needed by ${from || 'dmaengine'})`);
      if (out[found]) continue;
      // Flags that describe our tree (dev-only, optional), not the app's.
      const entry = { ...lock.packages[found] };
      for (const flag of ['dev', 'devOptional', 'peer', 'optional']) delete entry[flag];
      out[found] = entry;
      visit(found, entry.dependencies);
    }
  };
  visit('', deps);
  return out;
}

/** A fresh app depending on the tarball, with a lockfile that needs no registry metadata. */
function writeApp(app, tarball) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const spec = `file:${path.relative(app, tarball)}`;
  const integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
  const manifest = { name: 'app', version: '1.0.0', private: true, dependencies: { dmaengine: spec } };
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  const packages = {
    '': { name: 'app', version: '1.0.0', dependencies: manifest.dependencies },
    'node_modules/dmaengine': { version: pkg.version, resolved: spec, integrity, hasInstallScript: true, license: pkg.license,
      dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines, os: pkg.os, cpu: pkg.cpu },
    ...lockClosure(lock, pkg.dependencies),
  };
  fs.writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
}

try {
  step('npm pack');
  run('npm', ['pack', '--pack-destination', tmp, '--silent'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error('npm pack wrote no tarball');
  const tarball = path.join(tmp, tgz);
  const files = run('tar', ['tzf', tarball]).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  for (const f of ['prebuilds/linux-x64/dmaengine.node', 'dist/index.js', 'dist/index.mjs', 'dist/index.d.ts', 'dist/index.d.mts',
    'dist/cli/index.js', 'LICENSE', 'README.md', 'binding.gyp', 'native/sources.js', 'native/addon/module.cc',
    'scripts/install.js', 'scripts/node-headers.js', 'docs/dmaengine.md', 'dist/cli/bench.js', 'native/bench/kernels_bench.cc', 'scripts/bench-kernels.js']) {
    check(files.includes(f), `tarball has ${f}`);
  }
  const unwanted = files.filter((f) => /^(test|\.ci|native\/tests|native\/fuzz|scripts\/kernel-lane|build[^/]*)\//.test(f) ||
    /^scripts\/(test-|prebuild)/.test(f));
  check(unwanted.length === 0, `tarball leaves out tests, fuzz targets, CI and lane scripts${unwanted.length ? `: ${unwanted.slice(0, 5).join(', ')}` : ''}`);
  process.stdout.write(`  ${files.length} files, ${(fs.statSync(tarball).size / 1024).toFixed(0)} KiB\n`);

  step('@arethetypeswrong/cli');
  const attw = spawnSync(path.join(root, 'node_modules', '.bin', 'attw'), [tarball, '--profile', 'node16', '--format', 'ascii'],
    { encoding: 'utf8' });
  check(attw.status === 0, 'attw --profile node16: no problem in the CJS or ESM entry');
  if (attw.status !== 0) process.stdout.write(`${attw.stdout}${attw.stderr}\n`);

  step('npm install --offline into a fresh app, compilers shimmed to fail');
  const app = path.join(tmp, 'app');
  const shims = path.join(tmp, 'no-compiler');
  fs.mkdirSync(app);
  fs.mkdirSync(shims);
  for (const tool of ['cc', 'gcc', 'c++', 'g++', 'clang', 'clang++', 'make', 'cmake']) {
    fs.writeFileSync(path.join(shims, tool), `#!/bin/sh\necho "test:package: ${tool} called: the prebuilt was not used" >&2\nexit 1\n`, { mode: 0o755 });
  }
  writeApp(app, tarball);
  const env = { ...process.env, PATH: `${shims}${path.delimiter}${process.env.PATH}`, CC: path.join(shims, 'cc'),
    CXX: path.join(shims, 'c++'), MAKE: path.join(shims, 'make') };
  // No help from this machine's npm config or a named build.
  delete env.npm_config_nodedir;
  delete env.DMAENGINE_ADDON;
  run('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: app, env });
  const installed = path.join(app, 'node_modules', 'dmaengine');
  check(!fs.existsSync(path.join(installed, 'build')), 'no source build in the installed package');

  step('the README Promise API example and tour (.mjs), require, npx dmaengine info / list');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const promise = /## The Promise API[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
  if (!promise) throw new Error('README.md: no ```ts block under "## The Promise API"');
  // The README's block, then what a reader would check: parity and the two rebuilt blocks.
  fs.writeFileSync(path.join(app, 'promise.mjs'), promise[1] + [
    "console.log(`xor: ${parity.equals(p) ? 'ok' : 'WRONG'}`);",
    "console.log(`recover: ${blocks[2].equals(lost[0]) && blocks[5].equals(lost[1]) ? 'ok' : 'WRONG'}`);", ''].join('\n'));
  const promiseOut = run(process.execPath, ['promise.mjs'], { cwd: app, env });
  check(/^xor: ok$/m.test(promiseOut), 'Promise API example: xor: ok');
  check(/^recover: ok$/m.test(promiseOut), 'Promise API example: recover: ok');
  const tour = /## The kernel-faithful API: a short tour[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
  if (!tour) throw new Error('README.md: no ```ts block under "## The kernel-faithful API: a short tour"');
  fs.writeFileSync(path.join(app, 'tour.mjs'), tour[1]);
  const lines = run(process.execPath, ['tour.mjs'], { cwd: app, env }).trim().split('\n');
  check(lines[0] === 'software path: returned null, dest[0] = 7', `tour: ${lines[0]}`);
  check(lines.includes('device path: copy[0] = 7'), 'tour: device path: copy[0] = 7');
  check(lines.includes('exclusive channel: dma1chan0'), 'tour: exclusive channel: dma1chan0');
  check(lines.some((l) => /^dmatest: \d+ tests, 0 failures$/.test(l)), 'tour: dmatest: N tests, 0 failures');
  const cjs = run(process.execPath, ['-e', "const d = require('dmaengine'); console.log(typeof d.asyncXor, typeof d.createDmaEngine)"], { cwd: app, env });
  check(cjs.trim() === 'function function', "require('dmaengine') gives the API");
  const info = run('npx', ['--offline', 'dmaengine', 'info'], { cwd: app, env });
  const addon = /^dmaengine: addon: (.*)$/m.exec(info);
  const want = path.join(installed, 'prebuilds', 'linux-x64', 'dmaengine.node');
  check(addon !== null && addon[1] === `${fs.realpathSync(want)} (prebuilt)`, `info: the prebuilt loaded (${addon ? addon[1] : 'no addon line'})`);
  check(/^xor: using algorithm \S+/m.test(info), 'info: kernel selection lines');
  const list = run('npx', ['--offline', 'dmaengine', 'list'], { cwd: app, env });
  check(/^kernel: \/sys\/class\/dma/m.test(list), 'list: the kernel channels');
  check(/^bridge: /m.test(list), 'list: the kernel bridge state');
  const demo = run('npx', ['--offline', 'dmaengine', 'list', '--demo'], { cwd: app, env });
  check(/^dma0 \(demo-memcpy/m.test(demo), 'list --demo: soft channels registered and listed');
} finally {
  if (process.env.KEEP_PACKAGE_TEST) process.stdout.write(`test:package: kept ${tmp}\n`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
step(failures === 0 ? 'all passed' : `${failures} check(s) failed`);
if (failures > 0) process.exitCode = 1;
