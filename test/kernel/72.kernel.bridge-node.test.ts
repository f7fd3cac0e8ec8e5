// The dmaengine bridge from Node (lib/providers/kernel-bridge*, native/addon/bridge_*): the
// dmae_soft channels registered as DmaDevices, async_tx on them compared byte for byte with the
// software path on udmabuf (many segments, odd offsets), DMA-heap and bridge-allocated memory,
// plain memory falling back to software; injected faults reaching the descriptors; terminate
// mid-flight; close with 10^4 operations in flight on both models; raid6test and dmatest over
// bridged channels; the CLI; then no oops, WARN or BUG in the kernel log.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createAsyncTx } from '../../lib/async_tx/api';
import { AsyncTxFlags, initAsyncSubmit } from '../../lib/async_tx/flags';
import { raid6test } from '../../lib/async_tx/raid6test';
import { runCli } from '../../lib/cli/index';
import { allocDmaBuf, type DmaBuf } from '../../lib/dmabuf';
import { DmaCap } from '../../lib/dmaengine/caps';
import type { DmaAsyncTxDescriptor } from '../../lib/dmaengine/descriptor';
import { dmaengineSubmit } from '../../lib/dmaengine/client';
import { createDmaEngine, type DmaEngine } from '../../lib/dmaengine/instance';
import { DmaTransResult } from '../../lib/dmaengine/status';
import { runDmatest } from '../../lib/dmatest/runner';
import { kernelBridgeStatus, registerKernelDevices, unregisterKernelDevices, type KernelBridgeDevice } from '../../lib/providers/kernel';
import { kmsgMark, kmsgSince, requireGuest } from './lane';

const MiB = 1 << 20;
const soft = (name: string, v: string | number) => writeFileSync(`/sys/module/dmae_soft/parameters/${name}`, String(v));

function fill(b: Uint8Array, seed: number): void {
  let x = seed >>> 0 || 1;
  for (let i = 0; i < b.length; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; b[i] = x & 0xff; }
}

/** Memory of one kind: `n` buffers of `size` bytes. */
function memory(kind: string, dev: KernelBridgeDevice, size: number, n: number): { views: Uint8Array[]; bufs: DmaBuf[] } {
  const bufs: DmaBuf[] = [];
  const views = Array.from({ length: n }, () => {
    if (kind === 'plain') return new Uint8Array(size);
    const b = kind === 'bridge' ? dev.allocBuffer(size) : allocDmaBuf(size, { source: kind as 'udmabuf' });
    bufs.push(b);
    return b.bytes;
  });
  return { views, bufs };
}

async function settle(api: ReturnType<typeof createAsyncTx>, tx: DmaAsyncTxDescriptor | null): Promise<number> {
  api.asyncTxIssuePendingAll();
  return api.waitForAsyncTx(tx, 20000);
}

