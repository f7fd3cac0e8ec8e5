import assert from 'node:assert/strict';
import { native } from '../lib/native';

/**
 * Bad input at the kernel bindings: one test per case, each checking the error type, that the
 * message names the argument, and that no buffer given was written.
 */

type Case = { name: string; make: () => { call: () => unknown; bufs: Uint8Array[] }; err: typeof TypeError | typeof RangeError; arg: string };

function detached(n = 16): Uint8Array {
  const u = new Uint8Array(n);
  structuredClone(u.buffer, { transfer: [u.buffer] });
  return u;
}
const buf = (n = 64, fill = 0x33) => new Uint8Array(n).fill(fill);

function expectRejected(c: Case): void {
  const { call, bufs } = c.make();
  const before = bufs.map((b) => Uint8Array.from(b));
  assert.throws(call, (e: Error) => {
    assert.ok(e instanceof c.err, `expected ${c.err.name}, got ${e.constructor.name}: ${e.message}`);
    assert.ok(e.message.includes(`"${c.arg}"`), `message should name "${c.arg}": ${e.message}`);
    return true;
  });
  bufs.forEach((b, i) => assert.deepEqual(b, before[i], `buffer ${i} was written`));
}

const n = () => native();

const copyCases: Case[] = [
  { name: 'dst not a Uint8Array', err: TypeError, arg: 'dst', make: () => { const s = buf(); return { bufs: [s], call: () => n().kernelCopy('x' as never, 0, s, 0, 4) }; } },
  { name: 'dst an ArrayBuffer', err: TypeError, arg: 'dst', make: () => { const s = buf(); return { bufs: [s], call: () => n().kernelCopy(new ArrayBuffer(8) as never, 0, s, 0, 4) }; } },
  { name: 'dst a Uint16Array', err: TypeError, arg: 'dst', make: () => { const s = buf(); const d = new Uint16Array(8); return { bufs: [s, new Uint8Array(d.buffer)], call: () => n().kernelCopy(d as never, 0, s, 0, 4) }; } },
  { name: 'dst detached', err: TypeError, arg: 'dst', make: () => { const s = buf(); return { bufs: [s], call: () => n().kernelCopy(detached(), 0, s, 0, 4) }; } },
  { name: 'src detached', err: TypeError, arg: 'src', make: () => { const d = buf(); return { bufs: [d], call: () => n().kernelCopy(d, 0, detached(), 0, 4) }; } },
  { name: 'src null', err: TypeError, arg: 'src', make: () => { const d = buf(); return { bufs: [d], call: () => n().kernelCopy(d, 0, null as never, 0, 4) }; } },
  { name: 'dstOff negative', err: RangeError, arg: 'dstOff', make: () => { const d = buf(), s = buf(64, 1); return { bufs: [d, s], call: () => n().kernelCopy(d, -1, s, 0, 4) }; } },
  { name: 'dstOff fractional', err: TypeError, arg: 'dstOff', make: () => { const d = buf(), s = buf(64, 1); return { bufs: [d, s], call: () => n().kernelCopy(d, 1.5, s, 0, 4) }; } },
  { name: 'dstOff past the end', err: RangeError, arg: 'dstOff', make: () => { const d = buf(), s = buf(64, 1); return { bufs: [d, s], call: () => n().kernelCopy(d, 65, s, 0, 1) }; } },
  { name: 'srcOff overflowing', err: RangeError, arg: 'srcOff', make: () => { const d = buf(), s = buf(64, 1); return { bufs: [d, s], call: () => n().kernelCopy(d, 0, s, 2 ** 60, 1) }; } },
  { name: 'srcOff a string', err: TypeError, arg: 'srcOff', make: () => { const d = buf(), s = buf(64, 1); return { bufs: [d, s], call: () => n().kernelCopy(d, 0, s, '0' as never, 1) }; } },
  { name: 'len zero', err: RangeError, arg: 'len', make: () => { const d = buf(), s = buf(64, 1); return { bufs: [d, s], call: () => n().kernelCopy(d, 0, s, 0, 0) }; } },
  { name: 'len NaN', err: TypeError, arg: 'len', make: () => { const d = buf(), s = buf(64, 1); return { bufs: [d, s], call: () => n().kernelCopy(d, 0, s, 0, NaN) }; } },
  { name: 'len past the end of dst', err: RangeError, arg: 'len', make: () => { const d = buf(), s = buf(128, 1); return { bufs: [d, s], call: () => n().kernelCopy(d, 10, s, 0, 55) }; } },
  { name: 'len past the end of src', err: RangeError, arg: 'len', make: () => { const d = buf(128), s = buf(64, 1); return { bufs: [d, s], call: () => n().kernelCopy(d, 0, s, 60, 5) }; } },
  { name: 'len past a subarray view (not its ArrayBuffer)', err: RangeError, arg: 'len', make: () => { const whole = buf(128); const d = whole.subarray(0, 32); const s = buf(64, 1); return { bufs: [whole, s], call: () => n().kernelCopy(d, 0, s, 0, 33) }; } },
];

