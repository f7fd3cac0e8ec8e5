// The `kernel` provider (lib/providers/kernel.ts) reading the real /sys/class/dma of the soft
// dmaengine module: the same facts 20.kernel.dma-sysfs reads with plain fs, through the provider,
// and in_use going 0 → 1 while dmatest holds a channel, back to 0 after run=0.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readKernelDma, describeKernelDma } from '../../lib/providers/kernel';
import { requireGuest, insmod, moduleDir, moduleLoaded, softChannels, param } from './lane';

describe('kernel provider on the real /sys/class/dma (guest)', function () {
  before(function () {
    requireGuest(this);
    if (!moduleLoaded('dmatest')) insmod(join(moduleDir(), 'dmatest.ko'));
  });

  it('lists the soft module’s channels, controller and driver', () => {
    const view = readKernelDma();
    assert.equal(view.present, true);
    const soft = view.channels.filter((c) => c.device === 'dmae_soft');
    assert.deepEqual(soft.map((c) => c.name), softChannels().map((c) => c.name));
    for (const c of soft) {
      assert.equal(c.in_use, 0, c.name);
      assert.equal(c.memcpy_count, 0);
      assert.equal(c.bytes_transferred, 0);
      assert.equal(c.driver, 'dmae_soft');
      assert.equal(c.devicePath, '/sys/devices/platform/dmae_soft');
    }
    const ctl = view.controllers.find((c) => c.device === 'dmae_soft');
    assert.ok(ctl, JSON.stringify(view.controllers));
    assert.equal(ctl.channels.length, soft.length);
    assert.match(describeKernelDma(view), new RegExp(`${view.channels.length} channel\\(s\\) on ${view.controllers.length} controller`));
  });

  it('in_use reads 1 while dmatest holds a channel, 0 after run=0', () => {
    const chan = softChannels()[0].name;
    const inUse = () => readKernelDma().channels.find((c) => c.name === chan)?.in_use;
    assert.equal(inUse(), 0);
    param('dmatest', 'iterations', 1);
    param('dmatest', 'channel', chan);
    try {
      assert.equal(inUse(), 1);
    } finally {
      param('dmatest', 'run', 0);
    }
    assert.equal(inUse(), 0);
  });
});
