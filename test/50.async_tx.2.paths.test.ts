import assert from 'node:assert/strict';
import { AsyncTxFlags, SumCheckFlags, initAsyncSubmit } from '../lib/async_tx/flags';
import { defaultAsyncTx } from '../lib/async_tx/index';
import { DmaCap } from '../lib/dmaengine/caps';
import { defaultDmaEngine } from '../lib/dmaengine/index';
import { DmaBugError } from '../lib/dmaengine/errors';
import { ASYNC_TEST_PROVIDERS, pathSetups, settle, setupAsync } from './helpers/async-providers';
import { randomBytes } from './helpers/dmaengine-fixtures';
import { syndrome } from './helpers/gf-reference';

function xorRef(srcs: Uint8Array[], offs: number[], len: number): Uint8Array {
  const out = new Uint8Array(len);
  srcs.forEach((s, k) => { for (let i = 0; i < len; i++) out[i] ^= s[offs[k]! + i]!; });
  return out;
}
const eq = (a: Uint8Array, b: Uint8Array, msg?: string) => assert.ok(Buffer.from(a).equals(Buffer.from(b)), msg);

describe('async_tx: the default instance', () => {
  it('starts with no devices: the software path, and async_tx takes dmaengineGet() once', () => {
    const api = defaultAsyncTx();
    const before = defaultDmaEngine().dmaengineRefCount;
    const wasRegistered = api.registered;
    const d = new Uint8Array(32);
    const s = randomBytes(32, 3);
    let called = 0;
    const tx = api.asyncMemcpy(d, s, 0, 0, 32, initAsyncSubmit(0, null, () => called++, null, null));
    assert.equal(tx, null, 'no channel: done inline');
    assert.equal(called, 1, 'callback ran before the call returned');
    eq(d, s);
    const after = defaultDmaEngine().dmaengineRefCount;
    assert.ok(api.registered);
    assert.equal(after - before, wasRegistered ? 0 : 1, 'one dmaengineGet() on first use');
    api.asyncMemset(d, 7, 0, 32);
    assert.equal(defaultDmaEngine().dmaengineRefCount, after, 'taken once only');
  });
});

