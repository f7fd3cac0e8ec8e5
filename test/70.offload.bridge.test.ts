// The Promise API over the kernel bridge, the parts a host without the module can check: why
// there is no bridge (each reason, and how 'bridge' and 'auto' report it), which operations the
// bridged channels would take (bridgeTakes), and the routing between a primary that refuses
// some operations and the soft fallback (a soft device standing in for the bridged one), seen
// through a Dma: right bytes, validate operations never written, dma.placement counts.
// The bridge itself: test/kernel/74.kernel.offload-bridge.test.ts.
import assert from 'node:assert/strict';
import { type DmaAsyncTxDescriptor, DmaCap, type DmaChan, DmaEngineError, allocDmaBuf, openDma } from '../lib/index';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { type AsyncTxBackend, openAsyncTxBackend } from '../lib/offload/async-tx-backend';
import { createInlineRunner } from '../lib/offload/backend';
import { bridgeTakes, isDmaBufBytes, openBridgeBackend } from '../lib/offload/bridge';
import { Dma } from '../lib/offload/dma';
import type { Job } from '../lib/offload/job';
import { copyJob, fillJob, xorCheckJob, xorJob } from '../lib/offload/ops';
import { checkJob, recoverJob } from '../lib/offload/raid6-jobs';
import { openRoutedBackend } from '../lib/offload/routed-backend';
import { Scheduler } from '../lib/offload/scheduler';
import { openSoftBackend } from '../lib/offload/soft-backend';
import { kernelBridgeStatus } from '../lib/providers/kernel-bridge-status';
import { SoftDevice } from '../lib/providers/soft';
import { seeded } from './helpers/gf-reference';

const notLoaded = { loaded: false, version: null, reason: 'not built and not loaded (no /dev/dmaengine_bridge)' };
const loaded = { loaded: true, version: '1', reason: null };
const eq = (a: Uint8Array, b: Uint8Array, msg?: string): void => assert.ok(Buffer.from(a).equals(Buffer.from(b)), msg);

describe('openDma over the kernel bridge: no bridge', () => {
  it('openBridgeBackend says why: the module\'s state, a refused registration, no channel', () => {
    const never = () => { throw new Error('register must not be called'); };
    assert.equal(openBridgeBackend(1, { status: () => notLoaded, register: never }), notLoaded.reason);
    const noPerm = { loaded: true, version: null, reason: 'no permission on /dev/dmaengine_bridge (EACCES): run as root' };
    assert.equal(openBridgeBackend(1, { status: () => noPerm, register: never }), noPerm.reason);
    const refused = () => { throw new DmaEngineError('EACCES', 'open /dev/dmaengine_bridge: permission denied'); };
    assert.match(openBridgeBackend(1, { status: () => loaded, register: refused }) as string,
      /^registerKernelDevices failed: .*permission denied/);
    assert.match(openBridgeBackend(1, { status: () => loaded, register: () => [] }) as string, /reaches no kernel dmaengine channel/);
  });

  it("'bridge' rejects ENODEV with the reason; 'auto' runs on soft, says why, and counts every operation as soft or inline", async function () {
    const s = kernelBridgeStatus();
    if (s.loaded) {
      console.log('      (skipped: the kernel bridge is loaded on this machine; the kernel lane covers it)');
      this.skip();
    }
    await assert.rejects(openDma({ engine: 'bridge', inlineBelow: 0 }),
      (e: DmaEngineError) => e.code === 'ENODEV' && e.message.endsWith(`bridge not loaded: ${s.reason}`));
    const dma = await openDma({ engine: 'auto', inlineBelow: 4096, channels: 1 });
    try {
      assert.equal(dma.engine, 'soft');
      assert.equal(dma.fallbackReason, `bridge not loaded: ${s.reason}`);
      const a = Buffer.alloc(8192, 7);
      const b = Buffer.alloc(8192);
      await dma.copy(b, a);
      await dma.fill(b.subarray(0, 100), 1);
      assert.deepEqual(dma.placement, { inline: 1, soft: 1, bridge: 0, software: 0 });
    } finally {
      await dma.close();
    }
  });
});

/** A fake channel of a device with these limits. */
function chanOf(dev: Record<string, unknown>): DmaChan {
  return { device: dev } as unknown as DmaChan;
}

