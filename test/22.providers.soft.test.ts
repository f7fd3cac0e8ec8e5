// The `soft` provider (lib/providers/soft.ts) walked through the contract of docs/dmaengine.md,
// "Providers backed by a native engine": invalid arguments first, then ordering, nothing before
// issue pending, cookies and status without native calls, results and errors, terminate →
// ABORTED, forced unregister, batched callbacks (lifetime: 22.providers.soft-lifetime).
import assert from 'node:assert/strict';
import { DmaCap } from '../lib/dmaengine/caps';
import { DmaEngineError } from '../lib/dmaengine/errors';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { DmaCtrlFlags, DmaStatus, DmaTransResult, type DmaengineResult, SumCheckFlags, dmaAddr } from '../lib/dmaengine/status';
import { createSoftDevice, registerSoftDevice, type SoftDevice } from '../lib/providers/soft';
import type { SoftChan } from '../lib/providers/soft-chan';
import { ALL_ASYNC, randomBytes, until } from './helpers/dmaengine-fixtures';
import { gfMul } from './helpers/gf-reference';


function setup(channels = 2) {
  const eng = createDmaEngine({ cpus: 1 });
  const dev = registerSoftDevice({ channels, caps: [...ALL_ASYNC, DmaCap.MEMSET], maxXor: 5, maxPq: 6 }, eng);
  eng.dmaengineGet();
  const chan = dev.channels[0]! as SoftChan;
  return { eng, dev, chan };
}

/** Counts the calls made into the native engine handle of `dev`. */
function countNativeCalls(dev: SoftDevice): { n: number } {
  const handle = (dev.engine as unknown as { handle: Record<string, unknown> }).handle;
  const counter = { n: 0 };
  for (const k of ['status', 'outstanding', 'issuePending', 'terminate', 'poll', 'memcpy', 'memset', 'interrupt']) {
    const f = handle[k] as (...a: unknown[]) => unknown;
    handle[k] = (...a: unknown[]) => { counter.n++; return f.apply(handle, a); };
  }
  return counter;
}

