/**
 * The prep checks, done once by the core for every provider (the kernel's `dmaengine_prep_*`
 * inlines, DPDK's `rte_dma_copy`): the channel, address ranges, lengths, source counts against
 * the device's limits, coefficient lists, result holders and flag bits.
 *
 * Model: registration replaces each `devicePrep*` callback of the device with a checking
 * version ({@link wrapPrepOps}); every caller (async_tx, dmatest, tests, user code calling
 * `chan.device.devicePrep*` as kernel clients do) goes through it. Bad input throws a
 * TypeError/RangeError naming the argument before the provider is reached; a source count above
 * `maxXor` / `dmaDevToMaxpq(device)` returns null (the op does not fit, as hardware answers).
 * The provider's callback then trusts its arguments: `len` in 0..DMA_MAX_LEN, every address
 * `{ buf, off }` with `len` bytes inside `buf`, `srcCnt` within the list and the device's
 * limit, `scf` a byte array of at least `srcCnt` entries, holders objects, `flags` defined
 * `DmaCtrlFlags` bits. What only the provider knows (an engine's own limits) stays there.
 *
 * Threading: JavaScript thread only.
 */
import { DMA_MAX_LEN } from './abi';
import { DmaChan } from './channel';
import type { DmaAsyncTxDescriptor } from './descriptor';
import { type DmaDevice, dmaDevToMaxpq } from './device';
import { type DmaAddr, DMA_CTRL_FLAGS_ALL, DmaCtrlFlags, type Holder } from './status';
import { checkBytes, checkInt, checkRange, invalidRange, invalidType, pageFits } from '../validate';

type Desc = DmaAsyncTxDescriptor | null;

/** A `DmaAddr` whose `len` bytes lie in its buffer. */
export function checkAddr(a: unknown, name: string, len: number): DmaAddr {
  if (a === null || typeof a !== 'object') throw invalidType('a DmaAddr ({ buf, off })', name, a);
  const addr = a as DmaAddr;
  // Each field read once, and the provider gets this snapshot: a getter cannot hand the
  // checks one view and the work another.
  const b = addr.buf;
  const o = addr.off;
  if (pageFits(b, o, len)) return { buf: b, off: o }; // no name built on the way
  const buf = checkBytes(b, `${name}.buf`);
  return { buf, off: checkRange(buf, `${name}.buf`, o, `${name}.off`, len, 'len') };
}

/**
 * {@link checkAddr} of `list[i]` named `${name}[${i}]`, the name built only on the way to an
 * error (building it for every entry of every call showed in profiles).
 */
function checkAddrAt(a: unknown, name: string, i: number, len: number): DmaAddr {
  if (a !== null && typeof a === 'object') {
    const buf = (a as DmaAddr).buf;
    const off = (a as DmaAddr).off;
    if (pageFits(buf, off, len)) return { buf, off };
    // the error's name, and each field read once (as checkAddr does)
    return checkAddr({ buf, off }, `${name}[${i}]`, len);
  }
  return checkAddr(a, `${name}[${i}]`, len);
}

/** The first `cnt` entries of `list`, each a checked `DmaAddr` (`cnt` named `<name>Cnt`). */
export function checkAddrs(list: unknown, cnt: number, name: string, len: number): DmaAddr[] {
  if (!Array.isArray(list)) throw invalidType('an Array of DmaAddr', name, list);
  if (!(Number.isInteger(cnt) && cnt >= 0 && cnt <= list.length)) checkInt(cnt, `${name}Cnt`, 0, list.length);
  const out: DmaAddr[] = [];
  for (let i = 0; i < cnt; i++) out.push(checkAddrAt(list[i], name, i, len));
  return out;
}

function checkLen(len: unknown): number {
  return checkInt(len, 'len', 0, DMA_MAX_LEN);
}

function checkFlags(flags: unknown): number {
  return checkInt(flags, 'flags', 0, DMA_CTRL_FLAGS_ALL);
}

function checkResultHolder(h: unknown, name: string): Holder<number> {
  if (h === null || typeof h !== 'object') throw invalidType('a holder object ({ value })', name, h);
  return h as Holder<number>;
}

function checkChan(dev: DmaDevice, chan: unknown): void {
  if (!(chan instanceof DmaChan) || chan.device !== dev) throw invalidType('a channel of this device', 'chan', chan);
}

