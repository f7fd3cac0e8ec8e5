// The 6.1-style kernel: Debian bookworm's stock 6.1 has no CONFIG_UDMABUF and no DMA heaps, so
// /dev/udmabuf and /dev/dma_heap do not exist and open() answers ENOENT. The lane boots that
// kernel for real (LANE_PROFILE=missing) and runs this file there; on 6.12 the same tests run
// with the nodes moved aside on the guest's devtmpfs (same ENOENT), put back after.
import assert from 'node:assert/strict';
import { existsSync, renameSync } from 'node:fs';
import { allocDmaBuf, udmabufCreateList, availableSources, pageSize, udmabufLimits } from '../../lib/dmabuf';
import { DmaEngineError } from '../../lib/dmaengine/errors';
import { leakDelta } from '../30.dmabuf.helpers';
import { requireGuest } from './lane';

const PAGE = pageSize();
const HIDE: Array<[string, string]> = [['/dev/udmabuf', '/dev/.udmabuf-hidden'], ['/dev/dma_heap', '/dev/.dma_heap-hidden']];

describe('a kernel without udmabuf and DMA heaps (6.1-style, guest)', function () {
  const realKernel = process.env.LANE_PROFILE === 'missing';
  before(function () {
    requireGuest(this);
    if (realKernel) {
      console.log(`      (on the stock ${process.env.LANE_KVER} kernel)`);
      assert.equal(existsSync('/dev/udmabuf'), false, 'bookworm 6.1 has no udmabuf');
      assert.equal(existsSync('/sys/module/udmabuf'), false);
      assert.equal(existsSync('/dev/dma_heap'), false, 'bookworm 6.1 has no DMA heaps');
    } else {
      for (const [from, to] of HIDE) renameSync(from, to);
    }
  });
  after(() => {
    for (const [from, to] of HIDE) if (existsSync(to)) renameSync(to, from);
  });

  it('udmabuf → ENOENT "this kernel has no udmabuf … CONFIG_UDMABUF"', () => {
    assert.throws(() => allocDmaBuf(PAGE, { source: 'udmabuf' }), (e: unknown) => e instanceof DmaEngineError &&
      e.code === 'ENOENT' && e.errno === -2 && /^ENOENT: this kernel has no udmabuf: \/dev\/udmabuf does not exist \(CONFIG_UDMABUF/.test(e.message));
    assert.throws(() => udmabufCreateList([{ size: PAGE }]), (e: unknown) => e instanceof DmaEngineError && e.code === 'ENOENT');
  });

  it('heap:system → ENOENT naming CONFIG_DMABUF_HEAPS', () => {
    assert.throws(() => allocDmaBuf(PAGE, { source: 'heap:system' }), (e: unknown) => e instanceof DmaEngineError &&
      e.code === 'ENOENT' && /CONFIG_DMABUF_HEAPS/.test(e.message));
  });

  it('udmabuf limits are unknown, so only the missing device is reported', () => {
    if (realKernel) assert.deepEqual(udmabufLimits(), { sizeLimitMb: null, listLimit: null });
    assert.throws(() => allocDmaBuf(128 * 1024 * 1024, { source: 'udmabuf' }), (e: unknown) => e instanceof DmaEngineError &&
      (realKernel ? e.code === 'ENOENT' : e.code === 'EINVAL' || e.code === 'ENOENT'));
  });

  it("'auto' falls back to memfd, and nothing leaks", async () => {
    assert.deepEqual(availableSources().heaps, []);
    assert.equal(availableSources().udmabuf, false);
    const d = await leakDelta(() => {
      for (let i = 0; i < 5; i++) {
        const b = allocDmaBuf(PAGE);
        assert.equal(b.source, 'memfd');
        b.close();
      }
    });
    assert.deepEqual(d, { fds: 0, maps: 0 });
  });
});