for (const setup of pathSetups()) {
  describe(`async_tx operations: ${setup.label}`, () => {
    it('asyncMemcpy / asyncMemset at offsets', async () => {
      const { api } = setup.make();
      const d = randomBytes(100, 1);
      const s = randomBytes(100, 2);
      const want = Uint8Array.from(d);
      want.set(s.subarray(10, 50), 5);
      await settle(api, api.asyncMemcpy(d, s, 5, 10, 40));
      eq(d, want);
      want.fill(0xab, 60, 90);
      await settle(api, api.asyncMemset(d, 0xab, 60, 30));
      eq(d, want);
    });

    it('asyncXor: ZERO_DST and DROP_DST, null sources skipped, more sources than maxXor', async () => {
      const { api } = setup.make();
      const len = 64;
      const srcs = Array.from({ length: 9 }, (_, i) => randomBytes(len + 8, 10 + i));
      const dest = randomBytes(len, 99);
      await settle(api, api.asyncXorOffs(dest, 0, [...srcs.slice(0, 4), null, ...srcs.slice(4)], Array(10).fill(8), 10, len,
        initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST)));
      eq(dest, xorRef(srcs, srcs.map(() => 8), len), 'ZERO_DST');
      const before = Uint8Array.from(dest);
      const offs = [0, 1, 2, 3, 4, 5, 6, 7];
      await settle(api, api.asyncXorOffs(dest, 0, [dest, ...srcs.slice(0, 7)], offs, 8, len,
        initAsyncSubmit(AsyncTxFlags.XOR_DROP_DST)));
      eq(dest, xorRef([before, ...srcs.slice(0, 7)], offs, len), 'DROP_DST');
    });

    it('asyncXorVal: result at completion; 0 for a consistent stripe, P_RESULT otherwise', async () => {
      const { api } = setup.make();
      const len = 48;
      const srcs = Array.from({ length: 3 }, (_, i) => randomBytes(len, 20 + i));
      const parity = xorRef(srcs, [0, 0, 0], len);
      const good = { value: -1 };
      await settle(api, api.asyncXorVal(parity, [parity, ...srcs], 0, 4, len, good));
      assert.equal(good.value, 0);
      const bad = { value: -1 };
      const broken = Uint8Array.from(xorRef(srcs, [0, 0, 0], len));
      broken[7]! ^= 1;
      await settle(api, api.asyncXorValOffs(broken, 0, [broken, ...srcs], null, 4, len, bad));
      assert.equal(bad.value, SumCheckFlags.P_RESULT);
    });

    it('asyncGenSyndrome / asyncSyndromeVal: null data slots keep their index; P-only and Q-only', async () => {
      const { api } = setup.make();
      for (const disks of [4, 7, 12]) {
        const len = 40;
        const data = Array.from({ length: disks - 2 }, (_, i) => (i === 1 ? null : randomBytes(len + 4, disks * 50 + i)));
        const p = new Uint8Array(len + 4);
        const q = new Uint8Array(len + 4);
        const offs = [...data.map(() => 4), 0, 4];
        const blocks = [...data, p, q];
        await settle(api, api.asyncGenSyndrome(blocks, offs, disks, len));
        const ref = syndrome(blocks, offs, 0, disks - 3, len);
        eq(p.subarray(0, len), ref.p, `P of ${disks}`);
        eq(q.subarray(4, 4 + len), ref.q, `Q of ${disks}`);
        const res = { value: -1 };
        const spare = new Uint8Array(len);
        await settle(api, api.asyncSyndromeVal(blocks, offs, disks, len, res, spare, 0, initAsyncSubmit(0, null, null, null, [])));
        assert.equal(res.value, 0, `check of ${disks}`);
        q[10]! ^= 0x40;
        const res2 = { value: -1 };
        await settle(api, api.asyncSyndromeVal(blocks, offs, disks, len, res2, spare, 0, initAsyncSubmit(0, null, null, null, [])));
        assert.equal(res2.value, SumCheckFlags.Q_RESULT, `Q mismatch of ${disks}`);
        const qOnly = new Uint8Array(len);
        await settle(api, api.asyncGenSyndrome([...data, null, qOnly], [...offs.slice(0, -2), 0, 0], disks, len));
        eq(qOnly, ref.q, 'Q only');
        const pOnly = new Uint8Array(len);
        await settle(api, api.asyncGenSyndrome([...data, pOnly, null], [...offs.slice(0, -2), 0, 0], disks, len));
        eq(pOnly, ref.p, 'P only');
      }
    });

    it('asyncGenSyndrome with PQ_XOR_DST updates P/Q in place (software only)', async () => {
      const { api } = setup.make();
      const len = 32;
      const data = Array.from({ length: 4 }, (_, i) => randomBytes(len, 70 + i));
      const p = new Uint8Array(len);
      const q = new Uint8Array(len);
      await settle(api, api.asyncGenSyndrome([...data, p, q], null, 6, len));
      const nd = randomBytes(len, 80);
      const delta = data[2]!.map((v, i) => v ^ nd[i]!);
      const tx = api.asyncGenSyndrome([null, null, delta, null, p, q], null, 6, len, initAsyncSubmit(AsyncTxFlags.PQ_XOR_DST));
      assert.equal(tx, null, 'PQ_XOR_DST forces the software path');
      const ref = syndrome([data[0]!, data[1]!, nd, data[3]!], [0, 0, 0, 0], 0, 3, len);
      eq(p, ref.p);
      eq(q, ref.q);
    });
  });
}

