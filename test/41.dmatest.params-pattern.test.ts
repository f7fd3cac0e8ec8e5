import assert from 'node:assert/strict';
import { resolveDmatestParams, DMATEST_DEFAULTS, minOdd, xorSourcesFor, pqSourcesFor } from '../lib/dmatest/params';
import { initSrcs, initDsts, verifyAll, PATTERN_SRC, PATTERN_COPY } from '../lib/dmatest/pattern';

describe('resolveDmatestParams()', () => {
  it('rejects unknown names with a hint', () => {
    assert.throws(() => resolveDmatestParams({ testbufsize: 1 } as never), { name: 'TypeError', message: 'Unknown dmatest parameter "testbufsize" (did you mean "test_buf_size"?)' });
  });
  it('rejects wrong types naming the parameter', () => {
    assert.throws(() => resolveDmatestParams({ iterations: '5' as never }), { name: 'TypeError', message: /"iterations"/ });
    assert.throws(() => resolveDmatestParams({ noverify: 1 as never }), { name: 'TypeError', message: /"noverify"/ });
    assert.throws(() => resolveDmatestParams({ channel: 7 as never }), { name: 'TypeError', message: /"channel"/ });
  });
  it('rejects out-of-range values naming the parameter', () => {
    assert.throws(() => resolveDmatestParams({ dmatest: 2 as never }), { name: 'RangeError', message: /"dmatest"/ });
    assert.throws(() => resolveDmatestParams({ timeout: -2 }), { name: 'RangeError', message: /"timeout"/ });
    assert.throws(() => resolveDmatestParams({ test_buf_size: 0 }), { name: 'RangeError', message: /"test_buf_size"/ });
    assert.throws(() => resolveDmatestParams({ channel: 'x'.repeat(20) }), { name: 'RangeError', message: /"channel" to be at most 19/ });
  });
  it('applies the module defaults', () => {
    const p = resolveDmatestParams();
    assert.deepEqual(p, { ...DMATEST_DEFAULTS });
    assert.equal(p.test_buf_size, 16384);
    assert.equal(p.timeout, 3000);
    assert.equal(p.alignment, -1);
  });
  it('forces xor/pq source counts odd and caps them by the device', () => {
    assert.equal(minOdd(4, 9), 3);
    assert.equal(minOdd(9, 4), 3);
    const p = resolveDmatestParams({ xor_sources: 4, pq_sources: 8 });
    assert.equal(xorSourcesFor(p, 16), 5);
    assert.equal(xorSourcesFor(p, 2), 1);
    assert.equal(pqSourcesFor(p, 16), 9);
    assert.equal(pqSourcesFor(p, 4), 3);
  });
});

describe('dmatest patterns and verification (spec §4.4)', () => {
  const bufSize = 256;
  const mk = (n: number) => Array.from({ length: n }, () => new Uint8Array(bufSize));

  function copyRun(srcOff: number, dstOff: number, len: number) {
    const srcs = mk(1); const dsts = mk(1);
    initSrcs(srcs, srcOff, len, bufSize, false);
    initDsts(dsts, dstOff, len, bufSize, false);
    dsts[0].set(srcs[0].subarray(srcOff, srcOff + len), dstOff);
    return { srcs, dsts };
  }

  it('a correct copy verifies clean; source pattern matches the spec formula', () => {
    const { srcs, dsts } = copyRun(10, 40, 100);
    assert.equal(srcs[0][3], 0x80 | (~3 & 0x1f));
    assert.equal(srcs[0][12], 0x80 | 0x40 | (~12 & 0x1f));
    assert.equal(dsts[0][41 + 100], ~141 & 0x1f);
    const lines: string[] = [];
    assert.equal(verifyAll(srcs, dsts, 10, 40, 100, bufSize, false, 't', (l) => lines.push(l)), 0);
    assert.deepEqual(lines, []);
  });

  it('names each kind of damage as the kernel does', () => {
    const { srcs, dsts } = copyRun(10, 40, 100);
    srcs[0][5] ^= 1;          // source outside the window changed
    dsts[0][50] = 0;          // window byte never written
    dsts[0][200] = PATTERN_SRC | 3; // beyond the window, carries the source bit
    const lines: string[] = [];
    assert.equal(verifyAll(srcs, dsts, 10, 40, 100, bufSize, false, 't', (l) => lines.push(l)), 3);
    assert.equal(lines[0], `dmatest: t: srcbuf[0x5] overwritten! Expected ${(0x80 | (~5 & 0x1f)).toString(16)}, got ${(0x80 | (~5 & 0x1f) ^ 1).toString(16)}`);
    assert.match(lines[1], /^dmatest: t: dstbuf\[0x32\] not copied! Expected [0-9a-f]{2}, got 00$/);
    assert.match(lines[2], /^dmatest: t: dstbuf\[0xc8\] was copied! /);
  });

  it('prints at most 32 lines per region, then "errors suppressed"', () => {
    const { srcs, dsts } = copyRun(0, 0, 100);
    dsts[0].fill(0, 0, 100);
    const lines: string[] = [];
    assert.equal(verifyAll(srcs, dsts, 0, 0, 100, bufSize, false, 't', (l) => lines.push(l)), 100);
    assert.equal(lines.length, 33);
    assert.equal(lines[32], 'dmatest: t: 68 errors suppressed');
  });

  it('memset: the window holds one byte value, the source byte at src_off', () => {
    const srcs = mk(1); const dsts = mk(1);
    initSrcs(srcs, 7, 50, bufSize, true);
    initDsts(dsts, 20, 50, bufSize, true);
    const fill = srcs[0][7];
    assert.equal(fill, PATTERN_SRC | PATTERN_COPY | (~1 & 0x1f));
    dsts[0].fill(fill, 20, 70);
    assert.equal(verifyAll(srcs, dsts, 7, 20, 50, bufSize, true, 't', () => {}), 0);
  });

  it('xor of an odd number of identical sources verifies against the same pattern', () => {
    const srcs = mk(3); const dsts = mk(1);
    initSrcs(srcs, 16, 64, bufSize, false);
    initDsts(dsts, 16, 64, bufSize, false);
    for (let i = 0; i < 64; i++) dsts[0][16 + i] = srcs[0][16 + i] ^ srcs[1][16 + i] ^ srcs[2][16 + i];
    assert.equal(verifyAll(srcs, dsts, 16, 16, 64, bufSize, false, 't', () => {}), 0);
  });
});
