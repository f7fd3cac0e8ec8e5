// Which kernel ran each operation async_tx queues on a soft device: the engine counts, per
// channel, the dispatched kernel operation and variant of every descriptor it ran
// (SoftEngine.kernelUse), and each must be the variant the dispatcher chose
// (kernelSelection), never the byte loops when the CPU has a SIMD set. Explicit-coefficient
// P+Q (every P+Q a provider receives) included: async_gen_syndrome's g^slot coefficients run
// on the P+Q kernels, the recovery chains' and dmatest's on the explicit-coefficient ones.
import assert from 'node:assert/strict';
import { initAsyncSubmit } from '../lib/async_tx/flags';
import type { AsyncTx } from '../lib/async_tx/api';
import { dmaAddr } from '../lib/dmaengine/status';
import { native } from '../lib/native';
import type { SoftDevice } from '../lib/providers/soft';
import { ASYNC_CAPS, settle, setupAsync, ASYNC_TEST_PROVIDERS } from './helpers/async-providers';
import { randomBytes } from './helpers/dmaengine-fixtures';
import { syndrome } from './helpers/gf-reference';

const LEN = 4096;
const soft = ASYNC_TEST_PROVIDERS.find((p) => p.name === 'soft')!;
const selection = native().kernelSelection();
const chosen = new Map(selection.map((s) => [s.op, s.chosen]));
const simd = selection.some((s) => s.variants.some((v) => v.name !== 'base' && v.name !== 'glibc' && v.supported));

function setup(): { api: AsyncTx; dev: SoftDevice } {
  const { api, devs } = setupAsync(soft, [{ channels: 1, caps: ASYNC_CAPS, maxXor: 16, maxPq: 16 }]);
  return { api, dev: devs[0] as SoftDevice };
}

/** The kernel operations that ran on the device's channel, each checked against the dispatcher's choice. */
function used(dev: SoftDevice): Record<string, number> {
  const out: Record<string, number> = {};
  for (const u of dev.engine.kernelUse(0)) {
    assert.equal(u.variant, chosen.get(u.op), `${u.op} ran on ${u.variant}, the dispatcher chose ${chosen.get(u.op)}`);
    if (simd) assert.notEqual(u.variant, 'base', `${u.op} ran on the byte loops`);
    out[u.op] = (out[u.op] ?? 0) + u.count;
  }
  return out;
}

/** A submit block with a scribble region: without one the recoveries run inline, as the kernel's. */
const withScribble = () => initAsyncSubmit(0, null, null, null, []);

function data(n: number, seed: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => randomBytes(LEN, seed + i));
}

