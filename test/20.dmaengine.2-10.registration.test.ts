import assert from 'node:assert/strict';
import { DmaCap, DmaCapMask, dmaCapName, dmaHasCap } from '../lib/dmaengine/caps';
import { DmaChan } from '../lib/dmaengine/channel';
import type { DmaDevice } from '../lib/dmaengine/device';
import { DmaEngineError } from '../lib/dmaengine/errors';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { createPlainDevice } from '../lib/providers/plain';
import { ALL_ASYNC, bareDevice, loggedDevice, nopDesc } from './helpers/dmaengine-fixtures';

const PREP: Array<[DmaCap, keyof DmaDevice]> = [
  [DmaCap.MEMCPY, 'devicePrepDmaMemcpy'], [DmaCap.XOR, 'devicePrepDmaXor'], [DmaCap.XOR_VAL, 'devicePrepDmaXorVal'],
  [DmaCap.PQ, 'devicePrepDmaPq'], [DmaCap.PQ_VAL, 'devicePrepDmaPqVal'], [DmaCap.MEMSET, 'devicePrepDmaMemset'],
  [DmaCap.MEMSET_SG, 'devicePrepDmaMemsetSg'], [DmaCap.INTERRUPT, 'devicePrepDmaInterrupt'], [DmaCap.SLAVE, 'devicePrepSlaveSg'],
  [DmaCap.CYCLIC, 'devicePrepDmaCyclic'], [DmaCap.INTERLEAVE, 'devicePrepInterleavedDma'],
];

function eio(message: string) {
  return (e: unknown) => e instanceof DmaEngineError && e.code === 'EIO' && e.errno === -5 && e.message === `EIO: ${message}`;
}

