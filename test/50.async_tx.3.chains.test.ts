import assert from 'node:assert/strict';
import { AsyncTxFlags, initAsyncSubmit } from '../lib/async_tx/flags';
import { createAsyncTx } from '../lib/async_tx/api';
import { asyncTxSubmit } from '../lib/async_tx/submit';
import { DmaCap, DmaCapMask } from '../lib/dmaengine/caps';
import { DmaChan } from '../lib/dmaengine/channel';
import { dmaCookieAssign, dmaCookieComplete, dmaCookieInit, dmaCookieStatus } from '../lib/dmaengine/cookie';
import { DmaAsyncTxDescriptor, dmaRunDependencies, dmaengineDescCallbackInvoke } from '../lib/dmaengine/descriptor';
import type { DmaDevice } from '../lib/dmaengine/device';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { DmaBugError, DmaEngineError } from '../lib/dmaengine/errors';
import { DmaStatus, DmaTransResult } from '../lib/dmaengine/status';
import type { PlainChan, PlainDevice } from '../lib/providers/plain';
import { ASYNC_CAPS, ASYNC_TEST_PROVIDERS, settle, setupAsync } from './helpers/async-providers';
import { randomBytes, tick, until } from './helpers/dmaengine-fixtures';

const EBUSY = -16;
const eq = (a: Uint8Array, b: Uint8Array, msg?: string) => assert.ok(Buffer.from(a).equals(Buffer.from(b)), msg);

