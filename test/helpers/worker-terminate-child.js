'use strict';
// Child process of 11.engine.worker-terminate.test.ts (and scripts/soak-worker-terminate.js):
// terminates worker threads that each run a software engine with copies in flight, `cycles`
// times, `parallel` workers at a time. A process abort (the failure this guards against)
// shows as a signal to the parent. Prints one JSON line: cycles done, seconds, RSS figures.
// Plain JavaScript: a worker started from here loads only the addon, so a cycle costs little.
const { Worker } = require('node:worker_threads');
const path = require('node:path');

const cycles = Number(process.argv[2] || 1000);
const parallel = Number(process.argv[3] || 4);
const addon = process.env.DMAENGINE_ADDON
  ? path.resolve(process.env.DMAENGINE_ADDON)
  : path.join(__dirname, '..', '..', 'build', 'Release', 'dmaengine.node');

// The worker keeps both channels busy (a pump refills them every turn of its loop), so the
// terminate lands at any point: in a submit, in a delivery, with copies running.
const code = `
const { parentPort } = require('node:worker_threads');
const n = require(${JSON.stringify(addon)});
const h = new n.SoftEngineHandle(2, 20, () => {});
const src = new Uint8Array(256 << 10).fill(1);
const dst = [new Uint8Array(256 << 10), new Uint8Array(256 << 10)];
const pump = () => {
  for (let i = 0; i < 16; i++) h.memcpy(i & 1, 0, -1, 0, dst[i & 1], 0, src, 0, src.length);
  h.issuePending(0); h.issuePending(1);
};
pump();
setInterval(pump, 0);
parentPort.postMessage(h.outstanding());`;

async function cycle(i) {
  const w = new Worker(code, { eval: true });
  const outstanding = await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  if (!(outstanding > 0)) throw new Error(`worker ${i}: nothing in flight (${outstanding})`);
  // Terminate at varied points: at once, or after the loop has run a few pumps.
  if (i % 3) await new Promise((r) => setTimeout(r, i % 3));
  await w.terminate();
}

(async () => {
  const t0 = Date.now();
  let next = 0;
  let rssWarm = 0;
  const warmAt = Math.min(100, Math.floor(cycles / 4));
  const lane = async () => {
    while (next < cycles) {
      const i = next++;
      await cycle(i);
      if (i === warmAt) { global.gc?.(); rssWarm = process.memoryUsage().rss; }
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  global.gc?.();
  const rss = process.memoryUsage().rss;
  process.stdout.write(JSON.stringify({
    cycles, seconds: (Date.now() - t0) / 1000, rssMB: +(rss / 1048576).toFixed(1),
    kbPerCycleAfterWarmup: +((rss - rssWarm) / 1024 / (cycles - warmAt - 1)).toFixed(1),
  }) + '\n');
})().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
