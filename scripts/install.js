#!/usr/bin/env node
'use strict';
// `npm install` of dmaengine: use the prebuilt N-API binary when it loads here, else build from
// source with node-gyp against the running Node's own headers (never downloaded).
//
// The prebuilt is tried in a child process (a binary that crashes on load must not take the
// install with it) and must answer a call. In a git checkout the source build always runs: a
// prebuilt left there by `npm run prebuild` may predate the sources. `--build-from-source`
// (npm_config_build_from_source) or DMAENGINE_BUILD_FROM_SOURCE=1 force it too.
//
// A failure prints one short message naming what to install and what to run, with node-gyp's
// own output kept in a log file for whoever wants it.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { nodeHeadersPrefix } = require('./node-headers');

const root = path.resolve(__dirname, '..');
const prebuilt = path.join(root, 'prebuilds', 'linux-x64', 'dmaengine.node');
const HINT = 'install a C++ toolchain (Debian/Ubuntu: `apt install g++ make python3`; Fedora: `dnf install gcc-c++ make python3`), then run `npm rebuild dmaengine`';

/** Whether `file` loads in a fresh Node and answers a call. */
function loads(file) {
  const probe = `const a = require(${JSON.stringify(file)}); if (!Number.isInteger(a.schedGetcpu())) process.exit(3);`;
  const r = spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore', timeout: 30000 });
  return r.status === 0;
}

function fromSourceForced() {
  const flag = (v) => v !== undefined && v !== '' && v !== 'false' && v !== '0';
  return flag(process.env.npm_config_build_from_source) || flag(process.env.DMAENGINE_BUILD_FROM_SOURCE) ||
    fs.existsSync(path.join(root, '.git'));
}

/** node-gyp: the one npm bundles (npm sets npm_config_node_gyp), else the one on PATH. */
function nodeGypCommand() {
  const bundled = process.env.npm_config_node_gyp;
  if (bundled && fs.existsSync(bundled)) return [process.execPath, [bundled]];
  return ['node-gyp', []];
}

function fail(message) {
  process.stderr.write(`dmaengine: ${message}\n`);
  process.exit(1);
}

function buildFromSource() {
  const prefix = nodeHeadersPrefix();
  if (prefix === null) {
    fail(`no prebuilt binary works here and Node's headers are not installed next to ${process.execPath} ` +
      '(expected <prefix>/include/node/node_api.h; Debian/Ubuntu: the nodejs package from nodesource, or `apt install libnode-dev`); ' +
      'then run `npm rebuild dmaengine`');
  }
  const [cmd, pre] = nodeGypCommand();
  const log = path.join(os.tmpdir(), `dmaengine-build-${process.pid}.log`);
  const out = fs.openSync(log, 'w');
  const verbose = !!process.env.DMAENGINE_BUILD_VERBOSE;
  const r = spawnSync(cmd, [...pre, 'rebuild', `--nodedir=${prefix}`],
    { cwd: root, stdio: verbose ? 'inherit' : ['ignore', out, out] });
  fs.closeSync(out);
  if (r.status !== 0) {
    const missing = r.error ? `node-gyp could not be started (${r.error.message})` : 'the native build failed';
    fail(`${missing}; ${HINT}. node-gyp's output: ${log}`);
  }
  fs.rmSync(log, { force: true });
}

if (!fromSourceForced() && fs.existsSync(prebuilt) && loads(prebuilt)) {
  // Nothing to build: lib/addon-path.ts finds the prebuilt. A stale source build would win over
  // it, so none is left behind.
  fs.rmSync(path.join(root, 'build'), { recursive: true, force: true });
} else {
  buildFromSource();
}
