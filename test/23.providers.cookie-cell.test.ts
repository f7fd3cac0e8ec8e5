// One cookie cell layout (lib/dmaengine/abi.ts) for the core and every provider: no provider
// overrides DmaChan's cookie accessors; the soft provider hands its channels the engine's
// status-block cells, and re-points them when the engine restarts.
import assert from 'node:assert/strict';
import { COOKIE_CELL_STRIDE, COOKIE_COMPLETED, COOKIE_USED } from '../lib/dmaengine/abi';
import { DmaCap } from '../lib/dmaengine/caps';
import { DmaChan, dmaChanSetCookies } from '../lib/dmaengine/channel';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { DmaStatus, dmaAddr } from '../lib/dmaengine/status';
import { PlainChan } from '../lib/providers/plain';
import { registerSoftDevice } from '../lib/providers/soft';
import { SoftChan } from '../lib/providers/soft-chan';

describe('providers: one cookie cell', () => {
  it('dmaChanSetCookies names a bad cell and keeps the old one', () => {
    const chan = new DmaChan();
    const before = chan.cookies;
    assert.throws(() => dmaChanSetCookies(chan, new Uint32Array(2) as unknown as Int32Array), { name: 'TypeError', message: /"cell"/ });
    assert.throws(() => dmaChanSetCookies(chan, new Int32Array(1)), { name: 'RangeError', message: /"cell"/ });
    assert.equal(chan.cookies, before);
  });

  it('no provider channel overrides the cookie accessors', () => {
    for (const cls of [PlainChan, SoftChan]) {
      for (const name of ['cookie', 'completedCookie']) {
        assert.equal(Object.getOwnPropertyDescriptor(cls.prototype, name), undefined, `${cls.name}#${name}`);
      }
    }
  });

  it("soft channels read the engine's status block, written by its workers; a restarted engine is followed", async () => {
    const eng = createDmaEngine({ cpus: 1 });
    const dev = registerSoftDevice({ channels: 2, caps: [DmaCap.MEMCPY] }, eng);
    eng.dmaengineGet();
    const chan = dev.channels[1]!;
    const block = (dev.engine as unknown as { statusWords: Int32Array }).statusWords;
    assert.equal(chan.cookies.buffer, block.buffer, 'the cell is a view on the engine memory');
    assert.equal(chan.cookies.byteOffset, block.byteOffset + COOKIE_CELL_STRIDE * 4);
    const src = new Uint8Array(64).fill(7);
    const dst = new Uint8Array(64);
    const cookie = eng.dmaengineSubmit(dev.devicePrepDmaMemcpy(chan, dmaAddr(dst), dmaAddr(src), 64, 0)!);
    assert.equal(block[COOKIE_CELL_STRIDE + COOKIE_USED], cookie, 'the engine assigned it in the shared cell');
    assert.equal(chan.cookie, cookie);
    eng.dmaAsyncIssuePending(chan);
    assert.equal(eng.dmaSyncWait(chan, cookie), DmaStatus.COMPLETE);
    assert.equal(Atomics.load(block, COOKIE_CELL_STRIDE + COOKIE_COMPLETED), cookie, 'a worker advanced it');
    assert.equal(chan.completedCookie, cookie);
    assert.deepEqual([...dst], [...src]);
    eng.dmaenginePut();
    eng.dmaAsyncDeviceUnregister(dev);
    assert.equal(chan.cookie, 1, 'released: a fresh cell');
    eng.dmaAsyncDeviceRegister(dev);
    eng.dmaengineGet();
    void dev.engine;
    assert.notEqual(chan.cookies.buffer, block.buffer, 'the new engine has its own block');
    const again = eng.dmaengineSubmit(dev.devicePrepDmaMemcpy(chan, dmaAddr(dst), dmaAddr(src), 64, 0)!);
    assert.equal(again, 2, "the new engine's first cookie");
    eng.dmaAsyncIssuePending(chan);
    assert.equal(eng.dmaSyncWait(chan, again), DmaStatus.COMPLETE);
    eng.dmaenginePut();
    eng.dmaAsyncDeviceUnregister(dev);
  });
});
