// The failed-cookie record of the plain and soft providers (lib/providers/outcome.ts): no
// count cap turns a failure into a success while its descriptor is reachable, memory follows
// what the program keeps (a record goes when its descriptor was collected), and a cookie
// handed out again forgets the old record.
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DmaCap } from '../lib/dmaengine/caps';
import type { DmaChan } from '../lib/dmaengine/channel';
import type { DmaAsyncTxDescriptor } from '../lib/dmaengine/descriptor';
import type { DmaDevice } from '../lib/dmaengine/device';
import { type DmaEngine, createDmaEngine } from '../lib/dmaengine/instance';
import { DmaStatus, DmaTransResult, dmaAddr } from '../lib/dmaengine/status';
import type { FailedCookies } from '../lib/providers/outcome';
import { registerPlainDevice } from '../lib/providers/plain';
import { registerSoftDevice } from '../lib/providers/soft';
import { until } from './helpers/dmaengine-fixtures';

const PROVIDERS: { name: string; register: (e: DmaEngine) => DmaDevice }[] = [
  { name: 'plain', register: (e) => registerPlainDevice({ channels: 1, caps: [DmaCap.MEMSET, DmaCap.INTERRUPT] }, e) },
  { name: 'soft', register: (e) => registerSoftDevice({ channels: 1, caps: [DmaCap.MEMSET, DmaCap.INTERRUPT] }, e) },
];

function setup(p: (typeof PROVIDERS)[number]) {
  const eng = createDmaEngine({ cpus: 1 });
  const dev = p.register(eng);
  eng.dmaengineGet();
  const chan = dev.channels[0]! as DmaChan & { failed: FailedCookies };
  return { eng, dev, chan };
}

/** Submits `n` interrupt descriptors, terminates them all and waits for their ABORTED callbacks. */
async function terminateQueued(eng: DmaEngine, dev: DmaDevice, chan: DmaChan, n: number):
  Promise<{ txs: DmaAsyncTxDescriptor[]; cookies: number[] }> {
  let aborted = 0;
  const txs: DmaAsyncTxDescriptor[] = [];
  const cookies: number[] = [];
  for (let i = 0; i < n; i++) {
    const tx = dev.devicePrepDmaInterrupt!(chan, 0)!;
    tx.callbackResult = (_p, r) => { if (r.result === DmaTransResult.ABORTED) aborted++; };
    const cookie = eng.dmaengineSubmit(tx);
    assert.ok(cookie > 0);
    txs.push(tx);
    cookies.push(cookie);
  }
  eng.dmaengineTerminateSync(chan);
  await until(() => aborted === n, 10000);
  assert.equal(aborted, n);
  return { txs, cookies };
}

function gcNow(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

for (const p of PROVIDERS) {
  describe(`providers: failed cookies (${p.name})`, function () {
    this.timeout(30000);

    it('5,000 terminated descriptors: every cookie reads ERROR while the descriptors are held (no cap)', async () => {
      const { eng, dev, chan } = setup(p);
      const { txs, cookies } = await terminateQueued(eng, dev, chan, 5000);
      let complete = 0;
      for (const c of cookies) if (eng.dmaengineTxStatus(chan, c) !== DmaStatus.ERROR) complete++;
      assert.equal(complete, 0, `${complete} of 5000 failed cookies read as not failed`);
      assert.ok(txs.every((t) => t.txResult?.result === DmaTransResult.ABORTED));
    });

    it('a record goes once its descriptor was collected: memory follows what the program keeps', async () => {
      const gc = gcNow();
      const { eng, dev, chan } = setup(p);
      // the descriptors stay inside this call; only the count of records is kept
      const n = await (async () => (await terminateQueued(eng, dev, chan, 2000)).txs.length)();
      assert.equal(chan.failed.size, n);
      for (let i = 0; i < 50 && chan.failed.size > 0; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(chan.failed.size, 0, 'every record dropped with its descriptor');
    });

    it('a failure keeps its record while anything references the descriptor, through garbage collections', async () => {
      const gc = gcNow();
      const { eng, dev, chan } = setup(p);
      const { txs, cookies } = await terminateQueued(eng, dev, chan, 3);
      const kept = txs[1]!;
      const second = cookies[1]!;
      txs.length = 0;
      for (let i = 0; i < 5; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(chan.failed.size >= 1);
      assert.equal(kept.txResult?.result, DmaTransResult.ABORTED);
      assert.equal(eng.dmaengineTxStatus(chan, second), DmaStatus.ERROR);
    });
  });
}

describe('providers: failed cookies (plain): a cookie handed out again forgets the old record', () => {
  it('cookie X failed; after the counter comes round to X again, the new X completes and reads COMPLETE', async () => {
    const eng = createDmaEngine({ cpus: 1 });
    const dev = registerPlainDevice({ channels: 1, caps: [DmaCap.MEMSET] }, eng);
    eng.dmaengineGet();
    const chan = dev.channels[0]!;
    const d = new Uint8Array(8);
    dev.injectError(chan, 1, DmaTransResult.WRITE_FAILED);
    const failed = dev.devicePrepDmaMemset!(chan, dmaAddr(d), 1, 8, 0)!;
    const x = eng.dmaengineSubmit(failed);
    assert.equal(eng.dmaSyncWait(chan, x), DmaStatus.ERROR);
    // as after a wrap of the s32 counter: the next cookie handed out is x again
    chan.cookie = x - 1;
    chan.completedCookie = x - 1;
    const again = dev.devicePrepDmaMemset!(chan, dmaAddr(d), 2, 8, 0)!;
    assert.equal(eng.dmaengineSubmit(again), x);
    assert.equal(eng.dmaSyncWait(chan, x), DmaStatus.COMPLETE);
    assert.ok(d.every((v) => v === 2));
    assert.equal(failed.txResult?.result, DmaTransResult.WRITE_FAILED, 'the old descriptor still knows');
  });
});
