// The dmaengine bridge on whatever kernel the lane booted: on the 6.1 control boot (the module
// built against 6.1's headers, no DMA channels there) and on 6.12 alike, it loaded, its node
// answers the ABI query and enumeration, and a shared request fails cleanly without channels.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { requireGuest, moduleDir, moduleLoaded } from './lane';

describe('dmaengine bridge probe (guest, 6.12 and 6.1)', function () {
  before(function () {
    requireGuest(this);
  });

  it('is loaded, and its node answers version, enumerate and ring setup', () => {
    assert.ok(moduleLoaded('dmaengine_bridge'), 'the lane init loads dmaengine_bridge.ko');
    assert.ok(existsSync('/dev/dmaengine_bridge'));
    const out = execFileSync(join(moduleDir(), 'dmabridge_test'), ['probe'], { encoding: 'utf8' });
    process.stdout.write(out.split('\n').filter(Boolean).map((l) => `      ${l}\n`).join(''));
    assert.match(out, /ABI 1, \d+ channels reachable/);
    assert.match(out, /^ok probe$/m);
  });
});
