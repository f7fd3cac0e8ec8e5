#!/usr/bin/env node
'use strict';
// Soak: terminates worker threads whose software engine has copies in flight, many times
// (default 10,000, 4 at a time), in a child process, and reports an abort or crash as a
// failure plus the RSS growth per cycle. The mocha test (11.engine.worker-terminate) runs
// 1,000 cycles of the same child.
//   node scripts/soak-worker-terminate.js [cycles] [parallel]
const { spawnSync } = require('child_process');
const path = require('path');

const cycles = process.argv[2] || '10000';
const parallel = process.argv[3] || '4';
const child = path.join(__dirname, '..', 'test', 'helpers', 'worker-terminate-child.js');
const r = spawnSync(process.execPath, ['--expose-gc', child, cycles, parallel], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (r.signal || r.status !== 0) {
  console.error(`soak: FAILED (${r.signal ? `signal ${r.signal}` : `exit ${r.status}`})`);
  process.exit(1);
}
console.log(`soak: ok ${r.stdout.trim()}`);
