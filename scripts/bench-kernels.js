#!/usr/bin/env node
'use strict';
// npm run bench:kernels — the kernel-level benchmark, a benchmark and never a test:
//  1. builds native/bench/kernels_bench.cc with CMake (-DDMAENGINE_BENCH=ON, Release,
//     build-bench/) and runs it: our chosen kernels (and with --variants every variant this CPU
//     runs) vs glibc memcpy/memset and, when Debian's libisal-dev is installed, ISA-L
//     xor_gen/xor_check/pq_gen/pq_check/ec_encode_data;
//  2. through the addon: Node's Buffer.copy/Buffer.fill vs kernelCopy/kernelFill.
// Each part alternates its contenders over several rounds and prints medians and ratios.
// The public API (inline and queued paths, engines, event-loop delay) is `npm run bench`
// (`dmaengine bench`, docs/bench.md), which runs the same C++ program for its kernel columns.
//     Each figure of part 1 twice, in the same rounds: on 64-byte-aligned buffers and on buffers
//     placed as Node's Buffer.alloc places them (plain malloc; --aligned for the first only).
//   node scripts/bench-kernels.js [--quick] [--variants] [--aligned] [--js-only] [--native-only]
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const dir = path.join(root, 'build-bench');

function nativePart() {
  const isal = fs.existsSync('/usr/include/isa-l.h') || fs.existsSync('/usr/include/isa-l');
  console.log(isal
    ? 'ISA-L headers found (/usr/include/isa-l.h): the ISA-L column is included.'
    : 'ISA-L NOT installed (no /usr/include/isa-l.h): the ISA-L column is skipped. ' +
      'Install it with: sudo apt-get install libisal-dev');
  const gen = (() => {
    try { execFileSync('ninja', ['--version'], { stdio: 'ignore' }); return ['-G', 'Ninja']; } catch { return []; }
  })();
  const run = (cmd, a, opts = {}) => execFileSync(cmd, a, { stdio: 'inherit', cwd: root, ...opts });
  run('cmake', ['-S', root, '-B', dir, ...gen, '-DCMAKE_BUILD_TYPE=Release', '-DDMAENGINE_BENCH=ON'],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  run('cmake', ['--build', dir, '--target', 'kernels_bench', '--parallel', '2'], { stdio: ['ignore', 'ignore', 'inherit'] });
  run(path.join(dir, 'kernels_bench'), [...args.filter((a) => a === '--quick' || a === '--variants'),
    '--placement', args.includes('--aligned') ? 'aligned' : 'aligned,node']);
}

// The package's own resolution (DMAENGINE_ADDON, build/Release, the prebuilt): dist/ is built.
function loadAddon() {
  return require(path.join(root, 'dist', 'native.js')).native();
}

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function jsPart() {
  const addon = loadAddon();
  addon.kernelSelection();  // selection outside the timed loops
  const sizes = [4096, 65536, 1 << 20];
  if (!quick) sizes.push(64 << 20);
  const rounds = quick ? 3 : 15;
  console.log('\nNode boundary: Buffer.copy / Buffer.fill against kernelCopy / kernelFill (sync N-API calls)\n');
  console.log('| operation | size | ours GB/s | ns/call | Node GB/s | ns/call | ratio |');
  console.log('|---|---|---|---|---|---|---|');
  for (const len of sizes) {
    const src = Buffer.alloc(len, 7);
    const dst = Buffer.alloc(len);
    const calls = Math.max(1, Math.floor((64 << 20) / len));
    const contenders = {
      copy: [
        ['kernelCopy', () => addon.kernelCopy(dst, 0, src, 0, len)],
        ['Buffer.copy', () => src.copy(dst, 0, 0, len)],
      ],
      fill: [
        ['kernelFill', () => addon.kernelFill(dst, 0, 0x5a, len)],
        ['Buffer.fill', () => dst.fill(0x5a, 0, len)],
      ],
    };
    for (const [op, cs] of Object.entries(contenders)) {
      const times = cs.map(() => []);
      for (const [, f] of cs) for (let i = 0; i < 1000 && i < calls; i++) f();  // warm up
      for (let r = 0; r < rounds; r++) {
        const order = r & 1 ? [1, 0] : [0, 1];
        for (const k of order) {
          const f = cs[k][1];
          const t0 = process.hrtime.bigint();
          for (let i = 0; i < calls; i++) f();
          times[k].push(Number(process.hrtime.bigint() - t0) / calls);
        }
      }
      const [ours, node] = times.map(median);
      const gb = (ns) => (len / ns).toFixed(1);
      const size = len >= 1 << 20 ? `${len >> 20} MiB` : `${len >> 10} KiB`;
      console.log(`| ${op} | ${size} | ${gb(ours)} | ${ours.toFixed(0)} | ${gb(node)} | ${node.toFixed(0)} | ${(node / ours).toFixed(2)}× |`);
    }
  }
}

if (!args.includes('--js-only')) nativePart();
if (!args.includes('--native-only')) jsPart();
if (!args.includes('--native-only')) {
  console.log('\nThe public API, the engines and event-loop delay: npm run bench (docs/bench.md).');
}