describe('providers: soft, the kernel behind each queued operation', () => {
  before(function () {
    if (!simd) console.log('      (no SIMD set on this CPU: the base variants are the dispatcher\'s choice)');
  });

  it('memcpy, memset, xor, xor_val, interrupt', async () => {
    const { api, dev } = setup();
    const [a, b, c] = data(3, 1);
    const dst = new Uint8Array(LEN);
    await settle(api, api.asyncMemcpy(dst, a!, 0, 0, LEN, initAsyncSubmit(0)));
    assert.deepEqual(used(dev), { memcpy: 1 });
    await settle(api, api.asyncMemset(dst, 7, 0, LEN, initAsyncSubmit(0)));
    assert.deepEqual(used(dev), { memcpy: 1, memset: 1 });
    await settle(api, api.asyncXor(dst, [a!, b!, c!], 0, 3, LEN, initAsyncSubmit(1 << 2 /* XOR_ZERO_DST */)));
    assert.deepEqual(used(dev), { memcpy: 1, memset: 1, xor: 1 });
    const res = { value: -1 };
    await settle(api, api.asyncXorVal(dst, [dst, a!, b!, c!], 0, 4, LEN, res, initAsyncSubmit(0)));
    assert.equal(res.value, 0);
    assert.deepEqual(used(dev), { memcpy: 1, memset: 1, xor: 1, xor_check: 1 });
    let called = 0;
    await settle(api, api.asyncTriggerCallback(initAsyncSubmit(0, null, () => called++, null)));
    assert.equal(called, 1);
    assert.deepEqual(used(dev), { memcpy: 1, memset: 1, xor: 1, xor_check: 1 }, 'an interrupt runs no kernel');
  });

  it('gen_syndrome and syndrome_val (g^slot coefficients, a null slot): the P+Q kernels', async () => {
    const { api, dev } = setup();
    const d: (Uint8Array | null)[] = data(6, 10);
    d[2] = null;
    const blocks = [...d, new Uint8Array(LEN), new Uint8Array(LEN)];
    await settle(api, api.asyncGenSyndrome(blocks, null, 8, LEN, initAsyncSubmit(0)));
    const ref = syndrome(d, d.map(() => 0), 0, 5, LEN);
    assert.ok(Buffer.from(blocks[6]!).equals(Buffer.from(ref.p)) && Buffer.from(blocks[7]!).equals(Buffer.from(ref.q)));
    assert.deepEqual(used(dev), { pq_gen: 1 });
    const res = { value: -1 };
    await settle(api, api.asyncSyndromeVal(blocks, null, 8, LEN, res, null, 0, initAsyncSubmit(0)));
    assert.equal(res.value, 0);
    assert.deepEqual(used(dev), { pq_gen: 1, pq_check: 1 });
  });

  it('dmatest-style P+Q (every coefficient 1): the explicit-coefficient kernels', async () => {
    const { api, dev } = setup();
    const srcs = data(4, 20);
    const p = new Uint8Array(LEN);
    const q = new Uint8Array(LEN);
    const chan = dev.channels[0]!;
    const tx = dev.devicePrepDmaPq(chan, [dmaAddr(p), dmaAddr(q)], srcs.map((s) => dmaAddr(s)), 4, Uint8Array.of(1, 1, 1, 1), LEN, 0)!;
    api.engine.dmaengineSubmit(tx);
    await settle(api, tx);
    assert.ok(Buffer.from(p).equals(Buffer.from(q)), 'all-ones Q is P');
    const res = { value: -1 };
    const val = dev.devicePrepDmaPqVal(chan, [dmaAddr(p), dmaAddr(q)], srcs.map((s) => dmaAddr(s)), 4, Uint8Array.of(1, 1, 1, 1), LEN, res, 0)!;
    api.engine.dmaengineSubmit(val);
    await settle(api, val);
    assert.equal(res.value, 0);
    assert.deepEqual(used(dev), { pq_coef: 1, pq_coef_check: 1 });
  });

  for (const disks of [4, 5, 8]) {
    it(`both recoveries, ${disks} disks, through their explicit-coefficient chains`, async () => {
      const { api, dev } = setup();
      const d = data(disks - 2, 30 + disks);
      const ref = syndrome(d, d.map(() => 0), 0, disks - 3, LEN);
      const blocks = [...d.map((x) => Uint8Array.from(x)), Uint8Array.from(ref.p), Uint8Array.from(ref.q)];
      const [fa, fb] = [0, disks - 3];
      blocks[fa]!.fill(0xf0);
      blocks[fb]!.fill(0xf0);
      await settle(api, api.asyncRaid6_2dataRecov(disks, LEN, fa, fb, blocks, null, withScribble()));
      assert.ok(Buffer.from(blocks[fa]!).equals(Buffer.from(d[fa]!)) && Buffer.from(blocks[fb]!).equals(Buffer.from(d[fb]!)));
      const two = used(dev);
      assert.ok(two.pq_coef! >= 1, `the sum product ran on pq_coef: ${JSON.stringify(two)}`);
      assert.ok(two.xor! >= 1);
      blocks[fa]!.fill(0xf0);
      blocks[disks - 2]!.fill(0xf0);
      await settle(api, api.asyncRaid6DatapRecov(disks, LEN, fa, blocks, null, withScribble()));
      assert.ok(Buffer.from(blocks[fa]!).equals(Buffer.from(d[fa]!)) && Buffer.from(blocks[disks - 2]!).equals(Buffer.from(ref.p)));
      const both = used(dev);
      assert.ok(Object.keys(both).every((op) => ['memcpy', 'xor', 'pq_gen', 'pq_coef'].includes(op)), JSON.stringify(both));
      console.log(`      ${disks} disks: ${JSON.stringify(both)}`);
    });
  }

  it('kernelUse names a bad channel', () => {
    const { dev } = setup();
    assert.throws(() => dev.engine.kernelUse(1), { name: 'RangeError', message: /"channel"/ });
  });
});
