/**
 * Making DmaBufs: allocDmaBuf (dma-heap, udmabuf, memfd, or 'auto' in that order),
 * udmabufCreateList (several memfd ranges in one dma-buf) and importDmaBuf (an fd from
 * elsewhere).
 *
 * Call order inside each: validate every argument (nothing opened yet) → open the device →
 * ioctl → mmap → wrap. Every intermediate fd (device, memfd) is closed in `finally`; the
 * dma-buf fd is closed if the mapping fails; so a failure leaks neither fds nor mappings.
 * Threading: JS thread only.
 */
import { constants as bufferConstants } from 'node:buffer';
import { existsSync, readdirSync } from 'node:fs';
import { native } from '../native';
import { checkInt, invalidRange, invalidType } from '../validate';
import { DmaBuf, DMABUF_OWNER, type DmaBufSource } from './dmabuf';
import { deviceOpenError, dmaError, DmaEngineError, isNativeErrno, rethrow } from './errors';
import { checkUdmabufLimits, UDMABUF_PARAMS } from './limits';

/** The udmabuf misc device. */
export const UDMABUF_DEVICE = '/dev/udmabuf';
/** The directory of dma-heap devices. */
export const DMA_HEAP_DIR = '/dev/dma_heap';

/** allocDmaBuf's source: a heap ('heap:system', 'heap:<name>'), 'udmabuf', 'memfd' or 'auto'. */
export type AllocSource = `heap:${string}` | 'udmabuf' | 'memfd' | 'auto';

/** Options of allocDmaBuf. */
export interface AllocDmaBufOptions {
  /** Where the pages come from (default 'auto': heap:system, then udmabuf, then memfd). */
  source?: AllocSource;
  /** A dma-buf name (DMA_BUF_SET_NAME) for heap/udmabuf buffers, and the memfd's name. */
  name?: string;
}

/** One range of UDMABUF_CREATE_LIST: part of an existing memfd, or a new one of `size`. */
export interface UdmabufListItem {
  /** A memfd sealed with F_SEAL_SHRINK (e.g. the fd of a 'memfd' DmaBuf); omitted: a new one. */
  memfd?: number;
  /** Page-aligned offset into the memfd (default 0). */
  offset?: number;
  /** Page-aligned length of the range. */
  size: number;
}

const MAX_SIZE = 2 ** 46;
/**
 * The largest ArrayBuffer this Node.js can make (2^32 on Node 20, 2^53 - 1 on 22+): the bytes of
 * a DmaBuf are one mapping in one ArrayBuffer, so a larger buffer cannot be offered here.
 */
const MAX_MAPPABLE = Math.min(MAX_SIZE, bufferConstants.MAX_LENGTH);

/** The RangeError for a size no ArrayBuffer of this Node.js can hold, or null if it fits. */
function unmappable(size: number, name: string, total = false): RangeError | null {
  if (size <= MAX_MAPPABLE) return null;
  return invalidRange(name, `at most ${MAX_MAPPABLE} bytes${total ? ' in total' : ''} (buffer.constants.MAX_LENGTH: a DmaBuf's bytes are one ` +
    `ArrayBuffer, and Node.js ${process.version} makes none larger)`, size);
}
let pageSizeCache = 0;

/** The system page size (every dma-buf size and udmabuf offset is a multiple of it). */
export function pageSize(): number {
  if (pageSizeCache === 0) pageSizeCache = native().dmabuf.pageSize();
  return pageSizeCache;
}

function checkPageMultiple(v: unknown, name: string, allowZero: boolean): number {
  const page = pageSize();
  const n = checkInt(v, name, allowZero ? 0 : 1, MAX_SIZE);
  if (n % page !== 0) throw invalidRange(name, `a multiple of the page size (${page})`, v);
  const big = unmappable(n, name);
  if (big) throw big;
  return n;
}

function checkName(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidType('a string', 'options.name', v);
  const len = Buffer.byteLength(v);
  if (len < 1 || len > 31 || v.includes('\0')) throw invalidRange('options.name', 'a string of 1 to 31 bytes without NUL', v);
  return v;
}

function checkSource(v: unknown): AllocSource {
  if (v === undefined) return 'auto';
  if (typeof v !== 'string') throw invalidType('a string', 'options.source', v);
  if (v === 'auto' || v === 'udmabuf' || v === 'memfd') return v;
  if (/^heap:[A-Za-z0-9_.,-]{1,64}$/.test(v)) return v as AllocSource;
  throw invalidRange('options.source', `'auto', 'udmabuf', 'memfd' or 'heap:<name>' (a /dev/dma_heap entry)`, v);
}

function closeQuietly(fd: number): void {
  try {
    native().dmabuf.closeFd(fd);
  } catch {
    // closing in a cleanup path: the first error is the one to report
  }
}

// Maps a fresh dma-buf/memfd fd and wraps it; closes the fd if the mapping fails.
function wrap(fd: number, size: number, source: DmaBufSource, what: string): DmaBuf {
  let bytes: Uint8Array;
  const big = unmappable(size, 'size');
  if (big) {
    closeQuietly(fd);
    throw big;
  }
  try {
    bytes = native().dmabuf.map(fd, size);
  } catch (e) {
    closeQuietly(fd);
    rethrow(e, `mmap of ${what}`);
  }
  return new DmaBuf(fd, size, source, bytes, DMABUF_OWNER);
}

