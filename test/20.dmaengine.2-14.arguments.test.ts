// The core's provider helpers with junk arguments (what the public-API fuzzer found): each
// throws a TypeError or RangeError naming the argument or field, never V8's own error from
// arithmetic on a Symbol, a BigInt or a view, and writes nothing before it throws.
import assert from 'node:assert/strict';
import {
  DmaAsyncTxDescriptor, DmaBugError, DmaCapMask, DmaChan, DmaEngineError, dmaAsyncIsComplete, dmaAsyncTxDescriptorInit,
  dmaCapName, dmaChanName, dmaCookieAssign, dmaCookieComplete, dmaCookieInit, dmaCookieStatus, dmaDevHasPqContinue,
  dmaDevToMaxpq, dmaMaskSatisfies, dmaMaxpq, dmaRunDependencies, dmaSetMaxpq, dmaSubmitError, dmaTxState,
  dmaengineCheckAlign, dmaengineDescCallbackInvoke, dmaengineDescCallbackValid, dmaengineDescGetCallback,
  deviceHasAllTxTypes, errnoName, errnoNumber, isDmaCopyAligned,
} from '../lib/index';
import * as pkg from '../lib/index';

function detachedView(): Uint8Array {
  const ab = new ArrayBuffer(8);
  const v = new Uint8Array(ab);
  structuredClone(ab, { transfer: [ab] });
  return v;
}
const revoked = (): object => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; };
const named = (name: string, kind: 'TypeError' | 'RangeError' = 'TypeError') =>
  ({ name: kind, message: new RegExp(`"${name.replace(/[.[\]]/g, '\\$&')}"`) });

// Values that made V8 throw its own errors before: arithmetic, String(), property writes.
const JUNK: [string, unknown][] = [
  ['a Symbol', Symbol('x')], ['a BigInt', 1n], ['a detached view', detachedView()],
  ['a Proxy of a view', new Proxy(new Uint8Array(4), {})], ['a string', '4096'], ['null', null], ['undefined', undefined],
];

