/**
 * The software path through the public async_tx API (no device: every call runs inline and
 * returns null), next to the same work done directly, in one process, alternating, medians.
 * Measures the built package (dist/), as users load it. Prints a table; asserts nothing. Run: npx tsx bench/async-tx.ts (part of npm run bench:kernels).
 */
import { asyncMemcpy, asyncXor, asyncGenSyndrome, initAsyncSubmit, AsyncTxFlags } from '../dist/index';
import { native } from '../dist/native';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function perCall(f: () => void, calls: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) f();
  return Number(process.hrtime.bigint() - t0) / calls;
}

function pair(label: string, ours: () => void, base: () => void, baseName: string, calls: number): void {
  for (let i = 0; i < 2000; i++) { ours(); base(); }
  const a: number[] = []; const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r & 1) { a.push(perCall(ours, calls)); b.push(perCall(base, calls)); } else { b.push(perCall(base, calls)); a.push(perCall(ours, calls)); }
  }
  const [x, y] = [median(a), median(b)];
  console.log(`| ${label} | ${x.toFixed(0)} ns | ${baseName} | ${y.toFixed(0)} ns | ${(x / y).toFixed(2)}× |`);
}

const n = 4096;
const src = Buffer.alloc(n, 1); const dst = Buffer.alloc(n);
const srcs = Array.from({ length: 8 }, (_, i) => Buffer.alloc(n, i + 1));
const blocks: Buffer[] = [...srcs, Buffer.alloc(n), Buffer.alloc(n)];
const addon = native();

console.log(`async_tx software path (no device), ${n} B, median of ${ROUNDS} rounds; ratio = ours / baseline\n`);
console.log('| through the public API | time | baseline | time | ratio |');
console.log('|---|---|---|---|---|');
pair('asyncMemcpy', () => asyncMemcpy(dst, src, 0, 0, n), () => src.copy(dst, 0, 0, n), 'Buffer.copy', 20000);
pair('asyncXor, 8 sources', () => asyncXor(dst, srcs, 0, 8, n, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST)),
  () => addon.kernelXor(dst, 0, srcs, [0, 0, 0, 0, 0, 0, 0, 0], n, true), 'kernelXor (addon, direct)', 20000);
pair('asyncGenSyndrome, 8+2', () => asyncGenSyndrome(blocks, null, 10, n),
  () => addon.kernelPqGen(blocks, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], n), 'kernelPqGen (addon, direct)', 20000);
