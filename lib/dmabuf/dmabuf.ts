/**
 * DmaBuf: one dma-buf (or plain memfd) fd and a MAP_SHARED view of its pages.
 *
 * Model: `fd` is owned by the DmaBuf; `bytes` is a Uint8Array over the mapping. CPU access to
 * a dma-buf that a device may also touch is bracketed: syncStart(dir) … syncEnd(dir)
 * (DMA_BUF_IOCTL_SYNC). A 'memfd' buffer is ordinary cached memory: its brackets only check
 * state, and the dma-buf-only calls (setName, sync_file) throw ENOTSUP.
 *
 * Lifetime rule: close() closes the fd and drops the library's reference to `bytes`; it never
 * unmaps. The mapping belongs to the ArrayBuffer under `bytes` and is unmapped by its
 * finalizer when the last reference to it (a user's view, an operation in flight) is
 * collected. So an operation holding the bytes stays valid after close() or after the DmaBuf
 * is dropped. A DmaBuf collected without close() has its fd closed by a FinalizationRegistry.
 *
 * Threading: JS thread only; every method is a short syscall.
 */
import { native } from '../native';
import { invalidRange, invalidType } from '../validate';
import { dmaError, DmaEngineError, isNativeErrno, rethrow } from './errors';
import type { NativeDmabuf } from '../native-types/dmabuf';
import { registerDmaBufBytes } from './registry';

/** Where a buffer came from: a heap ('heap:system'), /dev/udmabuf, a plain memfd, an import. */
export type DmaBufSource = `heap:${string}` | 'udmabuf' | 'memfd' | 'import';

/** The direction of CPU access in a sync bracket or a sync_file. */
export type DmaBufDirection = 'read' | 'write' | 'rw';

/** The dma-buf fields of /proc/self/fdinfo; count, expName and name are null for a memfd. */
export interface DmaBufInfo {
  /** Size in bytes (fdinfo `size:`, or lseek for a memfd). */
  size: number;
  /** File references to the dma-buf (fdinfo `count:`). */
  count: number | null;
  /** The exporter (fdinfo `exp_name:`), e.g. "udmabuf", "system". */
  expName: string | null;
  /** The name set by setName (fdinfo `name:`), null until set. */
  name: string | null;
}

const SYNC_START = 0;
const SYNC_END = 4;
const DIRECTIONS: Record<DmaBufDirection, number> = { read: 1, write: 2, rw: 3 };

/** The DMA_BUF_SYNC_* / sync_file flag bits of a direction (validated). */
export function directionFlags(dir: unknown, name: string): number {
  if (typeof dir !== 'string') throw invalidType('"read", "write" or "rw"', name, dir);
  const f = DIRECTIONS[dir as DmaBufDirection];
  if (f === undefined) throw invalidRange(name, '"read", "write" or "rw"', dir);
  return f;
}

// Closes an fd whose DmaBuf was collected without close(): never leak an fd.
const fdReaper = new FinalizationRegistry<number>((fd) => {
  try {
    native().dmabuf.closeFd(fd);
  } catch {
    // already closed by someone else: nothing to do in a finalizer
  }
});

/**
 * @internal the proof that a DmaBuf is made by this package: the constructor takes ownership of
 * an fd (closing it on close() or collection), so `new DmaBuf(1, …)` from a caller would close
 * someone else's fd, stdout included.
 */
export const DMABUF_OWNER: unique symbol = Symbol('DmaBuf owner');

/** A dma-buf (or memfd) and its CPU mapping. Made by allocDmaBuf, udmabufCreateList, importDmaBuf. */
export class DmaBuf {
  /** The buffer's size in bytes (a multiple of the page size). */
  readonly size: number;
  /** Where it came from. */
  readonly source: DmaBufSource;
  #fd: number;
  #bytes: Uint8Array | null;
  readonly #n: NativeDmabuf;

  /** @internal Use allocDmaBuf, udmabufCreateList or importDmaBuf. Takes ownership of fd. */
  constructor(fd: number, size: number, source: DmaBufSource, bytes: Uint8Array, owner?: typeof DMABUF_OWNER) {
    if (owner !== DMABUF_OWNER) {
      throw new TypeError('A DmaBuf is made by allocDmaBuf, udmabufCreateList or importDmaBuf, not by "new DmaBuf" ' +
        '(it would take ownership of, and close, the fd it is given)');
    }
    this.#n = native().dmabuf;
    this.#fd = fd;
    this.size = size;
    this.source = source;
    this.#bytes = bytes;
    fdReaper.register(this, fd, this);
    registerDmaBufBytes(bytes, this);
  }

  /** The file descriptor; -1 once closed. */
  get fd(): number {
    return this.#fd;
  }

  /** True after close(). */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /**
   * The MAP_SHARED mapping. Views taken from it stay valid after close().
   * @throws DmaEngineError EBADF after close()
   */
  get bytes(): Uint8Array {
    this.#live('bytes');
    return this.#bytes as Uint8Array;
  }

  /** True when the fd is a real dma-buf (not the 'memfd' fallback). */
  get isDmaBuf(): boolean {
    return this.source !== 'memfd';
  }

