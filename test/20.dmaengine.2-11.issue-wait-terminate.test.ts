import assert from 'node:assert/strict';
import { DmaCap, DmaCapMask } from '../lib/dmaengine/caps';
import { DmaChan } from '../lib/dmaengine/channel';
import type { DmaAsyncTxDescriptor } from '../lib/dmaengine/descriptor';
import { DmaEngineError } from '../lib/dmaengine/errors';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { DmaCtrlFlags, DmaStatus, DmaTransResult, dmaAddr, dmaTxState, type DmaengineResult } from '../lib/dmaengine/status';
import { createPlainDevice } from '../lib/providers/plain';
import { randomBytes, tick } from './helpers/dmaengine-fixtures';

function setup(opts = {}) {
  const eng = createDmaEngine({ cpus: 1, syncWaitTimeoutMs: 50 });
  const dev = createPlainDevice({ channels: 1, caps: [DmaCap.MEMCPY, DmaCap.MEMSET, DmaCap.INTERRUPT], ...opts });
  eng.dmaAsyncDeviceRegister(dev);
  const chan = eng.dmaRequestChannel(DmaCapMask.of(DmaCap.MEMCPY))!;
  return { eng, dev, chan };
}

function enodev(e: unknown): boolean {
  return e instanceof DmaEngineError && e.code === 'ENODEV' && e.errno === -19;
}

describe('§2.11 issue, status, wait, terminate', () => {
  describe('invalid arguments', () => {
    it('names a bad channel, cookie and descriptor', () => {
      const { eng, chan } = setup();
      assert.throws(() => eng.dmaAsyncIssuePending({} as DmaChan), { name: 'TypeError', message: /"chan"/ });
      assert.throws(() => eng.dmaengineTxStatus(chan, 1.5), { name: 'TypeError', message: /"cookie"/ });
      assert.throws(() => eng.dmaengineSubmit({} as DmaAsyncTxDescriptor), { name: 'TypeError', message: /"desc"/ });
      assert.throws(() => eng.dmaAsyncIssuePending(new DmaChan()), enodev, 'a channel never registered');
    });
  });

  it('nothing runs before issue pending; then it runs on a later turn, not on the caller\'s stack', async () => {
    const { eng, dev, chan } = setup();
    const src = randomBytes(4096, 7);
    const dst = new Uint8Array(4096);
    const results: DmaengineResult[] = [];
    const tx = dev.devicePrepDmaMemcpy(chan, dmaAddr(dst), dmaAddr(src), 4096, DmaCtrlFlags.PREP_INTERRUPT)!;
    tx.callbackResult = (_p, r) => results.push(r);
    const cookie = eng.dmaengineSubmit(tx);
    assert.equal(cookie, 2);
    await tick();
    assert.equal(eng.dmaengineTxStatus(chan, cookie), DmaStatus.IN_PROGRESS);
    assert.equal(dst[0], 0);
    eng.dmaAsyncIssuePending(chan);
    assert.deepEqual(results, [], 'no completion on the caller\'s stack');
    await tick();
    assert.deepEqual(results, [{ result: DmaTransResult.NOERROR, residue: 0 }]);
    assert.deepEqual(dst, src);
    const last = { value: 0 };
    const used = { value: 0 };
    assert.equal(eng.dmaAsyncIsTxComplete(chan, cookie, last, used), DmaStatus.COMPLETE);
    assert.deepEqual([last.value, used.value], [2, 2]);
    assert.equal(chan.memcpyCount, 1);
    assert.equal(chan.bytesTransferred, 4096);
  });

  it('dmaSyncWait issues and polls to completion; ERROR after the timeout', () => {
    const { eng, dev, chan } = setup();
    const dst = new Uint8Array(100);
    const tx = dev.devicePrepDmaMemset(chan, dmaAddr(dst, 10), 0xab, 50, 0)!;
    const cookie = eng.dmaengineSubmit(tx);
    assert.equal(eng.dmaSyncWait(chan, cookie), DmaStatus.COMPLETE);
    assert.deepEqual([dst[9], dst[10], dst[59], dst[60]], [0, 0xab, 0xab, 0]);
    // a provider that never completes
    const stuck = createPlainDevice({});
    stuck.deviceTxStatus = () => DmaStatus.IN_PROGRESS;
    eng.dmaAsyncDeviceRegister(stuck);
    const t0 = Date.now();
    assert.equal(eng.dmaSyncWait(stuck.channels[0]!, 2), DmaStatus.ERROR);
    assert.ok(Date.now() - t0 >= 50);
  });

  it('an injected failure reports ERROR and READ_FAILED, writes nothing', async () => {
    const { eng, dev, chan } = setup();
    dev.injectError(chan as never, 1, DmaTransResult.READ_FAILED);
    const dst = new Uint8Array(8);
    const tx = dev.devicePrepDmaMemset(chan, dmaAddr(dst), 1, 8, 0)!;
    let got: DmaengineResult | null = null;
    tx.callbackResult = (_p, r) => { got = r; };
    const cookie = eng.dmaengineSubmit(tx);
    assert.equal(eng.dmaSyncWait(chan, cookie), DmaStatus.ERROR);
    assert.deepEqual(got, { result: DmaTransResult.READ_FAILED, residue: 0 });
    assert.deepEqual(dst, new Uint8Array(8));
  });

  it('terminate: pending descriptors complete ABORTED; terminate without support is EINVAL', () => {
    const { eng, dev, chan } = setup();
    const dst = new Uint8Array(16);
    const got: number[] = [];
    const cookies = [0, 1].map(() => {
      const tx = dev.devicePrepDmaMemset(chan, dmaAddr(dst), 9, 16, 0)!;
      tx.callbackResult = (_p, r) => got.push(r.result);
      return eng.dmaengineSubmit(tx);
    });
    eng.dmaengineTerminateSync(chan);
    assert.deepEqual(got, [DmaTransResult.ABORTED, DmaTransResult.ABORTED]);
    assert.equal(eng.dmaengineTxStatus(chan, cookies[1]!), DmaStatus.ERROR);
    assert.deepEqual(dst, new Uint8Array(16));
    const bare = createPlainDevice({});
    (bare as { deviceTerminateAll?: unknown }).deviceTerminateAll = undefined;
    eng.dmaAsyncDeviceRegister(bare);
    assert.throws(() => eng.dmaengineTerminateAsync(bare.channels[0]!), (e: unknown) => e instanceof DmaEngineError && e.code === 'EINVAL');
  });
});

