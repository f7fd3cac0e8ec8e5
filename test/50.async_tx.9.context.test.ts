// async_tx state belongs to its binding: each createAsyncTx instance counts its own completion
// callbacks (the guard against async_tx calls from a callback), and waitForAsyncTx reports a
// transfer's outcome as a status but lets programming errors through.
import assert from 'node:assert/strict';
import { createAsyncTx } from '../lib/async_tx/api';
import { initAsyncSubmit } from '../lib/async_tx/flags';
import { DmaCap } from '../lib/dmaengine/caps';
import { DmaBugError, DmaEngineError } from '../lib/dmaengine/errors';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { DmaStatus } from '../lib/dmaengine/status';
import { registerPlainDevice } from '../lib/providers/plain';

describe('async_tx: state per binding', () => {
  it("one instance's callback may call another instance; the same instance is refused", () => {
    const a = createAsyncTx(createDmaEngine({ cpus: 1 }));
    const b = createAsyncTx(createDmaEngine({ cpus: 1 }));
    const src = new Uint8Array([1, 2, 3, 4]);
    const viaB = new Uint8Array(4);
    let sameInstance: unknown = null;
    const done = (): void => {
      b.asyncMemcpy(viaB, src, 0, 0, 4, null); // b's guard is not a's
      try {
        a.asyncMemset(new Uint8Array(4), 0, 0, 4, null);
      } catch (err) {
        sameInstance = err;
      }
    };
    assert.equal(a.asyncMemcpy(new Uint8Array(4), src, 0, 0, 4, initAsyncSubmit(0, null, done, null)), null, 'software path');
    assert.deepEqual([...viaB], [1, 2, 3, 4]);
    assert.ok(sameInstance instanceof DmaBugError, 'a guards its own callbacks');
    assert.match((sameInstance as Error).message, /asyncMemset: called from an async_tx completion callback/);
    // the guard is released once the callback returned
    a.asyncMemset(new Uint8Array(4), 0, 0, 4, null);
  });
});

describe('async_tx: waitForAsyncTx and errors', () => {
  const setup = () => {
    const eng = createDmaEngine({ cpus: 1 });
    const dev = registerPlainDevice({ channels: 1, caps: [DmaCap.MEMCPY] }, eng);
    const api = createAsyncTx(eng);
    const tx = api.asyncMemcpy(new Uint8Array(8), new Uint8Array(8), 0, 0, 8, null);
    assert.ok(tx, 'the device path');
    return { dev, api, tx };
  };

  it('a TypeError from a poll rejects the wait (a programming error is not a transfer status)', async () => {
    const { dev, api, tx } = setup();
    dev.deviceTxStatus = () => { throw new TypeError('broken provider'); };
    await assert.rejects(api.waitForAsyncTx(tx), { name: 'TypeError', message: 'broken provider' });
  });

  it('a DmaBugError from a poll rejects the wait', async () => {
    const { dev, api, tx } = setup();
    dev.deviceTxStatus = () => { throw new DmaBugError('bug'); };
    await assert.rejects(api.waitForAsyncTx(tx), DmaBugError);
  });

  it("a DmaEngineError (the transfer's outcome as the core reports it) resolves ERROR", async () => {
    const { dev, api, tx } = setup();
    dev.deviceTxStatus = () => { throw new DmaEngineError('EIO', 'device gone'); };
    assert.equal(await api.waitForAsyncTx(tx), DmaStatus.ERROR);
  });
});
