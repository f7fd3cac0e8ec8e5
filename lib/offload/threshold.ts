/**
 * The inline threshold, measured when a Dma opens (Intel DTO offloads copies from 16 KiB by
 * default; here the figure comes from this machine and this engine).
 *
 * Model: at a few sizes (4, 16 and 64 KiB of bytes touched: copies of 2, 8 and 32 KiB) time a
 * copy done inline against the cost per copy of a tick's batch of eight on the queued backend
 * (submit, one doorbell, completions back on the loop). The threshold is the first size at
 * which the inline copy costs at least as much; none does: 64 KiB, the cap, so an inline
 * operation never holds the event loop for more than a few microseconds. Operations are
 * compared by bytes touched (read plus written), so an 8-source XOR offloads sooner than a
 * copy of the same length. A few milliseconds on an idle machine, mostly the engine's first
 * start; no new size is tried after 25 ms (a loaded machine), the cap standing for the rest.
 *
 * Threading: JavaScript thread only.
 */
import type { InlineRunner, QueuedBackend } from './backend';
import { copyJob } from './ops';

/** The sizes tried, and the cap when inline wins at all of them (bytes touched). */
export const THRESHOLD_SIZES: readonly number[] = [4096, 16384, 65536];
export const THRESHOLD_CAP = 65536;

/** What the measurement saw, for `dma.calibration`. */
export interface InlineCalibration {
  /** bytes touched at each size tried (fewer than THRESHOLD_SIZES when the budget ran out) */
  sizes: number[];
  /** ns per inline copy at each size (best of several) */
  inlineNs: number[];
  /** ns per queued copy at each size, in a batch of eight */
  queuedNs: number[];
  /** the threshold chosen */
  inlineBelow: number;
  /** wall time the measurement took, ms */
  ms: number;
}

const BATCH = 8;
/** No new size is tried once the measurement has taken this long (ms). */
const BUDGET_MS = 25;

function batchOnce(backend: QueuedBackend, jobs: ReturnType<typeof copyJob>[]): Promise<number> {
  return new Promise((resolve) => {
    let left = jobs.length;
    const t0 = process.hrtime.bigint();
    const done = (): void => {
      if (--left === 0) resolve(Number(process.hrtime.bigint() - t0));
    };
    for (const j of jobs) backend.submit(j, null, done);
    backend.issue();
  });
}

/** @internal measure the threshold for `backend` against `inline` */
export async function measureInlineBelow(inline: InlineRunner, backend: QueuedBackend): Promise<InlineCalibration> {
  const start = process.hrtime.bigint();
  const sizes = THRESHOLD_SIZES.slice();
  const inlineNs: number[] = [];
  const queuedNs: number[] = [];
  let inlineBelow = THRESHOLD_CAP;
  // operands the backend's channels take (a bridged channel only takes dma-buf bytes)
  const alloc = (n: number): Uint8Array => backend.scratch?.(n) ?? new Uint8Array(n);
  const warm = copyJob(alloc(64), alloc(64));
  await batchOnce(backend, [warm]); // starts the workers
  for (let r = 0; r < 4; r++) inline.run(warm); // and the inline path's first calls
  const tried: number[] = [];
  for (const size of sizes) {
    // a loaded machine makes round trips slow: past the budget, stop and keep the cap
    if (tried.length > 0 && Number(process.hrtime.bigint() - start) / 1e6 > BUDGET_MS) break;
    tried.push(size);
    const len = size / 2;
    const jobs = Array.from({ length: BATCH }, () => copyJob(alloc(len), alloc(len).fill(1)));
    let best = Infinity;
    for (let r = 0; r < 32; r++) {
      const t0 = process.hrtime.bigint();
      inline.run(jobs[r % BATCH]!);
      best = Math.min(best, Number(process.hrtime.bigint() - t0));
    }
    inlineNs.push(best);
    const q = (await batchOnce(backend, jobs)) / BATCH;
    queuedNs.push(Math.round(q));
    if (best >= q && inlineBelow === THRESHOLD_CAP) inlineBelow = size;
  }
  return { sizes: tried, inlineNs, queuedNs, inlineBelow, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}
