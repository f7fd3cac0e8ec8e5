// The inline path of the block-list operations (lib/async_tx/inline.ts): the per-block checks
// are left to the kernel bindings, and a refusal is worded by the full checks with the public
// names, in the general path's order, nothing written; a missing (undefined) block still reads
// as null; results are those of the general path (a dependency forces that one).
import assert from 'node:assert/strict';
import { AsyncTxFlags, type AsyncSubmitCtl, initAsyncSubmit } from '../lib/async_tx/flags';
import { DmaCap } from '../lib/dmaengine/caps';
import { ASYNC_TEST_PROVIDERS, setupAsync } from './helpers/async-providers';

const LEN = 96;

function rnd(seed: number): Buffer {
  const b = Buffer.alloc(LEN);
  let x = seed * 2654435761 >>> 0;
  for (let i = 0; i < LEN; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function snapshot(pages: (Uint8Array | null | undefined)[]): string[] {
  return pages.map((p) => (p ? Buffer.from(p).toString('hex') : String(p)));
}

describe('async_tx inline path (checks left to the kernel bindings)', () => {
  const { api } = setupAsync(null);

  it('a refused block is named as the general path names it, nothing written', () => {
    const b = [rnd(1), rnd(2), 'x' as never, rnd(4), rnd(5), rnd(6)];
    const before = snapshot(b);
    assert.throws(() => api.asyncGenSyndrome(b, null, 6, LEN), { name: 'TypeError', message: /"blocks\[2\]"/ });
    assert.throws(() => api.asyncGenSyndrome([rnd(1), rnd(2), rnd(3), rnd(4), rnd(5), rnd(6)], [0, 99, 0, 0, 0, 0], 6, LEN),
      { name: 'RangeError', message: /"offsets\[1\]"/ });
    const r = [rnd(1), null, rnd(3), null, rnd(5), rnd(6)];
    assert.throws(() => api.asyncRaid6_2dataRecov(6, LEN, 1, 3, r, null), { name: 'TypeError', message: /"blocks\[1\]"/ });
    const dp = [rnd(1), rnd(2), rnd(3), rnd(4), rnd(5), Buffer.alloc(8)];
    assert.throws(() => api.asyncRaid6DatapRecov(6, LEN, 0, dp, null), { name: 'RangeError', message: /fit in "blocks\[5\]"/ });
    const v = [rnd(1), Buffer.alloc(8), rnd(3), rnd(4), rnd(5), rnd(6)];
    assert.throws(() => api.asyncSyndromeVal(v, null, 6, LEN, { value: 0 }, Buffer.alloc(LEN), 0, initAsyncSubmit(0, null, null, null, [])),
      { name: 'RangeError', message: /fit in "blocks\[1\]"/ });
    const d = rnd(7);
    assert.throws(() => api.asyncXorVal(d, [d, rnd(8), Buffer.alloc(4)], 0, 3, LEN, { value: 0 }), { name: 'RangeError', message: /fit in "srcList\[2\]"/ });
    assert.deepEqual(snapshot(b), before);
    assert.deepEqual(snapshot([d]), snapshot([rnd(7)]));
  });

  it('a bad block is reported before a bad submit block, a bad holder or a dependency error, as on the general path', () => {
    const bad = { flags: 1 << 20 } as unknown as AsyncSubmitCtl;
    assert.throws(() => api.asyncGenSyndrome([rnd(1), 5 as never, rnd(3), rnd(4)], null, 4, LEN, bad), /"blocks\[1\]"/);
    assert.throws(() => api.asyncGenSyndrome([rnd(1), rnd(2), rnd(3), rnd(4)], null, 4, LEN, bad), /"submit.flags"/);
    assert.throws(() => api.asyncRaid6DatapRecov(5, LEN, 1, [rnd(1), rnd(2), 'q' as never, rnd(4), rnd(5)], null, bad), /"blocks\[2\]"/);
    const d = rnd(1);
    assert.throws(() => api.asyncXorVal(d, [d, 'y' as never], 0, 2, LEN, null as never), /"srcList\[1\]"/);
    assert.throws(() => api.asyncXorVal(d, [d, rnd(2)], 0, 2, LEN, null as never), /"result"/);
    assert.throws(() => api.asyncSyndromeVal([rnd(1), 'z' as never, rnd(3), rnd(4)], null, 4, LEN, null as never, null, 0), /"blocks\[1\]"/);
  });

  it('a missing (undefined) block reads as null, as on the general path', () => {
    const withNull = [rnd(1), null, rnd(3), Buffer.alloc(LEN), Buffer.alloc(LEN)];
    const withUndef = [rnd(1), undefined as never, rnd(3), Buffer.alloc(LEN), Buffer.alloc(LEN)];
    assert.equal(api.asyncGenSyndrome(withNull, null, 5, LEN), null);
    assert.equal(api.asyncGenSyndrome(withUndef, null, 5, LEN), null);
    assert.deepEqual(snapshot(withUndef.slice(3)), snapshot(withNull.slice(3)));
    const x1 = Buffer.alloc(LEN);
    const x2 = Buffer.alloc(LEN);
    api.asyncXor(x1, [rnd(1), null, rnd(3)], 0, 3, LEN, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST));
    api.asyncXor(x2, [rnd(1), undefined as never, rnd(3)], 0, 3, LEN, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST));
    assert.deepEqual(x2, x1);
  });

  for (const p of ASYNC_TEST_PROVIDERS) {
    it(`gives the general path's results, callback once (a dependency on a ${p.name} device forces the general path)`, async () => {
      const { api: dev } = setupAsync(p, [{ channels: 1, caps: [DmaCap.MEMSET, DmaCap.INTERRUPT] }]);
      const run = (withDep: boolean): { out: string[]; calls: number } => {
        let calls = 0;
        const cb = (): void => { calls++; };
        const sub = (flags = 0): AsyncSubmitCtl => {
          const dep = withDep ? dev.asyncMemset(Buffer.alloc(8), 1, 0, 8, initAsyncSubmit()) : null;
          return initAsyncSubmit(flags, dep, cb, null, []);
        };
        const g = [rnd(1), null, rnd(3), rnd(4), Buffer.alloc(LEN), Buffer.alloc(LEN)];
        dev.asyncGenSyndrome(g, [0, 0, 0, 0, 0, 0], 6, LEN, sub());
        const pq = { value: -1 };
        dev.asyncSyndromeVal(g, null, 6, LEN, pq, Buffer.alloc(LEN), 0, sub());
        const r2 = g.map((b) => (b ? Buffer.from(b) : null));
        r2[0]!.fill(0xee);
        r2[3]!.fill(0xee);
        dev.asyncRaid6_2dataRecov(6, LEN, 3, 0, r2, null, sub());
        const rd = g.map((b) => (b ? Buffer.from(b) : null));
        rd[2]!.fill(0);
        rd[4]!.fill(0);
        dev.asyncRaid6DatapRecov(6, LEN, 2, rd, null, sub());
        const xv = { value: -1 };
        const par = Buffer.alloc(LEN);
        dev.asyncXor(par, [rnd(1), rnd(3)], 0, 2, LEN, sub(AsyncTxFlags.XOR_ZERO_DST));
        dev.asyncXorVal(par, [par, rnd(1), rnd(3)], 0, 3, LEN, xv, sub());
        return { out: [...snapshot(g), String(pq.value), ...snapshot(r2), ...snapshot(rd), String(xv.value), ...snapshot([par])], calls };
      };
      const inline = run(false);
      const general = run(true);
      assert.deepEqual(inline.out, general.out);
      assert.equal(inline.calls, 6);
      assert.equal(general.calls, 6);
      assert.equal(inline.out[6], '0');
    });
  }
});
