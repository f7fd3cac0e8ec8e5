// Getters that detach a buffer in the middle of a native call (issue 10, item 2). Every binding
// that reads an Array element (the only argument reads that may run JavaScript) must read every
// value first and take pointers last: a buffer detached by a getter, even one checked before
// the getter ran, is refused with a TypeError naming it, and nothing is written or queued.
// Also: a resizable ArrayBuffer, which JavaScript can shrink under an engine's worker, is
// refused by the engine. The dmabuf bindings take no pointer from JavaScript (numbers and
// strings only), so they have no case here; their mappings in flight are covered by
// 11.engine.transfer.test.ts.
import assert from 'node:assert/strict';
import { native } from '../lib/native';
import type { SoftEngineHandle } from '../lib/native-types/engine';

const LEN = 64;
const block = (fill: number): Uint8Array => new Uint8Array(LEN).fill(fill);

// A victim buffer and the detach its getter performs; `moved` receives its bytes (the
// transferred memory), so a write that happened anyway would show there.
function victim(fill = 0x5a): { buf: Uint8Array; detach: () => void; moved: () => Uint8Array } {
  const buf = block(fill);
  let moved: ArrayBufferLike | null = null;
  return {
    buf,
    detach: () => { moved = structuredClone(buf.buffer as ArrayBuffer, { transfer: [buf.buffer as ArrayBuffer] }); },
    moved: () => new Uint8Array(moved!),
  };
}

// An Array whose element `at` is a getter that runs `effect` first, then yields `value`.
function withGetter(items: unknown[], at: number, value: unknown, effect: () => void): unknown[] {
  const a = items.slice();
  Object.defineProperty(a, at, { get: () => { effect(); return value; }, enumerable: true });
  return a;
}

function expectDetachedError(call: () => unknown, arg: string): void {
  assert.throws(call, (e: Error) => {
    assert.ok(e instanceof TypeError, `expected TypeError, got ${e.constructor.name}: ${e.message}`);
    assert.match(e.message, /detached/);
    assert.ok(e.message.includes(`"${arg}"`), `message should name "${arg}": ${e.message}`);
    return true;
  });
}

function assertUnchanged(bytes: Uint8Array, fill: number, what: string): void {
  assert.ok(bytes.every((b) => b === fill), `${what} was written`);
}

