// dma-buf on the real 6.12 kernel: every source, sync brackets, names, fdinfo counts, import,
// sync_file, UDMABUF_CREATE_LIST, the kernel's own refusals, limits, EACCES, no leaks.
import assert from 'node:assert/strict';
import { closeSync, existsSync, readlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { allocDmaBuf, udmabufCreateList, importDmaBuf, pageSize, DmaBuf } from '../../lib/dmabuf';
import { DmaEngineError } from '../../lib/dmaengine/errors';
import { native } from '../../lib/native';
import { collect, leakDelta, pattern } from '../30.dmabuf.helpers';
import { requireGuest, param } from './lane';

const PAGE = pageSize();
const MiB = 1024 * 1024;
const isErr = (code: string, re: RegExp) => (e: unknown) => e instanceof DmaEngineError && e.code === code && re.test(e.message);
const nativeErr = (code: string) => (e: unknown) => (e as { code?: string }).code === code;

function withBuf<T>(b: DmaBuf, f: (b: DmaBuf) => T): T {
  try {
    return f(b);
  } finally {
    b.close();
  }
}

describe('dma-buf on a real kernel (guest)', function () {
  before(function () {
    requireGuest(this);
    assert.ok(existsSync('/dev/udmabuf'), 'the lane kernel has CONFIG_UDMABUF=y');
    assert.ok(existsSync('/dev/dma_heap/system'), 'the lane kernel has the system heap');
  });

  describe('allocDmaBuf() sources', () => {
    it("'heap:system': a dma-buf from the system heap, zeroed, sized by lseek", () => withBuf(allocDmaBuf(MiB, { source: 'heap:system' }), (b) => {
      assert.equal(b.source, 'heap:system');
      assert.equal(b.isDmaBuf, true);
      assert.equal(b.bytes.length, MiB);
      assert.ok(b.bytes.every((x) => x === 0));
      const info = b.info();
      assert.equal(info.expName, 'system');
      assert.equal(info.size, MiB);
      assert.equal(native().dmabuf.fdSize(b.fd), MiB);
      assert.match(readlinkSync(`/proc/self/fd/${b.fd}`), /dmabuf/);
    }));

    it("'udmabuf': a dma-buf over a sealed memfd, exporter udmabuf", () => withBuf(allocDmaBuf(4 * PAGE, { source: 'udmabuf' }), (b) => {
      assert.equal(b.source, 'udmabuf');
      const info = b.info();
      assert.equal(info.expName, 'udmabuf');
      assert.equal(info.size, 4 * PAGE);
      const want = pattern(4 * PAGE, 3);
      b.syncStart('write');
      b.bytes.set(want);
      b.syncEnd('write');
      b.syncStart('read');
      assert.deepEqual(b.bytes, want);
      b.syncEnd('read');
    }));

    it("'memfd' on a kernel that has both still gives plain shared memory", () => withBuf(allocDmaBuf(PAGE, { source: 'memfd' }), (b) => {
      assert.equal(b.source, 'memfd');
      assert.equal(b.info().expName, null);
    }));

    it("'auto' picks the system heap first", () => withBuf(allocDmaBuf(PAGE), (b) => {
      assert.equal(b.source, 'heap:system');
    }));

    it('options.name names the dma-buf (fdinfo name:)', () => {
      withBuf(allocDmaBuf(PAGE, { source: 'heap:system', name: 'frames' }), (b) => assert.equal(b.info().name, 'frames'));
      withBuf(allocDmaBuf(PAGE, { source: 'udmabuf', name: 'u'.repeat(31) }), (b) => assert.equal(b.info().name, 'u'.repeat(31)));
    });
  });

  describe('DmaBuf sync brackets', () => {
    it('accept every direction on both exporters', () => {
      for (const source of ['heap:system', 'udmabuf'] as const) {
        withBuf(allocDmaBuf(PAGE, { source }), (b) => {
          for (const dir of ['read', 'write', 'rw'] as const) {
            b.syncStart(dir);
            b.bytes[0] ^= 1;
            b.syncEnd(dir);
          }
        });
      }
    });
    it('the kernel refuses flags outside READ|WRITE|END (EINVAL)', () => withBuf(allocDmaBuf(PAGE, { source: 'heap:system' }), (b) => {
      assert.throws(() => native().dmabuf.sync(b.fd, 8), nativeErr('EINVAL'));
      assert.throws(() => native().dmabuf.sync(b.fd, 0), nativeErr('EINVAL')); // no direction
    }));
    it('udmabuf: syncEnd before any syncStart → EINVAL that says so', () => withBuf(allocDmaBuf(PAGE, { source: 'udmabuf' }), (b) => {
      assert.throws(() => b.syncEnd('rw'), isErr('EINVAL', /needs a syncStart before syncEnd/));
    }));
  });

  describe('names, fdinfo and import', () => {
    it('setName shows in fdinfo and can be renamed', () => withBuf(allocDmaBuf(PAGE, { source: 'udmabuf' }), (b) => {
      assert.equal(b.info().name, null);
      b.setName('first');
      assert.equal(b.info().name, 'first');
      b.setName('second');
      assert.equal(b.info().name, 'second');
    }));
    it('importDmaBuf shares the pages; count follows fds and mappings (a mapping outlives close)', async () => {
      const b = allocDmaBuf(2 * PAGE, { source: 'heap:system' });
      try {
        const c0 = b.info().count as number; // this fd + this mapping each hold the file
        assert.ok(c0 >= 1);
        let imp: DmaBuf | null = importDmaBuf(b.fd);
        assert.equal(imp.source, 'import');
        assert.equal(imp.size, 2 * PAGE);
        assert.notEqual(imp.fd, b.fd);
        assert.equal(b.info().count, c0 + 2, 'the dup fd and its mapping');
        b.bytes[PAGE + 1] = 0x77;
        assert.equal(imp.bytes[PAGE + 1], 0x77);
        imp.bytes[0] = 0x11;
        assert.equal(b.bytes[0], 0x11);
        imp.close();
        assert.equal(b.info().count, c0 + 1, 'close() drops the fd, the mapping stays until collected');
        imp = null;
        await collect();
        assert.equal(b.info().count, c0, 'collected: the mapping is gone');
      } finally {
        b.close();
      }
    });
    it('importDmaBuf of a memfd → ENOTTY "not a dma-buf"', () => withBuf(allocDmaBuf(PAGE, { source: 'memfd' }), (m) => {
      assert.throws(() => importDmaBuf(m.fd), isErr('ENOTTY', /is not a dma-buf/));
    }));
  });

  describe('sync_file', () => {
    it('exportSyncFile gives a sync_file fd; importSyncFile takes it back', () => withBuf(allocDmaBuf(PAGE, { source: 'heap:system' }), (b) => {
      for (const dir of ['read', 'write', 'rw'] as const) {
        const sf = b.exportSyncFile(dir);
        try {
          assert.ok(sf > 2);
          assert.match(readlinkSync(`/proc/self/fd/${sf}`), /sync_file/);
          b.importSyncFile(sf, dir === 'rw' ? 'write' : dir);
        } finally {
          closeSync(sf);
        }
      }
    }));
    it('the kernel refuses flags 0 and a non-sync_file fd', () => withBuf(allocDmaBuf(PAGE, { source: 'udmabuf' }), (b) => {
      assert.throws(() => native().dmabuf.exportSyncFile(b.fd, 0), nativeErr('EINVAL'));
      assert.throws(() => b.importSyncFile(b.fd, 'read'), (e: unknown) => e instanceof DmaEngineError && e.code === 'EINVAL');
    }));
  });

  describe('udmabufCreateList()', () => {
    it('concatenates new memfds and ranges of existing ones, in order, sharing their pages', () => {
      const m = allocDmaBuf(4 * PAGE, { source: 'memfd' });
      try {
        m.bytes.set(pattern(4 * PAGE, 11));
        const u = udmabufCreateList([{ size: PAGE }, { memfd: m.fd, offset: 2 * PAGE, size: 2 * PAGE }], { name: 'list' });
        try {
          assert.equal(u.size, 3 * PAGE);
          assert.equal(u.info().expName, 'udmabuf');
          assert.equal(u.info().name, 'list');
          u.syncStart('rw');
          assert.ok(u.bytes.subarray(0, PAGE).every((x) => x === 0));
          assert.deepEqual(u.bytes.subarray(PAGE), m.bytes.subarray(2 * PAGE));
          u.bytes[PAGE] = 0xee; // the memfd's page 2, through the dma-buf
          u.syncEnd('rw');
          assert.equal(m.bytes[2 * PAGE], 0xee);
        } finally {
          u.close();
        }
      } finally {
        m.close();
      }
    });
    it('the kernel refuses an unaligned range and an unsealed memfd (native, past our checks)', () => {
      const n = native().dmabuf;
      const dev = n.openDevice('/dev/udmabuf', true);
      const sealed = n.memfdCreate('t', 2 * PAGE, true);
      const unsealed = n.memfdCreate('t', 2 * PAGE, false);
      try {
        assert.throws(() => n.udmabufCreate(dev, sealed, 0, 100), nativeErr('EINVAL'));
        assert.throws(() => n.udmabufCreate(dev, sealed, 1, PAGE), nativeErr('EINVAL'));
        assert.throws(() => n.udmabufCreate(dev, unsealed, 0, PAGE), nativeErr('EINVAL'));
        assert.throws(() => n.udmabufCreateList(dev, [{ memfd: 0, offset: 0, size: PAGE }]), (e: unknown) => ['EBADFD', 'EBADF', 'EINVAL'].includes((e as { code: string }).code));
      } finally {
        for (const fd of [dev, sealed, unsealed]) n.closeFd(fd);
      }
    });
    it('an item that is not a sealed memfd → a message about F_SEAL_SHRINK', () => {
      const h = allocDmaBuf(PAGE, { source: 'heap:system' });
      try {
        assert.throws(() => udmabufCreateList([{ memfd: h.fd, size: PAGE }]), (e: unknown) => e instanceof DmaEngineError &&
          (/F_SEAL_SHRINK/.test(e.message) || e.code === 'EINVAL'));
      } finally {
        h.close();
      }
    });
  });

  describe('udmabuf limits (size_limit_mb, list_limit)', () => {
    it('size over size_limit_mb → EINVAL naming the file; the kernel refuses it too', () => {
      const old = param('udmabuf', 'size_limit_mb');
      try {
        param('udmabuf', 'size_limit_mb', 1);
        assert.throws(() => allocDmaBuf(2 * MiB, { source: 'udmabuf' }), isErr('EINVAL', /limit is 1 MiB .*size_limit_mb/));
        const n = native().dmabuf;
        const dev = n.openDevice('/dev/udmabuf', true);
        const m = n.memfdCreate('big', 2 * MiB, true);
        try {
          assert.throws(() => n.udmabufCreate(dev, m, 0, 2 * MiB), nativeErr('EINVAL'));
        } finally {
          n.closeFd(m);
          n.closeFd(dev);
        }
        withBuf(allocDmaBuf(MiB, { source: 'udmabuf' }), (b) => assert.equal(b.size, MiB));
      } finally {
        param('udmabuf', 'size_limit_mb', old);
      }
    });
    it('more items than list_limit → EINVAL naming list_limit; the kernel refuses it too', () => {
      const old = param('udmabuf', 'list_limit');
      try {
        param('udmabuf', 'list_limit', 2);
        assert.throws(() => udmabufCreateList([{ size: PAGE }, { size: PAGE }, { size: PAGE }]), isErr('EINVAL', /list of 3 items: the limit is 2/));
        const n = native().dmabuf;
        const dev = n.openDevice('/dev/udmabuf', true);
        const m = n.memfdCreate('l', 3 * PAGE, true);
        try {
          const items = [0, 1, 2].map((i) => ({ memfd: m, offset: i * PAGE, size: PAGE }));
          assert.throws(() => n.udmabufCreateList(dev, items), nativeErr('EINVAL'));
        } finally {
          n.closeFd(m);
          n.closeFd(dev);
        }
      } finally {
        param('udmabuf', 'list_limit', old);
      }
    });
  });

  describe('permissions', () => {
    it('an unprivileged user gets EACCES naming the device and the udev fix; auto falls back to memfd', () => {
      const code = `const { allocDmaBuf } = require('./lib/dmabuf');
        const out = {};
        for (const source of ['udmabuf', 'heap:system', 'auto']) {
          try { const b = allocDmaBuf(4096, { source }); out[source] = { source: b.source }; b.close(); }
          catch (e) { out[source] = { code: e.code, errno: e.errno, message: e.message }; }
        }
        console.log(JSON.stringify(out));`;
      const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', code], {
        uid: 65534, gid: 65534, cwd: process.cwd(), encoding: 'utf8', env: { ...process.env, HOME: '/tmp' },
      });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout.trim().split('\n').pop() as string);
      assert.equal(out.udmabuf.code, 'EACCES');
      assert.equal(out.udmabuf.errno, -13);
      assert.match(out.udmabuf.message, /permission denied opening \/dev\/udmabuf: .*udev rule/);
      assert.equal(out['heap:system'].code, 'EACCES');
      assert.match(out['heap:system'].message, /\/dev\/dma_heap\/system/);
      assert.deepEqual(out.auto, { source: 'memfd' });
    });
  });

  describe('resources', () => {
    it('no fd or mapping leaks across every source, failures included', async () => {
      const d = await leakDelta(() => {
        for (let i = 0; i < 6; i++) {
          for (const source of ['heap:system', 'udmabuf', 'memfd', 'auto'] as const) {
            const b = allocDmaBuf(2 * PAGE, { source, name: 'leak' });
            b.syncStart();
            b.bytes[i] = i;
            b.syncEnd();
            const sf = b.isDmaBuf ? b.exportSyncFile() : -1;
            if (sf >= 0) closeSync(sf);
            if (i % 2 === 0) b.close(); // odd ones dropped: the finalizers close and unmap
          }
          const u = udmabufCreateList([{ size: PAGE }, { size: PAGE }]);
          importDmaBuf(u.fd).close();
          u.close();
          assert.throws(() => allocDmaBuf(PAGE, { source: 'heap:nonexistent' }), DmaEngineError);
        }
      });
      assert.deepEqual(d, { fds: 0, maps: 0 });
    });
    it('bytes stay valid after close() and after the DmaBuf is dropped', async () => {
      let view: Uint8Array;
      {
        const b = allocDmaBuf(PAGE, { source: 'udmabuf' });
        view = b.bytes;
        b.close();
      }
      await collect();
      view.fill(0x3c);
      assert.ok(view.every((x) => x === 0x3c));
    });
  });
});
