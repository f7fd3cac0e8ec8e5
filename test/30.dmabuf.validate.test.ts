// dma-buf argument checking, TS and native: every bad argument is a TypeError/RangeError naming
// it, thrown before any fd is opened. Runs anywhere.
import assert from 'node:assert/strict';
import { allocDmaBuf, udmabufCreateList, importDmaBuf, pageSize } from '../lib/dmabuf';
import { native } from '../lib/native';

const PAGE = pageSize();

describe('allocDmaBuf() arguments', () => {
  it('rejects a size that is not an integer', () => {
    assert.throws(() => allocDmaBuf('4096' as unknown as number),
      { name: 'TypeError', message: 'Expected an integer for "size" but received "4096" of type string' });
    assert.throws(() => allocDmaBuf(1.5), { name: 'TypeError' });
  });
  it('rejects zero, negative and unaligned sizes', () => {
    assert.throws(() => allocDmaBuf(0), { name: 'RangeError', message: /"size"/ });
    assert.throws(() => allocDmaBuf(-PAGE), { name: 'RangeError' });
    assert.throws(() => allocDmaBuf(PAGE + 1),
      { name: 'RangeError', message: `Expected "size" to be a multiple of the page size (${PAGE}) but received ${PAGE + 1}` });
  });
  it('rejects bad options', () => {
    assert.throws(() => allocDmaBuf(PAGE, null as never), { name: 'TypeError', message: /"options"/ });
    assert.throws(() => allocDmaBuf(PAGE, { source: 'gpu' as never }), { name: 'RangeError', message: /"options.source"/ });
    assert.throws(() => allocDmaBuf(PAGE, { source: 'heap:../x' as never }), { name: 'RangeError' });
    assert.throws(() => allocDmaBuf(PAGE, { source: 5 as never }), { name: 'TypeError' });
    assert.throws(() => allocDmaBuf(PAGE, { name: 'x'.repeat(32) }), { name: 'RangeError', message: /"options.name"/ });
    assert.throws(() => allocDmaBuf(PAGE, { name: '' }), { name: 'RangeError' });
  });
});

describe('udmabufCreateList() arguments', () => {
  it('rejects a non-array or empty list', () => {
    assert.throws(() => udmabufCreateList({} as never), { name: 'TypeError', message: /"items"/ });
    assert.throws(() => udmabufCreateList([]), { name: 'RangeError', message: /"items"/ });
  });
  it('names the item and field that is wrong', () => {
    assert.throws(() => udmabufCreateList([{ size: PAGE }, { size: 100 }]), { name: 'RangeError', message: /"items\[1\]\.size"/ });
    assert.throws(() => udmabufCreateList([{ size: PAGE, offset: 7, memfd: 3 }]), { name: 'RangeError', message: /"items\[0\]\.offset"/ });
    assert.throws(() => udmabufCreateList([{ size: PAGE, memfd: -1 }]), { name: 'RangeError', message: /"items\[0\]\.memfd"/ });
    assert.throws(() => udmabufCreateList([null as never]), { name: 'TypeError', message: /"items\[0\]"/ });
  });
});

describe('importDmaBuf() arguments', () => {
  it('rejects a non-integer or negative fd', () => {
    assert.throws(() => importDmaBuf('3' as never), { name: 'TypeError', message: /"fd"/ });
    assert.throws(() => importDmaBuf(-1), { name: 'RangeError', message: /"fd"/ });
  });
});

describe('native dmabuf guards', () => {
  const n = native().dmabuf;
  it('check every argument before a syscall', () => {
    assert.throws(() => n.map(-1, PAGE), { name: 'RangeError', message: /"fd"/ });
    assert.throws(() => n.map(0, 0), { name: 'RangeError', message: /"size"/ });
    assert.throws(() => n.memfdCreate(5 as never, PAGE, true), { name: 'TypeError', message: /"name"/ });
    assert.throws(() => n.memfdCreate('a\0b', PAGE, true), { name: 'RangeError', message: /"name"/ });
    assert.throws(() => n.setName(0, 'x'.repeat(32)), { name: 'RangeError', message: /"name"/ });
    assert.throws(() => n.udmabufCreateList(0, [{ memfd: 1, offset: -1, size: PAGE }]), { name: 'RangeError', message: /"items\[0\]\.offset"/ });
    assert.throws(() => n.udmabufCreateList(0, 'x' as never), { name: 'TypeError', message: /"items"/ });
    assert.throws(() => n.sync(0, 2 ** 33), { name: 'RangeError', message: /"flags"/ });
    assert.throws(() => n.heapAlloc(0, 0), { name: 'RangeError', message: /"len"/ });
  });
  it('refuse to map past the end of a file (it would SIGBUS)', () => {
    const fd = n.memfdCreate('short', PAGE, true);
    try {
      assert.throws(() => n.map(fd, 2 * PAGE), (e: Error & { code: string }) => e.code === 'EOVERFLOW');
      assert.equal(n.map(fd, PAGE).length, PAGE);
    } finally {
      n.closeFd(fd);
    }
  });
  it('report syscall failures with code and errno', () => {
    assert.throws(() => n.openDevice('/nonexistent/dmaengine-test', true),
      (e: Error & { code: string; errno: number; syscall: string }) =>
        e.code === 'ENOENT' && e.errno === 2 && e.syscall === 'open');
  });
});