for (const provider of ASYNC_TEST_PROVIDERS) {
  describe(`async_tx path choice (${provider.name})`, () => {
    it('a channel with the capability: a descriptor; without it: the software path', async () => {
      const { api } = setupAsync(provider, [{ caps: [DmaCap.MEMCPY] }]);
      const d = new Uint8Array(16);
      const tx = api.asyncMemcpy(d, randomBytes(16, 1), 0, 0, 16);
      assert.notEqual(tx, null);
      assert.equal(api.asyncMemset(d, 1, 0, 16), null, 'no MEMSET channel');
      await settle(api, tx);
    });

    it('prep flags: DMA_PREP_FENCE for ASYNC_TX_FENCE, DMA_PREP_INTERRUPT with a callback', async () => {
      const { api } = setupAsync(provider, [{ caps: [DmaCap.MEMCPY, DmaCap.MEMSET] }]);
      const d = new Uint8Array(8);
      const a = api.asyncMemcpy(d, randomBytes(8, 1), 0, 0, 8, initAsyncSubmit(AsyncTxFlags.FENCE))!;
      assert.equal(a.flags & 0x21, 0x20);
      const b = api.asyncMemset(d, 1, 0, 8, initAsyncSubmit(0, a, () => undefined))!;
      assert.equal(b.flags & 0x21, 0x01);
      await settle(api, b);
    });

    it('alignment: an op the device cannot align runs in software', async () => {
      const { api } = setupAsync(provider, [{ caps: [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.PQ], copyAlign: 3, xorAlign: 3, pqAlign: 3 }]);
      const d = new Uint8Array(64);
      const s = randomBytes(64, 5);
      assert.notEqual(api.asyncMemcpy(d, s, 8, 16, 32), null);
      await settle(api, null);
      assert.equal(api.asyncMemcpy(d, s, 1, 0, 8), null, 'offset 1');
      assert.equal(api.asyncMemcpy(d, s, 0, 0, 9), null, 'length 9');
      assert.equal(api.asyncMemcpy(d.subarray(4), s, 0, 0, 8), null, 'a view at byteOffset 4');
      assert.equal(api.asyncXor(d, [s, s], 0, 2, 12, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST)), null);
      assert.equal(api.asyncGenSyndrome([s, s, d, new Uint8Array(64)], [0, 0, 0, 2], 4, 8), null);
    });

    it('limits: xor_val over maxXor and syndrome_val over maxPq run in software', () => {
      const { api } = setupAsync(provider, [{ caps: [DmaCap.XOR_VAL, DmaCap.PQ_VAL], maxXor: 2, maxPq: 4 }]);
      const len = 16;
      const s = Array.from({ length: 3 }, (_, i) => randomBytes(len, i + 1));
      const dest = xorRef(s.slice(1), [0, 0], len);
      const r = { value: -1 };
      const two = s[1]!.slice();
      assert.notEqual(api.asyncXorVal(two, [two, s[1]!], 0, 2, len, r), null, '2 sources fit');
      const dd = Uint8Array.from(dest);
      assert.equal(api.asyncXorVal(dd, [dd, s[1]!, s[2]!], 0, 3, len, r), null, '3 sources > maxXor 2');
      assert.equal(r.value, 0);
      const blocks = [s[0]!, s[1]!, s[2]!, new Uint8Array(len), new Uint8Array(len)];
      assert.equal(api.asyncSyndromeVal(blocks, null, 5, len, r, new Uint8Array(len), 0, initAsyncSubmit(0, null, null, null, [])), null, '5 disks > maxPq 4');
    });

    it('the software syndrome check needs spare and scribble (the kernel BUG_ON): DmaBugError, nothing written', () => {
      const { api } = setupAsync(null);
      const len = 8;
      const blocks = [randomBytes(len, 1), randomBytes(len, 2), new Uint8Array(len), new Uint8Array(len)];
      const r = { value: 77 };
      assert.throws(() => api.asyncSyndromeVal(blocks, null, 4, len, r, null, 0, initAsyncSubmit(0, null, null, null, [])), DmaBugError);
      assert.throws(() => api.asyncSyndromeVal(blocks, null, 4, len, r, new Uint8Array(len), 0, initAsyncSubmit()), DmaBugError);
      assert.equal(r.value, 77);
    });

    it('xor_val on the software path overwrites dest with the XOR, as the kernel does', () => {
      const { api } = setupAsync(null);
      const a = randomBytes(8, 1);
      const d = randomBytes(8, 2);
      const want = d.map((v, i) => v ^ a[i]!);
      const r = { value: -1 };
      assert.equal(api.asyncXorVal(d, [d, a], 0, 2, 8, r), null);
      eq(d, want);
      assert.equal(r.value, SumCheckFlags.P_RESULT);
    });

    it('splitting: xor over maxXor is a fenced chain, the running dest fed back, only the last piece acked with the callback', async () => {
      const { api, devs } = setupAsync(provider, [{ caps: [DmaCap.XOR], maxXor: 3 }]);
      const dev = devs[0]!;
      const calls: { n: number; first: boolean; flags: number }[] = [];
      const orig = dev.devicePrepDmaXor!.bind(dev);
      const len = 16;
      const dest = new Uint8Array(len);
      dev.devicePrepDmaXor = (c, dst, src, n, l, f) => {
        calls.push({ n, first: src[0]!.buf === dest, flags: f });
        return orig(c, dst, src, n, l, f);
      };
      const srcs = Array.from({ length: 7 }, (_, i) => randomBytes(len, 30 + i));
      let cb = 0;
      const submit = initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST | AsyncTxFlags.ACK, null, () => cb++, null, null);
      const tx = api.asyncXor(dest, srcs, 0, 7, len, submit)!;
      assert.deepEqual(calls.map((c) => [c.n, c.first]), [[3, false], [3, true], [3, true]], '7 sources: 3, then dest + 2, then dest + 2');
      assert.ok(calls.slice(0, 2).every((c) => (c.flags & 0x20) !== 0 && (c.flags & 1) === 0), 'pieces before the last are fenced, no interrupt');
      assert.ok((calls[2]!.flags & 1) !== 0, 'the last piece interrupts');
      assert.ok(api.asyncTxTestAck(tx), 'the last piece carries ACK');
      assert.equal(submit.dependTx, tx, 'submit.dependTx is the last piece');
      assert.equal(cb, 0, 'not completed on the caller stack');
      await settle(api, tx);
      assert.equal(cb, 1);
      eq(dest, xorRef(srcs, srcs.map(() => 0), len));
    });

    for (const pqContinue of [false, true]) {
      it(`splitting: P+Q over maxPq continues with DMA_PREP_CONTINUE (pqContinue ${pqContinue})`, async () => {
        const { api, devs } = setupAsync(provider, [{ caps: [DmaCap.PQ], maxPq: 4, pqContinue }]);
        const dev = devs[0]!;
        const calls: { n: number; flags: number; scf: number[] }[] = [];
        const orig = dev.devicePrepDmaPq!.bind(dev);
        dev.devicePrepDmaPq = (c, dst, src, n, scf, l, f) => {
          calls.push({ n, flags: f, scf: [...scf.subarray(0, n)] });
          return orig(c, dst, src, n, scf, l, f);
        };
        const len = 24;
        const disks = 11;
        const data = Array.from({ length: disks - 2 }, (_, i) => randomBytes(len, 40 + i));
        const p = new Uint8Array(len);
        const q = new Uint8Array(len);
        let cb = 0;
        const tx = api.asyncGenSyndrome([...data, p, q], null, disks, len, initAsyncSubmit(0, null, () => cb++, null, null));
        const per = pqContinue ? [4, 4, 1] : [4, 1, 1, 1, 1, 1];
        assert.deepEqual(calls.map((c) => c.n), per);
        assert.ok(calls.slice(1).every((c) => (c.flags & 0x10) !== 0), 'continuation pieces carry DMA_PREP_CONTINUE');
        assert.equal(calls[0]!.flags & 0x10, 0);
        assert.deepEqual(calls.flatMap((c) => c.scf), [1, 2, 4, 8, 16, 32, 64, 128, 29], 'coefficients follow the slot index');
        await settle(api, tx);
        assert.equal(cb, 1);
        const ref = syndrome([...data, p, q], data.map(() => 0), 0, disks - 3, len);
        eq(p, ref.p);
        eq(q, ref.q);
      });
    }
  });
}

describe('async_tx channel choice', () => {
  for (const provider of ASYNC_TEST_PROVIDERS) {
    it(`${provider.name}: the dependency's channel when it has the capability, else the table's`, async () => {
      const { api, engine } = setupAsync(provider, [
        { name: 'm', caps: [DmaCap.MEMCPY] },
        { name: 'cx', caps: [DmaCap.MEMCPY, DmaCap.XOR], maxXor: 4 },
      ]);
      const len = 8;
      const d = new Uint8Array(len);
      const x = api.asyncXor(d, [randomBytes(len, 1), randomBytes(len, 2)], 0, 2, len, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST))!;
      const m = api.asyncMemcpy(new Uint8Array(len), d, 0, 0, len, initAsyncSubmit(0, x))!;
      const tableMemcpy = engine.dmaFindChannel(DmaCap.MEMCPY, 0);
      assert.notEqual(tableMemcpy, x.chan, 'the table would have chosen another channel');
      assert.equal(m.chan, x.chan, 'kept on the dependency channel');
      const m2 = api.asyncMemcpy(new Uint8Array(len), d, 0, 0, len)!;
      assert.equal(m2.chan, tableMemcpy);
      await settle(api, m);
      await settle(api, m2);
    });
  }
});