describe('providers: soft (native engine)', () => {
  describe('invalid arguments (thrown at prep, nothing queued)', () => {
    it('options: channels, caps, maxXor, maxPq name the option', () => {
      assert.throws(() => createSoftDevice(5 as never), { name: 'TypeError', message: /"options"/ });
      assert.throws(() => createSoftDevice({ channels: 65 }), { name: 'RangeError', message: /"options.channels"/ });
      assert.throws(() => createSoftDevice({ caps: 'x' as never }), { name: 'TypeError', message: /"options.caps"/ });
      assert.throws(() => createSoftDevice({ maxXor: 256 }), { name: 'RangeError', message: /"options.maxXor"/ });
      assert.throws(() => createSoftDevice({ maxPq: 254 }), { name: 'RangeError', message: /"options.maxPq"/ });
    });
    it('addresses, lengths, counts, coefficients and holders', () => {
      const { dev, chan } = setup();
      const b = new Uint8Array(16);
      const last = chan.cookie;
      assert.throws(() => dev.devicePrepDmaMemcpy(chan, dmaAddr(b, 8), dmaAddr(b), 16, 0), { name: 'RangeError', message: /"len" to fit in "dst.buf"/ });
      assert.throws(() => dev.devicePrepDmaMemcpy(chan, dmaAddr(b, -1), dmaAddr(b), 1, 0), { name: 'RangeError', message: /"dst.off"/ });
      assert.throws(() => dev.devicePrepDmaXor(chan, dmaAddr(b), [dmaAddr(b)], 2, 16, 0), { name: 'RangeError', message: /"srcCnt"/ });
      assert.throws(() => dev.devicePrepDmaMemset(chan, dmaAddr(b), 256, 1, 0), { name: 'RangeError', message: /"value"/ });
      assert.throws(() => dev.devicePrepDmaMemset(chan, dmaAddr(b), 1, 1, 1 << 12), { name: 'RangeError', message: /"flags"/ });
      assert.throws(() => dev.devicePrepDmaPq(chan, [dmaAddr(b), dmaAddr(b)], [dmaAddr(b), dmaAddr(b)], 2, new Uint8Array(1), 16, 0),
        { name: 'RangeError', message: 'Expected "scf.length" to be at least srcCnt (2) but received 1' });
      assert.throws(() => dev.devicePrepDmaXorVal(chan, [dmaAddr(b)], 1, 16, null as never, 0), { name: 'TypeError', message: /"result"/ });
      assert.equal(chan.cookie, last, 'nothing queued');
    });
    it('injectError accepts READ_FAILED / WRITE_FAILED only', () => {
      const { dev, chan } = setup();
      assert.throws(() => dev.injectError(chan, 1, DmaTransResult.ABORTED), { name: 'RangeError', message: /"result"/ });
    });
  });

  it('cookies live in the engine status block: the first is 2; status reads cost no native call', async () => {
    const { eng, dev, chan } = setup();
    const calls = countNativeCalls(dev);
    const d = new Uint8Array(64);
    const tx = dev.devicePrepDmaMemset(chan, dmaAddr(d), 7, 64, 0)!;
    const cookie = eng.dmaengineSubmit(tx);
    assert.equal(cookie, 2);
    assert.equal(chan.cookie, 2);
    assert.equal(chan.completedCookie, 1);
    const before = calls.n;
    for (let i = 0; i < 1000; i++) assert.equal(eng.dmaengineTxStatus(chan, cookie), DmaStatus.IN_PROGRESS);
    assert.equal(calls.n, before, 'no native call while in progress');
    eng.dmaAsyncIssuePending(chan);
    await until(() => tx.cookie === 0);
    const after = calls.n;
    for (let i = 0; i < 1000; i++) assert.equal(eng.dmaengineTxStatus(chan, cookie), DmaStatus.COMPLETE);
    assert.equal(calls.n, after, 'no native call once delivered');
    assert.ok(d.every((v) => v === 7));
  });

  it('nothing runs before issue pending; then completions come in cookie order, in batches, never on the caller stack', async () => {
    const { eng, dev, chan } = setup();
    const order: number[] = [];
    const bufs = Array.from({ length: 50 }, () => new Uint8Array(256));
    const cookies = bufs.map((b, i) => {
      const tx = dev.devicePrepDmaMemset(chan, dmaAddr(b), i + 1, 256, DmaCtrlFlags.PREP_INTERRUPT)!;
      tx.callback = () => order.push(i);
      return eng.dmaengineSubmit(tx);
    });
    assert.deepEqual(cookies, Array.from({ length: 50 }, (_, i) => i + 2));
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(bufs.every((b) => b[0] === 0), 'nothing ran before the doorbell');
    assert.equal(eng.dmaengineTxStatus(chan, cookies[0]!), DmaStatus.IN_PROGRESS);
    let batches = 0;
    const e = dev.engine;
    const inner = e.onComplete!;
    e.onComplete = (b) => { batches++; inner(b); };
    eng.dmaAsyncIssuePending(chan);
    assert.deepEqual(order, [], 'not on the caller stack');
    await until(() => order.length === 50);
    assert.deepEqual(order, Array.from({ length: 50 }, (_, i) => i));
    assert.ok(batches < 50, `${batches} wake-ups for 50 completions`);
    bufs.forEach((b, i) => assert.ok(b.every((v) => v === i + 1)));
    assert.equal(chan.memcpyCount, 0);
  });

  it('memcpy counters, per-source offsets, xor (dst among the sources), P+Q with explicit coefficients, validate results', async () => {
    const { eng, dev, chan } = setup();
    const len = 301;
    const s = [1, 2, 3, 4].map((k) => randomBytes(len + k, k));
    const srcs = s.map((b, k) => dmaAddr(b, k + 1));
    const dst = new Uint8Array(len + 9);
    const results: DmaengineResult[] = [];
    const sub = (tx: ReturnType<typeof dev.devicePrepDmaMemcpy>) => {
      tx!.callbackResult = (_p, r) => results.push(r);
      return eng.dmaengineSubmit(tx!);
    };
    sub(dev.devicePrepDmaMemcpy(chan, dmaAddr(dst, 9), srcs[0]!, len, 0));
    const x = Uint8Array.from(s[1]!.subarray(2, 2 + len));
    const xa = dmaAddr(x);
    sub(dev.devicePrepDmaXor(chan, xa, [xa, srcs[2]!, srcs[3]!], 3, len, 0)); // x ^= s2 ^ s3
    const p = new Uint8Array(len);
    const q = new Uint8Array(len);
    const scf = Uint8Array.of(1, 0x8e, 3, 200);
    sub(dev.devicePrepDmaPq(chan, [dmaAddr(p), dmaAddr(q)], srcs, 4, scf, len, 0));
    const qOnly = new Uint8Array(len).fill(0x55);
    sub(dev.devicePrepDmaPq(chan, [null, dmaAddr(qOnly)], srcs.slice(0, 2), 2, scf, len, DmaCtrlFlags.PREP_PQ_DISABLE_P));
    const pqres = { value: -1 };
    sub(dev.devicePrepDmaPqVal(chan, [dmaAddr(p), dmaAddr(q)], srcs, 4, scf, len, pqres, 0));
    const xres = { value: -1 };
    sub(dev.devicePrepDmaXorVal(chan, [srcs[0]!, srcs[0]!], 2, len, xres, 0));
    eng.dmaAsyncIssuePending(chan);
    await until(() => results.length === 6);
    assert.deepEqual(results.map((r) => r.result), Array(6).fill(DmaTransResult.NOERROR));
    assert.deepEqual(dst.subarray(9), s[0]!.subarray(1, 1 + len));
    assert.equal(chan.memcpyCount, 1);
    assert.equal(chan.bytesTransferred, len);
    for (let i = 0; i < len; i++) {
      const v = s.map((b, k) => b[k + 1 + i]!);
      assert.equal(x[i], v[1]! ^ v[2]! ^ v[3]!);
      assert.equal(p[i], v[0]! ^ v[1]! ^ v[2]! ^ v[3]!);
      assert.equal(q[i], v.reduce((acc, b, k) => acc ^ gfMul(scf[k]!, b), 0));
      assert.equal(qOnly[i], gfMul(scf[0]!, v[0]!) ^ gfMul(scf[1]!, v[1]!));
    }
    assert.equal(pqres.value, 0);
    assert.equal(xres.value, 0);
    q[5]! ^= 1;
    const bad = { value: -1 };
    const t = dev.devicePrepDmaPqVal(chan, [dmaAddr(p), dmaAddr(q)], srcs, 4, scf, len, bad, 0)!;
    const ck = eng.dmaengineSubmit(t);
    assert.equal(eng.dmaSyncWait(chan, ck), DmaStatus.COMPLETE, 'a blocking wait completes without the loop turning');
    assert.equal(bad.value, SumCheckFlags.Q_RESULT, 'the result is in when the status says COMPLETE');
  });

  it('an injected failure: callback result, status ERROR (also through a blocking wait), dependants still run', async () => {
    const { eng, dev, chan } = setup();
    dev.injectError(chan, 1, DmaTransResult.WRITE_FAILED);
    const d = new Uint8Array(8);
    const tx = dev.devicePrepDmaMemset(chan, dmaAddr(d), 1, 8, 0)!;
    let got: DmaengineResult | null = null;
    tx.callbackResult = (_p, r) => { got = r; };
    const child = dev.devicePrepDmaMemset(dev.channels[1]!, dmaAddr(d), 2, 8, 0)!;
    tx.next = child;
    child.parent = tx;
    const cookie = eng.dmaengineSubmit(tx);
    assert.equal(eng.dmaSyncWait(chan, cookie), DmaStatus.ERROR);
    assert.deepEqual(got, { result: DmaTransResult.WRITE_FAILED, residue: 0 });
    assert.ok(child.cookie > 0, 'the dependant was submitted (dmaRunDependencies)');
    eng.dmaAsyncIssuePending(dev.channels[1]!);
    await until(() => d[0] === 2);
    assert.ok(d.every((v) => v === 2));
  });

  it('terminate: pending descriptors complete ABORTED, status ERROR; the channel stays usable', async () => {
    const { eng, dev, chan } = setup();
    const res: number[] = [];
    const cookies = [0, 1, 2].map(() => {
      const tx = dev.devicePrepDmaInterrupt(chan, 0)!;
      tx.callbackResult = (_p, r) => res.push(r.result);
      return eng.dmaengineSubmit(tx);
    });
    eng.dmaengineTerminateSync(chan);
    await until(() => res.length === 3);
    assert.deepEqual(res, Array(3).fill(DmaTransResult.ABORTED));
    for (const c of cookies) assert.equal(eng.dmaengineTxStatus(chan, c), DmaStatus.ERROR);
    const d = new Uint8Array(4);
    const ok = eng.dmaengineSubmit(dev.devicePrepDmaMemset(chan, dmaAddr(d), 3, 4, 0)!);
    assert.equal(eng.dmaSyncWait(chan, ok), DmaStatus.COMPLETE);
    assert.ok(d.every((v) => v === 3));
  });

  it('forced unregister: pending work completes ABORTED, later use throws ENODEV, the engine is closed', async () => {
    const { eng, dev, chan } = setup();
    const res: number[] = [];
    const tx = dev.devicePrepDmaInterrupt(chan, 0)!;
    tx.callbackResult = (_p, r) => res.push(r.result);
    eng.dmaengineSubmit(tx);
    const engine = dev.engine;
    assert.throws(() => eng.dmaAsyncDeviceUnregister(dev), (e: unknown) => e instanceof DmaEngineError && e.code === 'EBUSY');
    eng.dmaAsyncDeviceUnregister(dev, { force: true });
    await until(() => res.length === 1);
    assert.deepEqual(res, [DmaTransResult.ABORTED]);
    assert.throws(() => eng.dmaAsyncIssuePending(chan), (e: unknown) => e instanceof DmaEngineError && e.code === 'ENODEV');
    assert.throws(() => engine.submit(0, { op: 'interrupt' }), /The engine is closed/);
  });

  it('faults at the provider level: prep null, submit -EIO, hang (IN_PROGRESS until terminate), busy, corrupt', async () => {
    const { eng, dev, chan } = setup();
    const d = new Uint8Array(16);
    const res: string[] = [];
    const prep = (v: number) => {
      const tx = dev.devicePrepDmaMemset(chan, dmaAddr(d), v, 16, 0);
      if (tx) tx.callbackResult = (_p, r) => res.push(`${v}:${r.result}`);
      return tx;
    };
    dev.injectFault(chan, 'prep', 2);
    assert.ok(prep(1));
    assert.equal(prep(2), null);
    assert.ok(prep(3), 'a fault applies once');
    dev.injectFault(null, 'submit');
    assert.ok(eng.dmaengineSubmit(prep(4)!) < 0);
    assert.equal(chan.cookie, 1, 'nothing queued');
    dev.injectFault(chan, 'busy');
    const busy = eng.dmaengineSubmit(prep(5)!);
    eng.dmaAsyncIssuePending(chan);
    await until(() => res.length === 1);
    assert.deepEqual(res, ['5:0']);
    assert.equal(eng.dmaengineTxStatus(chan, busy), DmaStatus.IN_PROGRESS);
    dev.injectFault(chan, 'corrupt');
    const ck = eng.dmaengineSubmit(prep(6)!);
    assert.equal(eng.dmaSyncWait(chan, ck), DmaStatus.COMPLETE);
    assert.ok(d.every((v) => v === (6 ^ 0xff)), 'every destination byte inverted');
    dev.injectFault(chan, 'hang');
    const hung = eng.dmaengineSubmit(prep(7)!);
    const after = eng.dmaengineSubmit(prep(8)!);
    eng.dmaAsyncIssuePending(chan);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(res, ['5:0', '6:0'], 'no callback from the hung descriptor nor the one behind it');
    assert.equal(eng.dmaengineTxStatus(chan, hung), DmaStatus.IN_PROGRESS);
    assert.equal(eng.dmaengineTxStatus(chan, after), DmaStatus.IN_PROGRESS);
    eng.dmaengineTerminateSync(chan);
    assert.deepEqual(res.slice(2), [`7:${DmaTransResult.ABORTED}`, `8:${DmaTransResult.ABORTED}`]);
    assert.equal(eng.dmaengineTxStatus(chan, hung), DmaStatus.ERROR);
    assert.equal(eng.dmaengineTxStatus(chan, after), DmaStatus.ERROR);
  });

  it('unregister closes the engine; registering the device again starts a fresh one', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const dev = createSoftDevice({ channels: 1, caps: [DmaCap.MEMSET] });
    for (let round = 0; round < 2; round++) {
      eng.dmaAsyncDeviceRegister(dev);
      eng.dmaengineGet();
      const chan = dev.channels[0]!;
      const d = new Uint8Array(32);
      const ck = eng.dmaengineSubmit(dev.devicePrepDmaMemset(chan, dmaAddr(d), round + 1, 32, 0)!);
      assert.equal(ck, 2, 'cookies start over with the new engine');
      assert.equal(eng.dmaSyncWait(chan, ck), DmaStatus.COMPLETE);
      assert.ok(d.every((v) => v === round + 1));
      const engine = dev.engine;
      eng.dmaenginePut();
      eng.dmaAsyncDeviceUnregister(dev);
      assert.throws(() => engine.submit(0, { op: 'interrupt' }), /The engine is closed/);
    }
  });
});
