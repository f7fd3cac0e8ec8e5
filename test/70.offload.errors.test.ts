import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  type Dma, DmaEngineError, DmaTransResult, DmaTransferError, defaultDmaEngine, openDma,
} from '../lib/index';
import { softDeviceOf } from '../lib/offload/soft-backend';
import { THRESHOLD_CAP, THRESHOLD_SIZES } from '../lib/offload/threshold';
import { kernelBridgeStatus } from '../lib/providers/kernel-bridge-status';
import type { SoftDevice } from '../lib/providers/soft';

const device = (dma: Dma): SoftDevice => {
  const d = softDeviceOf.get(dma);
  assert.ok(d, 'the Dma has a soft device');
  return d;
};

describe('openDma() options', () => {
  it('bad options throw synchronously, naming the field', () => {
    assert.throws(() => openDma({ engine: 'gpu' as 'soft' }), { name: 'RangeError', message: /"options.engine"/ });
    assert.throws(() => openDma({ channels: 0 }), { name: 'RangeError', message: /"options.channels"/ });
    assert.throws(() => openDma({ inlineBelow: -1 }), { name: 'RangeError', message: /"options.inlineBelow"/ });
    assert.throws(() => openDma({ timeout: 1.5 }), { name: 'TypeError', message: /"options.timeout"/ });
    assert.throws(() => openDma(5 as unknown as undefined), { name: 'TypeError', message: /"options"/ });
  });

  it("'bridge' rejects ENODEV 'bridge not loaded: <reason>'; 'auto' falls back to soft and says why", async function () {
    if (kernelBridgeStatus().loaded) {
      console.log('      (skipped: the kernel bridge is loaded on this machine)');
      this.skip();
    }
    await assert.rejects(openDma({ engine: 'bridge' }), (e: DmaEngineError) => e.code === 'ENODEV' && /bridge not loaded: /.test(e.message));
    const dma = await openDma({ inlineBelow: 0, channels: 1 });
    try {
      assert.equal(dma.engine, 'soft');
      assert.match(dma.fallbackReason ?? '', /^bridge not loaded: /);
    } finally {
      await dma.close();
    }
  });

  it('measures the inline threshold cheaply, within its bounds', async () => {
    const dma = await openDma({ engine: 'soft', channels: 1 });
    try {
      const c = dma.calibration!;
      // < 50 ms on an idle machine; on a loaded one the budget stops new sizes after 25 ms
      assert.ok(c.ms < 50 || c.sizes.length < THRESHOLD_SIZES.length, `measurement took ${c.ms} ms over every size`);
      assert.ok(c.sizes.length >= 1);
      assert.ok(c.sizes.includes(dma.inlineBelow) || dma.inlineBelow === THRESHOLD_CAP, `inlineBelow ${dma.inlineBelow}`);
      assert.equal(c.inlineNs.length, c.sizes.length);
      assert.equal(c.queuedNs.length, c.sizes.length);
    } finally {
      await dma.close();
    }
  });
});