describe('bridgeTakes: which operations bridged channels take', () => {
  const all = () => true;
  const dev = { maxXor: 4, maxPq: 6, copyAlign: 0, xorAlign: 3, pqAlign: 0, fillAlign: 0 };
  const any = (): DmaChan => chanOf(dev);

  it('only dma-buf bytes: plain memory and memfd stand-ins are not', () => {
    const plain = new Uint8Array(4096);
    assert.equal(isDmaBufBytes(plain), false);
    const m = allocDmaBuf(4096, { source: 'memfd' });
    try {
      assert.equal(m.isDmaBuf, false);
      assert.equal(isDmaBufBytes(m.bytes), false, 'a memfd is no dma-buf: the bridge cannot import it');
      assert.equal(bridgeTakes(copyJob(m.bytes, plain), any), false);
    } finally {
      m.close();
    }
    assert.equal(bridgeTakes(copyJob(new Uint8Array(64), new Uint8Array(64)), any), false);
    assert.equal(bridgeTakes(copyJob(new Uint8Array(64), new Uint8Array(64)), any, all), true);
    // one operand not dma-buf is enough to go elsewhere
    const srcs = [new Uint8Array(64), new Uint8Array(64)];
    assert.equal(bridgeTakes(xorJob(new Uint8Array(64), srcs), any, (v) => v !== srcs[1]), false);
  });

  it('a channel for every capability the operation uses', () => {
    const only = (caps: DmaCap[]) => (cap: DmaCap) => (caps.includes(cap) ? chanOf(dev) : null);
    const b = () => new Uint8Array(64);
    assert.equal(bridgeTakes(fillJob(b(), 1), only([DmaCap.MEMCPY]), all), false);
    assert.equal(bridgeTakes(fillJob(b(), 1), only([DmaCap.MEMSET]), all), true);
    const blocks = [b(), b(), b(), b(), b()];
    // a data block and P lost: async_raid6_datap_recov needs PQ, XOR and MEMCPY
    assert.equal(bridgeTakes(recoverJob(blocks, [0, 3]), only([DmaCap.PQ, DmaCap.XOR]), all), false);
    assert.equal(bridgeTakes(recoverJob(blocks, [0, 3]), only([DmaCap.PQ, DmaCap.XOR, DmaCap.MEMCPY]), all), true);
  });

  it("offsets aligned as the device asks; a validate operation's blocks within one descriptor", () => {
    const buf = new ArrayBuffer(4096);
    const at = (off: number) => new Uint8Array(buf, off, 64);
    assert.equal(bridgeTakes(xorJob(at(0), [at(64), at(128)]), any, all), true);
    assert.equal(bridgeTakes(xorJob(at(0), [at(64), at(129)]), any, all), false, 'xorAlign 3: offset 129 refused');
    assert.equal(bridgeTakes(copyJob(at(1), at(3)), any, all), true, 'copyAlign 0');
    assert.equal(bridgeTakes(xorCheckJob([at(0), at(64), at(128), at(192)]), any, all), true);
    assert.equal(bridgeTakes(xorCheckJob([at(0), at(64), at(128), at(192), at(256)]), any, all), false, 'maxXor 4');
    const six = [0, 1, 2, 3, 4, 5].map((i) => at(i * 64));
    assert.equal(bridgeTakes(checkJob(six.slice(0, 4), six[4], six[5]), any, all), true);
    const eight = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => at(i * 64));
    assert.equal(bridgeTakes(checkJob(eight.slice(0, 6), eight[6], eight[7]), any, all), false, 'maxPq 6');
    assert.equal(bridgeTakes(copyJob(new Uint8Array(0), new Uint8Array(0)), any, all), false, 'nothing to move');
  });
});

/** A soft device that refuses (prep null) the capabilities named, standing in for a bridged one. */
class RefusingDevice extends SoftDevice {
  constructor(private readonly refuse: Set<string>) {
    super({ channels: 1, caps: [DmaCap.MEMCPY, DmaCap.MEMSET, DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT] });
  }
  override devicePrepDmaMemcpy(...a: Parameters<SoftDevice['devicePrepDmaMemcpy']>): DmaAsyncTxDescriptor | null {
    return this.refuse.has('memcpy') ? null : super.devicePrepDmaMemcpy(...a);
  }
  override devicePrepDmaXorVal(...a: Parameters<SoftDevice['devicePrepDmaXorVal']>): DmaAsyncTxDescriptor | null {
    return this.refuse.has('xorVal') ? null : super.devicePrepDmaXorVal(...a);
  }
}

/** A primary backend over a RefusingDevice, labelled 'bridge'. */
function refusingPrimary(refuse: string[]): { primary: AsyncTxBackend; dev: RefusingDevice } {
  const engine = createDmaEngine({ cpus: 1, cpuToNode: () => 0 });
  const dev = new RefusingDevice(new Set(refuse));
  engine.dmaAsyncDeviceRegister(dev);
  const primary = openAsyncTxBackend({
    kind: 'bridge', engine, cpus: 1, setCpu: () => undefined, devices: [dev], channels: 1,
    release: () => engine.dmaAsyncDeviceUnregister(dev),
  });
  return { primary, dev };
}

