import assert from 'node:assert/strict';
import { DmaChan } from '../lib/dmaengine/channel';
import {
  dmaAsyncIsComplete, dmaCookieAssign, dmaCookieComplete, dmaCookieInit, dmaCookieStatus, dmaSubmitError,
} from '../lib/dmaengine/cookie';
import { DmaAsyncTxDescriptor } from '../lib/dmaengine/descriptor';
import { DmaBugError } from '../lib/dmaengine/errors';
import { DMA_MAX_COOKIE, DmaStatus, dmaTxState } from '../lib/dmaengine/status';

/** The window rule written independently: is `c` in the open-closed range of outstanding cookies? */
function outstanding(c: number, completed: number, used: number): boolean {
  // walk forward from completed+1 to used on the s32 ring that skips values < 1
  if (completed === used) return false;
  let x = completed;
  for (let i = 0; i < 64; i++) {
    x = x === DMA_MAX_COOKIE ? 1 : x + 1;
    if (x === c) return true;
    if (x === used) return false;
  }
  throw new Error('window larger than the test allows');
}

describe('§2.5 cookies and status', () => {
  describe('invalid use', () => {
    it('dmaCookieComplete on a descriptor without a valid cookie is a DmaBugError that changes nothing', () => {
      const chan = new DmaChan();
      const tx = new DmaAsyncTxDescriptor(chan);
      assert.equal(tx.cookie, -16); // -EBUSY before submission
      assert.throws(() => dmaCookieComplete(tx), DmaBugError);
      assert.equal(chan.completedCookie, 1);
      assert.throws(() => dmaCookieAssign(new DmaAsyncTxDescriptor()), DmaBugError);
    });
    it('DmaChan refuses a cookie cell that is not an Int32Array of 2', () => {
      assert.throws(() => new DmaChan({ cookies: new Uint32Array(2) as unknown as Int32Array }), { name: 'TypeError', message: /"options.cookies"/ });
      assert.throws(() => new DmaChan({ cookies: new Int32Array(1) }), { name: 'RangeError', message: /"options.cookies"/ });
    });
  });

  it('start at 1 and count up; complete clears the descriptor cookie', () => {
    const chan = new DmaChan();
    dmaCookieInit(chan);
    assert.equal(chan.cookie, 1);
    assert.equal(chan.completedCookie, 1);
    const a = new DmaAsyncTxDescriptor(chan);
    const b = new DmaAsyncTxDescriptor(chan);
    assert.equal(dmaCookieAssign(a), 2);
    assert.equal(dmaCookieAssign(b), 3);
    assert.equal(dmaCookieStatus(chan, 2), DmaStatus.IN_PROGRESS);
    dmaCookieComplete(a);
    assert.equal(a.cookie, 0);
    assert.equal(chan.completedCookie, 2);
    const st = dmaTxState();
    assert.equal(dmaCookieStatus(chan, 2, st), DmaStatus.COMPLETE);
    assert.deepEqual(st, { last: 2, used: 3, residue: 0, inFlightBytes: 0 });
    assert.equal(dmaCookieStatus(chan, 3), DmaStatus.IN_PROGRESS);
    assert.equal(dmaCookieStatus(chan, 4), DmaStatus.COMPLETE, 'a cookie never handed out reads COMPLETE');
  });

  it('wraps from 2^31-1 to 1, never 0 or negative', () => {
    const chan = new DmaChan();
    chan.cookie = DMA_MAX_COOKIE - 1;
    chan.completedCookie = DMA_MAX_COOKIE - 1;
    const got = [0, 1, 2].map(() => dmaCookieAssign(new DmaAsyncTxDescriptor(chan)));
    assert.deepEqual(got, [DMA_MAX_COOKIE, 1, 2]);
  });

  it('the window rule holds before and after the wrap (exhaustive near the edge)', () => {
    const edge = [DMA_MAX_COOKIE - 3, DMA_MAX_COOKIE - 2, DMA_MAX_COOKIE - 1, DMA_MAX_COOKIE, 1, 2, 3, 4];
    for (const completed of edge) for (const used of edge) {
      // only states the ring can reach: used at most a few steps ahead of completed
      let reachable = completed === used;
      try { reachable ||= outstanding(used, completed, used); } catch { reachable = false; }
      if (!reachable) continue;
      for (const c of [...edge, 5, 1000]) {
        const want = outstanding(c, completed, used) ? DmaStatus.IN_PROGRESS : DmaStatus.COMPLETE;
        assert.equal(dmaAsyncIsComplete(c, completed, used), want, `cookie ${c}, completed ${completed}, used ${used}`);
      }
    }
  });

  it('status through a channel after a wrap', () => {
    const chan = new DmaChan();
    chan.cookie = DMA_MAX_COOKIE;
    chan.completedCookie = DMA_MAX_COOKIE;
    const a = new DmaAsyncTxDescriptor(chan);
    const b = new DmaAsyncTxDescriptor(chan);
    assert.equal(dmaCookieAssign(a), 1);
    assert.equal(dmaCookieAssign(b), 2);
    assert.equal(dmaCookieStatus(chan, 1), DmaStatus.IN_PROGRESS);
    assert.equal(dmaCookieStatus(chan, DMA_MAX_COOKIE), DmaStatus.COMPLETE);
    dmaCookieComplete(a);
    assert.equal(dmaCookieStatus(chan, 1), DmaStatus.COMPLETE);
    assert.equal(dmaCookieStatus(chan, 2), DmaStatus.IN_PROGRESS);
  });

  it('the cookie cell may be shared memory written by someone else', () => {
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const chan = new DmaChan({ cookies: shared });
    dmaCookieInit(chan);
    const tx = new DmaAsyncTxDescriptor(chan);
    const c = dmaCookieAssign(tx);
    assert.equal(shared[0], c);
    Atomics.store(shared, 1, c); // what a native engine's worker does
    assert.equal(dmaCookieStatus(chan, c), DmaStatus.COMPLETE);
  });

  it('dmaSubmitError is the modern macro', () => {
    assert.equal(dmaSubmitError(-16), -16);
    assert.equal(dmaSubmitError(5), 0);
  });
});
