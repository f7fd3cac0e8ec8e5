import assert from 'node:assert/strict';
import { AsyncTxFlags, initAsyncSubmit } from '../lib/async_tx/flags';
import { createAsyncTx } from '../lib/async_tx/api';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { ASYNC_CAPS, ASYNC_TEST_PROVIDERS, setupAsync } from './helpers/async-providers';

/** Every buffer of a case, to prove nothing was written. */
function snapshot(bufs: Uint8Array[]): Buffer[] {
  return bufs.map((b) => Buffer.from(b));
}

function unchanged(bufs: Uint8Array[], before: Buffer[]): void {
  bufs.forEach((b, i) => assert.ok(Buffer.from(b).equals(before[i]!), `buffer ${i} was written`));
}

const setups = [
  { label: 'software path', make: () => setupAsync(null) },
  ...ASYNC_TEST_PROVIDERS.map((p) => ({ label: p.name, make: () => setupAsync(p, [{ caps: ASYNC_CAPS, maxXor: 3, maxPq: 4 }]) })),
];

describe('async_tx: invalid arguments (TypeError/RangeError naming the argument, nothing written)', () => {
  describe('initAsyncSubmit()', () => {
    it('checks flags, dependTx and cbFn', () => {
      assert.throws(() => initAsyncSubmit(1.5), { name: 'TypeError', message: /"flags"/ });
      assert.throws(() => initAsyncSubmit(1 << 6), { name: 'RangeError', message: /"flags" to be a combination of AsyncTxFlags/ });
      assert.throws(() => initAsyncSubmit(0, {} as never), { name: 'TypeError', message: /"dependTx"/ });
      assert.throws(() => initAsyncSubmit(0, null, 'cb' as never), { name: 'TypeError', message: /"cbFn"/ });
      const s = initAsyncSubmit(AsyncTxFlags.ACK | AsyncTxFlags.DELAY_SUBMIT, null, null, 7, []);
      assert.deepEqual(s, { flags: AsyncTxFlags.ACK | AsyncTxFlags.DELAY_SUBMIT, dependTx: null, cbFn: null, cbParam: 7, scribble: [] });
    });
    it('the modern flag values, DELAY_SUBMIT after them', () => {
      assert.deepEqual([AsyncTxFlags.XOR_ZERO_DST, AsyncTxFlags.XOR_DROP_DST, AsyncTxFlags.ACK, AsyncTxFlags.FENCE,
        AsyncTxFlags.PQ_XOR_DST, AsyncTxFlags.DELAY_SUBMIT], [1, 2, 4, 8, 16, 32]);
    });
  });

  it('createAsyncTx() wants an engine', () => {
    assert.throws(() => createAsyncTx({} as never), { name: 'TypeError', message: /"engine"/ });
    assert.doesNotThrow(() => createAsyncTx(createDmaEngine({ cpus: 1 })));
  });

  for (const s of setups) {
    describe(s.label, () => {
      const { api } = s.make();
      const d = new Uint8Array(64).fill(1);
      const a = new Uint8Array(64).fill(2);
      const b = new Uint8Array(64).fill(3);
      const p = new Uint8Array(64).fill(4);
      const q = new Uint8Array(64).fill(5);
      const all = [d, a, b, p, q];
      const check = (fn: () => unknown, err: { name: string; message: RegExp }) => {
        const before = snapshot(all);
        assert.throws(fn, err);
        unchanged(all, before);
      };

      it('asyncMemcpy()', () => {
        check(() => api.asyncMemcpy(null as never, a, 0, 0, 8), { name: 'TypeError', message: /"dest"/ });
        check(() => api.asyncMemcpy(d, [1] as never, 0, 0, 8), { name: 'TypeError', message: /"src"/ });
        check(() => api.asyncMemcpy(d, a, 60, 0, 8), { name: 'RangeError', message: /"len" to fit in "dest"/ });
        check(() => api.asyncMemcpy(d, a, 0, -1, 8), { name: 'RangeError', message: /"srcOffset"/ });
        check(() => api.asyncMemcpy(d, a, 0, 0, 1.5), { name: 'TypeError', message: /"len"/ });
        check(() => api.asyncMemcpy(d, a, 0, 0, 8, 5 as never), { name: 'TypeError', message: /"submit"/ });
        check(() => api.asyncMemcpy(d, a, 0, 0, 8, { flags: 1 << 9 } as never), { name: 'RangeError', message: /"submit.flags"/ });
      });
      it('asyncMemset()', () => {
        check(() => api.asyncMemset(d, 256, 0, 8), { name: 'RangeError', message: /"val"/ });
        check(() => api.asyncMemset(d, 1, 0, 65), { name: 'RangeError', message: /"len"/ });
        check(() => api.asyncMemset(d, 1, 'x' as never, 8), { name: 'TypeError', message: /"offset"/ });
      });
      it('asyncXor() / asyncXorOffs()', () => {
        check(() => api.asyncXor(d, [a], 0, 1, 8), { name: 'RangeError', message: /"srcCnt"/ });
        check(() => api.asyncXor(d, [a, b], 0, 3, 8), { name: 'RangeError', message: /"srcCnt"/ });
        check(() => api.asyncXor(d, 'ab' as never, 0, 2, 8), { name: 'TypeError', message: /"srcList"/ });
        check(() => api.asyncXor(d, [a, 7 as never], 0, 2, 8), { name: 'TypeError', message: /"srcList\[1\]"/ });
        check(() => api.asyncXorOffs(d, 0, [a, b], [0, 60], 2, 8), { name: 'RangeError', message: /"len" to fit in "srcList\[1\]"/ });
        check(() => api.asyncXorOffs(d, 0, [a, b], [0], 2, 8), { name: 'RangeError', message: /"srcOffs" to hold 2/ });
        check(() => api.asyncXor(d, [a, b], 0, 2, 8, initAsyncSubmit(AsyncTxFlags.XOR_DROP_DST)), { name: 'RangeError', message: /"srcList\[0\]" to be the destination/ });
      });
      it('asyncXorVal() / asyncXorValOffs()', () => {
        check(() => api.asyncXorVal(d, [d, a], 0, 2, 8, null as never), { name: 'TypeError', message: /"result"/ });
        check(() => api.asyncXorVal(d, [a, d], 0, 2, 8, { value: 0 }), { name: 'RangeError', message: /"srcList\[0\]"/ });
        check(() => api.asyncXorVal(d, [d, null as never], 0, 2, 8, { value: 0 }), { name: 'TypeError', message: /"srcList\[1\]"/ });
        check(() => api.asyncXorValOffs(d, 0, [d, a], [0, 99], 2, 8, { value: 0 }), { name: 'RangeError', message: /"srcOffs\[1\]"/ });
      });
      it('asyncGenSyndrome() / asyncSyndromeVal()', () => {
        check(() => api.asyncGenSyndrome([a, b, p, q], null, 2, 8), { name: 'RangeError', message: /"disks"/ });
        check(() => api.asyncGenSyndrome([a, b, p, q], null, 256, 8), { name: 'RangeError', message: /"disks"/ });
        check(() => api.asyncGenSyndrome([a, b, p], null, 4, 8), { name: 'RangeError', message: /"blocks"/ });
        check(() => api.asyncGenSyndrome([a, b, null, null], null, 4, 8), { name: 'TypeError', message: /"blocks\[2\]" \(P\) or "blocks\[3\]" \(Q\)/ });
        check(() => api.asyncGenSyndrome([a, b, p, q], [0, 0, 0, 60], 4, 8), { name: 'RangeError', message: /"len" to fit in "blocks\[3\]"/ });
        check(() => api.asyncGenSyndrome([a, b, p, q], [0, 0], 4, 8), { name: 'RangeError', message: /"offsets" to hold 4/ });
        check(() => api.asyncSyndromeVal([a, b, p], null, 3, 8, { value: 0 }, d, 0), { name: 'RangeError', message: /"disks"/ });
        check(() => api.asyncSyndromeVal([a, b, p, q], null, 4, 8, 3 as never, d, 0), { name: 'TypeError', message: /"pqres"/ });
        check(() => api.asyncSyndromeVal([a, b, p, q], null, 4, 8, { value: 0 }, d, 60), { name: 'RangeError', message: /"len" to fit in "spare"/ });
      });
      it('asyncRaid6_2dataRecov() / asyncRaid6DatapRecov()', () => {
        check(() => api.asyncRaid6_2dataRecov(4, 8, 1, 1, [a, b, p, q], null), { name: 'RangeError', message: /"failb" to be different/ });
        check(() => api.asyncRaid6_2dataRecov(4, 8, 0, 2, [a, b, p, q], null), { name: 'RangeError', message: /"failb"/ });
        check(() => api.asyncRaid6_2dataRecov(4, 8, 0, 1, [null, b, p, q], null), { name: 'TypeError', message: /"blocks\[0\]"/ });
        check(() => api.asyncRaid6_2dataRecov(4, 8, 0, 1, [a, b, p, null], null), { name: 'TypeError', message: /"blocks\[3\]"/ });
        check(() => api.asyncRaid6_2dataRecov(3, 8, 0, 1, [a, b, p], null), { name: 'RangeError', message: /"disks"/ });
        check(() => api.asyncRaid6_2dataRecov(4, 99, 0, 1, [a, b, p, q], null), { name: 'RangeError', message: /"bytes"/ });
        check(() => api.asyncRaid6DatapRecov(4, 8, 2, [a, b, p, q], null), { name: 'RangeError', message: /"faila"/ });
        check(() => api.asyncRaid6DatapRecov(4, 8, 0, [a, b, null, q], null), { name: 'TypeError', message: /"blocks\[2\]"/ });
      });
      it('the waits and acks', async () => {
        assert.throws(() => api.dmaWaitForAsyncTx({} as never), { name: 'TypeError', message: /"tx"/ });
        assert.throws(() => api.asyncTxQuiesce(null as never), { name: 'TypeError', message: /"tx"/ });
        assert.throws(() => api.asyncTxAck(null as never), { name: 'TypeError', message: /"tx"/ });
        assert.throws(() => api.waitForAsyncTx(null, -1), { name: 'RangeError', message: /"timeoutMs"/ });
        assert.throws(() => api.asyncTxIssuePending(3 as never), { name: 'TypeError', message: /"tx"/ });
        assert.equal(await api.waitForAsyncTx(null), 0);
      });
    });
  }
});
