// dma-buf sizes past the largest ArrayBuffer this Node.js makes (2^32 on Node 20): each size
// either works or throws a RangeError saying why, and never aborts the process (the native
// map once freed its finalizer record twice there). Each case runs in a child process so an
// abort is seen as a failure, not as the end of the test run. memfds are sparse: nothing is
// allocated for these sizes.
import assert from 'node:assert/strict';
import { constants as bufferConstants } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const MAX = bufferConstants.MAX_LENGTH;
// A child compiles lib/ through tsx first: seconds here, a minute in the kernel lane's emulated guest.
const CHILD_MS = 120_000;

/** Runs `body` (JS, with `lib` = ../lib and `native` = the addon) in a child: its JSON line. */
function inChild(body: string): { out: unknown; status: number | null; signal: string | null; stderr: string } {
  const code = `const lib = require('./lib'); const { native } = require('./lib/native');
    const report = (v) => process.stdout.write(JSON.stringify(v) + '\\n');
    const caught = (f) => { try { const r = f(); return { ok: true, r }; } catch (e) { return { ok: false, name: e.name, message: e.message }; } };
    ${body}`;
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', code], { cwd: ROOT, timeout: CHILD_MS, encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { out: line ? JSON.parse(line) : null, status: r.status, signal: r.signal, stderr: r.stderr };
}

describe('DmaBuf sizes beyond the largest ArrayBuffer', function () {
  this.timeout(CHILD_MS + 10_000);
  const over = [MAX + 4096, 2 ** 40].filter((s) => s <= 2 ** 46);
  for (const size of over) {
    for (const source of ['memfd', 'auto']) {
      it(`allocDmaBuf(${size}, { source: '${source}' }): a RangeError naming "size" and the limit, no abort`, () => {
        const r = inChild(`report(caught(() => { const b = lib.allocDmaBuf(${size}, { source: '${source}' }); const n = b.bytes.byteLength; b.close(); return n; }));`);
        assert.equal(r.signal, null, `child died by ${r.signal}: ${r.stderr}`);
        assert.equal(r.status, 0, r.stderr);
        if (size <= MAX) return; // a Node.js that can map it (22+): nothing to refuse
        assert.deepEqual(r.out, {
          ok: false, name: 'RangeError',
          message: `Expected "size" to be at most ${MAX} bytes (buffer.constants.MAX_LENGTH: a DmaBuf's bytes are one ArrayBuffer, ` +
            `and Node.js ${process.version} makes none larger) but received ${size}`,
        });
      });
    }
    it(`native map() of a ${size}-byte memfd: a RangeError, the mapping released once, no abort`, () => {
      const r = inChild(`const d = native().dmabuf; const fd = d.memfdCreate('big', ${size}, true);
        const maps = () => require('fs').readFileSync('/proc/self/maps', 'utf8').split('\\n').filter((l) => l.includes('memfd:big')).length;
        const res = caught(() => d.map(fd, ${size}).byteLength); d.closeFd(fd);
        report({ res, maps: maps() });`);
      assert.equal(r.signal, null, `child died by ${r.signal}: ${r.stderr}`);
      assert.equal(r.status, 0, r.stderr);
      const out = r.out as { res: { ok: boolean; name?: string; message?: string }; maps: number };
      if (size > MAX) {
        assert.equal(out.res.name, 'RangeError');
        assert.match(out.res.message!, /^Expected "size" to be a length this Node.js can map into an ArrayBuffer but received \d+/);
        assert.equal(out.maps, 0, 'the refused mapping is unmapped');
      }
    });
  }
  it('exactly buffer.constants.MAX_LENGTH still maps (sparse memfd)', function () {
    if (MAX > 2 ** 32) this.skip(); // on Node 22+ the limit is 2^53 - 1: no such buffer to make
    const r = inChild(`report(caught(() => { const b = lib.allocDmaBuf(${MAX}, { source: 'memfd' }); const n = b.bytes.byteLength; b.close(); return n; }));`);
    assert.equal(r.signal, null, r.stderr);
    assert.deepEqual(r.out, { ok: true, r: MAX });
  });
  it('udmabufCreateList() refuses a total past the limit before opening anything', () => {
    const r = inChild(`report(caught(() => lib.udmabufCreateList([{ size: ${MAX} }, { size: 4096 }])));`);
    assert.equal(r.signal, null, r.stderr);
    const out = r.out as { ok: boolean; name: string; message: string };
    if (MAX + 4096 > 2 ** 46) return;
    assert.equal(out.name, 'RangeError');
    assert.match(out.message, /^Expected "items" to be at most \d+ bytes in total/);
  });
});
