import assert from 'node:assert/strict';
import { DmaCap, DmaCapMask, dmaHasCap } from '../lib/dmaengine/caps';
import type { DmaChan } from '../lib/dmaengine/channel';
import { DmaBugError, DmaEngineError, ERRNO } from '../lib/dmaengine/errors';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { DmaStateClient } from '../lib/dmaengine/status';
import { createPlainDevice } from '../lib/providers/plain';
import { loggedDevice } from './helpers/dmaengine-fixtures';

const MEMCPY = (): DmaCapMask => DmaCapMask.of(DmaCap.MEMCPY);

describe('§2.9 private allocator', () => {
  describe('invalid arguments and misuse', () => {
    it('names a bad mask, a bad filter and a bad filter answer; nothing changes', () => {
      const eng = createDmaEngine({ cpus: 1 });
      const d = createPlainDevice({});
      eng.dmaAsyncDeviceRegister(d);
      assert.throws(() => eng.dmaRequestChannel(1 as never), { name: 'TypeError', message: /"mask"/ });
      assert.throws(() => eng.dmaRequestChannel(MEMCPY(), 'f' as never), { name: 'TypeError', message: /"filterFn"/ });
      assert.throws(() => eng.dmaRequestChannel(MEMCPY(), () => undefined as never),
        { name: 'TypeError', message: /Expected a boolean or a DmaStateClient \(ACK, DUP, NAK\) for "the return value of filterFn" but received undefined/ });
      assert.equal(d.channels[0]!.clientCount, 0);
      assert.equal(d.privatecnt, 0);
      assert.ok(!dmaHasCap(DmaCap.PRIVATE, d.capMask));
    });
    it('releasing a channel not held through dmaRequestChannel is a DmaBugError that changes nothing', () => {
      const eng = createDmaEngine({ cpus: 1 });
      const d = createPlainDevice({});
      eng.dmaAsyncDeviceRegister(d);
      eng.dmaengineGet();
      assert.throws(() => eng.dmaReleaseChannel(d.channels[0]!), DmaBugError);
      assert.equal(d.channels[0]!.clientCount, 1);
      const c = eng.dmaRequestChannel(MEMCPY());
      assert.equal(c, null);
    });
  });

  it('no filter: the first free channel of the first device that satisfies the mask', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const x = createPlainDevice({ caps: [DmaCap.XOR] });
    const m = createPlainDevice({ channels: 2, caps: [DmaCap.MEMCPY, DmaCap.XOR] });
    eng.dmaAsyncDeviceRegister(x);
    eng.dmaAsyncDeviceRegister(m);
    const c = eng.dmaRequestChannel(MEMCPY());
    assert.equal(c, m.channels[0]);
    assert.equal(c!.clientCount, 1);
    assert.ok(dmaHasCap(DmaCap.PRIVATE, m.capMask));
    assert.equal(m.privatecnt, 1);
    assert.equal(eng.dmaRequestChannel(MEMCPY()), m.channels[1], 'the rest of a private device stays available');
    assert.equal(m.privatecnt, 2);
    assert.equal(eng.dmaRequestChannel(MEMCPY()), null);
    eng.dmaReleaseChannel(m.channels[0]!);
    assert.equal(m.privatecnt, 1);
    assert.ok(dmaHasCap(DmaCap.PRIVATE, m.capMask));
    eng.dmaReleaseChannel(m.channels[1]!);
    assert.equal(m.privatecnt, 0);
    assert.ok(!dmaHasCap(DmaCap.PRIVATE, m.capMask), 'PRIVATE cleared with the last private allocation');
    assert.equal(m.channels[1]!.clientCount, 0);
  });

  it('the filter is called once per free candidate channel of a satisfying device, with the param', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const x = createPlainDevice({ caps: [DmaCap.XOR] });
    const m = createPlainDevice({ channels: 3 });
    const n = createPlainDevice({ channels: 2 });
    for (const d of [x, m, n]) eng.dmaAsyncDeviceRegister(d);
    const first = eng.dmaRequestChannel(MEMCPY(), (c) => c === m.channels[1]);
    assert.equal(first, m.channels[1]);
    const seen: string[] = [];
    const got = eng.dmaRequestChannel(MEMCPY(), (c: DmaChan, p: unknown) => { seen.push(`${c.name}:${String(p)}`); return false; }, 'P');
    assert.equal(got, null);
    assert.deepEqual(seen, ['dma1chan0:P', 'dma1chan2:P', 'dma2chan0:P', 'dma2chan1:P'], 'busy dma1chan1 and the XOR device are not offered');
  });

  it('a filter may answer with the RFC\'s DmaStateClient: ACK takes, DUP and NAK pass', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const d = createPlainDevice({ channels: 3 });
    eng.dmaAsyncDeviceRegister(d);
    const answers = [DmaStateClient.DUP, DmaStateClient.NAK, DmaStateClient.ACK];
    const seen: number[] = [];
    const c = eng.dmaRequestChannel(MEMCPY(), (ch) => { seen.push(ch.chanId); return answers[ch.chanId]!; });
    assert.equal(c, d.channels[2]);
    assert.deepEqual(seen, [0, 1, 2]);
    assert.equal(eng.dmaRequestChannel(MEMCPY(), () => DmaStateClient.NAK), null);
  });

  it('all public or all private: a multi-channel public device with a referenced channel is not a candidate', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const multi = createPlainDevice({ channels: 2 });
    eng.dmaAsyncDeviceRegister(multi);
    eng.dmaengineGet();
    const seen: string[] = [];
    assert.equal(eng.dmaRequestChannel(MEMCPY(), (c) => { seen.push(c.name); return true; }), null);
    assert.deepEqual(seen, [], 'the filter is never asked');
    eng.dmaenginePut();
    assert.equal(eng.dmaRequestChannel(MEMCPY()), multi.channels[0]);
  });

  it('all public or all private: a free channel next to a publicly referenced one is not offered', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const multi = loggedDevice({ channels: 2 });
    const alloc = multi.deviceAllocChanResources;
    let failOnce = true;
    multi.deviceAllocChanResources = (c) => {
      if (c.chanId === 0 && failOnce) { failOnce = false; return -ERRNO.ENOMEM; }
      return alloc(c);
    };
    eng.dmaAsyncDeviceRegister(multi);
    eng.dmaengineGet(); // channel 0 fails to allocate: the device is half public
    assert.deepEqual(multi.channels.map((c) => c.clientCount), [0, 1]);
    const seen: string[] = [];
    assert.equal(eng.dmaRequestChannel(MEMCPY(), (c) => { seen.push(c.name); return true; }), null);
    assert.deepEqual(seen, [], 'the free channel 0 is not offered: the device is public');
    const single = loggedDevice({ channels: 1 });
    eng.dmaAsyncDeviceRegister(single); // taken for the public client
    assert.equal(eng.dmaRequestChannel(MEMCPY()), null);
  });

  it('once a public client exists, public channels cannot be requested (dmatest\'s situation)', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const single = createPlainDevice({ channels: 1 });
    eng.dmaAsyncDeviceRegister(single);
    eng.dmaengineGet();
    assert.equal(eng.dmaRequestChannel(MEMCPY()), null);
  });

  it('a device registered private never becomes public (privatecnt starts at 1)', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const p = createPlainDevice({ private: true });
    eng.dmaAsyncDeviceRegister(p);
    assert.equal(p.privatecnt, 1);
    eng.dmaengineGet();
    assert.equal(p.channels[0]!.clientCount, 0);
    assert.equal(eng.dmaFindChannel(DmaCap.MEMCPY, 0), null);
    const c = eng.dmaRequestChannel(MEMCPY());
    assert.equal(c, p.channels[0]);
    assert.equal(p.privatecnt, 2);
    eng.dmaReleaseChannel(c!);
    assert.equal(p.privatecnt, 1);
    assert.ok(dmaHasCap(DmaCap.PRIVATE, p.capMask));
  });

  it('the RFC caveat: a released channel is not seen by public clients until the next rebuild', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const a = createPlainDevice({ name: 'A', caps: [DmaCap.MEMCPY] });
    const b = createPlainDevice({ name: 'B', caps: [DmaCap.MEMCPY, DmaCap.MEMSET] });
    eng.dmaAsyncDeviceRegister(a);
    eng.dmaAsyncDeviceRegister(b);
    const held = eng.dmaRequestChannel(DmaCapMask.of(DmaCap.MEMSET));
    assert.equal(held, b.channels[0]);
    eng.dmaengineGet();
    assert.equal(eng.dmaFindChannel(DmaCap.MEMSET, 0), null);
    eng.dmaReleaseChannel(held!);
    assert.equal(held!.clientCount, 0, 'free, public again');
    assert.equal(eng.dmaFindChannel(DmaCap.MEMSET, 0), null, 'but not in the table');
    eng.dmaengineGet(); // not the first reference: references taken, no rebuild
    assert.equal(held!.clientCount, 2);
    assert.equal(eng.dmaFindChannel(DmaCap.MEMSET, 0), null, 'still not in the table');
    const other = createPlainDevice({ name: 'C' });
    eng.dmaAsyncDeviceRegister(other); // any register rebuilds
    assert.equal(eng.dmaFindChannel(DmaCap.MEMSET, 0), held);
  });

  it('a channel the provider cannot allocate is undone and the next device is tried', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const bad = loggedDevice({ name: 'bad' });
    bad.deviceAllocChanResources = () => -ERRNO.ENOMEM;
    const good = loggedDevice({ name: 'good' });
    eng.dmaAsyncDeviceRegister(bad);
    eng.dmaAsyncDeviceRegister(good);
    assert.equal(eng.dmaRequestChannel(MEMCPY()), good.channels[0]);
    assert.equal(bad.privatecnt, 0);
    assert.ok(!dmaHasCap(DmaCap.PRIVATE, bad.capMask));
    assert.equal(bad.channels[0]!.clientCount, 0);
  });

  it('dmaRequestChanByMask: EPROBE_DEFER with no device at all, ENODEV when none fits', () => {
    const eng = createDmaEngine({ cpus: 1 });
    assert.throws(() => eng.dmaRequestChanByMask(MEMCPY()), (e: unknown) => e instanceof DmaEngineError && e.code === 'EPROBE_DEFER' && e.errno === -517);
    eng.dmaAsyncDeviceRegister(createPlainDevice({ caps: [DmaCap.XOR] }));
    assert.throws(() => eng.dmaRequestChanByMask(MEMCPY()), (e: unknown) => e instanceof DmaEngineError && e.code === 'ENODEV');
    assert.equal(eng.dmaRequestChanByMask(DmaCapMask.of(DmaCap.XOR)).name, 'dma0chan0');
  });
});
