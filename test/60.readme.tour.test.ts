import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

// The README's tour, run as a user would (its own process: it registers devices on the default
// instance).
describe('README tour (examples/tour.ts)', () => {
  it('runs every step and prints what the README says', () => {
    const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
    const r = spawnSync(tsx, [path.join(__dirname, '..', 'examples', 'tour.ts')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 4), [
      'software path: returned null, dest[0] = 7',
      'chain done',
      'device path: copy[0] = 7',
      'exclusive channel: dma1chan0',
    ]);
    assert.match(lines[4], /^dma-buf: (heap:\S+|udmabuf|memfd), 1048576 bytes$/);
    assert.match(lines[5], /^dmatest: \d+ tests, 0 failures$/);
    assert.match(lines[6], /^bridge: (ABI 1|not built|not loaded|module loaded|no permission|.* not usable)/);
  });
});
