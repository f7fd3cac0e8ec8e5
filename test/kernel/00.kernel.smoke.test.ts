// The guest runs the kernel the lane booted (LANE_KVER): the 6.12 boot.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

describe('kernel lane guest', () => {
  it('runs on the lane kernel', () => {
    const v = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
    console.log('      guest kernel', v);
    assert.equal(v, process.env.LANE_KVER);
  });
});