function openOrExplain(path: string, readWrite: boolean, feature: string, config: string): number {
  try {
    return native().dmabuf.openDevice(path, readWrite);
  } catch (e) {
    throw deviceOpenError(e, path, feature, config);
  }
}

function allocHeap(heap: string, size: number): DmaBuf {
  const path = `${DMA_HEAP_DIR}/${heap}`;
  const heapFd = openOrExplain(path, false, `DMA heap "${heap}"`,
    heap === 'system' ? 'CONFIG_DMABUF_HEAPS, CONFIG_DMABUF_HEAPS_SYSTEM' : 'CONFIG_DMABUF_HEAPS');
  let fd: number;
  try {
    fd = native().dmabuf.heapAlloc(heapFd, size);
  } catch (e) {
    rethrow(e, `allocating ${size} bytes from ${path}`);
  } finally {
    closeQuietly(heapFd);
  }
  return wrap(fd, size, `heap:${heap}`, path);
}

function newSealedMemfd(name: string, size: number): number {
  try {
    return native().dmabuf.memfdCreate(name, size, true);
  } catch (e) {
    rethrow(e, `memfd_create of ${size} bytes`);
  }
}

function limitsError(e: unknown, total: number, count: number): never {
  if (isNativeErrno(e) && e.code === 'EINVAL') {
    const over = checkUdmabufLimits(total, count);
    if (over) throw over;
  }
  rethrow(e, `${UDMABUF_DEVICE}: creating a ${total}-byte dma-buf from ${count} memfd range(s)`);
}

function allocUdmabuf(size: number, name: string): DmaBuf {
  const over = checkUdmabufLimits(size, 1);
  if (over) throw over;
  const dev = openOrExplain(UDMABUF_DEVICE, true, 'udmabuf', 'CONFIG_UDMABUF, Linux 4.20+');
  let memfd = -1;
  let fd: number;
  try {
    memfd = newSealedMemfd(name, size);
    try {
      fd = native().dmabuf.udmabufCreate(dev, memfd, 0, size);
    } catch (e) {
      limitsError(e, size, 1);
    }
  } finally {
    if (memfd >= 0) closeQuietly(memfd); // the dma-buf pins the pages; the memfd is not needed
    closeQuietly(dev);
  }
  return wrap(fd, size, 'udmabuf', UDMABUF_DEVICE);
}

function isMissing(e: unknown): boolean {
  return e instanceof DmaEngineError && ['ENOENT', 'ENODEV', 'ENXIO', 'EACCES', 'EPERM'].includes(e.code);
}

/**
 * Allocates a buffer of `size` bytes shared between the CPU and devices.
 *
 * @param size - bytes, a positive multiple of the page size
 * @param options - `source` ('auto' default: heap:system, then udmabuf, then memfd; a heap
 *   or udmabuf that is missing or not permitted falls through) and `name`
 * @returns a DmaBuf whose `bytes` map the pages (zero-filled)
 * @throws TypeError/RangeError for bad arguments (nothing opened); DmaEngineError ENOENT when
 *   the kernel lacks the source, EACCES without permission, EINVAL over udmabuf's limits
 * @example
 *   const buf = allocDmaBuf(1 << 20, { source: 'auto', name: 'frames' });
 *   buf.syncStart('write'); buf.bytes.fill(1); buf.syncEnd('write');
 *   buf.close();
 */
