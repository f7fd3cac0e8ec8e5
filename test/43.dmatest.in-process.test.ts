import assert from 'node:assert/strict';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { DmaCap } from '../lib/dmaengine/caps';
import { DmaEngineError } from '../lib/dmaengine/errors';
import { DmaTransResult } from '../lib/dmaengine/status';
import { registerPlainDevice, type PlainDevice, type PlainChan } from '../lib/providers/plain';
import { runDmatest } from '../lib/dmatest/runner';
import { parseDmatestLog } from '../lib/dmatest/log-parser';
import { registerSoftDevice } from '../lib/providers/soft';
import type { SoftFault } from '../lib/providers/soft-chan';

// Providers the runner is exercised on: plain TypeScript and the native-engine soft provider.
const providers = {
  plain: (engine: ReturnType<typeof createDmaEngine>, opts: Parameters<typeof registerPlainDevice>[0]) => registerPlainDevice(opts, engine),
  soft: (engine: ReturnType<typeof createDmaEngine>, opts: Parameters<typeof registerPlainDevice>[0]) => registerSoftDevice(opts, engine),
};

for (const [pname, register] of Object.entries(providers)) {
  describe(`runDmatest() in process on the ${pname} provider`, () => {
    it('rejects bad parameters before taking a channel', async () => {
      const engine = createDmaEngine({ cpus: 1 });
      register(engine, { channels: 1, caps: [DmaCap.MEMCPY] });
      await assert.rejects(runDmatest({ xor_sources: 'x' as never }, { engine }), { name: 'TypeError', message: /"xor_sources"/ });
      assert.equal(engine.listChannels()[0].in_use, 0);
    });

    it('runs memcpy, xor and pq threads on every eligible channel and verifies every byte', async () => {
      const engine = createDmaEngine({ cpus: 1 });
      register(engine, { channels: 2, caps: [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.PQ, DmaCap.INTERRUPT], maxXor: 8, maxPq: 8 });
      const lines: string[] = [];
      const r = await runDmatest({ iterations: 12, test_buf_size: 4096, verbose: true, xor_sources: 4 }, { engine, log: (l) => lines.push(l) });
      assert.equal(lines[0], 'dmatest: No channels configured, continue with any');
      assert.deepEqual(lines.filter((l) => l.includes('Added')), ['dmatest: Added 3 threads using dma0chan0', 'dmatest: Added 3 threads using dma0chan1']);
      assert.deepEqual(r.channels.map((c) => c.threads.map((t) => t.thread)), [
        ['dma0chan0-copy0', 'dma0chan0-xor0', 'dma0chan0-pq0'], ['dma0chan1-copy0', 'dma0chan1-xor0', 'dma0chan1-pq0']]);
      assert.equal(r.tests, 6 * 12);
      assert.equal(r.failures, 0, lines.filter((l) => !l.includes('passed')).join('\n'));
      assert.equal(lines.filter((l) => l.includes("'test passed'")).length, 72);
      for (const t of r.channels.flatMap((c) => c.threads)) {
        assert.equal(t.tests, 12);
        assert.match(t.results[0].line, /^dmatest: dma0chan\d-(copy|xor|pq)0: result #1: 'test passed' with src_off=0x[0-9a-f]+ dst_off=0x[0-9a-f]+ len=0x[0-9a-f]+ \(0\)$/);
      }
      // The channels went back: in_use 0.
      assert.ok(engine.listChannels().every((c) => c.in_use === 0));
    });

    it('memset threads with dmatest=1; norandom uses the whole buffer', async () => {
      const engine = createDmaEngine({ cpus: 1 });
      register(engine, { channels: 1, caps: [DmaCap.MEMCPY, DmaCap.MEMSET] });
      const r = await runDmatest({ iterations: 3, dmatest: 1, norandom: true, verbose: true, test_buf_size: 1000 }, { engine });
      const t = r.channels[0].threads;
      assert.deepEqual(t.map((x) => x.thread), ['dma0chan0-set0']);
      assert.equal(t[0].results[0].len, 1000);
      assert.equal(t[0].results[0].srcOff, 0);
      assert.equal(r.failures, 0);
    });

    it('a named channel only, and max_channels caps the count', async () => {
      const engine = createDmaEngine({ cpus: 1 });
      register(engine, { channels: 3, caps: [DmaCap.MEMCPY] });
      const one = await runDmatest({ iterations: 2 }, { engine, channels: ['dma0chan2'] });
      assert.deepEqual(one.channels.map((c) => c.channel), ['dma0chan2']);
      const two = await runDmatest({ iterations: 2, max_channels: 2 }, { engine });
      assert.deepEqual(two.channels.map((c) => c.channel), ['dma0chan0', 'dma0chan1']);
      await assert.rejects(runDmatest({ iterations: 1 }, { engine, channels: ['dma7chan0'] }),
        (e: unknown) => e instanceof DmaEngineError && e.code === 'EINVAL');
    });

    it('no eligible channel: public channels held by a dmaengineGet() client', async () => {
      const engine = createDmaEngine({ cpus: 1 });
      register(engine, { channels: 2, caps: [DmaCap.MEMCPY] });
      engine.dmaengineGet();
      await assert.rejects(runDmatest({ iterations: 1 }, { engine }), (e: unknown) => e instanceof DmaEngineError && e.code === 'ENODEV');
    });

    it('an injected READ_FAILED shows as completion error status, counted as a failure', async () => {
      const engine = createDmaEngine({ cpus: 1 });
      const dev = register(engine, { channels: 1, caps: [DmaCap.MEMCPY] }) as PlainDevice;
      dev.injectError(dev.channels[0] as PlainChan, 3, DmaTransResult.READ_FAILED);
      const lines: string[] = [];
      const r = await runDmatest({ iterations: 5 }, { engine, log: (l) => lines.push(l) });
      assert.equal(r.failures, 1);
      const p = parseDmatestLog(lines);
      assert.deepEqual(p.results.map((x) => [x.n, x.message]), [[3, 'completion error status']]);
      assert.match(lines[lines.length - 1], /^dmatest: dma0chan0-copy0: summary 5 tests, 1 failures \d+\.\d\d iops \d+ KB\/s \(0\)$/);
    });

    it('transfer_size at or above the buffer size stops the thread with the kernel message', async () => {
      const engine = createDmaEngine({ cpus: 1 });
      register(engine, { channels: 1, caps: [DmaCap.MEMCPY] });
      const lines: string[] = [];
      const r = await runDmatest({ iterations: 5, transfer_size: 4096, test_buf_size: 4096 }, { engine, log: (l) => lines.push(l) });
      assert.ok(lines.includes('dmatest: 4096-byte transfer size must be lower than 4096-buffer size'));
      assert.equal(r.tests, 0);
    });

    it('iterations 0 runs until stopped, and reports progress', async () => {
      const engine = createDmaEngine({ cpus: 1 });
      register(engine, { channels: 1, caps: [DmaCap.MEMCPY] });
      let seen = 0;
      const r = await runDmatest({ iterations: 0, test_buf_size: 512 }, { engine, durationMs: 150, onProgress: (n) => { seen = n; } });
      assert.ok(r.tests > 0);
      assert.equal(seen, r.tests);
    });
  });
}

describe('runDmatest() on the soft provider: every failure line from an injected fault', () => {
  /** A one-channel copy device with `fault` on the 2nd descriptor; the run's log and parse. */
  async function runWith(fault: SoftFault, params: Parameters<typeof runDmatest>[0] = {}) {
    const engine = createDmaEngine({ cpus: 1 });
    const dev = registerSoftDevice({ channels: 1, caps: [DmaCap.MEMCPY] }, engine);
    dev.injectFault(dev.channels[0]!, fault, 2);
    const lines: string[] = [];
    const r = await runDmatest({ iterations: 3, test_buf_size: 512, ...params }, { engine, log: (l) => lines.push(l) });
    return { r, lines, parsed: parseDmatestLog(lines), dev };
  }

  it('rejects an unknown fault and a bad count, naming them', () => {
    const dev = registerSoftDevice({ channels: 1 }, createDmaEngine({ cpus: 1 }));
    assert.throws(() => dev.injectFault(dev.channels[0]!, 'melt' as SoftFault), { name: 'RangeError', message: /"fault"/ });
    assert.throws(() => dev.injectFault(dev.channels[0]!, 'hang', 0), { name: 'RangeError', message: /"nth"/ });
    assert.throws(() => dev.injectFault({} as never, 'hang'), { name: 'TypeError', message: /"chan"/ });
  });

  it('prep: prep returns null → "prep error"', async () => {
    const { r, parsed } = await runWith('prep');
    assert.deepEqual(parsed.results.map((x) => [x.n, x.message]), [[2, 'prep error']]);
    assert.equal(r.failures, 1);
  });

  it('submit: a negative cookie → "submit error"', async () => {
    const { r, parsed } = await runWith('submit');
    assert.deepEqual(parsed.results.map((x) => [x.n, x.message]), [[2, 'submit error']]);
    assert.equal(r.failures, 1);
  });

  it('hang: the callback never comes → "test timed out" (and the channel stays stuck until terminated)', async () => {
    const { r, parsed, dev } = await runWith('hang', { timeout: 40 });
    // in-order hardware: everything after the hung descriptor is stuck behind it
    assert.deepEqual(parsed.results.map((x) => [x.n, x.message]), [[2, 'test timed out'], [3, 'test timed out']]);
    assert.equal(r.failures, 2);
    assert.equal(dev.channels[0]!.held.length, 0, 'the failing thread terminated the channel: held descriptors were aborted');
  });

  it('read / write: the engine fails the descriptor → "completion error status"', async () => {
    for (const f of ['read', 'write'] as const) {
      const { r, parsed } = await runWith(f);
      assert.deepEqual(parsed.results.map((x) => [x.n, x.message]), [[2, 'completion error status']], f);
      assert.equal(r.failures, 1);
    }
  });

  it('busy: the callback comes but the status reads IN_PROGRESS → "completion busy status"', async () => {
    const { r, parsed } = await runWith('busy');
    assert.deepEqual(parsed.results.map((x) => [x.n, x.message]), [[2, 'completion busy status']]);
    assert.equal(r.failures, 1);
  });

  it('corrupt: completes OK with wrong bytes → "data error", mismatch lines, "errors suppressed"', async () => {
    const { r, parsed, lines } = await runWith('corrupt', { test_buf_size: 4096, transfer_size: 256, norandom: false });
    assert.deepEqual(parsed.results.map((x) => x.message), ['data error']);
    assert.equal(parsed.results[0]!.n, 2);
    assert.equal(parsed.results[0]!.data, 256, 'every copied byte is wrong');
    assert.equal(lines.filter((l) => /dstbuf\[0x[0-9a-f]+\] not copied! Expected/.test(l)).length, 32);
    assert.ok(lines.some((l) => /: 224 errors suppressed$/.test(l)), lines.filter((l) => l.includes('suppressed')).join('\n'));
    assert.equal(r.failures, 1);
  });
});
