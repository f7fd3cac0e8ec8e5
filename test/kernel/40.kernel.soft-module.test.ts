// The soft module's parameters: reload it with other channel counts, capabilities and
// DMA_PRIVATE, and check that bad parameters fail the load. Leaves it loaded as the lane had it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { requireGuest, insmod, rmmod, moduleDir, moduleLoaded, softChannels, kmsgMark, kmsgSince } from './lane';

const soft = () => join(moduleDir(), 'dmae_soft.ko');
const laneParams = () => (process.env.LANE_SOFT_PARAMS ?? '').split(/\s+/).filter(Boolean);

describe('dmae_soft module parameters (guest)', function () {
  before(function () {
    requireGuest(this);
  });
  after(() => {
    if (process.env.KERNEL_LANE !== '1') return;
    if (moduleLoaded('dmae_soft')) rmmod('dmae_soft');
    insmod(soft(), laneParams());
  });

  it('channels=2 caps=memcpy,interrupt private=1: two channels, the log says private', () => {
    if (moduleLoaded('dmatest')) rmmod('dmatest'); // holds no channel after run=0, but unload to be sure
    rmmod('dmae_soft');
    assert.equal(softChannels().length, 0);
    const mark = kmsgMark();
    insmod(soft(), ['channels=2', 'caps=memcpy,interrupt', 'private=1']);
    assert.equal(softChannels().length, 2);
    assert.ok(kmsgSince(mark).some((l) => /2 channels, caps memcpy,interrupt, max_xor \d+, max_pq \d+, private/.test(l)));
    assert.equal(readFileSync('/sys/module/dmae_soft/parameters/private', 'utf8').trim(), 'Y');
    rmmod('dmae_soft');
  });

  it('channels=7 gives seven channels', () => {
    insmod(soft(), ['channels=7']);
    assert.equal(softChannels().length, 7);
    rmmod('dmae_soft');
  });

  it('refuses an unknown capability, channels=0 and max_xor=1', () => {
    for (const bad of [['caps=memcpy,teleport'], ['channels=0'], ['max_xor=1']]) {
      assert.throws(() => insmod(soft(), bad), Error, bad.join(' '));
      assert.equal(moduleLoaded('dmae_soft'), false, bad.join(' '));
      assert.equal(softChannels().length, 0);
    }
  });
});
