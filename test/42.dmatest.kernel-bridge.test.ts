import assert from 'node:assert/strict';
import { runKernelDmatest } from '../lib/dmatest/kernel-bridge';
import { DmaEngineError } from '../lib/dmaengine/errors';
import { FakeDmatestModule } from './helpers/fake-dmatest-module';

const opts = (m: FakeDmatestModule, channels?: string[]) => ({
  paramsDir: '/fake/params', dmaClassDir: '/fake/dma', io: m.io(), log: m.logSource(), channels,
});

describe('runKernelDmatest() against a fake module (the real one runs in the kernel lane)', () => {
  it('rejects bad parameters before touching sysfs', async () => {
    const m = new FakeDmatestModule({ dma0chan0: 0 });
    await assert.rejects(runKernelDmatest({ iterations: -1 }, opts(m)), { name: 'RangeError', message: /"iterations"/ });
    assert.deepEqual(m.writes, []);
  });

  it('says the module is not loaded (and how to tell CONFIG_DMATEST is missing)', async () => {
    await assert.rejects(runKernelDmatest({}, { paramsDir: '/nonexistent/dmatest' }),
      (e: unknown) => e instanceof DmaEngineError && e.code === 'ENOENT' && /modprobe dmatest/.test(e.message) && /CONFIG_DMATEST/.test(e.message));
  });

  it('says root is needed when sysfs refuses the write', async () => {
    const m = new FakeDmatestModule({ dma0chan0: 0 }, 0, true);
    await assert.rejects(runKernelDmatest({ iterations: 1 }, opts(m)),
      (e: unknown) => e instanceof DmaEngineError && e.code === 'EPERM' && /needs root/.test(e.message));
  });

  it('refuses to start while a run is in progress', async () => {
    const m = new FakeDmatestModule({ dma0chan0: 0 });
    m.values.set('run', 'Y');
    await assert.rejects(runKernelDmatest({ iterations: 1 }, opts(m)), (e: unknown) => e instanceof DmaEngineError && e.code === 'EBUSY');
    assert.deepEqual(m.writes, []);
  });

  it('writes parameters before channels, then run=1, and returns the parsed results', async () => {
    const m = new FakeDmatestModule({ dma0chan0: 0, dma0chan1: 0 }, 4);
    const r = await runKernelDmatest({ iterations: 8, timeout: 2000 }, opts(m, ['dma0chan0', 'dma0chan1']));
    const names = m.writes.map(([n]) => n);
    const firstChannel = names.indexOf('channel');
    assert.ok(firstChannel > names.indexOf('iterations') && firstChannel > names.indexOf('timeout'));
    assert.deepEqual(names.slice(firstChannel), ['channel', 'channel', 'run', 'run']);
    assert.deepEqual(m.writes.find(([n]) => n === 'timeout'), ['timeout', '2000']);
    assert.deepEqual(m.writes.find(([n]) => n === 'noverify'), ['noverify', 'N']);
    assert.equal(r.mode, 'kernel');
    assert.deepEqual(r.channels.map((c) => c.channel), ['dma0chan0', 'dma0chan1']);
    assert.equal(r.tests, 16);
    assert.equal(r.failures, 4);
    const t = r.channels[0].threads[0];
    assert.equal(t.thread, 'dma0chan0-copy0');
    assert.equal(t.op, 'copy');
    assert.equal(t.results.length, 2);
    assert.equal(t.results[0].message, 'data error');
    assert.ok(!r.lines.some((l) => l.includes('old line')), 'lines from before the run must not mix in');
  });

  it('maps EBUSY and EINVAL channel writes to clear errors', async () => {
    const m = new FakeDmatestModule({ dma0chan0: 0 });
    await assert.rejects(runKernelDmatest({ iterations: 1 }, opts(m, ['dma0chan0', 'dma0chan0'])),
      (e: unknown) => e instanceof DmaEngineError && e.code === 'EBUSY' && /already pending/.test(e.message));
    const m2 = new FakeDmatestModule({ dma0chan0: 0 });
    await assert.rejects(runKernelDmatest({ iterations: 1 }, opts(m2, ['dma9chan9'])),
      (e: unknown) => e instanceof DmaEngineError && e.code === 'EINVAL' && /dma9chan9/.test(e.message));
  });

  it('with no channel named, runs every eligible one ("No channels configured")', async () => {
    const m = new FakeDmatestModule({ dma0chan0: 0, dma0chan1: 1 });
    const r = await runKernelDmatest({ iterations: 3 }, opts(m));
    assert.equal(r.noChannelsConfigured, true);
    assert.deepEqual(r.channels.map((c) => c.channel), ['dma0chan0']);
    assert.equal(r.failures, 0);
  });

  it('explains why nothing ran when every channel is held by public clients', async () => {
    const m = new FakeDmatestModule({});
    await assert.rejects(runKernelDmatest({ iterations: 1 }, opts(m)),
      (e: unknown) => e instanceof DmaEngineError && e.code === 'ENODEV' && /no DMA channels exist/.test(e.message));
  });
});
