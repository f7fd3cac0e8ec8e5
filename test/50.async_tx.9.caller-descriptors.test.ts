// Descriptors a caller made or wrote into, given to async_tx (what the public-API fuzzer found):
// junk fields are a TypeError naming the field (not V8's "Cannot mix BigInt"); a dependency
// that was never submitted is a DmaBugError, where it used to take a child that never ran.
import assert from 'node:assert/strict';
import { AsyncTxFlags, initAsyncSubmit } from '../lib/async_tx/flags';
import { DmaAsyncTxDescriptor } from '../lib/dmaengine/descriptor';
import { DmaStatus } from '../lib/dmaengine/status';
import { ASYNC_CAPS, ASYNC_TEST_PROVIDERS, settle, setupAsync } from './helpers/async-providers';

function detachedView(): Uint8Array {
  const ab = new ArrayBuffer(8);
  const v = new Uint8Array(ab);
  structuredClone(ab, { transfer: [ab] });
  return v;
}

for (const provider of [null, ...ASYNC_TEST_PROVIDERS]) {
  const label = provider ? provider.name : 'software path';
  describe(`async_tx with caller-made descriptors (${label})`, () => {
    const one = () => setupAsync(provider, provider ? [{ caps: ASYNC_CAPS, maxXor: 4, maxPq: 6 }] : []);

    it('junk in a dependency field is a TypeError naming it; nothing written, no callback', () => {
      const { api, devs } = one();
      const chan = devs[0]?.channels[0] ?? null;
      for (const [field, value] of [['flags', 1n], ['cookie', Symbol('c')], ['flags', detachedView()],
        ['cookie', new Proxy(new Uint8Array(4), {})], ['chan', {}]] as const) {
        const dep = new DmaAsyncTxDescriptor(chan, 0);
        (dep as unknown as Record<string, unknown>)[field] = value;
        const dest = new Uint8Array(8);
        let ran = 0;
        const sub = initAsyncSubmit(0, null, () => { ran++; });
        sub.dependTx = dep;
        assert.throws(() => api.asyncMemset(dest, 7, 0, 8, sub), { name: 'TypeError', message: new RegExp(`"submit\\.dependTx\\.${field}"`) });
        assert.throws(() => api.asyncTxQuiesce({ value: dep }), { name: 'TypeError', message: new RegExp(`"tx\\.value\\.${field}"`) });
        assert.throws(() => api.asyncTriggerCallback(sub), { name: 'TypeError', message: /"submit\.dependTx\./ });
        assert.deepEqual(dest, new Uint8Array(8));
        assert.equal(ran, 0);
      }
    });

    it('a dependency never submitted (made by the caller) is a DmaBugError; the op is not parked on it', async () => {
      const { api, devs } = one();
      const chan = devs[0]?.channels[0] ?? null;
      if (chan === null) {
        // the software path waits for the dependency: EIO, as before, and nothing parked either
        const orphan = new DmaAsyncTxDescriptor();
        assert.throws(() => api.asyncMemset(new Uint8Array(8), 1, 0, 8, initAsyncSubmit(0, orphan)), { name: 'DmaBugError' });
        assert.equal(orphan.next, null);
        return;
      }
      const orphan = new DmaAsyncTxDescriptor(chan, 0);
      let ran = 0;
      assert.throws(() => api.asyncMemset(new Uint8Array(8), 1, 0, 8, initAsyncSubmit(0, orphan, () => { ran++; })),
        { name: 'DmaBugError', message: /never submitted/ });
      assert.equal(orphan.next, null, 'no child parked on it');
      // a chain whose root is held with DELAY_SUBMIT still takes children: it will be submitted
      const held = api.asyncMemset(new Uint8Array(8), 2, 0, 8, initAsyncSubmit(AsyncTxFlags.DELAY_SUBMIT))!;
      const dest = new Uint8Array(8);
      const child = api.asyncMemset(dest, 3, 0, 8, initAsyncSubmit(0, held, () => { ran++; }));
      api.asyncTxClearAck(held);
      api.asyncTriggerCallback(initAsyncSubmit(0, held));
      await settle(api, child);
      assert.equal(api.dmaWaitForAsyncTx(child), DmaStatus.COMPLETE);
      assert.deepEqual(dest, new Uint8Array(8).fill(3));
      assert.equal(ran, 1);
    });
  });
}
