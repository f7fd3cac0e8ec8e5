// The bench's limits (lib/bench/limits.ts, threads.ts): two kernel threads and the binding
// floor are measured for real (finite, positive), the threads compute what the kernel computes,
// a worker that fails is an error (not a hang), and the targets carry the limits next to the
// rows they bound. No timing is asserted.
import assert from 'node:assert/strict';
import { type BenchResult, formatBenchTable } from '../lib/bench';
import { kernelThreadIters, measureBindingFloor, measureKernelThreads } from '../lib/bench/limits';
import { evaluateTargets } from '../lib/bench/targets';
import { nativeAddonLocation } from '../lib/native';
import { timedThreads } from '../lib/bench/threads';

describe('dmaengine bench: limits', function () {
  this.timeout(120000);

  it('two kernel threads: one and two threads, every op and size, finite positive GB/s', async () => {
    const rows = await measureKernelThreads(['xor', 'pq'], [4096, 65536], 1);
    assert.deepEqual(rows.map((t) => [t.op, t.len]), [['xor', 4096], ['xor', 65536], ['pq', 4096], ['pq', 65536]]);
    for (const t of rows) for (const v of [t.oneGbps, t.twoGbps]) assert.ok(Number.isFinite(v) && v > 0, `${t.op} ${t.len}: ${v}`);
  });

  it('each kernel thread does 4 GiB of data in (at least 4 calls)', () => {
    assert.equal(kernelThreadIters('xor', 1 << 20), 512);
    assert.equal(kernelThreadIters('pq', 64 << 20), 8);
    assert.equal(kernelThreadIters('xor', 1 << 30), 4);
  });

  it('the worker threads run the kernel: P computed on a thread equals the xor of its sources', async () => {
    // limits.ts's script shape; a wrong P throws in the worker, which rejects here.
    const script = `
      const k = require(workerData.addon);
      const bufs = Array.from({ length: 10 }, (_, i) => Buffer.alloc(64, i + 1));
      k.kernelPqGen(bufs, new Array(10).fill(0), 64);
      if (bufs[8][63] !== workerData.want) throw new Error('P is ' + bufs[8][63]);
      ready(() => k.kernelPqGen(bufs, new Array(10).fill(0), 64));
    `;
    let want = 0;
    for (let i = 1; i <= 8; i++) want ^= i;
    const ns = await timedThreads(script, 2, 10, { addon: nativeAddonLocation().path, want });
    assert.ok(Number.isFinite(ns) && ns > 0);
    await assert.rejects(timedThreads(script, 1, 1, { addon: nativeAddonLocation().path, want: want ^ 1 }), new RegExp(`P is ${want}`));
  });

  it('a worker that throws before it is ready rejects, naming the error', async () => {
    await assert.rejects(timedThreads('throw new Error("no such kernel");', 2, 1, {}), /no such kernel/);
  });

  it('binding floor: one figure per op, finite positive ns', () => {
    const f = measureBindingFloor(['xor', 'pq', 'memcpy'], 1);
    assert.deepEqual(f.map((x) => x.op), ['xor', 'pq', 'memcpy']);
    for (const x of f) assert.ok(Number.isFinite(x.ns) && x.ns > 0, `${x.op}: ${x.ns}`);
  });

  it('targets carry the limits: two-channel rows the thread ratio, 4 KiB rows the floor over the kernel', () => {
    const fig = (op: 'xor' | 'pq', len: number, series: string, gbps: number) => ({
      op, len, series, gbps, nsPerOp: (8 * len) / gbps, minGbps: gbps, maxGbps: gbps, rounds: 1, ratioToInline: null, impl: 'x',
    });
    const r = {
      options: { ops: ['xor', 'pq'], sizes: [4096, 1 << 20], depths: [64], extras: false },
      series: [{ id: 'soft-1ch-q64', label: 'soft 1ch q64' }, { id: 'soft-2ch-q64', label: 'soft 2ch q64' }],
      figures: [
        fig('xor', 1 << 20, 'inline', 10), fig('xor', 1 << 20, 'soft-2ch-q64', 15), fig('xor', 1 << 20, 'soft-1ch-q64', 9),
        fig('xor', 4096, 'kernel', 100), fig('xor', 4096, 'inline', 20),
      ],
      kernelThreads: [{ op: 'xor', len: 1 << 20, oneGbps: 10, twoGbps: 15.5 }],
      bindingFloor: [{ op: 'xor', ns: 1000 }],
      loopDelay: [], twoThreadCopy: null,
    } as unknown as BenchResult;
    const t = evaluateTargets(r);
    const two = t.find((x) => x.name === 'xor 8→1 1 MiB: soft 2 channels q64 / inline')!;
    assert.equal(two.pass, false);
    assert.equal(two.limit, 'two kernel threads: 1.55× one');
    const k4 = t.find((x) => x.name === 'xor 8→1 4 KiB: public API time / C++ kernel time')!;
    assert.equal(k4.value, 5);
    // The kernel: 8 × 4 KiB at 100 GB/s = 327.68 ns; the floor 1000 ns: (1000 + 327.68) / 327.68.
    assert.equal(k4.limit, 'binding on 1-byte blocks 1000 ns + kernel 328 ns: ≥ 4.1×');
    assert.equal(t.find((x) => x.name === 'xor 8→1 1 MiB: soft 1 channel q64 / inline')!.limit, null);
    // P+Q against ISA-L: ISA-L's bytes moved against the xor kernel's stream in the same run.
    const r2 = { ...r, figures: [...r.figures, { ...fig('pq', 1 << 20, 'clib', 64), impl: 'ISA-L pq_gen' }, fig('xor', 1 << 20, 'kernel', 80),
      fig('pq', 1 << 20, 'inline', 60)] } as unknown as BenchResult;
    const pq = evaluateTargets(r2).find((x) => x.name === 'P+Q 8+2 1 MiB: public API / ISA-L pq_gen')!;
    assert.equal(pq.limit, 'bytes moved: ISA-L pq_gen 80 GB/s = 0.89× the xor kernel\'s stream');
    const text = formatBenchTable({ ...r, machine: { cpu: 'x', cpus: 2, node: 'v', kernel: 'k', load: [0], selection: {} },
      engines: [], omitted: [], overhead: [], targets: t, queued: { submitted: 0, callbacks: 0 }, durationMs: 1 } as unknown as BenchResult).join('\n');
    assert.match(text, /\| xor 8→1 \| 1 MiB +\| +10\.0 \| +15\.5 \| +1\.55× \|/);
    assert.match(text, /binding on 1-byte blocks 1000 ns \+ kernel 328 ns: ≥ 4\.1×/);
  });
});
