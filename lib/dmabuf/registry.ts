/**
 * Which bytes are dma-buf bytes: every DmaBuf's mapping registers its ArrayBuffer here, so a
 * provider that can only reach dma-bufs (the kernel bridge) recognizes a Uint8Array operand as
 * a view into some DmaBuf's mapping and finds the buffer and the view's offset in it.
 *
 * Model: ArrayBuffer → WeakRef(DmaBuf). The registry keeps nothing alive: not the mapping (a
 * WeakMap key) and not the DmaBuf (a weak reference), so DmaBuf lifetimes are as they were.
 * Threading: JavaScript thread only.
 */
import type { DmaBuf } from './dmabuf';
import { checkBytes } from '../validate';
import { bufferOf, byteLengthOf, byteOffsetOf } from '../views';

interface Entry {
  buf: WeakRef<DmaBuf>;
  /** byteOffset of the mapping's own Uint8Array in its ArrayBuffer */
  base: number;
  size: number;
}

const byBuffer = new WeakMap<ArrayBufferLike, Entry>();

/** @internal called by the DmaBuf constructor with its mapping */
export function registerDmaBufBytes(bytes: Uint8Array, dmabuf: DmaBuf): void {
  byBuffer.set(bufferOf(bytes), { buf: new WeakRef(dmabuf), base: byteOffsetOf(bytes), size: byteLengthOf(bytes) });
}

/** Where a view lies in a DmaBuf. */
export interface DmaBufView {
  /** the DmaBuf (possibly closed: its fd is -1 then) */
  dmabuf: DmaBuf;
  /** the mapping's ArrayBuffer (a cache key that lives as long as the bytes) */
  buffer: ArrayBufferLike;
  /** the view's first byte, as an offset in the dma-buf */
  offset: number;
}

/**
 * The DmaBuf whose mapping `view` lies in, and the view's offset in it; null for any other
 * memory (or when the DmaBuf was collected).
 */
export function dmaBufOfView(view: Uint8Array): DmaBufView | null {
  checkBytes(view, 'view');
  const buffer = bufferOf(view);
  const e = byBuffer.get(buffer);
  if (e === undefined) return null;
  const dmabuf = e.buf.deref();
  if (dmabuf === undefined) return null;
  const offset = byteOffsetOf(view) - e.base;
  if (offset < 0 || offset + byteLengthOf(view) > e.size) return null;
  return { dmabuf, buffer, offset };
}
