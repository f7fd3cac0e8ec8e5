// lib/dmatest's kernel bridge driving the real dmatest.ko on the soft module's channels: passing
// memcpy, memset, xor and pq threads, a channel that is not eligible, a kernel with no channel;
// and the same parameter set in process gives the same result shape and test counts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runKernelDmatest } from '../../lib/dmatest/kernel-bridge';
import { runDmatest } from '../../lib/dmatest/runner';
import { ensureDmatestChannels } from '../../lib/dmatest/default-channels';
import { createDmaEngine } from '../../lib/dmaengine/instance';
import { DmaEngineError } from '../../lib/dmaengine/errors';
import { requireGuest, insmod, rmmod, moduleDir, moduleLoaded, softChannels, param } from './lane';

const PARAMS = { iterations: 3, timeout: 30000, test_buf_size: 8192 } as const;
const shape = (r: Awaited<ReturnType<typeof runKernelDmatest>>) =>
  r.channels.map((c) => c.threads.map((t) => [t.op, t.tests, t.failures, t.ret]));

describe('dmatest kernel bridge on the real module (guest)', function () {
  before(function () {
    requireGuest(this);
    if (!moduleLoaded('dmatest')) insmod(join(moduleDir(), 'dmatest.ko'));
  });

  it('memcpy, xor and pq threads on one channel pass; the in-process run has the same shape', async () => {
    const chan = softChannels()[0].name;
    const k = await runKernelDmatest(PARAMS, { channels: [chan] });
    assert.equal(k.mode, 'kernel');
    assert.deepEqual(k.channels.map((c) => c.channel), [chan]);
    assert.deepEqual(shape(k), [[['copy', 3, 0, 0], ['xor', 3, 0, 0], ['pq', 3, 0, 0]]], k.lines.join('\n'));
    assert.equal(k.tests, 9);
    assert.equal(k.failures, 0);
    assert.equal(softChannels()[0].inUse, 0, 'the bridge releases the channel');

    const engine = createDmaEngine();
    ensureDmatestChannels(engine);
    const p = await runDmatest(PARAMS, { engine, channels: ['dma0chan0'] });
    assert.equal(p.mode, 'in-process');
    assert.deepEqual(shape(p), shape(k));
    assert.deepEqual(Object.keys(p).sort(), Object.keys(k).sort());
  });

  it('memset threads (dmatest=1) pass on another channel', async () => {
    const chans = softChannels();
    const chan = chans[chans.length - 1].name;
    const k = await runKernelDmatest({ ...PARAMS, dmatest: 1 }, { channels: [chan] });
    assert.deepEqual(shape(k), [[['set', 3, 0, 0], ['xor', 3, 0, 0], ['pq', 3, 0, 0]]], k.lines.join('\n'));
  });

  it('a channel already taken for this run is not eligible: EBUSY, and nothing stays held', async () => {
    const chan = softChannels()[0].name;
    param('dmatest', 'iterations', 1);
    param('dmatest', 'channel', chan); // pending: held by dmatest
    try {
      await assert.rejects(runKernelDmatest(PARAMS, { channels: [chan] }),
        (e: unknown) => e instanceof DmaEngineError && e.code === 'EBUSY');
    } finally {
      param('dmatest', 'run', 0);
    }
    assert.equal(softChannels()[0].inUse, 0);
  });

  it('with no DMA channel in the kernel: ENODEV and the reason', async () => {
    const saved = (process.env.LANE_SOFT_PARAMS ?? '').split(/\s+/).filter(Boolean);
    rmmod('dmatest');
    rmmod('dmae_soft');
    try {
      insmod(join(moduleDir(), 'dmatest.ko'));
      await assert.rejects(runKernelDmatest(PARAMS, {}),
        (e: unknown) => e instanceof DmaEngineError && e.code === 'ENODEV' && /no DMA channels exist|none matched/.test(e.message));
    } finally {
      if (moduleLoaded('dmatest')) rmmod('dmatest');
      insmod(join(moduleDir(), 'dmae_soft.ko'), saved);
      insmod(join(moduleDir(), 'dmatest.ko'));
    }
    assert.ok(softChannels().length > 0);
  });
});
