#!/usr/bin/env node
'use strict';
// Builds native/ with plain CMake (kernels, engine and dma-buf layers without Node, their unit
// tests and the fuzz targets driven by seeded random inputs) and runs them with ctest.
//   node scripts/test-native.js            Release build in build-native/
//   node scripts/test-native.js --asan     AddressSanitizer + UBSan build in build-asan/
//   node scripts/test-native.js --tsan     ThreadSanitizer build in build-tsan/: the tests that run
//                                          threads (engine, striping, bridge); the kernels and their
//                                          fuzz target are single-threaded, and ASan covers them
const { execFileSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const asan = process.argv.includes('--asan');
const tsan = process.argv.includes('--tsan');
const dir = path.join(root, asan ? 'build-asan' : tsan ? 'build-tsan' : 'build-native');
const gen = (() => {
  try { execFileSync('ninja', ['--version'], { stdio: 'ignore' }); return ['-G', 'Ninja']; } catch { return []; }
})();
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root });

run('cmake', ['-S', root, '-B', dir, ...gen,
  `-DCMAKE_BUILD_TYPE=${asan || tsan ? 'RelWithDebInfo' : 'Release'}`,
  `-DDMAENGINE_ASAN=${asan ? 'ON' : 'OFF'}`, `-DDMAENGINE_TSAN=${tsan ? 'ON' : 'OFF'}`]);
run('cmake', ['--build', dir, '--parallel', '2']);
// Under TSan only what runs threads: a single-threaded kernel test would take minutes there and
// could find no race.
const only = tsan ? ['-R', '^(engine_|fuzz_engine|bridge)'] : [];
if (tsan) console.log('test-native: ThreadSanitizer runs the threaded tests (engine_*, fuzz_engine, bridge*); the kernels run under ASan');
run('ctest', ['--test-dir', dir, '--output-on-failure', '--parallel', '2', ...only]);