const fillCases: Case[] = [
  { name: 'dst a number', err: TypeError, arg: 'dst', make: () => ({ bufs: [], call: () => n().kernelFill(5 as never, 0, 1, 1) }) },
  { name: 'dst detached', err: TypeError, arg: 'dst', make: () => ({ bufs: [], call: () => n().kernelFill(detached(), 0, 1, 1) }) },
  { name: 'off negative', err: RangeError, arg: 'off', make: () => { const d = buf(); return { bufs: [d], call: () => n().kernelFill(d, -3, 1, 1) }; } },
  { name: 'value 256', err: RangeError, arg: 'value', make: () => { const d = buf(); return { bufs: [d], call: () => n().kernelFill(d, 0, 256, 4) }; } },
  { name: 'value -1', err: RangeError, arg: 'value', make: () => { const d = buf(); return { bufs: [d], call: () => n().kernelFill(d, 0, -1, 4) }; } },
  { name: 'value fractional', err: TypeError, arg: 'value', make: () => { const d = buf(); return { bufs: [d], call: () => n().kernelFill(d, 0, 0.5, 4) }; } },
  { name: 'len past the end', err: RangeError, arg: 'len', make: () => { const d = buf(); return { bufs: [d], call: () => n().kernelFill(d, 1, 7, 64) }; } },
  { name: 'len missing', err: TypeError, arg: 'len', make: () => { const d = buf(); return { bufs: [d], call: () => (n().kernelFill as (...a: unknown[]) => void)(d, 0, 7) }; } },
];

function xorArgs(nsrc = 3) {
  const dst = buf(64, 0x44);
  const srcs: (Uint8Array | null)[] = Array.from({ length: nsrc }, (_, i) => buf(64, i + 1));
  const offs = srcs.map(() => 0);
  return { dst, srcs, offs, bufs: [dst, ...(srcs as Uint8Array[])] };
}
const xorCases: Case[] = [
  { name: 'dst detached', err: TypeError, arg: 'dst', make: () => { const a = xorArgs(); return { bufs: a.bufs.slice(1), call: () => n().kernelXor(detached(), 0, a.srcs, a.offs, 8, true) }; } },
  { name: 'srcs not an array', err: TypeError, arg: 'srcs', make: () => { const a = xorArgs(); return { bufs: a.bufs, call: () => n().kernelXor(a.dst, 0, a.srcs[0] as never, a.offs, 8, true) }; } },
  { name: 'srcs empty', err: RangeError, arg: 'srcs.length', make: () => { const a = xorArgs(); return { bufs: a.bufs, call: () => n().kernelXor(a.dst, 0, [], [], 8, true) }; } },
  { name: '256 sources', err: RangeError, arg: 'srcs.length', make: () => { const a = xorArgs(256); return { bufs: a.bufs, call: () => n().kernelXor(a.dst, 0, a.srcs, a.offs, 8, true) }; } },
  { name: 'a source of the wrong type', err: TypeError, arg: 'srcs[1]', make: () => { const a = xorArgs(); a.srcs[1] = 'abc' as never; return { bufs: [a.dst], call: () => n().kernelXor(a.dst, 0, a.srcs, a.offs, 8, true) }; } },
  // eslint-disable-next-line no-sparse-arrays -- the hole is the case under test
  { name: 'a source undefined (a hole)', err: TypeError, arg: 'srcs[2]', make: () => { const a = xorArgs(); const s = [a.srcs[0], a.srcs[1], , ] as never; return { bufs: [a.dst], call: () => n().kernelXor(a.dst, 0, s, a.offs, 8, true) }; } },
  { name: 'a source detached', err: TypeError, arg: 'srcs[0]', make: () => { const a = xorArgs(); a.srcs[0] = detached(); return { bufs: [a.dst], call: () => n().kernelXor(a.dst, 0, a.srcs, a.offs, 8, true) }; } },
  { name: 'a source detached by a later element\'s getter', err: TypeError, arg: 'srcs[0]', make: () => {
    const a = xorArgs();
    const first = new Uint8Array(64);
    const srcs: unknown[] = [first, a.srcs[1]];
    Object.defineProperty(srcs, 2, { get: () => { structuredClone(first.buffer, { transfer: [first.buffer] }); return a.srcs[2]; } });
    return { bufs: [a.dst], call: () => n().kernelXor(a.dst, 0, srcs as never, a.offs, 8, true) };
  } },
  { name: 'srcOffs not an array', err: TypeError, arg: 'srcOffs', make: () => { const a = xorArgs(); return { bufs: a.bufs, call: () => n().kernelXor(a.dst, 0, a.srcs, 0 as never, 8, true) }; } },
  { name: 'srcOffs shorter than srcs', err: RangeError, arg: 'srcOffs.length', make: () => { const a = xorArgs(); return { bufs: a.bufs, call: () => n().kernelXor(a.dst, 0, a.srcs, [0, 0], 8, true) }; } },
  { name: 'a source offset negative', err: RangeError, arg: 'srcOffs[1]', make: () => { const a = xorArgs(); a.offs[1] = -1; return { bufs: a.bufs, call: () => n().kernelXor(a.dst, 0, a.srcs, a.offs, 8, true) }; } },
  { name: 'a null source\'s offset not a number', err: TypeError, arg: 'srcOffs[1]', make: () => { const a = xorArgs(); a.srcs[1] = null; a.offs[1] = 'x' as never; return { bufs: [a.dst], call: () => n().kernelXor(a.dst, 0, a.srcs, a.offs, 8, true) }; } },
  { name: 'len past the end of one source', err: RangeError, arg: 'len', make: () => { const a = xorArgs(); a.srcs[2] = buf(16, 9); return { bufs: [a.dst, a.srcs[2]!], call: () => n().kernelXor(a.dst, 0, a.srcs, a.offs, 17, true) }; } },
  { name: 'len past the end of dst', err: RangeError, arg: 'len', make: () => { const a = xorArgs(); return { bufs: a.bufs, call: () => n().kernelXor(a.dst, 8, a.srcs, a.offs, 57, false) }; } },
  { name: 'zeroDst not a boolean', err: TypeError, arg: 'zeroDst', make: () => { const a = xorArgs(); return { bufs: a.bufs, call: () => n().kernelXor(a.dst, 0, a.srcs, a.offs, 8, 1 as never) }; } },
];

