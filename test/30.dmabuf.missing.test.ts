// What a kernel without udmabuf or DMA heaps answers (this host; the 6.1 guest), the limit and
// permission messages, and importDmaBuf of fds that are not dma-bufs. Present-feature cases skip
// here, saying so; the kernel lane covers them.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { allocDmaBuf, udmabufCreateList, importDmaBuf, pageSize, checkUdmabufLimits, availableSources } from '../lib/dmabuf';
import { DmaEngineError } from '../lib/dmaengine/errors';
import { deviceOpenError } from '../lib/dmabuf/errors';
import { leakDelta } from './30.dmabuf.helpers';

const PAGE = pageSize();
const hasUdmabuf = existsSync('/dev/udmabuf');
const hasSystemHeap = existsSync('/dev/dma_heap/system');

function isErr(code: string, re: RegExp) {
  return (e: unknown) => e instanceof DmaEngineError && e.code === code && re.test(e.message);
}

describe('dma-buf sources this kernel lacks (host; the guest covers the present ones)', () => {
  it('heap:system without /dev/dma_heap/system → ENOENT naming CONFIG_DMABUF_HEAPS', function () {
    if (hasSystemHeap) {
      console.log('      (skipped: this kernel has /dev/dma_heap/system; test/kernel covers it)');
      this.skip();
    }
    assert.throws(() => allocDmaBuf(PAGE, { source: 'heap:system' }),
      isErr('ENOENT', /this kernel has no DMA heap "system": \/dev\/dma_heap\/system does not exist \(CONFIG_DMABUF_HEAPS, CONFIG_DMABUF_HEAPS_SYSTEM\)/));
  });

  it('udmabuf without /dev/udmabuf → ENOENT "this kernel has no udmabuf: … CONFIG_UDMABUF"', function () {
    if (hasUdmabuf) {
      console.log('      (skipped: this kernel has /dev/udmabuf; test/kernel covers it)');
      this.skip();
    }
    assert.throws(() => allocDmaBuf(PAGE, { source: 'udmabuf' }),
      isErr('ENOENT', /^ENOENT: this kernel has no udmabuf: \/dev\/udmabuf does not exist \(CONFIG_UDMABUF/));
    assert.throws(() => udmabufCreateList([{ size: PAGE }, { size: PAGE }]), isErr('ENOENT', /CONFIG_UDMABUF/));
  });

  it("'auto' falls through to what exists", () => {
    const b = allocDmaBuf(2 * PAGE);
    try {
      const want = hasSystemHeap ? 'heap:system' : hasUdmabuf ? 'udmabuf' : 'memfd';
      assert.equal(b.source, want);
      assert.equal(b.bytes.length, 2 * PAGE);
    } finally {
      b.close();
    }
  });

  it('availableSources() reports what the kernel offers', () => {
    const s = availableSources();
    assert.equal(s.udmabuf, hasUdmabuf);
    assert.deepEqual(s.heaps, existsSync('/dev/dma_heap') ? readdirSync('/dev/dma_heap').sort() : []);
  });

  it('missing paths leak nothing', async function () {
    if (hasUdmabuf) this.skip();
    const d = await leakDelta(() => {
      for (let i = 0; i < 10; i++) {
        assert.throws(() => allocDmaBuf(PAGE, { source: 'udmabuf' }), DmaEngineError);
        assert.throws(() => udmabufCreateList([{ size: PAGE }]), DmaEngineError);
      }
    });
    assert.deepEqual(d, { fds: 0, maps: 0 });
  });
});

describe('importDmaBuf() of fds that are not dma-bufs', () => {
  it('a memfd → ENOTTY "is not a dma-buf"', () => {
    const m = allocDmaBuf(PAGE, { source: 'memfd' });
    try {
      assert.throws(() => importDmaBuf(m.fd), isErr('ENOTTY', /fd \d+ is not a dma-buf/));
    } finally {
      m.close();
    }
  });
  it('stdin / a closed fd → ENOTTY or EBADF, nothing leaked', async () => {
    const d = await leakDelta(() => {
      assert.throws(() => importDmaBuf(0), (e: unknown) => e instanceof DmaEngineError && ['ENOTTY', 'EBADF'].includes(e.code));
      assert.throws(() => importDmaBuf(987654), isErr('EBADF', /fd 987654 is not open/));
    });
    assert.deepEqual(d, { fds: 0, maps: 0 });
  });
});

describe('udmabuf limits and permission messages', () => {
  it('size over size_limit_mb names the sysfs file and how to raise it', () => {
    const e = checkUdmabufLimits(65 * 1024 * 1024, 1, { sizeLimitMb: 64, listLimit: 1024 });
    assert.ok(e instanceof DmaEngineError);
    assert.equal(e.code, 'EINVAL');
    assert.match(e.message, /limit is 64 MiB \(\/sys\/module\/udmabuf\/parameters\/size_limit_mb\).*echo 65 >/);
  });
  it('count over list_limit names list_limit', () => {
    const e = checkUdmabufLimits(4096 * 5, 5, { sizeLimitMb: 64, listLimit: 4 });
    assert.match(String(e?.message), /list of 5 items: the limit is 4 \(.*list_limit\)/);
  });
  it('fits, or unknown limits → no error', () => {
    assert.equal(checkUdmabufLimits(64 * 1024 * 1024, 1024, { sizeLimitMb: 64, listLimit: 1024 }), null);
    assert.equal(checkUdmabufLimits(2 ** 40, 1e6, { sizeLimitMb: null, listLimit: null }), null);
  });
  it('EACCES on a device names it and the udev rule / group that fixes it', () => {
    const native = Object.assign(new Error('open: Permission denied'), { code: 'EACCES', errno: 13, syscall: 'open' });
    const e = deviceOpenError(native, '/dev/udmabuf', 'udmabuf', 'CONFIG_UDMABUF');
    assert.equal(e.code, 'EACCES');
    assert.equal(e.errno, -13);
    assert.match(e.message, /permission denied opening \/dev\/udmabuf: .*udev rule .*KERNEL=="udmabuf".*group/);
  });
});
