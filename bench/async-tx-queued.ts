/**
 * asyncGenSyndrome of 8 data blocks + P + Q through the public API, queued on a soft device
 * (one channel, a callback per call, one doorbell per batch) next to the same call on the
 * inline software path (no device). Alternating rounds, medians; prints both and the ratio.
 * Measures the built package (dist/). Asserts nothing. Run: npx tsx bench/async-tx-queued.ts
 * (BENCH_LEN bytes per block, default 65536; BENCH_ROUNDS, default 5).
 */
import {
  AsyncTxFlags, DmaCap, createAsyncTx, createDmaEngine, initAsyncSubmit, registerSoftDevice,
} from '../dist/index';

const LEN = Number(process.env.BENCH_LEN ?? 65536);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 16;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const blocks = (): Uint8Array[] => Array.from({ length: 10 }, (_, i) => {
  const b = new Uint8Array(LEN);
  for (let j = 0; j < LEN; j++) b[j] = (j * 31 + i * 7) & 0xff;
  return b;
});

const inlineEngine = createDmaEngine({ cpus: 1 });
const inlineApi = createAsyncTx(inlineEngine);
const inlineBlocks = blocks();

const softEngine = createDmaEngine({ cpus: 1 });
registerSoftDevice({ channels: 1, caps: [DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT], maxPq: 8 }, softEngine);
softEngine.dmaengineGet();
const softApi = createAsyncTx(softEngine);
const softBlocks = blocks();

/** ns per call of BATCH inline calls. */
function inlineBatch(): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < BATCH; i++) inlineApi.asyncGenSyndrome(inlineBlocks, null, 10, LEN, initAsyncSubmit(AsyncTxFlags.ACK));
  return Number(process.hrtime.bigint() - t0) / BATCH;
}

/** ns per call of BATCH queued calls, each with a callback, one doorbell, until the last callback. */
async function softBatch(): Promise<number> {
  const t0 = process.hrtime.bigint();
  let left = BATCH;
  const done = new Promise<void>((resolve) => {
    const cb = (): void => { if (--left === 0) resolve(); };
    for (let i = 0; i < BATCH; i++) {
      softApi.asyncGenSyndrome(softBlocks, null, 10, LEN, initAsyncSubmit(AsyncTxFlags.ACK, null, cb, null));
    }
    softApi.asyncTxIssuePendingAll();
  });
  await done;
  return Number(process.hrtime.bigint() - t0) / BATCH;
}

async function main(): Promise<void> {
  for (let i = 0; i < 5; i++) { inlineBatch(); await softBatch(); }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS * 4; r++) {
    if (r & 1) { a.push(await softBatch()); b.push(inlineBatch()); } else { b.push(inlineBatch()); a.push(await softBatch()); }
  }
  const [soft, inline] = [median(a), median(b)];
  const gbs = (ns: number): string => ((8 * LEN) / ns).toFixed(1);
  console.log(`asyncGenSyndrome 8+2 × ${LEN} B, batches of ${BATCH}, median of ${a.length} batches`);
  console.log('| path | µs/call | GB/s of data in |');
  console.log('|---|---|---|');
  console.log(`| soft device, queued (1 channel, callbacks, one doorbell) | ${(soft / 1000).toFixed(1)} | ${gbs(soft)} |`);
  console.log(`| inline software path (no device) | ${(inline / 1000).toFixed(1)} | ${gbs(inline)} |`);
  console.log(`ratio queued / inline: ${(soft / inline).toFixed(2)}×`);
  process.exit(0);
}

void main();
