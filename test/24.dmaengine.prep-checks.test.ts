// The prep checks live in the core (lib/dmaengine/prep.ts): registration puts them in front of
// every provider's devicePrep* ops, so a provider is never called with arguments out of range.
// A spy around the plain provider's ops counts what reaches the provider.
import assert from 'node:assert/strict';
import { DmaCap } from '../lib/dmaengine/caps';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { type DmaAddr, DmaCtrlFlags, dmaAddr } from '../lib/dmaengine/status';
import { createPlainDevice, type PlainDevice } from '../lib/providers/plain';
import { ALL_ASYNC } from './helpers/dmaengine-fixtures';

const OPS = ['devicePrepDmaMemcpy', 'devicePrepDmaMemset', 'devicePrepDmaXor', 'devicePrepDmaXorVal', 'devicePrepDmaPq',
  'devicePrepDmaPqVal', 'devicePrepDmaInterrupt'] as const;

/** A plain device whose prep ops count their calls (installed before registration). */
function spied() {
  const eng = createDmaEngine({ cpus: 1 });
  const dev = createPlainDevice({ channels: 1, caps: [...ALL_ASYNC, DmaCap.MEMSET], maxXor: 3, maxPq: 3 });
  const calls: string[] = [];
  for (const name of OPS) {
    const orig = dev[name] as (...a: unknown[]) => unknown;
    (dev as unknown as Record<string, unknown>)[name] = function (this: PlainDevice, ...a: unknown[]) {
      calls.push(name);
      return orig.apply(this, a);
    };
  }
  eng.dmaAsyncDeviceRegister(dev);
  eng.dmaengineGet();
  return { eng, dev, chan: dev.channels[0]!, calls };
}

describe('dmaengine core: prep arguments checked once, before the provider', () => {
  it('bad arguments throw the error naming them; the provider is never reached', () => {
    const { dev, chan, calls } = spied();
    const b = new Uint8Array(16);
    const a = (off = 0): DmaAddr => dmaAddr(b, off);
    const scf = new Uint8Array([1, 2, 4]);
    const cases: [() => unknown, string, RegExp | string][] = [
      [() => dev.devicePrepDmaMemcpy(chan, a(8), a(), 16, 0), 'RangeError', /"len" to fit in "dst.buf"/],
      [() => dev.devicePrepDmaMemcpy(chan, a(), a(4), 16, 0), 'RangeError', /"len" to fit in "src.buf"/],
      [() => dev.devicePrepDmaMemcpy(chan, a(), a(), -1, 0), 'RangeError', /"len"/],
      [() => dev.devicePrepDmaMemcpy(chan, a(), a(), 1.5, 0), 'TypeError', /"len"/],
      [() => dev.devicePrepDmaMemcpy(chan, { buf: [] as never, off: 0 }, a(), 1, 0), 'TypeError', /"dst.buf"/],
      [() => dev.devicePrepDmaMemcpy(chan, null as never, a(), 1, 0), 'TypeError', /"dst"/],
      [() => dev.devicePrepDmaMemcpy(chan, a(), a(), 1, 1 << 10), 'RangeError', /"flags"/],
      [() => dev.devicePrepDmaMemcpy({} as never, a(), a(), 1, 0), 'TypeError', /"chan"/],
      [() => dev.devicePrepDmaMemset(chan, a(), 256, 1, 0), 'RangeError', /"value"/],
      [() => dev.devicePrepDmaMemset(chan, a(-1), 1, 1, 0), 'RangeError', /"dst.off"/],
      [() => dev.devicePrepDmaXor(chan, a(), [a()], 2, 16, 0), 'RangeError', /"srcCnt"/],
      [() => dev.devicePrepDmaXor(chan, a(), [a(), a(1)], 2, 16, 0), 'RangeError', /"src\[1\]\.buf"/],
      [() => dev.devicePrepDmaXor(chan, a(), 'x' as never, 1, 16, 0), 'TypeError', /"src"/],
      [() => dev.devicePrepDmaXorVal(chan, [a()], 1, 16, null as never, 0), 'TypeError', /"result"/],
      [() => dev.devicePrepDmaPq(chan, [a(), a()], [a(), a()], 2, new Uint8Array(1), 16, 0), 'RangeError',
        'Expected "scf.length" to be at least srcCnt (2) but received 1'],
      [() => dev.devicePrepDmaPq(chan, [a()] as never, [a()], 1, scf, 16, 0), 'TypeError', /"dst"/],
      [() => dev.devicePrepDmaPq(chan, [a(), a(2)], [a()], 1, scf, 16, 0), 'RangeError', /"dst\[1\]\.buf"/],
      [() => dev.devicePrepDmaPq(chan, [a(), a()], [a()], 1, 'x' as never, 16, 0), 'TypeError', /"scf"/],
      [() => dev.devicePrepDmaPqVal(chan, [a(), a()], [a()], 1, scf, 16, 'x' as never, 0), 'TypeError', /"pqres"/],
      [() => dev.devicePrepDmaInterrupt(chan, -1), 'RangeError', /"flags"/],
    ];
    for (const [call, name, message] of cases) assert.throws(call, { name, message }, String(call));
    assert.deepEqual(calls, [], 'no provider op was called');
  });

  it('good arguments reach the provider unchanged; a disabled output is not checked', () => {
    const { dev, chan, calls } = spied();
    const b = new Uint8Array(16);
    assert.notEqual(dev.devicePrepDmaMemcpy(chan, dmaAddr(b, 8), dmaAddr(b), 8, 0), null);
    assert.notEqual(dev.devicePrepDmaPq(chan, [null, dmaAddr(b)], [dmaAddr(b)], 1, new Uint8Array([1]), 16,
      DmaCtrlFlags.PREP_PQ_DISABLE_P), null);
    assert.deepEqual(calls, ['devicePrepDmaMemcpy', 'devicePrepDmaPq']);
  });

  it('more sources than maxXor / maxPq: null from the core, the provider is not asked', () => {
    const { dev, chan, calls } = spied();
    const b = new Uint8Array(16);
    const four = [0, 1, 2, 3].map(() => dmaAddr(b));
    assert.equal(dev.devicePrepDmaXor(chan, dmaAddr(b), four, 4, 16, 0), null);
    assert.equal(dev.devicePrepDmaXorVal(chan, four, 4, 16, { value: 0 }, 0), null);
    assert.equal(dev.devicePrepDmaPq(chan, [dmaAddr(b), dmaAddr(b)], four, 4, new Uint8Array(4), 16, 0), null);
    assert.deepEqual(calls, []);
  });

  it('a device registered again is not wrapped twice', () => {
    const { eng, dev, chan, calls } = spied();
    const before = dev.devicePrepDmaInterrupt;
    eng.dmaenginePut();
    eng.dmaAsyncDeviceUnregister(dev);
    eng.dmaAsyncDeviceRegister(dev);
    assert.equal(dev.devicePrepDmaInterrupt, before);
    dev.devicePrepDmaInterrupt(chan, 0);
    assert.deepEqual(calls, ['devicePrepDmaInterrupt']);
  });
});