/** A Dma routing what `takes` says to the primary, the rest to a soft engine. */
function routedDma(primary: AsyncTxBackend, takes: (job: Job<unknown>) => boolean): { dma: Dma; fallbacks: () => number } {
  let opened = 0;
  const backend = openRoutedBackend({
    primary, takes, openFallback: () => { opened++; return openSoftBackend(1); },
  });
  const sched = new Scheduler(createInlineRunner(), backend, 0);
  const dma = new Dma({ sched, engine: 'bridge', channels: backend.channels, timeout: 0, calibration: null, fallbackReason: null });
  return { dma, fallbacks: () => opened };
}

describe('routing between the bridged channels and the soft fallback (a refusing soft device stands in)', () => {
  const rand = seeded(14);
  const len = 1 << 14;

  it("the channel table is there from open (routing reads it before any operation), and close() gives the reference back", () => {
    const { primary, dev } = refusingPrimary([]);
    assert.ok(primary.channelFor(DmaCap.MEMCPY) !== null, 'routing sees a memcpy channel before the first operation');
    assert.equal(primary.channelFor(DmaCap.PQ)?.device, dev);
    primary.close();
    assert.equal(primary.channelFor(DmaCap.MEMCPY), null, 'no channel left in the table: unregistered');
  });

  it('what the primary does not take goes to the soft engine, opened on first need; each counted where it ran', async () => {
    const { primary, dev } = refusingPrimary([]);
    const mine = new Set<ArrayBufferLike>();
    const own = (n: number): Uint8Array => { const b = new Uint8Array(n); mine.add(b.buffer); return b; };
    const { dma, fallbacks } = routedDma(primary, (job) => job.operands.every((v) => mine.has(v.buffer)));
    try {
      const src = rand(len);
      const a = own(len);
      a.set(src);
      const b = own(len);
      await dma.copy(b, a);
      eq(b, src);
      assert.equal(fallbacks(), 0, 'no soft engine while every operation went to the primary');
      assert.equal(dev.channels[0]!.memcpyCount, 1);
      const plain = Buffer.alloc(len);
      await dma.copy(plain, a); // one operand not the primary's
      eq(plain, src);
      assert.equal(fallbacks(), 1);
      assert.equal(dev.channels[0]!.memcpyCount, 1, 'the primary did not see it');
      assert.deepEqual(dma.placement, { inline: 0, soft: 1, bridge: 1, software: 0 });
    } finally {
      await dma.close();
    }
  });

  it('a chain across the two (after:) waits for the dependency, in order, with the right bytes', async () => {
    const { primary } = refusingPrimary([]);
    const mine = new Set<ArrayBufferLike>();
    const own = (n: number): Uint8Array => { const b = new Uint8Array(n); mine.add(b.buffer); return b; };
    const { dma } = routedDma(primary, (job) => job.operands.every((v) => mine.has(v.buffer)));
    try {
      const src = rand(len);
      const a = own(len);
      a.set(src);
      const b = own(len);
      const plain = Buffer.alloc(len);
      const back = own(len);
      const p1 = dma.copy(b, a); // primary
      const p2 = dma.copy(plain, b, { after: [p1] }); // soft, after the primary's
      const p3 = dma.fill(b, 9, { after: [p2] }); // primary, after the soft one's
      const p4 = dma.copy(back, b, { after: [p3] }); // primary, chained on the primary's
      await Promise.all([p1, p2, p3, p4]);
      eq(plain, src);
      assert.ok(back.every((x) => x === 9));
      assert.deepEqual(dma.placement, { inline: 0, soft: 1, bridge: 3, software: 0 });
    } finally {
      await dma.close();
    }
  });

  it('a validate operation the channel refuses goes to the soft engine: right answer, its blocks never written', async () => {
    const { primary } = refusingPrimary(['xorVal']);
    const { dma, fallbacks } = routedDma(primary, () => true);
    try {
      const d = [rand(len), rand(len)];
      const parity = d[0]!.map((x, i) => x ^ d[1]![i]!);
      const before = Buffer.from(parity);
      assert.equal(await dma.xorCheck([parity, d[0]!, d[1]!]), true);
      eq(parity, before, 'async_tx\'s software XOR-validate would have left the XOR (zeros) in blocks[0]');
      parity[5] ^= 1;
      assert.equal(await dma.xorCheck([parity, d[0]!, d[1]!]), false);
      assert.equal(fallbacks(), 1);
      assert.deepEqual(dma.placement, { inline: 0, soft: 2, bridge: 0, software: 0 });
    } finally {
      await dma.close();
    }
  });

  it("another operation the channel refuses is done by async_tx's software path, right bytes, counted as software", async () => {
    const { primary } = refusingPrimary(['memcpy']);
    const { dma } = routedDma(primary, () => true);
    try {
      const src = rand(len);
      const dst = new Uint8Array(len);
      await dma.copy(dst, src);
      eq(dst, src);
      await dma.fill(dst, 3); // not refused
      assert.ok(dst.every((x) => x === 3));
      assert.deepEqual(dma.placement, { inline: 0, soft: 0, bridge: 1, software: 1 });
    } finally {
      await dma.close();
    }
  });
});
