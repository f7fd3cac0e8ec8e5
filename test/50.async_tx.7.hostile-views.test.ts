// Arguments that lie (issue 10, items 9 and 10): a Proxy around a Buffer, a view with an own
// `byteLength`, a frozen submit block, views over detached ArrayBuffers. Each is judged from the
// real view (lib/views.ts), is a TypeError/RangeError naming the argument when it is wrong, and
// nothing is written; Node 20 has no ArrayBuffer.prototype.detached, so detachment is found
// another way there. On every path (software, plain, soft).
import assert from 'node:assert/strict';
import { AsyncTxFlags, initAsyncSubmit } from '../lib/async_tx/flags';
import { isDetachedView } from '../lib/views';
import type { AsyncTx } from '../lib/async_tx/api';
import { ASYNC_CAPS, ASYNC_TEST_PROVIDERS, settle, setupAsync } from './helpers/async-providers';

function detachedView(len = 64): Uint8Array {
  const ab = new ArrayBuffer(len);
  const u8 = new Uint8Array(ab);
  structuredClone(ab, { transfer: [ab] });
  return u8;
}

function lyingView(real: number, claimed: number): Uint8Array {
  const u8 = new Uint8Array(real);
  Object.defineProperty(u8, 'byteLength', { value: claimed });
  Object.defineProperty(u8, 'length', { value: claimed });
  return u8;
}

const setups = [
  { label: 'software path', make: () => setupAsync(null) },
  ...ASYNC_TEST_PROVIDERS.map((p) => ({ label: p.name, make: () => setupAsync(p, [{ caps: ASYNC_CAPS, maxXor: 3, maxPq: 4 }]) })),
];

describe('lib/views.ts isDetachedView()', () => {
  it('tells a detached view from an empty, a shared and a resizable one', () => {
    assert.equal(isDetachedView(detachedView()), true);
    assert.equal(isDetachedView(detachedView(0)), true);
    assert.equal(isDetachedView(new Uint8Array(0)), false);
    assert.equal(isDetachedView(new Uint8Array(new SharedArrayBuffer(0))), false);
    assert.equal(isDetachedView(new Uint8Array(new ArrayBuffer(8), 8)), false);
    assert.equal(isDetachedView(Buffer.alloc(0)), false);
  });
});

for (const setup of setups) {
  describe(`async_tx hostile arguments (${setup.label})`, () => {
    let api: AsyncTx;
    beforeEach(() => {
      api = setup.make().api;
    });

    it('a Proxy around a Buffer is a TypeError naming it, not V8\'s "incompatible receiver"', () => {
      const real = Buffer.alloc(64, 7);
      const proxy = new Proxy(real, {});
      const src = Buffer.alloc(64, 1);
      const msg = 'Expected a Uint8Array or Buffer for "dest" but received [Proxy] of type Proxy';
      assert.throws(() => api.asyncMemcpy(proxy, src, 0, 0, 64), { name: 'TypeError', message: msg });
      assert.throws(() => api.asyncMemset(proxy, 1, 0, 64), { name: 'TypeError', message: msg });
      assert.throws(() => api.asyncMemcpy(real, new Proxy(src, {}), 0, 0, 64), { name: 'TypeError', message: /"src" but received \[Proxy\]/ });
      assert.throws(() => api.asyncXor(real, [src, new Proxy(src, {})], 0, 2, 64, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST)),
        { name: 'TypeError', message: /"srcList\[1\]" but received \[Proxy\]/ });
      assert.ok(real.every((b) => b === 7), 'nothing written');
    });

    it('an object that inherits from Uint8Array.prototype is not a Uint8Array', () => {
      const fake = Object.create(Buffer.prototype) as Uint8Array;
      assert.throws(() => api.asyncMemset(fake, 1, 0, 0), { name: 'TypeError', message: /"dest" but received \[object\] of type object/ });
    });

    it('an own byteLength is ignored: the real length decides, both ways', async () => {
      const small = lyingView(64, 16);
      await settle(api, api.asyncMemset(small, 9, 0, 64));
      assert.ok(new Uint8Array(small.buffer).every((b) => b === 9), 'all 64 real bytes set');
      const big = lyingView(64, 1 << 20);
      assert.throws(() => api.asyncMemset(big, 9, 0, 128),
        { name: 'RangeError', message: 'Expected "len" to fit in "dest": offset 0 + length 128 exceeds its 64 bytes' });
      assert.throws(() => api.asyncMemcpy(Buffer.alloc(128), big, 0, 0, 128), { name: 'RangeError', message: /"len" to fit in "src".*its 64 bytes/ });
      assert.ok(new Uint8Array(big.buffer).every((b) => b === 0), 'nothing written');
    });

    it('a frozen submit block is a TypeError naming "submit"; nothing written, no callback, no field added', async () => {
      const dest = Buffer.alloc(64);
      let calls = 0;
      const frozen = Object.freeze(initAsyncSubmit(0, null, () => { calls++; }, null, null));
      assert.throws(() => api.asyncMemset(dest, 1, 0, 64, frozen), { name: 'TypeError', message: /for "submit" but received \[object\]/ });
      assert.throws(() => api.asyncMemcpy(dest, Buffer.alloc(64, 2), 0, 0, 64, Object.freeze({}) as never),
        { name: 'TypeError', message: /"submit"/ });
      assert.equal(calls, 0);
      assert.ok(dest.every((b) => b === 0));
      // An empty block gets defaults read, not written: only the documented dependTx write-back.
      const open: Record<string, unknown> = {};
      await settle(api, api.asyncMemset(dest, 1, 0, 64, open as never));
      assert.ok(dest.every((b) => b === 1));
      assert.deepEqual(Object.keys(open).filter((k) => k !== 'dependTx'), []);
    });

    it('a detached view is a TypeError saying so, even for length 0 (Node 20 has no ArrayBuffer#detached)', async () => {
      const d = detachedView();
      const live = Buffer.alloc(64, 3);
      const msg = 'Expected an attached Uint8Array (its ArrayBuffer is detached) for "dest" but received [Uint8Array] of type Uint8Array';
      assert.throws(() => api.asyncMemset(d, 1, 0, 0), { name: 'TypeError', message: msg });
      assert.throws(() => api.asyncMemset(d, 1, 0, 8), { name: 'TypeError', message: msg });
      assert.throws(() => api.asyncMemcpy(live, d, 0, 0, 0), { name: 'TypeError', message: /attached Uint8Array .* for "src"/ });
      assert.throws(() => api.asyncXor(live, [live, d], 0, 2, 0, initAsyncSubmit(AsyncTxFlags.XOR_DROP_DST)),
        { name: 'TypeError', message: /attached Uint8Array .* for "srcList\[1\]"/ });
      assert.ok(live.every((b) => b === 3));
      await settle(api, api.asyncMemset(new Uint8Array(0), 1, 0, 0)); // a real empty view is fine
    });
  });
}