describe('§2.10 removal while in use (the seed RFC\'s rule)', () => {
  it('unregister while any channel has clients → EBUSY and nothing changes', () => {
    const { eng, dev, chan } = setup({ channels: 2 });
    const before = { ids: dev.devId, n: eng.devices.length, rb: eng.rebalances, count: chan.clientCount, cnt: dev.privatecnt };
    assert.throws(() => eng.dmaAsyncDeviceUnregister(dev),
      (e: unknown) => e instanceof DmaEngineError && e.code === 'EBUSY' && e.errno === -16 && /dma0chan0 called while 1 clients hold a reference/.test(e.message));
    assert.deepEqual({ ids: dev.devId, n: eng.devices.length, rb: eng.rebalances, count: chan.clientCount, cnt: dev.privatecnt }, before);
    eng.dmaReleaseChannel(chan);
    const pub = createPlainDevice({});
    eng.dmaAsyncDeviceRegister(pub);
    eng.dmaengineGet();
    assert.throws(() => eng.dmaAsyncDeviceUnregister(pub), (e: unknown) => e instanceof DmaEngineError && e.code === 'EBUSY');
    eng.dmaenginePut();
    eng.dmaAsyncDeviceUnregister(pub);
    eng.dmaAsyncDeviceUnregister(dev);
    assert.equal(eng.devices.length, 0);
  });

  it('{ force: true }: pending work completes ABORTED through the provider, later use throws ENODEV', async () => {
    const { eng, dev, chan } = setup();
    eng.dmaengineGet();
    const dst = new Uint8Array(32);
    const got: string[] = [];
    for (const v of [1, 2]) {
      const tx = dev.devicePrepDmaMemset(chan, dmaAddr(dst), v, 32, 0)!;
      tx.callbackResult = (_p, r) => got.push(`${v}:${r.result}`);
      eng.dmaengineSubmit(tx);
    }
    eng.dmaAsyncIssuePending(chan); // issued but not yet run: the next turn would run it
    let released = 0;
    dev.deviceRelease = () => { released++; };
    eng.dmaAsyncDeviceUnregister(dev, { force: true });
    assert.deepEqual(got, [`1:${DmaTransResult.ABORTED}`, `2:${DmaTransResult.ABORTED}`]);
    assert.equal(released, 1);
    assert.equal(chan.clientCount, 0);
    assert.equal(eng.devices.length, 0);
    await tick();
    assert.deepEqual(dst, new Uint8Array(32), 'nothing ran after the unplug');
    const tx = dev.devicePrepDmaMemset(chan, dmaAddr(dst), 3, 32, 0)!;
    assert.throws(() => eng.dmaengineSubmit(tx), enodev);
    assert.throws(() => eng.dmaAsyncIssuePending(chan), enodev);
    assert.throws(() => eng.dmaengineTxStatus(chan, 2), enodev);
    assert.throws(() => eng.dmaSyncWait(chan, 2), enodev);
    assert.throws(() => eng.dmaengineTerminateSync(chan), enodev);
    assert.throws(() => eng.dmaReleaseChannel(chan), enodev);
    eng.dmaenginePut(); // the public client goes away cleanly
    assert.equal(eng.dmaengineRefCount, 0);
  });

  it('status of a cookie with a state out-parameter', () => {
    const { eng, chan } = setup();
    const st = dmaTxState();
    assert.equal(eng.dmaengineTxStatus(chan, 1, st), DmaStatus.COMPLETE);
    assert.deepEqual([st.last, st.used], [1, 1]);
  });
});
