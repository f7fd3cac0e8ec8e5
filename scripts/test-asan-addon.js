#!/usr/bin/env node
'use strict';
// Builds the N-API addon itself with AddressSanitizer + UBSan (cmake-js, the CMakeLists.txt
// addon target with DMAENGINE_ASAN=ON, into build-asan-addon/) and runs the mocha tests whose
// failures are memory errors in the addon under it: buffers detached or transferred while in
// flight, worker threads terminated with the engine busy, detaching getters. Node itself is
// not instrumented, so libasan is preloaded; leak checking is off (Node's own exit-time
// allocations would drown it). Then a bounded run of the public-API fuzzer (scripts/fuzz-api)
// against the same build.
//   node scripts/test-asan-addon.js [mocha test files…]
const { execFileSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'build-asan-addon');
const tests = process.argv.slice(2).length ? process.argv.slice(2) : [
  'test/11.engine.transfer.test.ts',
  'test/11.engine.worker-terminate.test.ts',
  'test/11.engine.lifetime.test.ts',
  'test/13.native.detach.test.ts',
];
const run = (cmd, args, env) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, env: env ?? process.env });
const lib = (name) => execFileSync('g++', [`-print-file-name=${name}`], { encoding: 'utf8' }).trim();

run(process.execPath, [require.resolve('cmake-js/bin/cmake-js'), 'build', '--out', out, '--config', 'RelWithDebInfo',
  '--parallel', '2', '--CDDMAENGINE_ASAN=ON']);
const addon = path.join(out, 'RelWithDebInfo', 'dmaengine.node');
const env = {
  ...process.env,
  DMAENGINE_ADDON: addon,
  LD_PRELOAD: [lib('libasan.so'), lib('libubsan.so')].join(' '),
  ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1',
  UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
};
run(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--no-config', '--require', 'tsx/cjs', '--extension', 'ts',
  '--timeout', '300000', ...tests], env);

// The public-API fuzzer against the instrumented addon: every export, hostile values, detaching
// getters; a memory error aborts the child, which the runner reports as a crash (exit 2).
if (process.argv.length <= 2) {
  for (const seed of ['12', '13']) {
    run(process.execPath, [path.join(root, 'scripts/fuzz-api/run.js'), '--seed', seed, '--seconds', '15', '--detach'], env);
  }
}