describe('§2.10 dmaAsyncDeviceRegister', () => {
  describe('invalid devices (nothing changes)', () => {
    it('no device → ENODEV; not an object → TypeError', () => {
      const eng = createDmaEngine({ cpus: 2 });
      assert.throws(() => eng.dmaAsyncDeviceRegister(null as unknown as DmaDevice), (e: unknown) => e instanceof DmaEngineError && e.code === 'ENODEV');
      assert.throws(() => eng.dmaAsyncDeviceRegister(5 as unknown as DmaDevice), { name: 'TypeError', message: /"device"/ });
      assert.equal(eng.devices.length, 0);
    });

    it('no dev name → EIO', () => {
      const eng = createDmaEngine({ cpus: 2 });
      const d = bareDevice([]);
      d.dev = '';
      assert.throws(() => eng.dmaAsyncDeviceRegister(d), eio('DMAdevice must have dev'));
    });

    for (const [cap, op] of PREP) {
      it(`claims ${dmaCapName(cap)} without ${op} → EIO, the kernel's message`, () => {
        const eng = createDmaEngine({ cpus: 2 });
        const d = bareDevice([cap]);
        assert.throws(() => eng.dmaAsyncDeviceRegister(d), eio(`Device claims capability ${dmaCapName(cap)}, but op is not defined`));
        assert.equal(eng.devices.length, 0);
        assert.equal(d.devId, undefined);
        assert.equal(d.channels[0]!.name, '');
        (d as unknown as Record<string, unknown>)[op] = nopDesc;
        eng.dmaAsyncDeviceRegister(d);
        assert.equal(eng.devices.length, 1);
      });
    }

    it('missing deviceTxStatus or deviceIssuePending → EIO', () => {
      const eng = createDmaEngine({ cpus: 2 });
      const a = bareDevice([]);
      delete a.deviceTxStatus;
      assert.throws(() => eng.dmaAsyncDeviceRegister(a), eio('Device tx_status is not defined'));
      const b = bareDevice([]);
      delete b.deviceIssuePending;
      assert.throws(() => eng.dmaAsyncDeviceRegister(b), eio('Device issue_pending is not defined'));
    });

    it('no channels → ENODEV; malformed fields → TypeError/RangeError naming the field', () => {
      const eng = createDmaEngine({ cpus: 2 });
      assert.throws(() => eng.dmaAsyncDeviceRegister(bareDevice([], 0)), (e: unknown) => e instanceof DmaEngineError && e.code === 'ENODEV' && /no channels/.test(e.message));
      const d = bareDevice([]);
      d.maxXor = 70000;
      assert.throws(() => eng.dmaAsyncDeviceRegister(d), { name: 'RangeError', message: /"device.maxXor"/ });
      const e = bareDevice([]);
      e.copyAlign = 9;
      assert.throws(() => eng.dmaAsyncDeviceRegister(e), { name: 'RangeError', message: /"device.copyAlign"/ });
      const f = bareDevice([]);
      (f as unknown as Record<string, unknown>).deviceIssuePending = 'yes';
      assert.throws(() => eng.dmaAsyncDeviceRegister(f), { name: 'TypeError', message: /"device.deviceIssuePending"/ });
      const g = bareDevice([]);
      (g.channels as unknown[])[0] = {};
      assert.throws(() => eng.dmaAsyncDeviceRegister(g), { name: 'TypeError', message: /"device.channels\[0\]"/ });
      const h = bareDevice([]);
      (h as unknown as Record<string, unknown>).capMask = 1;
      assert.throws(() => eng.dmaAsyncDeviceRegister(h), { name: 'TypeError', message: /"device.capMask"/ });
      assert.equal(eng.devices.length, 0);
    });

    it('twice → EEXIST; a channel of another registered device → EBUSY', () => {
      const eng = createDmaEngine({ cpus: 2 });
      const other = createDmaEngine({ cpus: 2 });
      const d = bareDevice([]);
      eng.dmaAsyncDeviceRegister(d);
      assert.throws(() => eng.dmaAsyncDeviceRegister(d), (e: unknown) => e instanceof DmaEngineError && e.code === 'EEXIST');
      assert.throws(() => other.dmaAsyncDeviceRegister(d), (e: unknown) => e instanceof DmaEngineError && e.code === 'EEXIST' && /another instance/.test(e.message));
      const thief = bareDevice([]);
      thief.channels = [d.channels[0]!];
      assert.throws(() => other.dmaAsyncDeviceRegister(thief), (e: unknown) => e instanceof DmaEngineError && e.code === 'EBUSY');
    });
  });

  it('device ids are the lowest free number; channels are named dma<dev>chan<chan>', () => {
    const eng = createDmaEngine({ cpus: 2 });
    const [a, b, c] = [2, 1, 3].map((n) => bareDevice([], n));
    for (const d of [a, b, c]) eng.dmaAsyncDeviceRegister(d!);
    assert.deepEqual([a!.devId, b!.devId, c!.devId], [0, 1, 2]);
    assert.deepEqual(c!.channels.map((ch) => [ch.name, ch.chanId, ch.device === c]), [['dma2chan0', 0, true], ['dma2chan1', 1, true], ['dma2chan2', 2, true]]);
    assert.equal(c!.chancnt, 3);
    eng.dmaAsyncDeviceUnregister(b!);
    const d = bareDevice([], 1);
    eng.dmaAsyncDeviceRegister(d);
    assert.equal(d.devId, 1, 'id 1 is reused');
    assert.equal(d.channels[0]!.name, 'dma1chan0');
    const e = bareDevice([], 1);
    eng.dmaAsyncDeviceRegister(e);
    assert.equal(e.devId, 3);
  });

  it('a custom channel name is kept', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const d = bareDevice([]);
    d.channels = [new DmaChan({ name: 'my-chan' }), new DmaChan()];
    eng.dmaAsyncDeviceRegister(d);
    assert.deepEqual(d.channels.map((c) => c.name), ['my-chan', 'dma0chan1']);
  });

  it('the core sets ASYNC_TX on a device with every async op type, and only then', () => {
    const eng = createDmaEngine({ cpus: 2 });
    const full = createPlainDevice({ caps: ALL_ASYNC });
    eng.dmaAsyncDeviceRegister(full);
    assert.ok(dmaHasCap(DmaCap.ASYNC_TX, full.capMask));
    for (const missing of ALL_ASYNC) {
      const d = createPlainDevice({ caps: [...ALL_ASYNC.filter((c) => c !== missing), DmaCap.ASYNC_TX] });
      eng.dmaAsyncDeviceRegister(d);
      assert.ok(!dmaHasCap(DmaCap.ASYNC_TX, d.capMask), `without ${dmaCapName(missing)} (a provider's own claim is cleared)`);
    }
  });

  it('registration copies the mask: two devices sharing one mask object do not leak PRIVATE', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const mask = new DmaCapMask(DmaCap.MEMCPY);
    const a = bareDevice([]); a.capMask = mask; a.devicePrepDmaMemcpy = nopDesc;
    const b = bareDevice([]); b.capMask = mask; b.devicePrepDmaMemcpy = nopDesc;
    eng.dmaAsyncDeviceRegister(a);
    eng.dmaAsyncDeviceRegister(b);
    assert.ok(eng.dmaRequestChannel(DmaCapMask.of(DmaCap.MEMCPY)));
    assert.ok(dmaHasCap(DmaCap.PRIVATE, a.capMask));
    assert.ok(!dmaHasCap(DmaCap.PRIVATE, b.capMask));
    assert.ok(!dmaHasCap(DmaCap.PRIVATE, mask));
  });

  it('a public device registered while public clients exist: its channels are taken for them', () => {
    const eng = createDmaEngine({ cpus: 2 });
    eng.dmaengineGet();
    eng.dmaengineGet();
    const log: string[] = [];
    const d = loggedDevice({ channels: 2, caps: [DmaCap.MEMCPY] }, log);
    eng.dmaAsyncDeviceRegister(d);
    assert.deepEqual(d.channels.map((c) => c.clientCount), [2, 2]);
    assert.deepEqual(log, ['alloc dma0chan0', 'alloc dma0chan1']);
    assert.equal(eng.dmaFindChannel(DmaCap.MEMCPY, 0), d.channels[0]);
    assert.equal(eng.dmaFindChannel(DmaCap.MEMCPY, 1), d.channels[1]);
    const p = loggedDevice({ channels: 1, caps: [DmaCap.MEMCPY], private: true }, log);
    eng.dmaAsyncDeviceRegister(p);
    assert.equal(p.channels[0]!.clientCount, 0, 'a private device is not taken');
    assert.equal(p.privatecnt, 1);
  });
});

