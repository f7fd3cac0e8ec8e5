/**
 * Timed worker threads: N worker_threads run the same script, each on buffers of its own, and
 * start their timed loops together (one shared start word), so that the figure is what N
 * threads achieve side by side (memory bandwidth, shared caches), not one after the other.
 *
 * A script gets `workerData` and `ready(run)` in scope: it allocates and warms up, then calls
 * `ready(run)`, where `run()` does one unit of work; the harness times `iters` units after the
 * start word and posts the nanoseconds.
 *
 * Threading: JavaScript thread; the workers are started here and terminated before returning.
 */
import { Worker } from 'node:worker_threads';

const PRELUDE = `
const { parentPort, workerData } = require('node:worker_threads');
function ready(run) {
  const word = new Int32Array(workerData.sab);
  Atomics.add(word, 1, 1);
  Atomics.wait(word, 0, 0);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < workerData.iters; i++) run();
  parentPort.postMessage(Number(process.hrtime.bigint() - t0));
}
`;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs `script` on `threads` workers at once; resolves to the slowest worker's nanoseconds for
 * its `iters` units.
 */
export async function timedThreads(script: string, threads: number, iters: number, data: Record<string, unknown>): Promise<number> {
  const sab = new SharedArrayBuffer(8);
  const word = new Int32Array(sab);
  const workers = Array.from({ length: threads }, () => new Worker(PRELUDE + script, { eval: true, workerData: { ...data, iters, sab } }));
  try {
    const times = workers.map((wk) => new Promise<number>((resolve, reject) => {
      wk.once('message', resolve);
      wk.once('error', reject);
    }));
    // A worker that throws before it is ready ends the wait (its error is rethrown below).
    const failed = Promise.race(times.map((t) => t.then(() => new Promise<never>(() => {}))));
    failed.catch(() => {});
    while (Atomics.load(word, 1) < threads) await Promise.race([sleep(1), failed]);
    Atomics.store(word, 0, 1);
    Atomics.notify(word, 0);
    return Math.max(...(await Promise.all(times)));
  } finally {
    await Promise.all(workers.map((wk) => wk.terminate()));
  }
}