describe('dmaengine core: arguments of the provider helpers', () => {
  for (const [what, v] of JUNK) {
    it(`${what}: each helper names the argument`, () => {
      assert.throws(() => dmaAsyncIsComplete(v as number, 1, 1), named('cookie'));
      assert.throws(() => dmaAsyncIsComplete(1, v as number, 1), named('lastComplete'));
      assert.throws(() => dmaSubmitError(v as number), named('cookie'));
      assert.throws(() => dmaCookieInit(v as DmaChan), named('chan'));
      assert.throws(() => dmaCookieAssign(v as DmaAsyncTxDescriptor), named('tx'));
      assert.throws(() => dmaCookieComplete(v as DmaAsyncTxDescriptor), named('tx'));
      assert.throws(() => dmaCookieStatus(v as DmaChan, 1), named('chan'));
      assert.throws(() => dmaChanName(v as DmaChan), named('chan'));
      assert.throws(() => dmaCapName(v as number), named('cap'));
      assert.throws(() => dmaMaskSatisfies(v as DmaCapMask, new DmaCapMask()), named('have'));
      assert.throws(() => deviceHasAllTxTypes(v as DmaCapMask), named('mask'));
      assert.throws(() => dmaAsyncTxDescriptorInit(v as DmaAsyncTxDescriptor, new DmaChan()), named('tx'));
      assert.throws(() => dmaRunDependencies(v as DmaAsyncTxDescriptor), named('tx'));
      assert.throws(() => dmaengineCheckAlign(2, v as number, 0, 4), named('off1'));
      assert.throws(() => errnoName(v as number), named('errno'));
      if (v !== null && v !== undefined) {
        assert.throws(() => new DmaAsyncTxDescriptor(v as DmaChan), named('chan'));
        assert.throws(() => isDmaCopyAligned({ copyAlign: v } as never, 0, 0, 4), named('dev.copyAlign'));
        assert.throws(() => dmaMaxpq({ maxPq: v } as never, 0), named('dma.maxPq'));
      }
      if (typeof v !== 'string') {
        assert.throws(() => errnoNumber(v as string), named('code'));
        assert.throws(() => new DmaBugError(v as string), named('message'));
        assert.throws(() => new DmaEngineError(v as string, 'm'), named('code'));
        assert.throws(() => new DmaEngineError('EIO', v as string), named('message'));
      }
    });
  }

  it('a revoked Proxy is named too (nothing asks it anything)', () => {
    for (const f of [dmaCookieInit, dmaChanName, dmaCookieAssign, dmaRunDependencies] as ((x: unknown) => unknown)[]) {
      assert.throws(() => f(revoked()), { name: 'TypeError', message: /of type Proxy/ });
    }
  });

  it('a descriptor with junk in a field names the field, and nothing is written', () => {
    const chan = new DmaChan();
    for (const [field, value] of [['cookie', Symbol('c')], ['flags', 2n], ['chan', {}], ['next', 5], ['txSubmit', 'f']] as const) {
      const tx = new DmaAsyncTxDescriptor(chan, 0);
      (tx as unknown as Record<string, unknown>)[field] = value;
      const before = chan.cookie;
      assert.throws(() => dmaCookieAssign(tx), named(`tx.${field}`));
      assert.equal(chan.cookie, before, 'no cookie assigned');
    }
  });

  it('new DmaAsyncTxDescriptor refuses a junk channel or flags', () => {
    assert.throws(() => new DmaAsyncTxDescriptor({} as DmaChan), named('chan'));
    assert.throws(() => new DmaAsyncTxDescriptor(null, 1.5), named('flags'));
    assert.throws(() => new DmaAsyncTxDescriptor(null, -1), named('flags', 'RangeError'));
    assert.equal(new DmaAsyncTxDescriptor().chan, null);
  });

  it('dmaCookieStatus fills a state only when all of it can be written', () => {
    const chan = new DmaChan();
    const frozen = Object.freeze(dmaTxState());
    assert.throws(() => dmaCookieStatus(chan, 1, frozen), named('state'));
    assert.throws(() => dmaCookieStatus(chan, 1, new Proxy(dmaTxState(), {})), named('state'));
    assert.throws(() => dmaCookieStatus(chan, 1, 5 as never), named('state'));
    const st = dmaTxState();
    dmaCookieStatus(chan, 1, st);
    assert.equal(st.used, chan.cookie);
  });

  it('callback records: junk callbacks and results are named before anything runs', () => {
    let ran = 0;
    const tx = new DmaAsyncTxDescriptor();
    tx.callback = () => { ran++; };
    assert.throws(() => dmaengineDescCallbackInvoke(tx, { result: 9, residue: 0 } as never), named('result.result', 'RangeError'));
    assert.throws(() => dmaengineDescCallbackInvoke({ callback: 5 } as never), named('cb.callback'));
    assert.throws(() => dmaengineDescCallbackInvoke(null as never), named('cb'));
    assert.throws(() => dmaengineDescCallbackValid(1 as never), named('cb'));
    assert.throws(() => dmaengineDescGetCallback(undefined as never), named('tx'));
    assert.equal(ran, 0);
    assert.equal(tx.txResult, null, 'no result recorded');
    dmaengineDescCallbackInvoke(tx);
    assert.equal(ran, 1);
  });

  it('masks: a Proxy or junk bits are named', () => {
    const m = new DmaCapMask();
    (m as unknown as { bits: unknown }).bits = Symbol('b');
    assert.throws(() => deviceHasAllTxTypes(m), named('mask.bits'));
    assert.throws(() => dmaMaskSatisfies(new DmaCapMask(), new Proxy(new DmaCapMask(), {})), named('want'));
  });

  it('limits: dmaSetMaxpq writes only a writable device; alignment of offsets past 4 GiB', () => {
    const frozen = Object.freeze({ maxPq: 3 });
    assert.throws(() => dmaSetMaxpq(frozen as never, 4, false), named('dma'));
    assert.throws(() => dmaSetMaxpq({} as never, 4, 1 as never), named('hasPqContinue'));
    assert.throws(() => dmaDevHasPqContinue(null as never), named('dma'));
    assert.throws(() => dmaDevToMaxpq({ maxPq: 1 << 16 } as never), named('dma.maxPq', 'RangeError'));
    assert.throws(() => dmaengineCheckAlign(9, 0, 0, 0), named('align', 'RangeError'));
    // a bit mask would see only the low 32 bits: 2^32 + 2 looked 4-aligned
    assert.equal(dmaengineCheckAlign(2, 2 ** 32 + 2, 0, 4), false);
    assert.equal(dmaengineCheckAlign(2, 2 ** 32 + 4, 0, 4), true);
  });

  it("errnoNumber reads only errno names ('__proto__' and 'toString' are none)", () => {
    assert.equal(errnoNumber('EBUSY'), 16);
    assert.equal(errnoNumber('__proto__'), 0);
    assert.equal(errnoNumber('toString'), 0);
    assert.equal(new DmaEngineError('__proto__', 'm').errno, -0);
  });

  it('the core keeps checkMask to itself', () => {
    assert.equal((pkg as Record<string, unknown>).checkMask, undefined);
  });
});
