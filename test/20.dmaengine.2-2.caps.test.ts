import assert from 'node:assert/strict';
import {
  ALL_DMA_CAPS, DMA_TX_TYPE_END, DmaCap, DmaCapMask, TABLE_CAPS, dmaCapClear, dmaCapName, dmaCapSet, dmaCapZero,
  dmaHasCap, dmaMaskSatisfies,
} from '../lib/dmaengine/caps';

describe('§2.2 capabilities and masks', () => {
  describe('invalid arguments', () => {
    it('dmaCapSet names a bad cap and a bad mask', () => {
      const m = new DmaCapMask();
      assert.throws(() => dmaCapSet(99 as DmaCap, m), { name: 'RangeError', message: 'Expected "cap" to be an integer between 0 and 12 but received 99' });
      assert.throws(() => dmaCapSet('x' as unknown as DmaCap, m), { name: 'TypeError', message: 'Expected an integer for "cap" but received "x" of type string' });
      assert.throws(() => dmaHasCap(DmaCap.XOR, {} as DmaCapMask), { name: 'TypeError', message: /Expected a DmaCapMask for "mask"/ });
      assert.throws(() => dmaCapZero(null as unknown as DmaCapMask), TypeError);
      assert.equal(m.bits, 0);
    });
  });

  it('has the modern enum values', () => {
    assert.deepEqual(
      [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.PQ, DmaCap.XOR_VAL, DmaCap.PQ_VAL, DmaCap.MEMSET, DmaCap.MEMSET_SG, DmaCap.INTERRUPT,
        DmaCap.PRIVATE, DmaCap.ASYNC_TX, DmaCap.SLAVE, DmaCap.CYCLIC, DmaCap.INTERLEAVE],
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal(DMA_TX_TYPE_END, 13);
    assert.equal(ALL_DMA_CAPS.length, 13);
  });

  it('set, clear, zero, has', () => {
    const m = new DmaCapMask();
    dmaCapSet(DmaCap.XOR, m);
    dmaCapSet(DmaCap.PQ_VAL, m);
    assert.ok(dmaHasCap(DmaCap.XOR, m));
    assert.ok(dmaHasCap(DmaCap.PQ_VAL, m));
    assert.ok(!dmaHasCap(DmaCap.MEMCPY, m));
    dmaCapClear(DmaCap.XOR, m);
    assert.ok(!dmaHasCap(DmaCap.XOR, m));
    assert.deepEqual(m.caps(), [DmaCap.PQ_VAL]);
    dmaCapZero(m);
    assert.equal(m.bits, 0);
  });

  it('satisfies = subset test', () => {
    const have = DmaCapMask.of(DmaCap.MEMCPY, DmaCap.XOR);
    assert.ok(dmaMaskSatisfies(have, DmaCapMask.of(DmaCap.XOR)));
    assert.ok(dmaMaskSatisfies(have, DmaCapMask.of()));
    assert.ok(!dmaMaskSatisfies(have, DmaCapMask.of(DmaCap.XOR, DmaCap.PQ)));
  });

  it('names capabilities as the kernel prints them', () => {
    assert.equal(dmaCapName(DmaCap.XOR_VAL), 'DMA_XOR_VAL');
    assert.equal(DmaCapMask.of(DmaCap.MEMCPY, DmaCap.INTERRUPT).toString(), 'DMA_MEMCPY DMA_INTERRUPT');
  });

  it('the channel table has no slot for INTERRUPT, PRIVATE, SLAVE', () => {
    for (const c of [DmaCap.INTERRUPT, DmaCap.PRIVATE, DmaCap.SLAVE]) assert.ok(!TABLE_CAPS.includes(c));
    assert.equal(TABLE_CAPS.length, 10);
  });
});
