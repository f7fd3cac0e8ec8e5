import assert from 'node:assert/strict';
import { DmaCap, DmaCapMask } from '../lib/dmaengine/caps';
import { DmaBugError, ERRNO } from '../lib/dmaengine/errors';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { dmaengineSubmit } from '../lib/dmaengine/client';
import { DmaCtrlFlags, DmaTransResult } from '../lib/dmaengine/status';
import { registerPlainDevice } from '../lib/providers/plain';
import { registerSoftDevice } from '../lib/providers/soft';
import { loggedDevice } from './helpers/dmaengine-fixtures';

describe('§2.7 reference counting', () => {
  describe('invalid use', () => {
    it('dmaenginePut without a public client is a DmaBugError that changes nothing', () => {
      const eng = createDmaEngine({ cpus: 1 });
      const d = loggedDevice({ channels: 1 });
      eng.dmaAsyncDeviceRegister(d);
      assert.throws(() => eng.dmaenginePut(), DmaBugError);
      assert.equal(eng.dmaengineRefCount, 0);
      assert.equal(d.channels[0]!.clientCount, 0);
    });
  });

  it('each public client holds every public channel; the first reference allocates, the last frees', () => {
    const eng = createDmaEngine({ cpus: 2 });
    const log: string[] = [];
    const a = loggedDevice({ channels: 2, caps: [DmaCap.MEMCPY] }, log);
    const b = loggedDevice({ channels: 1, caps: [DmaCap.XOR] }, log);
    eng.dmaAsyncDeviceRegister(a);
    eng.dmaAsyncDeviceRegister(b);
    const all = [...a.channels, ...b.channels];
    assert.deepEqual(all.map((c) => c.clientCount), [0, 0, 0]);
    eng.dmaengineGet();
    assert.deepEqual(all.map((c) => c.clientCount), [1, 1, 1]);
    eng.dmaengineGet();
    eng.dmaengineGet();
    assert.deepEqual(all.map((c) => c.clientCount), [3, 3, 3]);
    assert.equal(eng.dmaengineRefCount, 3);
    assert.deepEqual(log, ['alloc dma0chan0', 'alloc dma0chan1', 'alloc dma1chan0']);
    eng.dmaenginePut();
    eng.dmaenginePut();
    assert.deepEqual(all.map((c) => c.clientCount), [1, 1, 1]);
    assert.equal(log.length, 3);
    eng.dmaenginePut();
    assert.deepEqual(all.map((c) => c.clientCount), [0, 0, 0]);
    assert.deepEqual(log.slice(3), ['free dma0chan0', 'free dma0chan1', 'free dma1chan0']);
  });

  it('a channel whose resources cannot be allocated stays out (clientCount 0), the others are taken', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const d = loggedDevice({ channels: 2 });
    const ok = d.deviceAllocChanResources;
    d.deviceAllocChanResources = (chan) => (chan.chanId === 0 ? -ERRNO.ENOMEM : ok(chan));
    eng.dmaAsyncDeviceRegister(d);
    eng.dmaengineGet();
    assert.deepEqual(d.channels.map((c) => c.clientCount), [0, 1]);
    assert.equal(eng.dmaFindChannel(DmaCap.MEMCPY, 0), d.channels[1]);
    d.deviceAllocChanResources = ok;
    eng.dmaengineGet(); // channel 0 now comes in, balanced to the number of public clients
    assert.deepEqual(d.channels.map((c) => c.clientCount), [2, 2]);
  });

  it('a provider whose alloc throws is treated as a failed allocation, with a process warning', async () => {
    const eng = createDmaEngine({ cpus: 1 });
    const d = loggedDevice({ channels: 2 });
    const ok = d.deviceAllocChanResources;
    d.deviceAllocChanResources = (chan) => { if (chan.chanId === 1) throw new Error('boom'); return ok(chan); };
    eng.dmaAsyncDeviceRegister(d);
    const warnings: string[] = [];
    const onWarning = (w: Error): void => { warnings.push(w.message); };
    process.on('warning', onWarning);
    try {
      eng.dmaengineGet();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(d.channels.map((c) => c.clientCount), [1, 0]);
    assert.deepEqual(warnings, ['dma0chan1: deviceAllocChanResources threw: boom']);
  });

  it('balance: a channel first referenced while N public clients exist gets N references', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const d = loggedDevice({ channels: 1 });
    const p = loggedDevice({ channels: 1 });
    eng.dmaAsyncDeviceRegister(d);
    eng.dmaAsyncDeviceRegister(p);
    const held = eng.dmaRequestChannel(new DmaCapMask(DmaCap.MEMCPY), (c) => c === p.channels[0]);
    assert.equal(held, p.channels[0]);
    eng.dmaengineGet();
    eng.dmaengineGet();
    assert.equal(d.channels[0]!.clientCount, 2);
    assert.equal(p.channels[0]!.clientCount, 1, 'a private channel is not balanced');
    eng.dmaReleaseChannel(held!);
    assert.equal(p.channels[0]!.clientCount, 0);
    eng.dmaengineGet();
    assert.equal(p.channels[0]!.clientCount, 3, 'first reference raised to dmaengine_ref_count');
    assert.equal(d.channels[0]!.clientCount, 3);
  });
});

describe('§2.7 the last put with work still queued', () => {
  // Found by the API fuzzer (seed 11 --detach, case 1334): a descriptor submitted on a public
  // channel and never issued vanished, callback unrun, when a later dmaenginePut() dropped the
  // channel's last reference. The last put now terminates first.
  const kinds = [['plain', registerPlainDevice], ['soft', registerSoftDevice]] as const;
  for (const [name, register] of kinds) {
    for (const issued of [false, true]) {
      it(`${name}: a memcpy ${issued ? 'issued' : 'submitted, not issued'} ends once, through its callback, never as a success it was not`, async () => {
        const eng = createDmaEngine({ cpus: 1 });
        const dev = register({ caps: [DmaCap.MEMCPY], channels: 1 }, eng);
        eng.dmaengineGet();
        const chan = eng.dmaFindChannel(DmaCap.MEMCPY)!;
        const src = new Uint8Array(4096).fill(7);
        const dst = new Uint8Array(4096);
        const tx = dev.devicePrepDmaMemcpy(chan, { buf: dst, off: 0 }, { buf: src, off: 0 }, 4096, DmaCtrlFlags.PREP_INTERRUPT)!;
        const results: DmaTransResult[] = [];
        tx.callbackResult = (_param, r) => { results.push(r.result); };
        assert.ok(dmaengineSubmit(tx) > 0);
        if (issued) eng.dmaAsyncIssuePending(chan);
        eng.dmaenginePut();
        assert.equal(chan.clientCount, 0);
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(results.length, 1, 'the callback ran once');
        if (results[0] === DmaTransResult.NOERROR) assert.deepEqual(dst, src, 'a success copied the bytes');
        else {
          assert.equal(results[0], DmaTransResult.ABORTED);
          // the channel's cookie state went with its resources; the outcome stays on the descriptor
          assert.equal(tx.txResult?.result, DmaTransResult.ABORTED);
        }
        if (!issued) assert.equal(results[0], DmaTransResult.ABORTED, 'never issued: it cannot have run');
        eng.dmaAsyncDeviceUnregister(dev);
      });
    }
  }
});