for (const provider of ASYNC_TEST_PROVIDERS) {
  describe(`async_tx dependencies and acks (${provider.name})`, () => {
    const one = () => setupAsync(provider, [{ caps: ASYNC_CAPS, maxXor: 4, maxPq: 6 }]);

    it('a dependency is acked when an op attaches; ACK acks the new descriptor', async () => {
      const { api } = one();
      const d = new Uint8Array(8);
      const a = api.asyncMemcpy(d, randomBytes(8, 1), 0, 0, 8)!;
      assert.equal(api.asyncTxTestAck(a), false);
      const b = api.asyncMemset(d, 3, 0, 8, initAsyncSubmit(AsyncTxFlags.ACK, a))!;
      assert.equal(api.asyncTxTestAck(a), true, 'dependency acked');
      assert.equal(api.asyncTxTestAck(b), true, 'ACK');
      api.asyncTxClearAck(b);
      assert.equal(api.asyncTxTestAck(b), false);
      api.asyncTxAck(b);
      assert.equal(api.asyncTxTestAck(b), true);
      await settle(api, b);
      eq(d, new Uint8Array(8).fill(3));
    });

    it('attaching to an acked descriptor or to one with a child is a DmaBugError that changes nothing', async () => {
      const { api, devs } = one();
      const chan = devs[0]!.channels[0]!;
      const d = new Uint8Array(8);
      const a = api.asyncMemcpy(d, randomBytes(8, 1), 0, 0, 8, initAsyncSubmit(AsyncTxFlags.ACK))!;
      const used = chan.cookie;
      const target = new Uint8Array(8).fill(9);
      assert.throws(() => api.asyncMemset(target, 1, 0, 8, initAsyncSubmit(0, a)), { name: 'DmaBugError', message: /already acknowledged/ });
      assert.throws(() => api.asyncXor(target, [target, d], 0, 2, 8, initAsyncSubmit(AsyncTxFlags.XOR_DROP_DST, a)), DmaBugError);
      // a held descriptor keeps its child on `next` (a submitted one on the same channel would not)
      const b = api.asyncMemcpy(new Uint8Array(8), d, 0, 0, 8, initAsyncSubmit(AsyncTxFlags.DELAY_SUBMIT))!;
      api.asyncMemcpy(new Uint8Array(8), d, 0, 0, 8, initAsyncSubmit(0, b));
      api.asyncTxClearAck(b); // attaching acked it; clear that to reach the one-child rule
      assert.throws(() => api.asyncMemset(target, 1, 0, 8, initAsyncSubmit(0, b)), { name: 'DmaBugError', message: /already has a child/ });
      eq(target, new Uint8Array(8).fill(9), 'nothing written');
      assert.equal(chan.cookie, used, 'the held op and its child are not submitted, nothing else was');
      api.asyncTriggerCallback(initAsyncSubmit(0, b));
      assert.equal(chan.cookie, used + 1);
      assert.equal(api.dmaWaitForAsyncTx(b), DmaStatus.COMPLETE);
    });

    it('a descriptor that already has a parent cannot be submitted again (DmaBugError)', () => {
      const { api, devs } = one();
      const chan = devs[0]!.channels[0]!;
      const tx = new DmaAsyncTxDescriptor(chan, 0);
      tx.parent = new DmaAsyncTxDescriptor(chan, 0);
      assert.ok(api);
      // asyncTxSubmit is internal; it is the check every async_* path goes through
      assert.throws(() => asyncTxSubmit({ delayed: new WeakMap() } as never, tx, initAsyncSubmit()), { name: 'DmaBugError', message: /already has a parent/ });
    });

    it('the software path waits for its dependency, acks it and clears submit.dependTx', () => {
      const { api } = setupAsync(provider, [{ caps: [DmaCap.MEMCPY] }]);
      const d = new Uint8Array(16);
      const src = randomBytes(16, 4);
      const a = api.asyncMemcpy(d, src, 0, 0, 16)!;
      const submit = initAsyncSubmit(0, a);
      assert.equal(api.asyncMemset(d, 0xee, 4, 4, submit), null, 'no MEMSET channel');
      const want = Uint8Array.from(src).fill(0xee, 4, 8);
      eq(d, want, 'the copy ran first, then the fill');
      assert.equal(submit.dependTx, null);
      assert.equal(api.asyncTxTestAck(a), true);
    });

    it('asyncTxQuiesce and dmaWaitForAsyncTx block until done; quiesce of an acked descriptor is a DmaBugError', () => {
      const { api } = one();
      const d = new Uint8Array(8);
      const a = api.asyncMemset(d, 5, 0, 8)!;
      const holder = { value: a as DmaAsyncTxDescriptor | null };
      api.asyncTxQuiesce(holder);
      assert.equal(holder.value, null);
      eq(d, new Uint8Array(8).fill(5));
      assert.throws(() => api.asyncTxQuiesce({ value: a }), DmaBugError);
      const b = api.asyncMemset(d, 6, 0, 8)!;
      assert.equal(api.dmaWaitForAsyncTx(b), DmaStatus.COMPLETE);
      eq(d, new Uint8Array(8).fill(6));
      assert.equal(api.dmaWaitForAsyncTx(null), DmaStatus.COMPLETE);
    });

    it('an error is reported: waitForAsyncTx resolves ERROR, quiesce throws EIO', async () => {
      const { api, devs } = one();
      const dev = devs[0] as PlainDevice;
      if (typeof dev.injectError !== 'function') {
        console.log(`      (skipped: provider ${provider.name} cannot inject errors)`);
        return;
      }
      const chan = dev.channels[0] as PlainChan;
      dev.injectError(chan, 1, DmaTransResult.WRITE_FAILED);
      const a = api.asyncMemset(new Uint8Array(8), 1, 0, 8)!;
      api.asyncTxIssuePending(a);
      assert.equal(await api.waitForAsyncTx(a), DmaStatus.ERROR);
      dev.injectError(chan, 1);
      const b = api.asyncMemset(new Uint8Array(8), 1, 0, 8)!;
      assert.throws(() => api.asyncTxQuiesce({ value: b }), (e: unknown) => e instanceof DmaEngineError && e.code === 'EIO');
    });
  });

  describe(`async_tx chains across channels (${provider.name})`, () => {
    const three = () => setupAsync(provider, [
      { caps: [DmaCap.MEMCPY, DmaCap.MEMSET] },
      { caps: [DmaCap.XOR], maxXor: 4 },
      { caps: [DmaCap.PQ, DmaCap.INTERRUPT], maxPq: 4 },
    ]);

    it('a dependant on another channel starts when its parent completes; nothing runs on the caller stack', async () => {
      const { api } = three();
      const len = 32;
      const a = randomBytes(len, 1);
      const b = randomBytes(len, 2);
      const x = new Uint8Array(len);
      const y = new Uint8Array(len);
      const p = new Uint8Array(len);
      const q = new Uint8Array(len);
      const order: string[] = [];
      const t1 = api.asyncXor(x, [a, b], 0, 2, len, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST, null, () => order.push('xor')))!;
      const t2 = api.asyncMemcpy(y, x, 0, 0, len, initAsyncSubmit(0, t1, () => order.push('copy')))!;
      const t3 = api.asyncGenSyndrome([x, y, p, q], null, 4, len, initAsyncSubmit(0, t2, () => order.push('pq')))!;
      assert.notEqual(t1.chan, t2.chan);
      assert.notEqual(t2.chan, t3.chan);
      assert.equal(t2.cookie, EBUSY, 'the copy waits for the xor');
      assert.equal(t3.cookie, EBUSY);
      assert.deepEqual(order, []);
      // plain runs on a later turn; soft's worker may already have run the xor, as async_tx
      // rang its channel for the cross-channel dependant (callbacks still wait for the loop)
      if (provider.name === 'plain') eq(x, new Uint8Array(len), 'nothing ran yet');
      api.asyncTxIssuePendingAll();
      await until(() => order.length >= 3);
      assert.deepEqual(order, ['xor', 'copy', 'pq']);
      const ax = a.map((v, i) => v ^ b[i]!);
      eq(y, ax);
      eq(p, new Uint8Array(len), 'P of two equal blocks is zero');
    });

    it('dmaWaitForAsyncTx on the end of a chain drives it across channels', () => {
      const { api } = three();
      const len = 16;
      const x = new Uint8Array(len);
      const y = new Uint8Array(len);
      const t1 = api.asyncXor(x, [randomBytes(len, 1), randomBytes(len, 2)], 0, 2, len, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST))!;
      const t2 = api.asyncMemcpy(y, x, 0, 0, len, initAsyncSubmit(0, t1))!;
      assert.equal(api.dmaWaitForAsyncTx(t2), DmaStatus.COMPLETE);
      eq(y, x);
      assert.notEqual(y[0]! | y[1]! | y[2]!, 0);
    });

    it('asyncTriggerCallback: an interrupt descriptor on the dependency channel when it has DMA_INTERRUPT', async () => {
      const { api } = three();
      const len = 8;
      const d = new Uint8Array(len);
      const pq = api.asyncGenSyndrome([randomBytes(len, 1), randomBytes(len, 2), d, new Uint8Array(len)], null, 4, len)!;
      let fired = 0;
      const t = api.asyncTriggerCallback(initAsyncSubmit(AsyncTxFlags.ACK, pq, () => fired++))!;
      assert.notEqual(t, null);
      assert.notEqual(t, pq);
      assert.equal(t.chan, pq.chan);
      assert.equal(api.asyncTxTestAck(t), true);
      assert.equal(fired, 0);
      await settle(api, t);
      assert.equal(fired, 1);
    });

    it('asyncTriggerCallback without DMA_INTERRUPT: waits and calls back synchronously; without a dependency: at once', () => {
      const { api } = three();
      const d = new Uint8Array(8);
      const m = api.asyncMemset(d, 4, 0, 8)!;
      let fired = 0;
      assert.equal(api.asyncTriggerCallback(initAsyncSubmit(0, m, () => fired++)), null);
      assert.equal(fired, 1);
      eq(d, new Uint8Array(8).fill(4), 'the dependency completed first');
      assert.equal(api.asyncTriggerCallback(initAsyncSubmit(0, null, () => fired++)), null);
      assert.equal(fired, 2);
    });
  });

  describe(`ASYNC_TX_DELAY_SUBMIT (the seed RFC; ${provider.name})`, () => {
    it('prepares without submitting; asyncTriggerCallback puts the callback on that descriptor and submits it', async () => {
      const { api } = setupAsync(provider, [{ caps: ASYNC_CAPS, maxXor: 4 }]);
      const d = new Uint8Array(8);
      const a = api.asyncMemset(d, 1, 0, 8)!;
      const b = api.asyncMemset(d, 2, 0, 8, initAsyncSubmit(AsyncTxFlags.DELAY_SUBMIT, a))!;
      assert.equal(b.cookie, EBUSY);
      api.asyncTxIssuePendingAll();
      await until(() => d[0] === 1 && a.cookie === 0);
      for (let i = 0; i < 5; i++) await tick();
      eq(d, new Uint8Array(8).fill(1), 'only the first ran');
      assert.equal(b.cookie, EBUSY, 'still held');
      assert.equal(api.dmaWaitForAsyncTx(b), DmaStatus.ERROR, 'a never-submitted chain cannot complete');
      let fired = 0;
      const t = api.asyncTriggerCallback(initAsyncSubmit(AsyncTxFlags.ACK, b, (p) => { fired++; assert.equal(p, 'P'); }, 'P'));
      assert.equal(t, b, 'the same descriptor, no interrupt descriptor');
      assert.equal(api.asyncTxTestAck(b), true);
      await settle(api, t);
      assert.equal(fired, 1);
      eq(d, new Uint8Array(8).fill(2));
    });

    it('an op chained onto a held descriptor waits for it', async () => {
      const { api } = setupAsync(provider, [{ caps: ASYNC_CAPS }]);
      const d = new Uint8Array(4);
      const held = api.asyncMemset(d, 1, 0, 4, initAsyncSubmit(AsyncTxFlags.DELAY_SUBMIT))!;
      const after = api.asyncMemset(d, 2, 0, 4, initAsyncSubmit(0, held))!;
      api.asyncTxIssuePendingAll();
      for (let i = 0; i < 3; i++) await tick();
      eq(d, new Uint8Array(4), 'neither ran');
      api.asyncTriggerCallback(initAsyncSubmit(0, held));
      await settle(api, after);
      eq(d, new Uint8Array(4).fill(2));
    });
  });
}

