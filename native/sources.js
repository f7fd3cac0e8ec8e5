#!/usr/bin/env node
'use strict';
// The one list of native sources. binding.gyp (node-gyp) and CMakeLists.txt (cmake-js and the
// native tests) both ask this script, so the two builds cannot drift: a file dropped into one
// of the layer folders is compiled by both.
//
// Usage: node native/sources.js <group> [<group> …]
//   groups: kernels, engine, dmabuf, bridge (the dmaengine bridge's client: UAPI header and libc
//   only, so it builds without the module), addon (the N-API boundary), all (every layer)
// Prints one path per line, relative to the repository root, sorted.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const LAYERS = ['kernels', 'engine', 'dmabuf', 'bridge', 'addon'];

function list(layer) {
  const dir = path.join(root, 'native', layer);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.cc'))
    .sort()
    .map((f) => `native/${layer}/${f}`);
}

const groups = process.argv.slice(2);
if (groups.length === 0) {
  process.stderr.write('usage: node native/sources.js <kernels|engine|dmabuf|bridge|addon|all> …\n');
  process.exit(2);
}
const out = [];
for (const g of groups) {
  if (g === 'all') out.push(...LAYERS.flatMap(list));
  else if (LAYERS.includes(g)) out.push(...list(g));
  else {
    process.stderr.write(`native/sources.js: unknown group "${g}"\n`);
    process.exit(2);
  }
}
process.stdout.write(out.join('\n') + '\n');
