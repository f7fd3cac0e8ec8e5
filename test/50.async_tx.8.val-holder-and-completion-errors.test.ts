// *_val result holders and exceptions in the completion path (docs/async-tx-api.md §3.7, §7):
// a holder that cannot be written is refused before anything is done (a TypeError naming it);
// a holder that breaks at completion ends its descriptor WRITE_FAILED and, like a throwing
// callback, stops neither the later completions nor the dependants; the error is reported as
// an uncaught exception once the batch was delivered.
import assert from 'node:assert/strict';
import { initAsyncSubmit } from '../lib/async_tx/flags';
import { DmaCap } from '../lib/dmaengine/caps';
import type { DmaAsyncTxDescriptor } from '../lib/dmaengine/descriptor';
import { DmaStatus, DmaTransResult } from '../lib/dmaengine/status';
import { ASYNC_TEST_PROVIDERS, pathSetups, setupAsync } from './helpers/async-providers';
import { randomBytes, until } from './helpers/dmaengine-fixtures';

/** Runs `fn` with uncaught exceptions collected instead of failing the test run. */
async function collectUncaught(fn: () => Promise<void>): Promise<unknown[]> {
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  const errors: unknown[] = [];
  const onError = (e: unknown): void => { errors.push(e); };
  process.on('uncaughtException', onError);
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 20)); // the reports come from microtasks after delivery
  } finally {
    process.removeListener('uncaughtException', onError);
    for (const l of saved) process.on('uncaughtException', l);
  }
  return errors;
}

/** Holders a completion could not write. */
const unwritable = (): [string, object][] => [
  ['frozen', Object.freeze({ value: 0 })],
  ['read-only value', Object.defineProperty({}, 'value', { value: 0, writable: false })],
  ['getter without setter', { get value() { return 0; } }],
  ['throwing setter', { get value() { return 0; }, set value(_v: number) { throw new Error('no'); } }],
  ['sealed, no value', Object.seal({})],
];

describe('async_tx *_val holders that cannot be written', () => {
  for (const s of pathSetups()) {
    it(`${s.label}: asyncXorVal and asyncSyndromeVal refuse them before anything is done`, () => {
      const { api, devs } = s.make();
      const cookies = () => devs.flatMap((d) => d.channels.map((c) => c.cookie));
      const before = cookies();
      const dest = randomBytes(64, 1);
      const orig = dest.slice();
      const srcs = [dest, randomBytes(64, 2), randomBytes(64, 3)];
      const blocks = [randomBytes(64, 4), randomBytes(64, 5), new Uint8Array(64), new Uint8Array(64)];
      const spare = randomBytes(64, 6);
      let calls = 0;
      const cb = () => { calls++; };
      for (const [what, h] of unwritable()) {
        assert.throws(() => api.asyncXorVal(dest, srcs, 0, 3, 64, h as never, initAsyncSubmit(0, null, cb, null)),
          { name: 'TypeError', message: /^Expected a writable holder object \(\{ value \}\) for "result"/ }, what);
        assert.throws(() => api.asyncSyndromeVal(blocks, null, 4, 64, h as never, spare, 0, initAsyncSubmit(0, null, cb, null, [])),
          { name: 'TypeError', message: /^Expected a writable holder object \(\{ value \}\) for "pqres"/ }, what);
      }
      assert.deepEqual(dest, orig, 'the destination (srcList[0]) is not touched');
      assert.equal(calls, 0, 'no callback');
      assert.deepEqual(cookies(), before, 'nothing submitted');
    });
  }
});

for (const provider of ASYNC_TEST_PROVIDERS) {
  describe(`async_tx completion errors (${provider.name})`, () => {
    const twoDevices = () => setupAsync(provider, [
      { channels: 1, caps: [DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.MEMSET, DmaCap.INTERRUPT], maxXor: 4 }, // no MEMCPY: copies go to the other
      { channels: 1, caps: [DmaCap.MEMCPY] },
    ]);

    it('a holder that breaks at completion: WRITE_FAILED, callback still runs, the dependant on another device runs', async () => {
      const { api, devs } = twoDevices();
      let writes = 0;
      const holder = {
        get value() { return -1; },
        set value(_v: number) { if (++writes > 1) throw new Error('holder broke'); }, // the check's write passes
      };
      const dest = new Uint8Array(64);
      const srcs = [dest, randomBytes(64, 8), randomBytes(64, 8)]; // xor is zero
      const seen: string[] = [];
      const copyDst = new Uint8Array(64);
      const copySrc = randomBytes(64, 9);
      let val: DmaAsyncTxDescriptor | null = null;
      let dep: DmaAsyncTxDescriptor | null = null;
      const errors = await collectUncaught(async () => {
        val = api.asyncXorVal(dest, srcs, 0, 3, 64, holder, initAsyncSubmit(0, null, () => seen.push('val'), null));
        assert.ok(val && val.chan!.device === devs[0], 'the device path');
        dep = api.asyncMemcpy(copyDst, copySrc, 0, 0, 64, initAsyncSubmit(0, val, () => seen.push('dep'), null));
        assert.ok(dep && dep.chan!.device === devs[1], 'the dependant is on the other device');
        api.asyncTxIssuePendingAll();
        await until(() => seen.length === 2, 5000);
      });
      assert.deepEqual(seen, ['val', 'dep']);
      assert.deepEqual(errors.map((e) => (e as Error).message), ['holder broke'], 'reported once, as an uncaught exception');
      assert.equal(val!.txResult?.result, DmaTransResult.WRITE_FAILED);
      assert.equal(await api.waitForAsyncTx(val, 1000), DmaStatus.ERROR, 'its result is lost: a failure, never a stale verdict');
      assert.equal(await api.waitForAsyncTx(dep, 1000), DmaStatus.COMPLETE);
      assert.deepEqual(copyDst, copySrc);
    });

    it('a throwing callback stops neither the later completions of the batch nor its dependants', async () => {
      const { api, devs } = twoDevices();
      const seen: string[] = [];
      const res = { value: -1 };
      const d = [new Uint8Array(64), new Uint8Array(64), new Uint8Array(64)];
      const copyDst = new Uint8Array(64);
      const errors = await collectUncaught(async () => {
        const a = api.asyncMemset(d[0]!, 1, 0, 64, initAsyncSubmit(0, null, () => { seen.push('a'); throw new Error('callback a'); }, null))!;
        const b = api.asyncXorVal(d[1]!, [d[1]!, d[2]!], 0, 2, 64, res, initAsyncSubmit(0, null, () => { seen.push('b'); throw new Error('callback b'); }, null))!;
        const c = api.asyncMemset(d[2]!, 3, 0, 64, initAsyncSubmit(0, b, () => seen.push('c'), null))!;
        assert.ok(a.chan === b.chan && b.chan === c.chan && a.chan!.device === devs[0], 'one channel, one batch');
        const x = api.asyncMemcpy(copyDst, d[0]!, 0, 0, 64, initAsyncSubmit(0, a, () => seen.push('x'), null))!;
        assert.ok(x.chan!.device === devs[1]);
        api.asyncTxIssuePendingAll();
        await until(() => seen.length === 4, 5000);
      });
      assert.deepEqual([...seen].sort(), ['a', 'b', 'c', 'x']);
      assert.deepEqual(errors.map((e) => (e as Error).message).sort(), ['callback a', 'callback b']);
      assert.equal(res.value, 0, 'the validate result was stored before the callback threw');
      assert.ok(d[2]!.every((v) => v === 3));
      assert.ok(copyDst.every((v) => v === 1), 'the dependant on the other device ran');
    });
  });
}
