// Failures are never lost (docs/async-tx-api.md §7, docs/dmaengine.md): a failed or aborted
// descriptor reads ERROR through waitForAsyncTx, dmaWaitForAsyncTx and asyncTxQuiesce however
// long after its completion was delivered (its cookie is cleared then), and a forced
// unregistration reports what happened: completed → COMPLETE, aborted → ERROR, always.
import assert from 'node:assert/strict';
import { initAsyncSubmit } from '../lib/async_tx/flags';
import { DmaCap } from '../lib/dmaengine/caps';
import type { DmaChan } from '../lib/dmaengine/channel';
import type { DmaAsyncTxDescriptor } from '../lib/dmaengine/descriptor';
import { DmaEngineError } from '../lib/dmaengine/errors';
import { DmaStatus, DmaTransResult } from '../lib/dmaengine/status';
import { ASYNC_TEST_PROVIDERS, setupAsync } from './helpers/async-providers';
import { randomBytes, tick, until } from './helpers/dmaengine-fixtures';

type Injecting = { injectError(chan: DmaChan, nth: number, result?: DmaTransResult): void; channels: DmaChan[] };
const eio = (e: unknown) => e instanceof DmaEngineError && e.code === 'EIO';

for (const provider of ASYNC_TEST_PROVIDERS) {
  describe(`async_tx waits after delivery and after removal (${provider.name})`, () => {
    const memcpyDevice = () => {
      const s = setupAsync(provider, [{ channels: 1, caps: [DmaCap.MEMCPY, DmaCap.INTERRUPT] }]);
      return { ...s, dev: s.devs[0] as unknown as Injecting, chan: s.devs[0]!.channels[0]! };
    };
    /** A copy on the device with a callback that records the order of delivery. */
    const copy = (api: ReturnType<typeof memcpyDevice>['api'], seen: string[], name: string): DmaAsyncTxDescriptor => {
      const dst = new Uint8Array(64);
      const tx = api.asyncMemcpy(dst, randomBytes(64, 7), 0, 0, 64, initAsyncSubmit(0, null, () => seen.push(name), null));
      assert.ok(tx, 'the device path');
      return tx;
    };

    async function assertEndsError(api: ReturnType<typeof memcpyDevice>['api'], tx: DmaAsyncTxDescriptor): Promise<void> {
      assert.equal(tx.cookie, 0, 'delivered: the cookie is cleared');
      for (let turn = 0; turn < 3; turn++) {
        assert.equal(await api.waitForAsyncTx(tx, 1000), DmaStatus.ERROR, `waitForAsyncTx, turn ${turn}`);
        assert.equal(api.dmaWaitForAsyncTx(tx), DmaStatus.ERROR, `dmaWaitForAsyncTx, turn ${turn}`);
        await tick();
      }
      const holder = { value: tx as DmaAsyncTxDescriptor | null };
      assert.throws(() => api.asyncTxQuiesce(holder), eio);
      assert.equal(holder.value, tx, 'the holder keeps the failed descriptor');
    }

    it('a failed descriptor reads ERROR in every wait started after its completion was delivered', async () => {
      const { api, dev, chan } = memcpyDevice();
      dev.injectError(chan, 1, DmaTransResult.READ_FAILED);
      const seen: string[] = [];
      const tx = copy(api, seen, 'failed');
      const early = api.waitForAsyncTx(tx, 2000); // started before: must agree
      api.asyncTxIssuePendingAll();
      await until(() => seen.length === 1);
      assert.equal(await early, DmaStatus.ERROR);
      await assertEndsError(api, tx);
      assert.deepEqual(tx.txResult, { result: DmaTransResult.READ_FAILED, residue: provider.name === 'soft' ? 64 : 0 });
    });

    it('an aborted descriptor (terminate) reads ERROR in every wait started after delivery', async () => {
      const { engine, api, chan } = memcpyDevice();
      const seen: string[] = [];
      const tx = copy(api, seen, 'aborted');
      engine.dmaengineTerminateSync(chan);
      await until(() => seen.length === 1);
      await assertEndsError(api, tx);
      assert.equal(tx.txResult?.result, DmaTransResult.ABORTED);
    });

    it('a descriptor that completed reads COMPLETE after delivery; quiesce acks it', async () => {
      const { api } = memcpyDevice();
      const seen: string[] = [];
      const tx = copy(api, seen, 'ok');
      api.asyncTxIssuePendingAll();
      await until(() => seen.length === 1);
      assert.equal(await api.waitForAsyncTx(tx, 1000), DmaStatus.COMPLETE);
      assert.equal(api.dmaWaitForAsyncTx(tx), DmaStatus.COMPLETE);
      const holder = { value: tx as DmaAsyncTxDescriptor | null };
      api.asyncTxQuiesce(holder);
      assert.equal(holder.value, null);
    });

    it('forced unregister: a wait on work that had completed resolves COMPLETE, on aborted work ERROR, whenever it started', async () => {
      const { engine, api, dev, chan } = memcpyDevice();
      const seen: string[] = [];
      const done = copy(api, seen, 'done');
      api.asyncTxIssuePendingAll();
      const doneEarly = api.waitForAsyncTx(done, 2000); // its first poll comes after the removal
      assert.equal(engine.dmaSyncWait(chan, done.cookie), DmaStatus.COMPLETE); // completed (and delivered) now
      const aborted = copy(api, seen, 'aborted'); // queued, never issued
      const abortedEarly = api.waitForAsyncTx(aborted, 2000);
      engine.dmaAsyncDeviceUnregister(dev as never, { force: true });
      assert.deepEqual(seen, ['done', 'aborted'], 'every result delivered when unregistration returns');
      assert.equal(await doneEarly, DmaStatus.COMPLETE);
      assert.equal(await abortedEarly, DmaStatus.ERROR);
      assert.equal(await api.waitForAsyncTx(done, 1000), DmaStatus.COMPLETE);
      assert.equal(await api.waitForAsyncTx(aborted, 1000), DmaStatus.ERROR);
      assert.equal(api.dmaWaitForAsyncTx(done), DmaStatus.COMPLETE);
      assert.equal(api.dmaWaitForAsyncTx(aborted), DmaStatus.ERROR);
      api.asyncTxQuiesce({ value: done });
      assert.throws(() => api.asyncTxQuiesce({ value: aborted }), eio);
    });

    it('forced unregister: a dependant chained onto the removed device ends ABORTED at once (no timeout), its callback runs', async () => {
      const { engine, api, devs } = setupAsync(provider, [
        { channels: 1, caps: [DmaCap.MEMCPY] },
        { channels: 1, caps: [DmaCap.XOR], maxXor: 4 },
      ]);
      const a = new Uint8Array(64);
      const b = randomBytes(64, 3);
      const seen: string[] = [];
      const first = api.asyncMemcpy(a, randomBytes(64, 2), 0, 0, 64)!;
      const xor = api.asyncXor(a, [a, b], 0, 2, 64, initAsyncSubmit(0x2 /* XOR_DROP_DST */, first, () => seen.push('xor'), null))!;
      assert.ok(xor && xor.chan !== first.chan && xor.parent === first, 'chained across devices');
      engine.dmaAsyncDeviceUnregister(devs[1]!, { force: true });
      const t0 = Date.now();
      api.asyncTxIssuePendingAll();
      assert.equal(await api.waitForAsyncTx(xor, 3000), DmaStatus.ERROR);
      assert.ok(Date.now() - t0 < 1500, 'answered from the abort, not by the timeout');
      assert.equal(xor.txResult?.result, DmaTransResult.ABORTED);
      assert.deepEqual(seen, ['xor']);
      assert.equal(await api.waitForAsyncTx(first, 1000), DmaStatus.COMPLETE);
    });
  });
}
