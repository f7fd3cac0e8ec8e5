// /sys/class/dma of the soft dmaengine module, read with plain fs. When lib/providers/kernel.ts
// lands, its provider-based test belongs next to this one: same expectations, read through the
// provider instead of lane.ts's dmaChannels().
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { requireGuest, softChannels, param } from './lane';

describe('/sys/class/dma with the soft dmaengine module (guest)', function () {
  before(function () {
    requireGuest(this);
  });

  it('the module is loaded with the lane parameters', () => {
    assert.ok(existsSync('/sys/module/dmae_soft'));
    const want = Object.fromEntries((process.env.LANE_SOFT_PARAMS ?? '').split(/\s+/).filter(Boolean).map((kv) => kv.split('=')));
    for (const [k, v] of Object.entries(want)) assert.equal(param('dmae_soft', k), v, k);
  });

  it('shows one dma<N>chan<M> entry per channel, all idle, counters 0', () => {
    const n = Number(param('dmae_soft', 'channels'));
    const chans = softChannels();
    assert.equal(chans.length, n);
    const dev = /^dma(\d+)chan0$/.exec(chans[0].name)?.[1];
    assert.ok(dev !== undefined, chans[0].name);
    assert.deepEqual(chans.map((c) => c.name), Array.from({ length: n }, (_, i) => `dma${dev}chan${i}`));
    for (const c of chans) {
      assert.equal(c.inUse, 0, `${c.name} in_use`);
      assert.equal(c.memcpyCount, 0);
      assert.equal(c.bytesTransferred, 0);
      assert.equal(realpathSync(`/sys/class/dma/${c.name}/device`), '/sys/devices/platform/dmae_soft');
    }
  });

  it('debugfs summary lists the device with its channel count', function () {
    const p = '/sys/kernel/debug/dmaengine/summary';
    if (!existsSync(p)) {
      console.log('      (skipped: no debugfs dmaengine summary on this kernel)');
      this.skip();
    }
    const n = Number(param('dmae_soft', 'channels'));
    assert.match(readFileSync(p, 'utf8'), new RegExp(`^dma\\d+ \\(dmae_soft\\): number of channels: ${n}$`, 'm'));
  });
});