describe('§2.10 dmaAsyncDeviceUnregister', () => {
  describe('invalid use', () => {
    it('a device never registered → ENODEV; one of another instance → EINVAL; bad options → TypeError', () => {
      const eng = createDmaEngine({ cpus: 1 });
      const other = createDmaEngine({ cpus: 1 });
      const d = bareDevice([]);
      assert.throws(() => eng.dmaAsyncDeviceUnregister(d), (e: unknown) => e instanceof DmaEngineError && e.code === 'ENODEV');
      other.dmaAsyncDeviceRegister(d);
      assert.throws(() => eng.dmaAsyncDeviceUnregister(d), (e: unknown) => e instanceof DmaEngineError && e.code === 'EINVAL');
      assert.throws(() => other.dmaAsyncDeviceUnregister(d, { force: 1 as unknown as boolean }), { name: 'TypeError', message: /"options.force"/ });
      assert.equal(other.devices.length, 1);
    });
  });

  it('removes the device, rebuilds the table and calls deviceRelease', () => {
    const eng = createDmaEngine({ cpus: 2 });
    let released = 0;
    const d = bareDevice([]);
    d.deviceRelease = () => { released++; };
    eng.dmaAsyncDeviceRegister(d);
    const before = eng.rebalances;
    eng.dmaAsyncDeviceUnregister(d);
    assert.equal(eng.devices.length, 0);
    assert.equal(eng.rebalances, before + 1);
    assert.equal(released, 1);
    eng.dmaAsyncDeviceRegister(d); // a device may come back
    assert.equal(d.devId, 0);
  });
});
