// The 'memfd' source on any kernel: MAP_SHARED semantics, info(), ENOTSUP for dma-buf-only
// calls, the closed-buffer errors, the lifetime rule (bytes outlive close) and leak counts.
import assert from 'node:assert/strict';
import { readSync, writeSync, openSync, closeSync } from 'node:fs';
import { allocDmaBuf, pageSize, DmaBuf } from '../lib/dmabuf';
import { DmaEngineError } from '../lib/dmaengine/errors';
import { leakDelta, pattern, collect } from './30.dmabuf.helpers';

const PAGE = pageSize();

describe('DmaBuf (memfd source)', () => {
  it('rejects bad arguments to its methods', () => {
    const b = allocDmaBuf(PAGE, { source: 'memfd' });
    try {
      assert.throws(() => b.syncStart('sideways' as never), { name: 'RangeError', message: /"dir"/ });
      assert.throws(() => b.syncEnd(1 as never), { name: 'TypeError', message: /"dir"/ });
      assert.throws(() => b.setName(''), { name: 'RangeError', message: /"name"/ });
      assert.throws(() => b.importSyncFile(-3), { name: 'RangeError', message: /"syncFd"/ });
      assert.throws(() => b.exportSyncFile('x' as never), { name: 'RangeError', message: /"flags"/ });
    } finally {
      b.close();
    }
  });

  it('maps the memfd MAP_SHARED: writes through bytes show in the file and back', () => {
    const size = 3 * PAGE;
    const b = allocDmaBuf(size, { source: 'memfd', name: 'memfd-test' });
    try {
      assert.equal(b.source, 'memfd');
      assert.equal(b.size, size);
      assert.equal(b.bytes.length, size);
      assert.ok(b.bytes.every((x) => x === 0), 'fresh pages are zero');
      const want = pattern(size, 7);
      b.syncStart('write');
      b.bytes.set(want);
      b.syncEnd('write');
      // Read through the fd (a different path to the same pages): equal only if MAP_SHARED.
      const got = Buffer.alloc(size);
      assert.equal(readSync(b.fd, got, 0, size, 0), size);
      assert.deepEqual(new Uint8Array(got), want);
      // And the other way: pwrite on the fd shows in the mapping.
      writeSync(b.fd, Buffer.from([0xab, 0xcd]), 0, 2, PAGE + 5);
      assert.equal(b.bytes[PAGE + 5], 0xab);
      assert.equal(b.bytes[PAGE + 6], 0xcd);
    } finally {
      b.close();
    }
  });

  it('info() reports the size and no dma-buf fields', () => {
    const b = allocDmaBuf(2 * PAGE, { source: 'memfd' });
    try {
      assert.deepEqual(b.info(), { size: 2 * PAGE, count: null, expName: null, name: null });
      assert.equal(b.isDmaBuf, false);
    } finally {
      b.close();
    }
  });

  it('dma-buf-only calls throw ENOTSUP and say what to use instead', () => {
    const b = allocDmaBuf(PAGE, { source: 'memfd' });
    try {
      for (const f of [() => b.setName('x'), () => b.exportSyncFile('read'), () => b.importSyncFile(0, 'read')]) {
        assert.throws(f, (e: unknown) => e instanceof DmaEngineError && e.code === 'ENOTSUP' &&
          e.errno === -95 && /source 'udmabuf' or 'heap:system'/.test(e.message));
      }
    } finally {
      b.close();
    }
  });

  it('a closed buffer throws EBADF from every method, and close() is idempotent', () => {
    const b = allocDmaBuf(PAGE, { source: 'memfd' });
    b.close();
    b.close();
    assert.equal(b.fd, -1);
    assert.equal(b.closed, true);
    const calls: Array<() => unknown> = [() => b.bytes, () => b.syncStart(), () => b.syncEnd(), () => b.info(),
      () => b.setName('n'), () => b.exportSyncFile(), () => b.importSyncFile(0)];
    for (const f of calls) {
      assert.throws(f, (e: unknown) => e instanceof DmaEngineError && e.code === 'EBADF' && e.errno === -9 &&
        /this DmaBuf is closed/.test(e.message));
    }
  });

  it('bytes taken before close() stay valid after close() (the mapping outlives the fd)', async () => {
    const b = allocDmaBuf(PAGE, { source: 'memfd' });
    const view = b.bytes;
    view.fill(0x5a);
    b.close();
    await collect();
    // An operation still holding `view` reads and writes the same pages.
    assert.ok(view.every((x) => x === 0x5a));
    view[100] = 1;
    assert.equal(view[100], 1);
  });

  it('leaks no fd and no mapping: close(), drop, and a DmaBuf collected without close()', async () => {
    const d = await leakDelta(() => {
      for (let i = 0; i < 20; i++) {
        const b = allocDmaBuf(4 * PAGE, { source: 'memfd' });
        b.bytes[0] = i;
        if (i % 2 === 0) b.close(); // odd ones are dropped unclosed: the registry closes them
      }
    });
    assert.deepEqual(d, { fds: 0, maps: 0 });
  });

  it('failed allocations leak nothing', async () => {
    const d = await leakDelta(() => {
      for (let i = 0; i < 5; i++) {
        assert.throws(() => allocDmaBuf(PAGE + 1, { source: 'memfd' }), RangeError);
        assert.throws(() => allocDmaBuf(PAGE, { source: 'heap:no-such-heap-here' }), DmaEngineError);
      }
    });
    assert.deepEqual(d, { fds: 0, maps: 0 });
  });

  it('is a DmaBuf instance with the documented surface', () => {
    const b = allocDmaBuf(PAGE, { source: 'memfd' });
    try {
      assert.ok(b instanceof DmaBuf);
      const fd = openSync('/proc/self/fdinfo/' + b.fd, 'r');
      closeSync(fd);
    } finally {
      b.close();
    }
  });
});