export function allocDmaBuf(size: number, options: AllocDmaBufOptions = {}): DmaBuf {
  // Validate everything before opening anything.
  const n = checkPageMultiple(size, 'size', false);
  if (options === null || typeof options !== 'object') throw invalidType('an object', 'options', options);
  const source = checkSource(options.source);
  const name = checkName(options.name);

  const make = (s: Exclude<AllocSource, 'auto'>): DmaBuf => {
    let buf: DmaBuf;
    if (s === 'memfd') return wrap(newSealedMemfd(name ?? 'dmaengine', n), n, 'memfd', 'a memfd');
    if (s === 'udmabuf') buf = allocUdmabuf(n, name ?? 'dmaengine');
    else buf = allocHeap(s.slice(5), n);
    if (name !== undefined) {
      try {
        buf.setName(name);
      } catch (e) {
        buf.close();
        throw e;
      }
    }
    return buf;
  };
  if (source !== 'auto') return make(source);
  for (const s of ['heap:system', 'udmabuf'] as const) {
    try {
      return make(s);
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
  }
  return make('memfd');
}

/**
 * Makes one dma-buf from several memfd ranges (UDMABUF_CREATE_LIST).
 *
 * @param items - ranges: `{ memfd, offset, size }` of existing memfds sealed with
 *   F_SEAL_SHRINK (a 'memfd' DmaBuf's fd qualifies), or `{ size }` for a new memfd
 * @param options - `name` for the dma-buf
 * @returns a 'udmabuf' DmaBuf whose bytes are the ranges in order
 * @throws DmaEngineError ENOENT without /dev/udmabuf, EINVAL over size_limit_mb/list_limit
 */
export function udmabufCreateList(items: UdmabufListItem[], options: { name?: string } = {}): DmaBuf {
  if (!Array.isArray(items)) throw invalidType('an array', 'items', items);
  if (items.length === 0) throw invalidRange('items', 'a non-empty array', items);
  if (options === null || typeof options !== 'object') throw invalidType('an object', 'options', options);
  const name = checkName(options.name);
  const checked = items.map((it, i) => {
    if (it === null || typeof it !== 'object') throw invalidType('an object', `items[${i}]`, it);
    const size = checkPageMultiple(it.size, `items[${i}].size`, false);
    const offset = it.offset === undefined ? 0 : checkPageMultiple(it.offset, `items[${i}].offset`, true);
    const memfd = it.memfd === undefined ? -1 : checkInt(it.memfd, `items[${i}].memfd`, 0, 0x7fffffff);
    if (memfd < 0 && offset !== 0) throw invalidRange(`items[${i}].offset`, '0 when no memfd is given', it.offset);
    return { memfd, offset, size };
  });
  const total = checked.reduce((a, it) => a + it.size, 0);
  const big = unmappable(total, 'items', true);
  if (big) throw big;
  const over = checkUdmabufLimits(total, checked.length);
  if (over) throw over;

  const dev = openOrExplain(UDMABUF_DEVICE, true, 'udmabuf', 'CONFIG_UDMABUF, Linux 4.20+');
  const owned: number[] = [];
  let fd: number;
  try {
    const list = checked.map((it) => {
      if (it.memfd >= 0) return it;
      const memfd = newSealedMemfd(name ?? 'dmaengine', it.size);
      owned.push(memfd);
      return { memfd, offset: 0, size: it.size };
    });
    try {
      fd = native().dmabuf.udmabufCreateList(dev, list);
    } catch (e) {
      if (isNativeErrno(e) && (e.code === 'EBADFD' || e.code === 'EBADF')) {
        throw new DmaEngineError(e.code, `${UDMABUF_DEVICE} refused an item's memfd (${e.code}): ` +
          `each memfd must be a memfd_create file sealed with F_SEAL_SHRINK`);
      }
      limitsError(e, total, checked.length);
    }
  } finally {
    for (const m of owned) closeQuietly(m);
    closeQuietly(dev);
  }
  const buf = wrap(fd, total, 'udmabuf', UDMABUF_DEVICE);
  if (name !== undefined) {
    try {
      buf.setName(name);
    } catch (e) {
      buf.close();
      throw e;
    }
  }
  return buf;
}

/**
 * Wraps a dma-buf fd received from elsewhere (a driver, another process). The fd is
 * duplicated: the caller keeps, and still closes, its own.
 *
 * @param fd - an open dma-buf file descriptor
 * @returns a DmaBuf with source 'import', size from lseek(SEEK_END)
 * @throws DmaEngineError ENOTTY when fd is not a dma-buf, EBADF when it is not open
 */
export function importDmaBuf(fd: number): DmaBuf {
  checkInt(fd, 'fd', 0, 0x7fffffff);
  const n = native().dmabuf;
  let info;
  try {
    info = n.fdinfo(fd);
  } catch (e) {
    if (isNativeErrno(e) && e.code === 'ENOENT') throw dmaError('EBADF', `importDmaBuf: fd ${fd} is not open`);
    rethrow(e, `importDmaBuf: fd ${fd}`);
  }
  if (!info.isDmaBuf) {
    throw dmaError('ENOTTY', `importDmaBuf: fd ${fd} is not a dma-buf (its /proc/self/fdinfo has no exp_name)`);
  }
  let dup: number;
  try {
    dup = n.dupFd(fd);
  } catch (e) {
    rethrow(e, `importDmaBuf: dup of fd ${fd}`);
  }
  let size: number;
  try {
    size = n.fdSize(dup);
  } catch (e) {
    closeQuietly(dup);
    rethrow(e, `importDmaBuf: size of fd ${fd}`);
  }
  return wrap(dup, size, 'import', `dma-buf fd ${fd}`);
}

/**
 * Which sources this machine offers now (device nodes present), for diagnostics. Reads the
 * file system only; never throws (a missing heap directory is an empty list).
 */
export function availableSources(): {
  /** The dma-heap names under `/dev/dma_heap` (`system`, …), sorted; empty when none. */
  heaps: string[];
  /** Whether `/dev/udmabuf` exists (not whether this process may open it). */
  udmabuf: boolean;
  /** Where the udmabuf module parameters are read ({@link UDMABUF_PARAMS}). */
  limitsDir: string;
} {
  let heaps: string[];
  try {
    heaps = readdirSync(DMA_HEAP_DIR).sort();
  } catch {
    heaps = [];
  }
  return { heaps, udmabuf: existsSync(UDMABUF_DEVICE), limitsDir: UDMABUF_PARAMS };
}