const xorCheckCases: Case[] = [
  { name: 'srcs empty', err: RangeError, arg: 'srcs.length', make: () => ({ bufs: [], call: () => n().kernelXorIsZero([], [], 8) }) },
  { name: 'a source an ArrayBuffer', err: TypeError, arg: 'srcs[0]', make: () => ({ bufs: [], call: () => n().kernelXorIsZero([new ArrayBuffer(8) as never], [0], 8) }) },
  { name: 'len past a source', err: RangeError, arg: 'len', make: () => { const s = buf(8); return { bufs: [s], call: () => n().kernelXorIsZero([s, s], [0, 4], 5) }; } },
];

function pqArgs(disks = 6) {
  const blocks: (Uint8Array | null)[] = Array.from({ length: disks }, (_, i) => buf(64, i + 1));
  const offs = blocks.map(() => 0);
  return { blocks, offs, bufs: blocks.filter((b): b is Uint8Array => b !== null) };
}
const pqCases: Case[] = [
  { name: 'gen: 2 disks', err: RangeError, arg: 'blocks.length', make: () => { const a = pqArgs(2); return { bufs: a.bufs, call: () => n().kernelPqGen(a.blocks, a.offs, 8) }; } },
  { name: 'gen: 256 disks', err: RangeError, arg: 'blocks.length', make: () => { const a = pqArgs(256); return { bufs: a.bufs, call: () => n().kernelPqGen(a.blocks, a.offs, 8) }; } },
  { name: 'gen: P and Q both null', err: TypeError, arg: 'blocks[4]', make: () => { const a = pqArgs(); a.blocks[4] = a.blocks[5] = null; return { bufs: a.bufs.slice(0, 4), call: () => n().kernelPqGen(a.blocks, a.offs, 8) }; } },
  { name: 'gen: Q too short', err: RangeError, arg: 'len', make: () => { const a = pqArgs(); a.blocks[5] = buf(8); return { bufs: a.blocks as Uint8Array[], call: () => n().kernelPqGen(a.blocks, a.offs, 9) }; } },
  { name: 'gen: an offset past its block', err: RangeError, arg: 'offs[3]', make: () => { const a = pqArgs(); a.offs[3] = 65; return { bufs: a.bufs, call: () => n().kernelPqGen(a.blocks, a.offs, 1) }; } },
  { name: 'gen: offs of another length', err: RangeError, arg: 'offs.length', make: () => { const a = pqArgs(); return { bufs: a.bufs, call: () => n().kernelPqGen(a.blocks, [0, 0, 0], 8) }; } },
  { name: 'gen: P detached', err: TypeError, arg: 'blocks[4]', make: () => { const a = pqArgs(); a.blocks[4] = detached(); return { bufs: a.bufs.filter((_, i) => i !== 4), call: () => n().kernelPqGen(a.blocks, a.offs, 8) }; } },
  { name: 'gen-xor: start past the last data slot', err: RangeError, arg: 'start', make: () => { const a = pqArgs(); return { bufs: a.bufs, call: () => n().kernelPqGenXor(a.blocks, a.offs, 4, 4, 8) }; } },
  { name: 'gen-xor: stop below start', err: RangeError, arg: 'stop', make: () => { const a = pqArgs(); return { bufs: a.bufs, call: () => n().kernelPqGenXor(a.blocks, a.offs, 2, 1, 8) }; } },
  { name: 'gen-xor: stop fractional', err: TypeError, arg: 'stop', make: () => { const a = pqArgs(); return { bufs: a.bufs, call: () => n().kernelPqGenXor(a.blocks, a.offs, 0, 1.25, 8) }; } },
  { name: 'check: 3 disks', err: RangeError, arg: 'blocks.length', make: () => { const a = pqArgs(3); return { bufs: a.bufs, call: () => n().kernelPqCheck(a.blocks, a.offs, 8) }; } },
  { name: 'check: a data block a string', err: TypeError, arg: 'blocks[0]', make: () => { const a = pqArgs(); a.blocks[0] = 'x' as never; return { bufs: [], call: () => n().kernelPqCheck(a.blocks, a.offs, 8) }; } },
  { name: '2-data recovery: failb equal to faila', err: RangeError, arg: 'failb', make: () => { const a = pqArgs(); return { bufs: a.bufs, call: () => n().kernel2DataRecov(a.blocks, a.offs, 8, 1, 1) }; } },
  { name: '2-data recovery: failb is P', err: RangeError, arg: 'failb', make: () => { const a = pqArgs(); return { bufs: a.bufs, call: () => n().kernel2DataRecov(a.blocks, a.offs, 8, 1, 4) }; } },
  { name: '2-data recovery: faila negative', err: RangeError, arg: 'faila', make: () => { const a = pqArgs(); return { bufs: a.bufs, call: () => n().kernel2DataRecov(a.blocks, a.offs, 8, -1, 2) }; } },
  { name: '2-data recovery: P null', err: TypeError, arg: 'blocks[4]', make: () => { const a = pqArgs(); a.blocks[4] = null; return { bufs: a.bufs, call: () => n().kernel2DataRecov(a.blocks, a.offs, 8, 0, 1) }; } },
  { name: '2-data recovery: a lost slot null', err: TypeError, arg: 'blocks[2]', make: () => { const a = pqArgs(); a.blocks[2] = null; return { bufs: a.bufs, call: () => n().kernel2DataRecov(a.blocks, a.offs, 8, 0, 2) }; } },
  { name: '2-data recovery: 3 disks', err: RangeError, arg: 'blocks.length', make: () => { const a = pqArgs(3); return { bufs: a.bufs, call: () => n().kernel2DataRecov(a.blocks, a.offs, 8, 0, 1) }; } },
  { name: 'data+P recovery: faila is P', err: RangeError, arg: 'faila', make: () => { const a = pqArgs(); return { bufs: a.bufs, call: () => n().kernelDatapRecov(a.blocks, a.offs, 8, 4) }; } },
  { name: 'data+P recovery: Q null', err: TypeError, arg: 'blocks[5]', make: () => { const a = pqArgs(); a.blocks[5] = null; return { bufs: a.bufs, call: () => n().kernelDatapRecov(a.blocks, a.offs, 8, 0) }; } },
  { name: 'data+P recovery: len past the lost block', err: RangeError, arg: 'len', make: () => { const a = pqArgs(); a.blocks[1] = buf(4); return { bufs: a.blocks as Uint8Array[], call: () => n().kernelDatapRecov(a.blocks, a.offs, 8, 1) }; } },
];

const groups: [string, Case[]][] = [
  ['kernelCopy()', copyCases], ['kernelFill()', fillCases], ['kernelXor()', xorCases],
  ['kernelXorIsZero()', xorCheckCases], ['kernelPq*() and recovery', pqCases],
];
for (const [title, cases] of groups) {
  describe(`${title} rejects bad input before touching a byte`, () => {
    for (const c of cases) it(c.name, () => expectRejected(c));
  });
}
