/**
 * dma-buf's native surface (native/addon/dmabuf_binding.cc), under `native().dmabuf`.
 *
 * Raw mechanism: fds are plain numbers, every call is one short syscall on the JS thread.
 * Failures throw an Error with `code` ("ENOENT"), `errno` (positive) and `syscall`; lib/dmabuf
 * turns them into DmaEngineErrors a user can act on. `map` returns a Uint8Array over a
 * MAP_SHARED mapping that is unmapped when its ArrayBuffer is garbage-collected, never before.
 */

/** The dma-buf fields of /proc/self/fdinfo/<fd>; null where the line is absent. */
export interface NativeFdinfo {
  isDmaBuf: boolean;
  size: number | null;
  count: number | null;
  expName: string | null;
  name: string | null;
  flags: number | null;
}

/** One range of a memfd for UDMABUF_CREATE_LIST. */
export interface NativeUdmabufItem {
  memfd: number;
  offset: number;
  size: number;
}

/** The functions under `native().dmabuf`. */
export interface NativeDmabuf {
  pageSize(): number;
  /** memfd_create + ftruncate (+ F_SEAL_SHRINK). */
  memfdCreate(name: string, size: number, sealShrink: boolean): number;
  openDevice(path: string, readWrite: boolean): number;
  closeFd(fd: number): void;
  dupFd(fd: number): number;
  udmabufCreate(devFd: number, memfd: number, offset: number, size: number): number;
  udmabufCreateList(devFd: number, items: NativeUdmabufItem[]): number;
  heapAlloc(heapFd: number, len: number): number;
  /** DMA_BUF_IOCTL_SYNC with raw flags (START 0 / END 4 | READ 1 / WRITE 2 / RW 3). */
  sync(fd: number, flags: number): void;
  setName(fd: number, name: string): void;
  exportSyncFile(fd: number, flags: number): number;
  importSyncFile(fd: number, syncFd: number, flags: number): void;
  /** lseek(SEEK_END), then back to 0. */
  fdSize(fd: number): number;
  map(fd: number, size: number): Uint8Array;
  fdinfo(fd: number): NativeFdinfo;
}

/** The dma-buf part of the addon. */
export interface DmabufAddon {
  dmabuf: NativeDmabuf;
}
