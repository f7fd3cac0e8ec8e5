#!/usr/bin/env node
'use strict';
// `npm run prebuild` (and `prepack`, so every `npm pack` ships a fresh one): the prebuilt N-API
// binary, prebuilds/linux-x64/dmaengine.node, from the node-gyp build (incremental: build/ is
// configured once, against the running Node's own headers).
//
// Then its dynamic symbols are checked: N-API (napi_*) is the stable ABI a prebuilt may use; a
// C++ V8 or node:: symbol ties the binary to this Node's ABI version. Such symbols are reported,
// not fatal: on another Node the install script's load check fails and the source build runs.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { nodeHeadersPrefix } = require('./node-headers');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'build', 'Release', 'dmaengine.node');
const dest = path.join(root, 'prebuilds', 'linux-x64', 'dmaengine.node');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`prebuild: ${cmd} ${args.join(' ')} failed${r.error ? ` (${r.error.message})` : ''}\n`);
    process.exit(1);
  }
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  process.stderr.write(`prebuild: the shipped binary is linux-x64; this is ${process.platform}-${process.arch}\n`);
  process.exit(1);
}
const prefix = nodeHeadersPrefix();
if (prefix === null) {
  process.stderr.write(`prebuild: no Node headers next to ${process.execPath} (<prefix>/include/node/node_api.h)\n`);
  process.exit(1);
}
const gyp = process.env.npm_config_node_gyp && fs.existsSync(process.env.npm_config_node_gyp)
  ? [process.execPath, [process.env.npm_config_node_gyp]] : ['node-gyp', []];
if (!fs.existsSync(path.join(root, 'build', 'Makefile'))) run(gyp[0], [...gyp[1], 'configure', `--nodedir=${prefix}`]);
run(gyp[0], [...gyp[1], 'build', `--nodedir=${prefix}`]);

fs.mkdirSync(path.dirname(dest), { recursive: true });
fs.copyFileSync(built, dest);
// Debug symbols are not needed to run and would triple the tarball.
const strip = spawnSync('strip', ['--strip-unneeded', dest], { stdio: 'inherit' });
if (strip.status !== 0) process.stderr.write('prebuild: strip not available: the binary ships unstripped\n');

const nm = spawnSync('nm', ['-D', '--undefined-only', dest], { encoding: 'utf8' });
if (nm.status !== 0) {
  process.stderr.write('prebuild: nm (binutils) not available: the N-API-only check was skipped\n');
} else {
  const names = nm.stdout.split('\n').map((l) => l.trim().split(/\s+/).pop()).filter(Boolean);
  // _ZN2v8 / _ZNK2v8: v8::…; _ZN4node: node::… (mangled C++ names of Node's internal ABI).
  const tied = names.filter((n) => /^_ZN?K?(2v8|4node)/.test(n));
  if (tied.length > 0) {
    process.stderr.write(`prebuild: warning: ${path.relative(root, dest)} uses ${tied.length} V8/node C++ symbol(s) beyond N-API, ` +
      `so it loads only on Node ABI ${process.versions.modules} (Node ${process.versions.node.split('.')[0]}.x); ` +
      `elsewhere the install builds from source:\n${tied.map((n) => `  ${n}`).join('\n')}\n`);
  }
  const napi = names.filter((n) => n.startsWith('napi_')).length;
  process.stdout.write(`prebuild: ${path.relative(root, dest)} (${fs.statSync(dest).size} bytes, ${napi} napi_* imports, ` +
    `${tied.length} V8/node C++ imports)\n`);
}
