import assert from 'node:assert/strict';
import { DmaCap } from '../lib/dmaengine/caps';
import {
  DMA_HAS_PQ_CONTINUE, dmaDevHasPqContinue, dmaDevToMaxpq, dmaMaxpq, dmaSetMaxpq, dmaengineCheckAlign, isDmaCopyAligned,
  isDmaFillAligned, isDmaPqAligned, isDmaXorAligned,
} from '../lib/dmaengine/device';
import { DmaCtrlFlags } from '../lib/dmaengine/status';
import { createPlainDevice } from '../lib/providers/plain';

describe('§2.13 limits and alignment', () => {
  describe('invalid arguments', () => {
    it('dmaSetMaxpq names a bad count', () => {
      const d = createPlainDevice({ caps: [DmaCap.PQ] });
      assert.throws(() => dmaSetMaxpq(d, 1 << 15, false), { name: 'RangeError', message: /"maxpq"/ });
      assert.equal(dmaDevToMaxpq(d), 16);
    });
  });

  it('dmaengineCheckAlign is !(((1<<align)-1) & (off1|off2|len))', () => {
    for (let align = 0; align <= 8; align++) {
      for (const [a, b, l] of [[0, 0, 4096], [1, 0, 64], [64, 128, 255], [256, 512, 1024], [3, 5, 7]]) {
        const want = (((1 << align) - 1) & (a! | b! | l!)) === 0;
        assert.equal(dmaengineCheckAlign(align, a!, b!, l!), want, `align ${align} (${a}, ${b}, ${l})`);
      }
    }
  });

  it('each is*Aligned uses its own field', () => {
    const d = createPlainDevice({ copyAlign: 1, xorAlign: 2, pqAlign: 3, fillAlign: 4 });
    assert.deepEqual([isDmaCopyAligned(d, 2, 2, 2), isDmaCopyAligned(d, 1, 0, 2)], [true, false]);
    assert.deepEqual([isDmaXorAligned(d, 4, 0, 4), isDmaXorAligned(d, 2, 0, 4)], [true, false]);
    assert.deepEqual([isDmaPqAligned(d, 8, 0, 8), isDmaPqAligned(d, 4, 0, 8)], [true, false]);
    assert.deepEqual([isDmaFillAligned(d, 16, 0, 16), isDmaFillAligned(d, 8, 0, 16)], [true, false]);
  });

  it('dmaMaxpq: native continuation or no CONTINUE → maxPq; CONTINUE → maxPq-3; with P disabled → maxPq-1', () => {
    const d = createPlainDevice({ caps: [DmaCap.PQ] });
    dmaSetMaxpq(d, 8, false);
    assert.equal(d.maxPq, 8);
    assert.ok(!dmaDevHasPqContinue(d));
    assert.equal(dmaMaxpq(d, 0), 8);
    assert.equal(dmaMaxpq(d, DmaCtrlFlags.PREP_CONTINUE), 5);
    assert.equal(dmaMaxpq(d, DmaCtrlFlags.PREP_CONTINUE | DmaCtrlFlags.PREP_PQ_DISABLE_P), 7);
    dmaSetMaxpq(d, 8, true);
    assert.equal(d.maxPq, 8 | DMA_HAS_PQ_CONTINUE);
    assert.equal(dmaDevToMaxpq(d), 8);
    assert.equal(dmaMaxpq(d, DmaCtrlFlags.PREP_CONTINUE), 8);
    const soft = createPlainDevice({ caps: [DmaCap.PQ], maxPq: 8, pqContinue: true });
    assert.equal(soft.maxPq, 0x8008);
  });

  it('flag values are the modern ones', () => {
    assert.deepEqual([DmaCtrlFlags.PREP_INTERRUPT, DmaCtrlFlags.CTRL_ACK, DmaCtrlFlags.PREP_PQ_DISABLE_P, DmaCtrlFlags.PREP_PQ_DISABLE_Q,
      DmaCtrlFlags.PREP_CONTINUE, DmaCtrlFlags.PREP_FENCE, DmaCtrlFlags.CTRL_REUSE, DmaCtrlFlags.PREP_CMD], [1, 2, 4, 8, 16, 32, 64, 128]);
  });
});