describe('Dma: errors', () => {
  let dma: Dma;
  // one channel: an injected fault (which counts per channel) lands on the next operation
  beforeEach(async () => { dma = await openDma({ engine: 'soft', channels: 1, inlineBelow: 0 }); });
  afterEach(() => dma.close());

  it('bad arguments throw synchronously (TypeError/RangeError naming the argument), nothing written', () => {
    const b = Buffer.alloc(16, 3);
    assert.throws(() => dma.copy(b, 'x' as unknown as Buffer), { name: 'TypeError', message: /"src"/ });
    assert.throws(() => dma.copy(Buffer.alloc(4), b), { name: 'RangeError', message: /"dst.byteLength"/ });
    assert.throws(() => dma.fill(b, 256), { name: 'RangeError', message: /"value"/ });
    assert.throws(() => dma.xor(b, []), { name: 'RangeError', message: /"srcs.length"/ });
    assert.throws(() => dma.xor(b, [Buffer.alloc(8)]), { name: 'RangeError', message: /"srcs\[0\].byteLength"/ });
    assert.throws(() => dma.xor(b, [b]), { name: 'RangeError', message: /"srcs\[0\]"/ });
    assert.throws(() => dma.xorCheck([b]), { name: 'RangeError', message: /"blocks.length"/ });
    assert.throws(() => dma.raid6.generate([b, b], null, null), { name: 'TypeError', message: /"p" or "q"/ });
    assert.throws(() => dma.raid6.check([b], b, b), { name: 'RangeError', message: /"data.length"/ });
    assert.throws(() => dma.raid6.recover([b, b, b, b], [4]), { name: 'RangeError', message: /"failed\[0\]"/ });
    assert.throws(() => dma.raid6.recover([b, b, b, b], [1, 1]), { name: 'RangeError', message: /"failed\[1\]"/ });
    assert.throws(() => dma.raid6.recover([b, b, b, b], []), { name: 'RangeError', message: /"failed.length"/ });
    assert.throws(() => dma.copy(b, b, { signal: {} as AbortSignal }), { name: 'TypeError', message: /"options.signal"/ });
    assert.throws(() => dma.copy(b, b, { after: [5 as unknown as Promise<void>] }), { name: 'TypeError', message: /"options.after\[0\]"/ });
    assert.throws(() => dma.copy(b, b, { timeout: -1 }), { name: 'RangeError', message: /"options.timeout"/ });
    assert.ok(b.every((x) => x === 3));
    assert.equal(dma.pending, 0);
  });

  for (const fault of ['read', 'write'] as const) {
    it(`an injected ${fault} failure rejects with DmaTransferError (EIO, ${fault.toUpperCase()}_FAILED), nothing written`, async () => {
      device(dma).injectFault(null, fault);
      const dst = Buffer.alloc(4096, 9);
      const err = await dma.copy(dst, Buffer.alloc(4096, 1)).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof DmaTransferError, String(err));
      assert.ok(err instanceof DmaEngineError);
      assert.equal(err.code, 'EIO');
      assert.equal(err.result, fault === 'read' ? DmaTransResult.READ_FAILED : DmaTransResult.WRITE_FAILED);
      assert.ok(dst.every((x) => x === 9));
      await dma.copy(dst, Buffer.alloc(4096, 1)); // the next one is fine
      assert.equal(dst[0], 1);
    });
  }

  it('a failure in the middle of a multi-descriptor operation (2-data recovery) rejects', async () => {
    const len = 4096;
    const data = Array.from({ length: 6 }, (_, i) => Buffer.alloc(len, i * 17 + 1));
    const p = Buffer.alloc(len);
    const q = Buffer.alloc(len);
    await dma.raid6.generate(data, p, q);
    device(dma).injectFault(null, 'read', 2); // the second descriptor of the chain
    await assert.rejects(dma.raid6.recover([...data, p, q], [1, 3]), (e: DmaTransferError) =>
      e instanceof DmaTransferError && e.result === DmaTransResult.READ_FAILED && e.op === 'raid6.recover');
  });

  it('a hung operation rejects ETIMEDOUT (not a transfer result); close() then ends it', async () => {
    device(dma).injectFault(null, 'hang');
    const err = await dma.copy(Buffer.alloc(64), Buffer.alloc(64, 1), { timeout: 30 }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof DmaEngineError);
    assert.ok(!(err instanceof DmaTransferError));
    assert.equal(err.code, 'ETIMEDOUT');
    await dma.close();
    assert.equal(dma.pending, 0);
  });

  it('abort before it runs: rejects with signal.reason, nothing written', async () => {
    const dst = Buffer.alloc(4096, 9);
    const ac = new AbortController();
    const op = dma.copy(dst, Buffer.alloc(4096, 1), { signal: ac.signal });
    const reason = new Error('changed my mind');
    ac.abort(reason);
    await assert.rejects(op, (e) => e === reason);
    // already aborted: rejects at once
    await assert.rejects(dma.fill(dst, 1, { signal: AbortSignal.abort('nope') }), (e) => e === 'nope');
    // waiting for a dependency: dropped too
    let go!: () => void;
    const gate = new Promise<void>((r) => { go = r; });
    const ac2 = new AbortController();
    const op2 = dma.fill(dst, 1, { after: [gate], signal: ac2.signal });
    ac2.abort();
    await assert.rejects(op2, { name: 'AbortError' });
    go();
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(dst.every((x) => x === 9));
    assert.equal(dma.pending, 0);
  });

  it('close(): waits for what runs, cancels what waits, rejects later calls, is idempotent', async () => {
    const dst = Buffer.alloc(1 << 20);
    const running = dma.fill(dst, 4);
    const waiting = dma.fill(Buffer.alloc(16), 1, { after: [new Promise(() => {})] }).then(() => null, (e: unknown) => e);
    const c1 = dma.close();
    const c2 = dma.close();
    assert.equal(c1, c2);
    await running;
    assert.equal(dst[dst.length - 1], 4);
    const w = await waiting;
    assert.ok(w instanceof DmaEngineError && w.code === 'ECANCELED', String(w));
    await c1;
    await assert.rejects(dma.copy(dst, dst), (e: DmaEngineError) => e.code === 'ESHUTDOWN');
    assert.throws(() => dma.copy(dst, 1 as unknown as Buffer), TypeError); // arguments still checked first
  });
});

describe('openDma() leaves the default instance alone', () => {
  it('registers nothing there and takes no reference', async () => {
    const eng = defaultDmaEngine();
    const before = { devices: eng.state.devices.length, refs: eng.state.refCount, rebalances: eng.state.rebalances };
    const dma = await openDma({ engine: 'soft', channels: 2 });
    await dma.copy(Buffer.alloc(1 << 18), Buffer.alloc(1 << 18, 1));
    await dma.close();
    assert.deepEqual({ devices: eng.state.devices.length, refs: eng.state.refCount, rebalances: eng.state.rebalances }, before);
  });
});

describe('process exit with operations pending', () => {
  it('warns once on stderr', () => {
    const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
    const code = `const { openDma } = require(${JSON.stringify(path.join(__dirname, '..', 'lib', 'index'))});
openDma({ engine: 'inline' }).then((dma) => {
  dma.fill(Buffer.alloc(8), 1, { after: [new Promise(() => {})] });
  dma.fill(Buffer.alloc(8), 1, { after: [new Promise(() => {})] });
  setTimeout(() => process.exit(0), 10);
});`;
    const r = spawnSync(tsx, ['-e', code], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.includes('(dmaengine) Warning'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /2 Promise API operation\(s\) not complete/);
  });
});
