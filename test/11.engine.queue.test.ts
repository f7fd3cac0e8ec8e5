// Queue semantics seen from JavaScript: nothing before the doorbell, cookies and the shared
// completed-cookie memory, batched delivery, terminate, error injection, fence, cross-channel
// waits, cookie wrap, close.
import assert from 'node:assert/strict';
import { SoftEngine, DmaTransResult } from '../lib/engine';
import { collect } from './helpers/engine-wait';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SoftEngine queues', () => {
  let eng: SoftEngine;
  let c: ReturnType<typeof collect>;
  beforeEach(() => { eng = new SoftEngine({ channels: 3, spinMicros: 20 }); c = collect(eng); });
  afterEach(() => eng.close());

  it('runs nothing before issuePending, then completes in cookie order', async () => {
    const src = Buffer.alloc(4096, 0x3c);
    const dsts = Array.from({ length: 10 }, () => Buffer.alloc(4096));
    const cookies = dsts.map((dst) => eng.submit(1, { op: 'memcpy', dst, src, len: 4096 }));
    assert.equal(cookies[0], 2, 'the counter starts at 1 (dma_cookie_init)');
    assert.deepEqual(cookies, cookies.map((_, i) => 2 + i));
    assert.equal(eng.lastCookie(1), 11);
    await sleep(30);
    assert.equal(c.all.length, 0);
    assert.equal(eng.completedCookie(1), 1);
    assert.ok(dsts.every((d) => d[0] === 0));
    assert.equal(eng.outstanding, 0);
    assert.equal(eng.issuePending(0), 0, 'another channel\'s doorbell runs nothing');
    assert.equal(eng.issuePending(1), 10);
    const all = await c.until(10);
    assert.deepEqual(all.map((x) => x.cookie), cookies);
    assert.ok(all.every((x) => x.channel === 1 && x.result === DmaTransResult.NOERROR));
    assert.equal(eng.completedCookie(1), 11);
    assert.ok(eng.isComplete(1, 11));
    assert.ok(dsts.every((d) => d.equals(src)));
    assert.equal(eng.outstanding, 0);
  });

  it('publishes the completed cookie in shared memory before the batch is delivered', async () => {
    const dst = Buffer.alloc(1 << 20);
    const cookie = eng.submit(0, { op: 'memset', dst, value: 1, len: dst.length });
    assert.ok(!eng.isComplete(0, cookie));
    eng.issuePending(0);
    // Poll shared memory (no native call) until the worker publishes.
    const t0 = Date.now();
    while (eng.completedCookie(0) !== cookie && Date.now() - t0 < 5000) { /* spin */ }
    assert.equal(eng.completedCookie(0), cookie);
    assert.equal(c.all.length, 0, 'the batch arrives on a later turn of the loop');
    await c.until(1);
  });

  it('delivers many completions in one batch', async () => {
    const src = Buffer.alloc(64, 1);
    const dst = Buffer.alloc(64);
    for (let i = 0; i < 500; i++) eng.submit(2, { op: 'memcpy', dst, src, len: 64 });
    eng.issuePending(2);
    // Block the loop while the worker finishes: everything is ready at the next wake-up.
    const t0 = Date.now();
    while (eng.completedCookie(2) !== eng.lastCookie(2) && Date.now() - t0 < 5000) { /* spin */ }
    await c.until(500);
    assert.deepEqual(c.batchSizes, [500]);
  });

  it('terminate completes everything not yet run as ABORTED, in order', async () => {
    // The first descriptor waits for a cookie channel 1 never issues: the queue stays put.
    const never = eng.submit(1, { op: 'interrupt' });
    const dst = Buffer.alloc(256);
    eng.submit(0, { op: 'memset', dst, value: 1, len: 256, waitFor: { channel: 1, cookie: never } });
    eng.submit(0, { op: 'memset', dst, value: 2, len: 256 });
    eng.issuePending(0);
    eng.submit(0, { op: 'memset', dst, value: 3, len: 256 });  // not issued
    await sleep(10);
    assert.equal(c.all.length, 0);
    eng.terminate(0);
    const all = await c.until(3);
    assert.deepEqual(all.map((x) => x.result), [DmaTransResult.ABORTED, DmaTransResult.ABORTED, DmaTransResult.ABORTED]);
    assert.deepEqual(all.map((x) => x.cookie), [2, 3, 4]);
    assert.equal(eng.completedCookie(0), 4);
    assert.ok(dst.every((b) => b === 0));
    eng.submit(0, { op: 'memset', dst, value: 4, len: 256 });
    eng.issuePending(0);
    await c.until(4);
    assert.equal(c.all[3]!.result, DmaTransResult.NOERROR);
    assert.equal(dst[255], 4);
  });

  it('injectError fails the nth descriptor from now, which writes nothing', async () => {
    const bufs = [0, 1, 2].map(() => Buffer.alloc(32));
    eng.injectError(0, 2, DmaTransResult.READ_FAILED);
    bufs.forEach((dst, i) => eng.submit(0, { op: 'memset', dst, value: i + 1, len: 32 }));
    eng.injectError(1, 1, DmaTransResult.WRITE_FAILED);
    eng.submit(1, { op: 'interrupt' });
    eng.issuePending(0);
    eng.issuePending(1);
    const all = await c.until(4);
    const ch0 = all.filter((x) => x.channel === 0).map((x) => x.result);
    assert.deepEqual(ch0, [DmaTransResult.NOERROR, DmaTransResult.READ_FAILED, DmaTransResult.NOERROR]);
    assert.equal(all.find((x) => x.channel === 1)!.result, DmaTransResult.WRITE_FAILED);
    assert.equal(bufs[0]![0], 1);
    assert.ok(bufs[1]!.every((b) => b === 0));
    assert.equal(bufs[2]![31], 3);
  });

  it('a failed fenced descriptor aborts its dependant', async () => {
    const a = Buffer.alloc(8);
    const b = Buffer.alloc(8);
    const d = Buffer.alloc(8);
    eng.injectError(0, 1, DmaTransResult.WRITE_FAILED);
    eng.submit(0, { op: 'memset', dst: a, value: 1, len: 8, fence: true });
    eng.submit(0, { op: 'memset', dst: b, value: 2, len: 8 });
    eng.submit(0, { op: 'memset', dst: d, value: 3, len: 8 });
    eng.issuePending(0);
    const all = await c.until(3);
    assert.deepEqual(all.map((x) => x.result), [DmaTransResult.WRITE_FAILED, DmaTransResult.ABORTED, DmaTransResult.NOERROR]);
    assert.equal(b[0], 0);
    assert.equal(d[0], 3);
  });

  it('a descriptor waiting for another channel\'s cookie runs after it', async () => {
    const len = 4 << 20;
    const a = Buffer.alloc(len);
    const b = Buffer.alloc(len);
    const fillCookie = eng.submit(0, { op: 'memset', dst: a, value: 0x77, len });
    eng.submit(1, { op: 'memcpy', dst: b, src: a, len, waitFor: { channel: 0, cookie: fillCookie } });
    eng.issuePending(1);  // issued first: it must park, not copy zeros
    await sleep(10);
    assert.equal(c.all.length, 0);
    eng.issuePending(0);
    await c.until(2);
    assert.ok(c.all.every((x) => x.result === DmaTransResult.NOERROR));
    assert.equal(b[0], 0x77);
    assert.equal(b[len - 1], 0x77);
  });

  it('cookies wrap from 2^31-1 to 1', async () => {
    eng.setCookieForTest(2, 2 ** 31 - 2);
    const cookies = [0, 1, 2].map(() => eng.submit(2, { op: 'interrupt' }));
    assert.deepEqual(cookies, [2 ** 31 - 1, 1, 2]);
    assert.ok(!eng.isComplete(2, 1));
    eng.issuePending(2);
    await c.until(3);
    assert.deepEqual(c.all.map((x) => x.cookie), cookies);
    assert.equal(eng.completedCookie(2), 2);
    assert.ok(eng.isComplete(2, 2 ** 31 - 1));
  });

  it('close delivers what had not run as ABORTED', async () => {
    const dst = Buffer.alloc(16);
    eng.submit(0, { op: 'memset', dst, value: 1, len: 16 });
    eng.submit(0, { op: 'memset', dst, value: 2, len: 16 });
    eng.close();
    const all = await c.until(2);
    assert.deepEqual(all.map((x) => x.result), [DmaTransResult.ABORTED, DmaTransResult.ABORTED]);
    assert.ok(dst.every((b) => b === 0));
  });
});
