import assert from 'node:assert/strict';
import { type Dma, openDma } from '../lib/index';
import { softDeviceOf } from '../lib/offload/soft-backend';
import type { SoftDevice } from '../lib/providers/soft';
import { seeded } from './helpers/gf-reference';

const eq = (a: Uint8Array, b: Uint8Array, msg?: string): void => assert.ok(Buffer.from(a).equals(Buffer.from(b)), msg);
const xorOf = (a: Uint8Array, b: Uint8Array): Uint8Array => a.map((x, i) => x ^ b[i]!);

describe('Dma: scheduling (soft engine, 2 channels, everything queued)', () => {
  let dma: Dma;
  let dev: SoftDevice;
  beforeEach(async () => {
    dma = await openDma({ engine: 'soft', channels: 2, inlineBelow: 0 });
    dev = softDeviceOf.get(dma)!;
  });
  afterEach(() => dma.close());

  it('rings the doorbell by itself, once per tick, and spreads independent operations over the channels', async () => {
    let rings = 0;
    const ring = dev.deviceIssuePending.bind(dev);
    dev.deviceIssuePending = (chan) => { rings++; ring(chan); };
    const before = dev.channels.map((c) => c.memcpyCount);
    const len = 1 << 16;
    const srcs = Array.from({ length: 10 }, (_, i) => Buffer.alloc(len, i + 1));
    const dsts = srcs.map(() => Buffer.alloc(len));
    const ops = srcs.map((s, i) => dma.copy(dsts[i]!, s)); // no issue call anywhere
    await Promise.all(ops);
    dsts.forEach((d, i) => eq(d, srcs[i]!));
    assert.equal(rings, dev.channels.length, 'one asyncTxIssuePendingAll for the tick (one ring per channel)');
    const per = dev.channels.map((c, i) => c.memcpyCount - before[i]!);
    assert.equal(per.reduce((a, b) => a + b, 0), 10, 'all ten went to a channel');
    assert.ok(per.every((n) => n >= 3), `spread over both channels: ${per}`);
  });

  it('after: one dependency maps onto its chain; fan-out and fan-in keep order', async () => {
    const len = 1 << 18;
    const rand = seeded(99);
    const src = rand(len);
    const k = rand(len);
    for (let round = 0; round < 5; round++) {
      const a = new Uint8Array(len);
      const b = new Uint8Array(len);
      const c = new Uint8Array(len);
      const out = new Uint8Array(len);
      const A = dma.copy(a, src);
      const B = dma.copy(b, a, { after: [A] }); // dependTx: A's descriptor
      const C = dma.xor(c, [a, k], { after: [A] }); // fan-out: A already has a child
      const D = dma.xor(out, [b, c], { after: [B, C] }); // fan-in
      await D;
      eq(out, xorOf(src, xorOf(src, k)), `round ${round}`);
      await Promise.all([A, B, C]);
    }
  });

  it('after: runs once the dependencies settled, even a rejected one; accepts foreign promises', async () => {
    const dst = Buffer.alloc(4096);
    let go!: () => void;
    const gate = new Promise<void>((r) => { go = r; });
    const op = dma.fill(dst, 1, { after: [gate, Promise.reject(new Error('x')).catch(() => { throw new Error('y'); })] });
    op.catch(() => {});
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(dst[0], 0, 'waits for the gate');
    go();
    await op;
    assert.equal(dst[0], 1);
  });

  it('an inline operation after a queued one waits for it', async () => {
    const small = await openDma({ engine: 'soft', channels: 2, inlineBelow: 1 << 16 });
    try {
      const big = Buffer.alloc(1 << 20, 7);
      const mid = Buffer.alloc(1 << 20);
      const A = small.copy(mid, big);
      const tiny = Buffer.alloc(16);
      await small.copy(tiny, mid.subarray(0, 16), { after: [A] });
      assert.ok(tiny.every((x) => x === 7));
    } finally {
      await small.close();
    }
  });
});