describe('async_tx callbacks must not submit work', () => {
  const setups = [
    { label: 'software path', make: () => setupAsync(null) },
    ...ASYNC_TEST_PROVIDERS.map((p) => ({ label: p.name, make: () => setupAsync(p, [{ caps: ASYNC_CAPS }]) })),
  ];
  for (const s of setups) {
    it(`${s.label}: an async_* call from a callback throws a clear DmaBugError; waitForAsyncTx().then() works`, async () => {
      const { api } = s.make();
      const d = new Uint8Array(8);
      let caught: unknown = null;
      const tx = api.asyncMemset(d, 1, 0, 8, initAsyncSubmit(0, null, () => {
        try { api.asyncMemset(d, 2, 0, 8); } catch (e) { caught = e; }
      }));
      await settle(api, tx);
      assert.ok(caught instanceof DmaBugError, 'thrown');
      assert.match((caught as Error).message, /asyncMemset: called from an async_tx completion callback.*waitForAsyncTx/);
      eq(d, new Uint8Array(8).fill(1), 'the nested op did nothing');
      await api.waitForAsyncTx(tx).then(() => settle(api, api.asyncMemset(d, 3, 0, 8)));
      eq(d, new Uint8Array(8).fill(3));
    });
  }
});

describe('async_tx with a provider that runs its completion path on a later turn', () => {
  /**
   * Models a native engine: work finishes (and the cookie completes) as soon as it is polled,
   * but callbacks and dmaRunDependencies run only on a later turn of the event loop.
   */
  function lateDevice(name: string, cap: DmaCap): DmaDevice {
    const chan = new DmaChan();
    const queue: { tx: DmaAsyncTxDescriptor; work: () => void }[] = [];
    const finish = (): void => {
      while (queue.length > 0) {
        const { tx, work } = queue.shift()!;
        work();
        dmaCookieComplete(tx);
        setImmediate(() => { dmaengineDescCallbackInvoke(tx); dmaRunDependencies(tx); });
      }
    };
    const desc = (c: DmaChan, flags: number, work: () => void): DmaAsyncTxDescriptor => {
      const tx = new DmaAsyncTxDescriptor(c, flags);
      tx.txSubmit = (t) => { queue.push({ tx: t, work }); return dmaCookieAssign(t); };
      return tx;
    };
    return {
      dev: name,
      capMask: new DmaCapMask(cap),
      channels: [chan],
      maxXor: 4,
      deviceAllocChanResources: (c) => { dmaCookieInit(c); return 1; },
      devicePrepDmaMemcpy: (c, d, s, len, f) => desc(c, f, () => d.buf.set(s.buf.subarray(s.off, s.off + len), d.off)),
      devicePrepDmaXor: (c, d, srcs, n, len, f) => desc(c, f, () => {
        const out = new Uint8Array(len);
        for (const s of srcs.slice(0, n)) for (let i = 0; i < len; i++) out[i]! ^= s.buf[s.off + i]!;
        d.buf.set(out, d.off);
      }),
      deviceIssuePending: () => { setImmediate(finish); },
      deviceTxStatus: (c, cookie, state) => { finish(); return dmaCookieStatus(c, cookie, state); },
    };
  }

  it('dmaWaitForAsyncTx still follows a chain across channels (it runs the dependency step itself)', async () => {
    const engine = createDmaEngine({ cpus: 1 });
    engine.dmaAsyncDeviceRegister(lateDevice('late-x', DmaCap.XOR));
    engine.dmaAsyncDeviceRegister(lateDevice('late-m', DmaCap.MEMCPY));
    const api = createAsyncTx(engine);
    const len = 16;
    const x = new Uint8Array(len);
    const y = new Uint8Array(len);
    let cb = 0;
    const t1 = api.asyncXor(x, [randomBytes(len, 1), randomBytes(len, 2)], 0, 2, len, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST))!;
    const t2 = api.asyncMemcpy(y, x, 0, 0, len, initAsyncSubmit(0, t1, () => cb++))!;
    assert.notEqual(t1.chan, t2.chan);
    assert.equal(api.dmaWaitForAsyncTx(t2), DmaStatus.COMPLETE);
    eq(y, x);
    assert.notEqual(x.reduce((a, v) => a | v, 0), 0);
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(cb, 1, 'the callback still runs once, from the provider');
  });
});