describe('native bindings: a getter that detaches a buffer during the call', () => {
  describe('SoftEngineHandle submit methods', () => {
    let h: SoftEngineHandle;
    let completions = 0;
    before(() => { h = new (native().SoftEngineHandle)(2, 0, (_b, count) => { completions += count; }); });
    after(() => h.close());

    // Runs `submit`, which must throw naming `arg`; then rings both doorbells and waits, so a
    // descriptor queued anyway would complete and write.
    async function refuses(submit: () => unknown, arg: string, v: ReturnType<typeof victim>, fill: number): Promise<void> {
      const before = [h.status()[1], h.status()[17]];
      const delivered = completions;
      expectDetachedError(submit, arg);
      assert.equal(h.issuePending(0) + h.issuePending(1), 0, 'nothing was queued');
      assert.deepEqual([h.status()[1], h.status()[17]], before, 'no cookie was assigned');
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(completions, delivered);
      assertUnchanged(v.moved(), fill, 'the transferred buffer');
    }

    it('xor: dst detached by a source getter', async () => {
      const v = victim();
      const srcs = withGetter([block(1), block(2)], 1, block(2), v.detach);
      await refuses(() => h.xor(0, 0, -1, 0, v.buf, srcs as Uint8Array[], 0, LEN), 'dst', v, 0x5a);
    });
    it('xorVal: an earlier source detached by a later one\'s getter', async () => {
      const v = victim(3);
      const srcs = withGetter([v.buf, block(1), block(2)], 2, block(2), v.detach);
      await refuses(() => h.xorVal(0, 0, -1, 0, srcs as Uint8Array[], 0, LEN), 'srcs[0]', v, 3);
    });
    it('pq: P detached by a data block\'s getter', async () => {
      const v = victim();
      const blocks = withGetter([block(1), block(2), block(3), v.buf, block(0)], 0, block(1), v.detach);
      await refuses(() => h.pq(1, 0, -1, 0, blocks as Uint8Array[], 0, LEN, 0, 0), 'blocks[3]', v, 0x5a);
    });
    it('pqVal: a data block detached by Q\'s getter', async () => {
      const v = victim(7);
      const blocks = withGetter([v.buf, block(2), block(3), block(0)], 3, block(0), v.detach);
      await refuses(() => h.pqVal(0, 0, -1, 0, blocks as Uint8Array[], 0, LEN), 'blocks[0]', v, 7);
    });
    it('recov2Data: a lost block detached by P\'s getter', async () => {
      const v = victim();
      const blocks = withGetter([v.buf, block(2), block(3), block(4), block(5)], 3, block(4), v.detach);
      await refuses(() => h.recov2Data(0, 0, -1, 0, blocks as Uint8Array[], 0, LEN, 0, 1), 'blocks[0]', v, 0x5a);
    });
    it('recovDataP: P detached by Q\'s getter', async () => {
      const v = victim();
      const blocks = withGetter([block(1), block(2), v.buf, block(4)], 3, block(4), v.detach);
      await refuses(() => h.recovDataP(0, 0, -1, 0, blocks as Uint8Array[], 0, LEN, 0), 'blocks[2]', v, 0x5a);
    });
    it('pqCoef: p detached by a source getter', async () => {
      const v = victim();
      const srcs = withGetter([block(1), block(2)], 0, block(1), v.detach);
      await refuses(() => h.pqCoef(0, 0, -1, 0, srcs as Uint8Array[], Uint8Array.of(1, 2), v.buf, block(0), 0, LEN), 'p', v, 0x5a);
    });
    it('pqCoefVal: q detached by a source getter', async () => {
      const v = victim(9);
      const srcs = withGetter([block(1), block(2)], 1, block(2), v.detach);
      await refuses(() => h.pqCoefVal(0, 0, -1, 0, srcs as Uint8Array[], Uint8Array.of(1, 2), block(3), v.buf, 0, LEN), 'q', v, 9);
    });
    it('refuses a resizable ArrayBuffer, which JavaScript could shrink under a worker', () => {
      const ab = new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(LEN, { maxByteLength: 2 * LEN });
      const before = h.status()[1];
      assert.throws(() => h.memcpy(0, 0, -1, 0, new Uint8Array(ab), 0, block(1), 0, LEN),
        { name: 'TypeError', message: /fixed-length ArrayBuffer for "dst"/ });
      assert.equal(h.status()[1], before, 'no cookie was assigned');
    });
  });

  describe('kernel bindings', () => {
    const n = () => native();
    it('kernelXor: dst detached by a source getter', () => {
      const v = victim();
      const srcs = withGetter([block(1), block(2)], 1, block(2), v.detach);
      expectDetachedError(() => n().kernelXor(v.buf, 0, srcs as Uint8Array[], [0, 0], LEN, true), 'dst');
      assertUnchanged(v.moved(), 0x5a, 'the transferred dst');
    });
    it('kernelXor: dst detached by a source offset getter', () => {
      const v = victim();
      const offs = withGetter([0, 0], 0, 0, v.detach);
      expectDetachedError(() => n().kernelXor(v.buf, 0, [block(1), block(2)], offs as number[], LEN, false), 'dst');
      assertUnchanged(v.moved(), 0x5a, 'the transferred dst');
    });
    it('kernelXorIsZero: a source detached by a later offset getter', () => {
      const v = victim(0);
      const offs = withGetter([0, 0], 1, 0, v.detach);
      expectDetachedError(() => n().kernelXorIsZero([v.buf, block(0)], offs as number[], LEN), 'srcs[0]');
    });
    const pqBlocks = (v: Uint8Array, at: number, disks = 6): Uint8Array[] => {
      const b = Array.from({ length: disks }, (_, i) => block(i + 1));
      b[at] = v;
      return b;
    };
    it('kernelPqGen: P detached by a data block getter', () => {
      const v = victim();
      const blocks = withGetter(pqBlocks(v.buf, 4), 0, block(1), v.detach);
      expectDetachedError(() => n().kernelPqGen(blocks as Uint8Array[], [0, 0, 0, 0, 0, 0], LEN), 'blocks[4]');
      assertUnchanged(v.moved(), 0x5a, 'the transferred P');
    });
    it('kernelPqGenXor: Q detached by an offset getter', () => {
      const v = victim();
      const offs = withGetter([0, 0, 0, 0, 0, 0], 2, 0, v.detach);
      expectDetachedError(() => n().kernelPqGenXor(pqBlocks(v.buf, 5), offs as number[], 0, 1, LEN), 'blocks[5]');
      assertUnchanged(v.moved(), 0x5a, 'the transferred Q');
    });
    it('kernelPqCheck: a data block detached by Q\'s getter', () => {
      const v = victim();
      const blocks = withGetter(pqBlocks(v.buf, 1), 5, block(6), v.detach);
      expectDetachedError(() => n().kernelPqCheck(blocks as Uint8Array[], [0, 0, 0, 0, 0, 0], LEN), 'blocks[1]');
    });
    it('kernel2DataRecov: a lost block detached by P\'s getter', () => {
      const v = victim();
      const blocks = withGetter(pqBlocks(v.buf, 2), 4, block(5), v.detach);
      expectDetachedError(() => n().kernel2DataRecov(blocks as Uint8Array[], [0, 0, 0, 0, 0, 0], LEN, 1, 2), 'blocks[2]');
      assertUnchanged(v.moved(), 0x5a, 'the transferred lost block');
    });
    it('kernelDatapRecov: P detached by a data block getter', () => {
      const v = victim();
      const blocks = withGetter(pqBlocks(v.buf, 4), 1, block(2), v.detach);
      expectDetachedError(() => n().kernelDatapRecov(blocks as Uint8Array[], [0, 0, 0, 0, 0, 0], LEN, 0), 'blocks[4]');
      assertUnchanged(v.moved(), 0x5a, 'the transferred P');
    });
  });
});