/** [P, Q] with the outputs the flags leave enabled checked; then the sources and coefficients. */
function checkPq(pq: unknown, src: unknown, srcCnt: number, scf: unknown, len: number, flags: number):
  { pq: DmaAddr[]; src: DmaAddr[]; scf: Uint8Array } {
  if (!Array.isArray(pq) || pq.length < 2) throw invalidType('an Array [P, Q]', 'dst', pq);
  const p0 = pq[0] as DmaAddr;
  const q0 = pq[1] as DmaAddr;
  const p = (flags & DmaCtrlFlags.PREP_PQ_DISABLE_P) === 0 ? checkAddr(p0, 'dst[0]', len) : p0;
  const q = (flags & DmaCtrlFlags.PREP_PQ_DISABLE_Q) === 0 ? checkAddr(q0, 'dst[1]', len) : q0;
  const srcs = checkAddrs(src, srcCnt, 'src', len);
  const coef = checkBytes(scf, 'scf');
  if (coef.length < srcCnt) throw invalidRange('scf.length', `at least srcCnt (${srcCnt})`, coef.length);
  return { pq: [p, q], src: srcs, scf: coef };
}

type PrepOps = Pick<DmaDevice, 'devicePrepDmaMemcpy' | 'devicePrepDmaMemset' | 'devicePrepDmaXor' | 'devicePrepDmaXorVal'
  | 'devicePrepDmaPq' | 'devicePrepDmaPqVal' | 'devicePrepDmaInterrupt'>;

/** The checking version of each prep op, around the provider's `op`. */
const CHECKED: { [K in keyof PrepOps]-?: (dev: DmaDevice, op: NonNullable<PrepOps[K]>) => NonNullable<PrepOps[K]> } = {
  devicePrepDmaMemcpy: (dev, op) => function (chan, dst, src, len, flags): Desc {
    checkChan(dev, chan);
    checkLen(len);
    const d = checkAddr(dst, 'dst', len);
    const s = checkAddr(src, 'src', len);
    checkFlags(flags);
    return op.call(dev, chan, d, s, len, flags);
  },
  devicePrepDmaMemset: (dev, op) => function (chan, dst, value, len, flags): Desc {
    checkChan(dev, chan);
    checkLen(len);
    const d = checkAddr(dst, 'dst', len);
    checkInt(value, 'value', 0, 255);
    checkFlags(flags);
    return op.call(dev, chan, d, value, len, flags);
  },
  devicePrepDmaXor: (dev, op) => function (chan, dst, src, srcCnt, len, flags): Desc {
    checkChan(dev, chan);
    checkLen(len);
    const d = checkAddr(dst, 'dst', len);
    const s = checkAddrs(src, srcCnt, 'src', len);
    checkFlags(flags);
    if (srcCnt > (dev.maxXor ?? 0)) return null;
    return op.call(dev, chan, d, s, srcCnt, len, flags);
  },
  devicePrepDmaXorVal: (dev, op) => function (chan, src, srcCnt, len, result, flags): Desc {
    checkChan(dev, chan);
    checkLen(len);
    const s = checkAddrs(src, srcCnt, 'src', len);
    checkResultHolder(result, 'result');
    checkFlags(flags);
    if (srcCnt > (dev.maxXor ?? 0)) return null;
    return op.call(dev, chan, s, srcCnt, len, result, flags);
  },
  devicePrepDmaPq: (dev, op) => function (chan, dst, src, srcCnt, scf, len, flags): Desc {
    checkChan(dev, chan);
    checkLen(len);
    checkFlags(flags);
    const a = checkPq(dst, src, srcCnt, scf, len, flags);
    if (srcCnt > dmaDevToMaxpq(dev)) return null;
    return op.call(dev, chan, a.pq, a.src, srcCnt, a.scf, len, flags);
  },
  devicePrepDmaPqVal: (dev, op) => function (chan, pq, src, srcCnt, scf, len, pqres, flags): Desc {
    checkChan(dev, chan);
    checkLen(len);
    checkFlags(flags);
    const a = checkPq(pq, src, srcCnt, scf, len, flags);
    checkResultHolder(pqres, 'pqres');
    if (srcCnt > dmaDevToMaxpq(dev)) return null;
    return op.call(dev, chan, a.pq, a.src, srcCnt, a.scf, len, pqres, flags);
  },
  devicePrepDmaInterrupt: (dev, op) => function (chan, flags): Desc {
    checkChan(dev, chan);
    checkFlags(flags);
    return op.call(dev, chan, flags);
  },
};

/** Wrappers made here (a device registered again keeps its checked ops as they are). */
const checkedOps = new WeakSet<object>();

/**
 * Replaces each prep op `dev` defines with its checking version, once (registration calls it
 * after the device passed its own checks). The provider's function is called with the device
 * as `this` and the checked arguments: each DmaAddr a snapshot `{ buf, off }` read once.
 */
export function wrapPrepOps(dev: DmaDevice): void {
  for (const name of Object.keys(CHECKED) as (keyof PrepOps)[]) {
    const op = dev[name] as object | undefined;
    if (op === undefined || checkedOps.has(op)) continue;
    const checked = (CHECKED[name] as (d: DmaDevice, o: object) => object)(dev, op);
    checkedOps.add(checked);
    (dev as Record<keyof PrepOps, unknown>)[name] = checked;
  }
}