  /**
   * Begins CPU access (DMA_BUF_IOCTL_SYNC START | dir). No-op for 'memfd'.
   * @param dir - 'read', 'write' or 'rw' (default)
   * @throws DmaEngineError EBADF after close(); the kernel's errno otherwise
   */
  syncStart(dir: DmaBufDirection = 'rw'): void {
    this.#sync(SYNC_START, directionFlags(dir, 'dir'), 'syncStart');
  }

  /**
   * Ends CPU access (DMA_BUF_IOCTL_SYNC END | dir). No-op for 'memfd'.
   * @param dir - 'read', 'write' or 'rw' (default)
   */
  syncEnd(dir: DmaBufDirection = 'rw'): void {
    this.#sync(SYNC_END, directionFlags(dir, 'dir'), 'syncEnd');
  }

  /**
   * Names the dma-buf (DMA_BUF_SET_NAME): shown as `name:` in fdinfo and in debugfs.
   * @param name - 1 to 31 bytes, no NUL
   * @throws DmaEngineError ENOTSUP for 'memfd' buffers
   */
  setName(name: string): void {
    if (typeof name !== 'string') throw invalidType('a string', 'name', name);
    const len = Buffer.byteLength(name);
    if (len < 1 || len > 31 || name.includes('\0')) {
      throw invalidRange('name', 'a string of 1 to 31 bytes without NUL', name);
    }
    this.#live('setName');
    this.#needDmaBuf('setName');
    try {
      this.#n.setName(this.#fd, name);
    } catch (e) {
      rethrow(e, `setName on dma-buf fd ${this.#fd}`);
    }
  }

  /**
   * The fdinfo fields. For 'memfd' only `size` is known.
   * @throws DmaEngineError EBADF after close()
   */
  info(): DmaBufInfo {
    this.#live('info');
    try {
      const fi = this.#n.fdinfo(this.#fd);
      if (!fi.isDmaBuf) return { size: this.#n.fdSize(this.#fd), count: null, expName: null, name: null };
      return { size: fi.size ?? this.size, count: fi.count, expName: fi.expName, name: fi.name };
    } catch (e) {
      rethrow(e, `info of fd ${this.#fd}`);
    }
  }

  /**
   * Exports the buffer's current fences as a sync_file fd (DMA_BUF_IOCTL_EXPORT_SYNC_FILE).
   * The caller owns the returned fd (close it with fs.closeSync).
   * @param flags - 'read' (wait for writers), 'write' (wait for all) or 'rw'
   */
  exportSyncFile(flags: DmaBufDirection = 'rw'): number {
    const f = directionFlags(flags, 'flags');
    this.#live('exportSyncFile');
    this.#needDmaBuf('exportSyncFile');
    try {
      return this.#n.exportSyncFile(this.#fd, f);
    } catch (e) {
      rethrow(e, `exportSyncFile on dma-buf fd ${this.#fd} (needs CONFIG_SYNC_FILE)`);
    }
  }

  /**
   * Adds a sync_file's fences to the buffer (DMA_BUF_IOCTL_IMPORT_SYNC_FILE). The caller keeps
   * ownership of syncFd.
   * @param syncFd - a sync_file fd (e.g. from exportSyncFile)
   * @param flags - 'read', 'write' or 'rw' usage
   */
  importSyncFile(syncFd: number, flags: DmaBufDirection = 'rw'): void {
    if (typeof syncFd !== 'number' || !Number.isInteger(syncFd)) throw invalidType('an integer', 'syncFd', syncFd);
    if (syncFd < 0 || syncFd > 0x7fffffff) throw invalidRange('syncFd', 'an open file descriptor', syncFd);
    const f = directionFlags(flags, 'flags');
    this.#live('importSyncFile');
    this.#needDmaBuf('importSyncFile');
    try {
      this.#n.importSyncFile(this.#fd, syncFd, f);
    } catch (e) {
      rethrow(e, `importSyncFile of fd ${syncFd} into dma-buf fd ${this.#fd}`);
    }
  }

  /**
   * Closes the fd and drops the library's reference to the bytes. Never unmaps: views
   * already taken stay valid until they are collected. Idempotent.
   */
  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    this.#bytes = null;
    fdReaper.unregister(this);
    try {
      this.#n.closeFd(fd);
    } catch (e) {
      rethrow(e, `close of fd ${fd}`);
    }
  }

  #sync(start: number, dir: number, what: string): void {
    this.#live(what);
    if (!this.isDmaBuf) return;
    try {
      this.#n.sync(this.#fd, start | dir);
    } catch (e) {
      if (isNativeErrno(e) && e.code === 'EINVAL' && start === SYNC_END) {
        throw new DmaEngineError(e.code, `${what} on dma-buf fd ${this.#fd}: the kernel refused ` +
          `DMA_BUF_SYNC_END (EINVAL); udmabuf needs a syncStart before syncEnd`);
      }
      rethrow(e, `${what} on dma-buf fd ${this.#fd}`);
    }
  }

  #live(what: string): void {
    if (this.#fd < 0) throw dmaError('EBADF', `${what}: this DmaBuf is closed`);
  }

  #needDmaBuf(what: string): void {
    if (!this.isDmaBuf) {
      throw dmaError('ENOTSUP', `${what} needs a dma-buf, but this buffer is a plain memfd (source 'memfd'): ` +
        `allocate with source 'udmabuf' or 'heap:system' on a kernel that has them`);
    }
  }
}
