import assert from 'node:assert/strict';
import { DmaCap, DmaCapMask, dmaHasCap } from '../lib/dmaengine/caps';
import type { DmaChan } from '../lib/dmaengine/channel';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { DmaCtrlFlags, DmaStatus, SumCheckFlags, dmaAddr } from '../lib/dmaengine/status';
import { createPlainDevice } from '../lib/providers/plain';
import { ALL_ASYNC, randomBytes, tick } from './helpers/dmaengine-fixtures';
import { gfMul, gfPow2 } from './helpers/gf-reference';


function setup() {
  const eng = createDmaEngine({ cpus: 1 });
  const dev = createPlainDevice({ channels: 2, caps: [...ALL_ASYNC, DmaCap.MEMSET], maxXor: 5, maxPq: 6 });
  eng.dmaAsyncDeviceRegister(dev);
  eng.dmaengineGet();
  const chan = eng.dmaFindChannel(DmaCap.ASYNC_TX, 0)!;
  return { eng, dev, chan };
}

describe('§2.3 a provider in plain TypeScript serves every prep op', () => {
  describe('invalid arguments (thrown at prep, before anything is queued)', () => {
    it('names the address, length and count', () => {
      const { dev, chan } = setup();
      const b = new Uint8Array(16);
      assert.throws(() => dev.devicePrepDmaMemcpy(chan, dmaAddr(b, 8), dmaAddr(b), 16, 0), { name: 'RangeError', message: /"len" to fit in "dst.buf"/ });
      assert.throws(() => dev.devicePrepDmaMemcpy(chan, { buf: [] as never, off: 0 }, dmaAddr(b), 1, 0), { name: 'TypeError', message: /"dst.buf"/ });
      assert.throws(() => dev.devicePrepDmaMemcpy(chan, dmaAddr(b, -1), dmaAddr(b), 1, 0), { name: 'RangeError', message: /"dst.off"/ });
      assert.throws(() => dev.devicePrepDmaXor(chan, dmaAddr(b), [dmaAddr(b)], 2, 16, 0), { name: 'RangeError', message: /"srcCnt"/ });
      assert.throws(() => dev.devicePrepDmaMemset(chan, dmaAddr(b), 256, 1, 0), { name: 'RangeError', message: /"value"/ });
      assert.throws(() => dev.devicePrepDmaMemset(chan, dmaAddr(b), 1, 1, 1 << 12), { name: 'RangeError', message: /"flags"/ });
      assert.throws(() => dev.devicePrepDmaPq(chan, [dmaAddr(b), dmaAddr(b)], [dmaAddr(b), dmaAddr(b)], 2, new Uint8Array(1), 16, 0),
        { name: 'RangeError', message: 'Expected "scf.length" to be at least srcCnt (2) but received 1' });
      assert.equal((chan as unknown as { submitted: unknown[] }).submitted.length, 0);
    });
  });

  it('the device registers with ASYNC_TX and serves channels', () => {
    const { dev, chan } = setup();
    assert.ok(dmaHasCap(DmaCap.ASYNC_TX, dev.capMask));
    assert.equal(chan.clientCount, 1);
  });

  it('xor, xor_val, pq (with continuation and disabled P), pq_val: bytes and results against a reference', async () => {
    const { eng, dev, chan } = setup();
    const len = 333;
    const srcs = [1, 2, 3, 4].map((s) => dmaAddr(randomBytes(len + 5, s), 5));
    const dst = dmaAddr(new Uint8Array(len));
    const refP = new Uint8Array(len);
    const refQ = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      for (let k = 0; k < 4; k++) {
        const v = srcs[k]!.buf[5 + i]!;
        refP[i]! ^= v;
        refQ[i]! ^= gfMul(gfPow2(k), v);
      }
    }
    assert.equal(dev.devicePrepDmaXor(chan, dst, srcs, 4, len, 0) !== null, true);
    assert.equal(dev.devicePrepDmaXor(chan, dst, [...srcs, srcs[0]!, srcs[1]!], 6, len, 0), null, 'more than maxXor sources: NULL, as hardware refuses');
    eng.dmaengineSubmit(dev.devicePrepDmaXor(chan, dst, srcs, 4, len, 0)!);
    const xr = { value: -1 };
    eng.dmaengineSubmit(dev.devicePrepDmaXorVal(chan, [dst, ...srcs], 5, len, xr, 0)!);
    const P = dmaAddr(new Uint8Array(len));
    const Q = dmaAddr(new Uint8Array(len));
    const scf = Uint8Array.from([0, 1, 2, 3].map(gfPow2));
    // two halves: sources 0-1, then 2-3 continued onto the running P/Q
    eng.dmaengineSubmit(dev.devicePrepDmaPq(chan, [P, Q], srcs.slice(0, 2), 2, scf.subarray(0, 2), len, 0)!);
    eng.dmaengineSubmit(dev.devicePrepDmaPq(chan, [P, Q], srcs.slice(2), 2, scf.subarray(2), len, DmaCtrlFlags.PREP_CONTINUE)!);
    const pqr = { value: -1 };
    const last = dev.devicePrepDmaPqVal(chan, [P, Q], srcs, 4, scf, len, pqr, 0)!;
    const cookie = eng.dmaengineSubmit(last);
    eng.dmaAsyncIssuePending(chan);
    await tick();
    assert.equal(eng.dmaengineTxStatus(chan, cookie), DmaStatus.COMPLETE);
    assert.deepEqual(dst.buf, refP);
    assert.equal(xr.value, 0);
    assert.deepEqual(P.buf, refP);
    assert.deepEqual(Q.buf, refQ);
    assert.equal(pqr.value, 0);
    // corrupt Q, check again with P disabled: only Q reported
    Q.buf[100]! ^= 1;
    const pqr2 = { value: -1 };
    eng.dmaengineSubmit(dev.devicePrepDmaPqVal(chan, [null, Q], srcs, 4, scf, len, pqr2, DmaCtrlFlags.PREP_PQ_DISABLE_P)!);
    const xr2 = { value: -1 };
    eng.dmaengineSubmit(dev.devicePrepDmaXorVal(chan, [Q, ...srcs], 5, len, xr2, 0)!);
    eng.dmaAsyncIssuePending(chan);
    await tick();
    assert.equal(pqr2.value, SumCheckFlags.Q_RESULT);
    assert.equal(xr2.value, SumCheckFlags.P_RESULT);
  });

  it('completions run in order per channel, then dependants on next are submitted and issued', async () => {
    const { eng, dev } = setup();
    const [a, b] = dev.channels as DmaChan[];
    const order: string[] = [];
    const buf = new Uint8Array(4);
    const first = dev.devicePrepDmaMemset(a!, dmaAddr(buf), 1, 4, 0)!;
    first.callback = () => order.push('first');
    const second = dev.devicePrepDmaInterrupt(a!, 0)!;
    second.callback = () => order.push('second');
    const child = dev.devicePrepDmaMemset(b!, dmaAddr(buf, 2), 7, 2, 0)!;
    child.callback = () => order.push(`child sees ${buf[0]}`);
    first.next = child;
    child.parent = first;
    eng.dmaengineSubmit(first);
    eng.dmaengineSubmit(second);
    eng.dmaAsyncIssuePending(a!);
    await tick();
    await tick();
    assert.deepEqual(order, ['first', 'second', 'child sees 1']);
    assert.deepEqual([...buf], [1, 1, 7, 7]);
    assert.equal(child.parent, null);
    assert.ok(eng.dmaRequestChannel(DmaCapMask.of(DmaCap.MEMCPY)) === null, 'public channels are held');
  });
});
