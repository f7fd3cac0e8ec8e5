#!/usr/bin/env node
'use strict';
/**
 * `npm run fuzz:api -- --seconds N --seed S [--cases M] [--detach] [--all] [--mix | --no-mix] [--keep-going]`
 * Runs the public-API fuzzer (child.js) in a child process against the built package (dist/;
 * `npm run build:ts` first), so that a crash (a signal, an abort) is seen and reported, with
 * the seed and the batch to replay (`--from K --verbose` prints each case before running it).
 * Without `--seed`, a random seed is drawn and printed.
 * `DMAENGINE_ADDON=<path to an ASan .node>` runs it against another build of the addon (the
 * child must then be started with the ASan runtime preloaded: LD_PRELOAD=$(gcc
 * -print-file-name=libasan.so), ASAN_OPTIONS=detect_leaks=0). A watchdog ends a child that made
 * no progress for 30 s and reports a hang. Exit status: 0 clean, 1 findings, 2 crash or hang.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const argv = process.argv.slice(2);
// Without --seed, a random one: printed first, and in the done line and any replay command.
if (!argv.includes('--seed')) {
  argv.push('--seed', String(require('node:crypto').randomInt(1, 2 ** 31)));
  process.stdout.write(`seed ${argv[argv.length - 1]}\n`);
}
const child = spawn(process.execPath, [path.join(__dirname, 'child.js'), ...argv], {
  stdio: ['ignore', 'pipe', 'inherit'], env: process.env,
});
let last = null;
let lastAt = Date.now();
let buf = '';
const findings = [];
let done = null;
child.stdout.on('data', (d) => {
  buf += d;
  let nl;
  while ((nl = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, nl);
    buf = buf.slice(nl + 1);
    lastAt = Date.now();
    let o;
    try { o = JSON.parse(line); } catch { process.stdout.write(`${line}\n`); continue; }
    if (o.progress !== undefined) last = o.progress;
    else if (o.finding) { findings.push(o); process.stdout.write(`FINDING ${line}\n`); }
    else if (o.done) done = o;
  }
});
const watchdog = setInterval(() => {
  if (Date.now() - lastAt > 30000) { process.stdout.write(`HANG: no progress for 30 s after batch ${last}\n`); child.kill('SIGKILL'); }
}, 1000);
const seedArg = argv[argv.indexOf('--seed') + 1];
child.on('exit', (code, signal) => {
  clearInterval(watchdog);
  if (done) process.stdout.write(`${JSON.stringify(done)}\n`);
  if (signal || (code !== 0 && code !== 1)) {
    process.stdout.write(`CRASH: child ended by ${signal ?? `exit ${code}`} in the batch from case ${last}; replay: ` +
      `node scripts/fuzz-api/child.js ${argv.join(' ')} --from ${last} --cases 64 --verbose (seed ${seedArg})\n`);
    process.exit(2);
  }
  process.exit(findings.length > 0 || code !== 0 ? 1 : 0);
});