describe('dmaengine bridge from Node (guest)', function () {
  this.timeout(600000);
  let mark = -1;
  before(function () {
    requireGuest(this);
    mark = kmsgMark();
  });

  it('kernelBridgeStatus: loaded, ABI 1; `dmaengine bridge status` lists the free channels', async () => {
    assert.deepEqual(kernelBridgeStatus(), { loaded: true, version: '1', reason: null });
    const r = await runCli(['bridge', 'status']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^bridge: loaded \(ABI version 1\)$/m);
    assert.match(r.stdout, /dma\d+chan\d+ +dmae_soft \(driver dmae_soft\): memcpy/);
  });

  it('registerKernelDevices(): the shared channels, public on the default instance, with the driver\'s caps and limits', () => {
    const devs = registerKernelDevices();
    try {
      assert.equal(devs.length, 1);
      const d = devs[0]!;
      assert.equal(d.dev, 'dmae_soft');
      assert.equal(d.model, 'shared');
      for (const c of [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.PQ, DmaCap.XOR_VAL, DmaCap.PQ_VAL, DmaCap.MEMSET]) {
        assert.ok(d.capMask.caps().includes(c), `cap ${DmaCap[c]}`);
      }
      assert.equal(d.maxXor, 8);
      assert.equal(d.maxPq & 0x7fff, 8);
      assert.ok(d.channels.length >= 1);
      assert.ok(d.devId !== undefined && !d.capMask.caps().includes(DmaCap.PRIVATE));
    } finally {
      unregisterKernelDevices(devs);
    }
  });

  for (const model of ['shared', 'exclusive'] as const) {
    for (const kind of ['udmabuf', 'heap:system', 'bridge', 'plain']) {
      it(`${model}, ${kind}: memcpy (many segments, odd offsets), memset, xor, xor_val, P+Q, pq_val equal the software path`, async () => {
        const engine = createDmaEngine({ cpus: 1 });
        const devs = registerKernelDevices({ model, engine, devices: ['dmae_soft'] });
        const swApi = createAsyncTx(createDmaEngine({ cpus: 1 }));
        const api = createAsyncTx(engine);
        const d = devs[0]!;
        const size = kind === 'bridge' ? MiB : 2 * MiB;
        const { views, bufs } = memory(kind, d, size, 6);
        const { views: ref } = memory('plain', d, size, 6);
        try {
          const before = d.bridgeStats().opsSubmitted;
          views.forEach((v, i) => fill(v, i + 1));
          ref.forEach((v, i) => v.set(views[i]!));
          const run = async (a: typeof api, b: Uint8Array[]) => {
            const len = size - 4099;
            await settle(a, a.asyncMemcpy(b[0]!, b[1]!, 3, 4096 + 7, len - 8, initAsyncSubmit(0, null, null, null, null)));
            await settle(a, a.asyncMemset(b[2]!, 0x5a, 11, 70000, initAsyncSubmit(0, null, null, null, null)));
            await settle(a, a.asyncXor(b[3]!, [b[0]!, b[1]!, b[2]!], 5, 3, 65536, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST, null, null, null, null)));
            // the xor's result, taken now: the software xor_val xors into its destination (as the
            // kernel's does), the device's leaves it alone
            const xored = Buffer.from(b[3]!);
            const res = { value: -1 };
            await settle(a, a.asyncXorVal(b[3]!, [b[3]!, b[0]!, b[1]!, b[2]!], 5, 4, 65536, res, initAsyncSubmit(0, null, null, null, null)));
            const blocks = [b[0]!, b[1]!, b[2]!, b[4]!, b[5]!];
            await settle(a, a.asyncGenSyndrome(blocks, [64, 64, 64, 64, 64], 5, 8192, initAsyncSubmit(0, null, null, null, null)));
            const pq = { value: -1 };
            await settle(a, a.asyncSyndromeVal(blocks, [64, 64, 64, 64, 64], 5, 8192, pq, new Uint8Array(size), 0,
              initAsyncSubmit(0, null, null, null, new Array(5))));
            return { vals: [res.value, pq.value], xored };
          };
          const got = await run(api, views);
          const want = await run(swApi, ref);
          assert.deepEqual(got.vals, want.vals);
          assert.equal(want.vals[1], 0, 'P+Q just generated validates');
          assert.ok(got.xored.equals(want.xored), 'the xor differs from the software path');
          for (const i of [0, 1, 2, 4, 5]) assert.ok(Buffer.compare(views[i]!, ref[i]!) === 0, `buffer ${i} differs from the software path`);
          const ops = d.bridgeStats().opsSubmitted - before;
          if (kind === 'plain') assert.equal(ops, 0, 'plain memory never reaches the bridge');
          else assert.ok(ops >= 6, `the bridge ran the operations (${ops})`);
        } finally {
          api.exit();
          unregisterKernelDevices(devs, engine);
          for (const b of bufs) b.close();
        }
      });
    }
  }

  it('an injected engine fault reaches the descriptor: callback runs, txResult READ_FAILED, wait says ERROR', async () => {
    const engine = createDmaEngine({ cpus: 1 });
    const devs = registerKernelDevices({ engine });
    const api = createAsyncTx(engine);
    // contiguous: the 4099 bytes stay one descriptor (a udmabuf range would split at the page end)
    const [a, b] = [devs[0]!.allocBuffer(65536, { contiguous: true }), devs[0]!.allocBuffer(65536, { contiguous: true })];
    try {
      fill(a.bytes, 9);
      soft('fault_result', 1);
      soft('fault_len', 4099);
      let called = 0;
      const bad = api.asyncMemcpy(b.bytes, a.bytes, 0, 0, 4099, initAsyncSubmit(0, null, () => { called++; }, null, null))!;
      const good = api.asyncMemcpy(b.bytes, a.bytes, 8192, 8192, 4096, initAsyncSubmit(0, null, () => { called++; }, null, null))!;
      assert.notEqual(await settle(api, bad), 0);
      assert.equal(await settle(api, good), 0);
      assert.equal(called, 2);
      assert.equal(bad.txResult?.result, DmaTransResult.READ_FAILED);
      assert.ok((bad.txResult?.residue ?? 0) > 0);
      assert.equal(good.txResult?.result, DmaTransResult.NOERROR);
      assert.ok(b.bytes.subarray(8192, 8192 + 4096).every((x, i) => x === a.bytes[8192 + i]));
    } finally {
      soft('fault_len', 0);
      api.exit();
      unregisterKernelDevices(devs, engine);
      a.close();
      b.close();
    }
  });

  /** `n` memcpy descriptors of `len` bytes on the device's first channel, submitted and issued. */
  function flood(engine: DmaEngine, d: KernelBridgeDevice, n: number, len: number, results: number[]): DmaAsyncTxDescriptor[] {
    const chan = d.channels[0]!;
    const src = allocDmaBuf(len, { source: 'udmabuf' });
    const dst = allocDmaBuf(len, { source: 'udmabuf' });
    const txs: DmaAsyncTxDescriptor[] = [];
    for (let i = 0; i < n; i++) {
      const tx = d.devicePrepDmaMemcpy(chan, { buf: dst.bytes, off: 0 }, { buf: src.bytes, off: 0 }, len, 1)!;
      assert.ok(tx);
      tx.callbackResult = (_p, r) => { results.push(r.result); };
      assert.ok(dmaengineSubmit(tx) > 0);
      txs.push(tx);
    }
    d.deviceIssuePending(chan);
    void engine;
    return txs;
  }

  const until = async (f: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  };

  it('exclusive: terminate mid-flight ends every operation (done or ABORTED), the channel works after', async () => {
    const engine = createDmaEngine({ cpus: 1 });
    const devs = registerKernelDevices({ model: 'exclusive', engine, private: true });
    const d = devs[0]!;
    engine.dmaengineGet();
    try {
      const results: number[] = [];
      flood(engine, d, 2000, 65536, results);
      d.deviceTerminateAll(d.channels[0]!);
      await until(() => results.length === 2000, 60000);
      assert.equal(results.length, 2000);
      assert.ok(results.every((r) => r === DmaTransResult.NOERROR || r === DmaTransResult.ABORTED));
      assert.ok(results.includes(DmaTransResult.ABORTED), 'something was cancelled');
      const again: number[] = [];
      flood(engine, d, 10, 4096, again);
      await until(() => again.length === 10, 20000);
      assert.deepEqual(again, new Array(10).fill(DmaTransResult.NOERROR));
    } finally {
      engine.dmaenginePut();
      unregisterKernelDevices(devs, engine);
    }
  });

  for (const model of ['exclusive', 'shared'] as const) {
    it(`${model}: unregistering with 10^4 operations in flight closes the fd; every callback runs once`, async () => {
      const engine = createDmaEngine({ cpus: 1 });
      const devs = registerKernelDevices({ model, engine });
      const results: number[] = [];
      flood(engine, devs[0]!, 10000, 4096, results);
      unregisterKernelDevices(devs, engine);
      await until(() => results.length === 10000, 60000);
      assert.equal(results.length, 10000);
      assert.ok(results.every((r) => r === DmaTransResult.NOERROR || r === DmaTransResult.ABORTED));
      const again = registerKernelDevices({ model, engine });
      assert.equal(again.length, 1, 'the channels came back');
      unregisterKernelDevices(again, engine);
    });
  }

  it('raid6test over bridged channels on udmabuf blocks: disks 4, 5, 11, 12, 16, 24, no failure', async () => {
    const engine = createDmaEngine({ cpus: 1 });
    const devs = registerKernelDevices({ engine });
    const bufs: DmaBuf[] = [];
    const api = createAsyncTx(engine);
    try {
      const before = devs[0]!.bridgeStats().opsSubmitted;
      const r = await raid6test(api, {
        disks: [4, 5, 11, 12, 16, 24], timeoutMs: 30000,
        alloc: (len) => { const b = allocDmaBuf(len, { source: 'udmabuf' }); bufs.push(b); return b.bytes; },
      });
      assert.deepEqual(r.failures, []);
      assert.equal(r.tests, 6 + 10 + 55 + 66 + 120 + 276);
      assert.ok(devs[0]!.bridgeStats().opsSubmitted - before > r.tests, 'the bridge did the work');
    } finally {
      api.exit();
      unregisterKernelDevices(devs, engine);
      for (const b of bufs) b.close();
    }
  });

  it('dmatest in process over bridged channels (udmabuf buffers): memcpy, xor and pq threads pass', async () => {
    const engine = createDmaEngine({ cpus: 1 });
    const devs = registerKernelDevices({ engine });
    const bufs: DmaBuf[] = [];
    try {
      const names = devs.flatMap((d) => d.channels.map((c) => c.name));
      const r = await runDmatest({ iterations: 20, timeout: 30000, test_buf_size: 16384 }, {
        engine, channels: names.slice(0, 1),
        alloc: (size) => { const b = allocDmaBuf(size, { source: 'udmabuf' }); bufs.push(b); return b.bytes; },
      });
      assert.equal(r.failures, 0);
      assert.ok(r.tests >= 60, `tests ${r.tests}`);
      assert.ok(devs[0]!.bridgeStats().opsSubmitted >= 60);
    } finally {
      unregisterKernelDevices(devs, engine);
      for (const b of bufs) b.close();
    }
  });

  it('`dmaengine dmatest --bridge` runs over the bridged channels', async () => {
    const r = await runCli(['dmatest', '--bridge', '--iterations', '5', '--test-buf-size', '8192']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /dmatest: dma\d+chan\d+-copy0: summary 5 tests, 0 failures/);
  });

  it('left no oops, WARN or BUG in the kernel log', () => {
    const bad = kmsgSince(mark).filter((l) => /Oops|WARNING:|BUG[: ]|refcount_t|Call Trace/.test(l));
    assert.deepEqual(bad, []);
  });
});
