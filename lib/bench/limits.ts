/**
 * The limits the bench measures beside the targets it misses, so that a miss reads with the
 * ceiling of this machine next to it (issue 13: "a limit measured, not a guess"):
 *
 * - two kernel threads: the chosen kernel through the binding on one worker thread and on two
 *   at once, each on blocks of its own placed by Node as the bench's are. Two queued channels
 *   are two threads running that kernel, so their ratio to the inline path cannot exceed what
 *   two threads achieve over one on this machine (shared caches, memory bandwidth, and the
 *   two vCPUs of a guest being hyperthreads of one core or not);
 * - the binding floor: the kernel through the binding on 1-byte blocks, the cost of one call
 *   with the same block lists and nothing to do. Any path through Node-API pays it, so the
 *   public API's time at 4 KiB cannot fall below floor / kernel time.
 *
 * Threading: JavaScript thread; the kernel threads are worker_threads (threads.ts).
 */
import { native, nativeAddonLocation } from '../native';
import { benchOpDef } from './ops';
import { median, nowNs } from './stats';
import { type BenchOp, BENCH_SOURCES, dataIn } from './sweep';
import { timedThreads } from './threads';
import { Workload } from './workload';

export interface KernelThreads {
  op: 'xor' | 'pq';
  len: number;
  /** GB/s of data in, one thread and two threads together. */
  oneGbps: number;
  twoGbps: number;
}

export interface BindingFloor {
  op: BenchOp;
  /** ns per binding call on 1-byte blocks. */
  ns: number;
}

// Each worker loads the addon the bench runs and calls the Array bindings on blocks of its own
// (8 sources, or 8 data + P + Q), filled so that no page is shared or left unmapped.
const KERNEL_SCRIPT = `
const k = require(workerData.addon);
const { op, len, sources } = workerData;
const n = op === 'pq' ? sources + 2 : sources + 1;
const bufs = Array.from({ length: n }, (_, i) => Buffer.alloc(len, 0x11 * (i + 1)));
const offs = new Array(n).fill(0);
const srcs = bufs.slice(0, sources);
const run = op === 'pq' ? () => k.kernelPqGen(bufs, offs, len)
  : () => k.kernelXor(bufs[sources], 0, srcs, offs.slice(0, sources), len, true);
run();
ready(run);
`;

/** Calls per thread: 4 GiB of data in (about 50 ms at 80 GB/s, 0.25 s at 16 GB/s), at least 4. */
export function kernelThreadIters(op: 'xor' | 'pq', len: number): number {
  return Math.max(4, Math.ceil(2 ** 32 / dataIn(op, len)));
}

async function kernelThreadsGbps(op: 'xor' | 'pq', len: number, threads: number): Promise<number> {
  const iters = kernelThreadIters(op, len);
  const ns = await timedThreads(KERNEL_SCRIPT, threads, iters, { addon: nativeAddonLocation().path, op, len, sources: BENCH_SOURCES });
  return (threads * iters * dataIn(op, len)) / ns;
}

/** One and two kernel threads for each op × len, alternating, medians of `rounds`. */
export async function measureKernelThreads(ops: readonly ('xor' | 'pq')[], lens: readonly number[], rounds: number): Promise<KernelThreads[]> {
  const out: KernelThreads[] = [];
  for (const op of ops) {
    for (const len of lens) {
      const one: number[] = [];
      const two: number[] = [];
      for (let r = 0; r < rounds; r++) {
        one.push(await kernelThreadsGbps(op, len, 1));
        two.push(await kernelThreadsGbps(op, len, 2));
      }
      out.push({ op, len, oneGbps: median(one), twoGbps: median(two) });
    }
  }
  return out;
}

/** ns per call of each op's binding (as the bench's kernel column calls it) on 1-byte blocks. */
export function measureBindingFloor(ops: readonly BenchOp[], rounds: number): BindingFloor[] {
  const k = native();
  const n = 20000;
  return ops.map((op) => {
    const def = benchOpDef(op);
    const w = new Workload(1);
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = nowNs();
      for (let i = 0; i < n; i++) def.binding(k, w);
      times.push((nowNs() - t0) / n);
    }
    return { op, ns: median(times) };
  });
}
