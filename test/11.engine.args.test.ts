// Bad input at the N-API boundary of the software engine: every case throws a TypeError or
// RangeError naming the argument, before anything is queued (the channel's cookie counter
// does not move and nothing completes).
import assert from 'node:assert/strict';
import { SoftEngine, type EngineOp } from '../lib/engine';
import { native } from '../lib/native';

describe('SoftEngine: invalid arguments', () => {
  let eng: SoftEngine;
  const buf = Buffer.alloc(64);
  const src = Buffer.alloc(64, 1);
  before(() => { eng = new SoftEngine({ channels: 2, spinMicros: 0 }); });
  after(() => eng.close());

  // Asserts that submit throws `type` with a message matching `re`, and queued nothing.
  function rejects(op: unknown, type: typeof TypeError | typeof RangeError, re: RegExp, chan: unknown = 0): void {
    const before = [eng.lastCookie(0), eng.lastCookie(1)];
    assert.throws(() => eng.submit(chan as number, op as EngineOp), (e: Error) => {
      assert.equal(e.constructor, type, `${e.constructor.name}: ${e.message}`);
      assert.match(e.message, re);
      return true;
    });
    assert.deepEqual([eng.lastCookie(0), eng.lastCookie(1)], before, 'nothing queued');
  }
  const copy = (o: Record<string, unknown>): unknown => ({ op: 'memcpy', dst: buf, src, len: 64, ...o });
  const detached = (): Uint8Array => {
    const ab = new ArrayBuffer(64);
    const u8 = new Uint8Array(ab);
    structuredClone(ab, { transfer: [ab] });
    return u8;
  };

  describe('new SoftEngine()', () => {
    it('rejects a missing options object', () => {
      assert.throws(() => new SoftEngine(undefined as never), { name: 'TypeError', message: /"options"/ });
    });
    it('rejects a non-integer channel count', () => {
      assert.throws(() => new SoftEngine({ channels: 1.5 }), {
        name: 'TypeError', message: 'Expected an integer for "channels" but received 1.5 of type number' });
    });
    it('rejects 0 and 65 channels', () => {
      assert.throws(() => new SoftEngine({ channels: 0 }), { name: 'RangeError', message: /"channels" to be an integer between 1 and 64/ });
      assert.throws(() => new SoftEngine({ channels: 65 }), { name: 'RangeError', message: /"channels"/ });
    });
    it('rejects a negative spinMicros', () => {
      assert.throws(() => new SoftEngine({ channels: 1, spinMicros: -1 }), { name: 'RangeError', message: /"spinMicros"/ });
    });
    it('rejects a coalesceMicros that is not an integer', () => {
      assert.throws(() => new SoftEngine({ channels: 1, coalesceMicros: '5' as never }), { name: 'TypeError', message: /"coalesceMicros"/ });
    });
    it('rejects a workerNice above 19', () => {
      assert.throws(() => new SoftEngine({ channels: 1, workerNice: 20 }), { name: 'RangeError', message: /"workerNice" to be an integer between 0 and 19/ });
    });
    it('native handle rejects a missing batch handler', () => {
      assert.throws(() => new (native().SoftEngineHandle)(1, 0, 5 as never), {
        name: 'TypeError', message: 'Expected a function for "onBatch" but received 5 of type number' });
    });
  });

  describe('SoftEngine#submit()', () => {
    it('rejects an op that is not an object', () => rejects(null, TypeError, /"op" but received null/));
    it('rejects an unknown op name', () => rejects({ op: 'memmove' }, RangeError,
      /^Expected "op.op" to be one of memcpy, memset, xor, xor_val, pq, pq_val, recov_2data, recov_datap, interrupt, pq_coef, pq_coef_val but received "memmove"$/));
    it('rejects an op name that is not a string', () => rejects({ op: 7 }, TypeError, /"op.op" but received 7 of type number/));
    it('rejects a bad channel index', () => rejects(copy({}), RangeError, /^Expected "channel" to be an integer between 0 and 1 but received 2$/, 2));
    it('rejects a negative channel index', () => rejects(copy({}), RangeError, /"channel".*received -1/, -1));
    it('rejects a channel that is not a number', () => rejects(copy({}), TypeError, /for "channel" but received "0" of type string/, '0'));
    it('rejects a dst that is not a buffer', () => rejects(copy({ dst: [1, 2] }), TypeError,
      /^Expected a Uint8Array or Buffer for "dst" but received \[Array\] of type Array$/));
    it('rejects a typed array of another element type', () => rejects(copy({ src: new Uint16Array(32) }), TypeError, /"src".*TypedArray/));
    it('rejects a detached dst', () => rejects(copy({ dst: detached() }), TypeError, /attached.*"dst"/));
    it('rejects a detached ArrayBuffer source', () => {
      const ab = new ArrayBuffer(64);
      structuredClone(ab, { transfer: [ab] });
      rejects(copy({ src: ab }), TypeError, /attached ArrayBuffer for "src"/);
    });
    it('rejects a negative offset', () => rejects(copy({ dstOffset: -1, len: 1 }), RangeError, /"dstOffset" to be an integer between 0 and 64 but received -1/));
    it('rejects an overflowing offset', () => rejects(copy({ srcOffset: 2 ** 64, len: 1 }), RangeError, /"srcOffset"/));
    it('rejects a fractional offset', () => rejects(copy({ srcOffset: 0.5, len: 1 }), TypeError, /an integer for "srcOffset"/));
    it('rejects a length beyond the buffer', () => rejects(copy({ len: 65 }), RangeError,
      /^Expected "len" to fit in "dst": offset 0 \+ length 65 exceeds its 64 bytes$/));
    it('rejects offset + length beyond the buffer', () => rejects(copy({ srcOffset: 60, len: 8 }), RangeError, /"len" to fit in "src": offset 60 \+ length 8/));
    it('rejects a zero length', () => rejects(copy({ len: 0 }), RangeError, /"len" to be an integer between 1 and/));
    it('rejects an overflowing length', () => rejects(copy({ len: 2 ** 53 }), RangeError, /"len"/));
    it('rejects a memset value above 255', () => rejects({ op: 'memset', dst: buf, value: 256, len: 1 }, RangeError, /"value" to be an integer between 0 and 255/));
    it('rejects a fence that is not a boolean', () => rejects(copy({ fence: 1 }), TypeError, /a boolean for "fence"/));
    it('rejects zeroDst that is not a boolean', () => rejects({ op: 'xor', dst: buf, srcs: [src], len: 8, zeroDst: 'yes' }, TypeError, /"zeroDst"/));
    it('rejects srcs that is not an array', () => rejects({ op: 'xor', dst: buf, srcs: src, len: 8 }, TypeError, /an Array of Uint8Array or null for "srcs"/));
    it('rejects xor with no source', () => rejects({ op: 'xor', dst: buf, srcs: [], len: 8 }, RangeError,
      /^Expected "srcs" to have between 1 and 255 entries but received 0$/));
    it('rejects xor with 256 sources', () => rejects({ op: 'xor', dst: buf, srcs: new Array(256).fill(src), len: 8 }, RangeError, /"srcs" to have between 1 and 255 entries but received 256/));
    it('rejects xor_val with 256 sources', () => rejects({ op: 'xor_val', srcs: new Array(256).fill(null), len: 8 }, RangeError, /"srcs"/));
    it('rejects a source that is not a buffer, naming its index', () => rejects({ op: 'xor', dst: buf, srcs: [src, 3], len: 8 }, TypeError, /for "srcs\[1\]" but received 3 of type number/));
    it('rejects a source too short for offset + len, naming its index', () => rejects({ op: 'xor', dst: Buffer.alloc(128), srcs: [src, Buffer.alloc(8)], offset: 4, len: 8 }, RangeError, /fit in "srcs\[1\]"/));
    it('rejects a detached source, naming its index', () => rejects({ op: 'xor_val', srcs: [src, detached()], len: 8 }, TypeError, /attached.*"srcs\[1\]"/));
    it('rejects pq with 2 disks', () => rejects({ op: 'pq', blocks: [src, buf], len: 8 }, RangeError, /"blocks" to have between 3 and 255 entries but received 2/));
    it('rejects pq with 256 disks', () => rejects({ op: 'pq', blocks: new Array(256).fill(buf), len: 8 }, RangeError, /"blocks" to have between 3 and 255/));
    it('rejects pq with neither P nor Q', () => rejects({ op: 'pq', blocks: [src, src, null, null], len: 8 }, RangeError, /"blocks" to be an Array whose P or Q slot/));
    it('rejects pq_val with 2 disks', () => rejects({ op: 'pq_val', blocks: [src, buf], len: 8 }, RangeError, /"blocks"/));
    it('rejects a read-modify-write range past the data slots', () => rejects({ op: 'pq', blocks: [src, src, buf, Buffer.alloc(64)], len: 8, xorDst: { start: 0, stop: 2 } }, RangeError, /"stop" to be an integer between 0 and 1/));
    it('rejects a read-modify-write range with stop < start', () => rejects({ op: 'pq', blocks: [src, src, buf, Buffer.alloc(64)], len: 8, xorDst: { start: 1, stop: 0 } }, RangeError, /"stop" to be an integer between 1 and 1/));
    it('rejects a 2-data recovery with faila = failb', () => rejects({ op: 'recov_2data', blocks: [buf, buf, buf, buf, buf], len: 8, faila: 1, failb: 1 }, RangeError, /"failb" to be an integer between 2 and 2/));
    it('rejects a 2-data recovery whose output slot is null', () => rejects({ op: 'recov_2data', blocks: [buf, null, buf, buf, buf], len: 8, faila: 0, failb: 1 }, TypeError, /for "blocks\[1\]" but received null/));
    it('rejects a data+P recovery with faila on P', () => rejects({ op: 'recov_datap', blocks: [buf, buf, buf, buf], len: 8, faila: 2 }, RangeError, /"faila" to be an integer between 0 and 1/));
    it('rejects a data+P recovery without Q', () => rejects({ op: 'recov_datap', blocks: [buf, buf, buf, null], len: 8, faila: 0 }, TypeError, /"blocks\[3\]"/));
    it('refuses a submit re-entered from an accessor of its own block list', () => {
      const srcs = [src, src];
      Object.defineProperty(srcs, 1, { get() { eng.submit(0, { op: 'memset', dst: buf, value: 1, len: 64 }); return src; } });
      rejects({ op: 'xor', dst: buf, srcs, len: 64 }, Error as never, /Cannot submit to an engine from inside one of its submits/);
    });
    it('propagates an exception thrown by an accessor of the block list, queueing nothing', () => {
      const srcs = [src, src];
      Object.defineProperty(srcs, 0, { get() { throw new RangeError('boom'); } });
      rejects({ op: 'xor_val', srcs, len: 64 }, RangeError, /^boom$/);
    });
    it('rejects waitFor that is not an object', () => rejects(copy({ waitFor: 3 }), TypeError, /an object for "waitFor"/));
    it('rejects waitFor on a channel out of range', () => rejects(copy({ waitFor: { channel: 2, cookie: 2 } }), RangeError, /"waitFor.channel"/));
    it('rejects waitFor on its own channel', () => rejects(copy({ waitFor: { channel: 0, cookie: 2 } }), RangeError, /"waitChannel" to be another channel/));
    it('rejects a wait cookie below 1', () => rejects(copy({ waitFor: { channel: 1, cookie: 0 } }), RangeError, /"waitCookie" to be an integer between 1 and 2147483647/));
  });

  describe('SoftEngine control methods', () => {
    it('issuePending rejects a bad channel', () => {
      assert.throws(() => eng.issuePending(5), { name: 'RangeError', message: /"channel"/ });
    });
    it('terminate rejects a channel that is not an integer', () => {
      assert.throws(() => eng.terminate(0.5), { name: 'TypeError', message: /an integer for "channel"/ });
    });
    it('completedCookie rejects a bad channel', () => {
      assert.throws(() => eng.completedCookie(9), { name: 'RangeError', message: /"channel"/ });
    });
    it('injectError rejects nth = 0', () => {
      assert.throws(() => eng.injectError(0, 0, 1), { name: 'RangeError', message: /"nth" to be an integer between 1/ });
    });
    it('injectError rejects results other than READ_FAILED/WRITE_FAILED', () => {
      assert.throws(() => eng.injectError(0, 1, 3 as never), { name: 'RangeError', message: /"result" to be an integer between 1 and 2 but received 3/ });
      assert.throws(() => eng.injectError(0, 1, 0 as never), { name: 'RangeError', message: /"result"/ });
    });
    it('submit on a closed engine throws and queues nothing', () => {
      const e = new SoftEngine({ channels: 1 });
      e.close();
      assert.throws(() => e.submit(0, { op: 'interrupt' }), { message: 'The engine is closed' });
      e.close();  // idempotent
    });
  });
});
