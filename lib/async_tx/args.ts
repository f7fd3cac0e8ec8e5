/**
 * Argument checks shared by the async_* operations: pages (any Uint8Array), offsets, lengths,
 * page lists with their offset arrays, out-parameter holders. Every operation runs all of its
 * checks before it chooses a path, so a bad argument throws before a byte is written or a
 * descriptor is prepared. Messages are lib/validate.ts's, naming the argument.
 *
 * Threading: pure functions, JavaScript thread only.
 */
import type { Holder } from '../dmaengine/status';
import { checkBytes, checkInt, checkRange, invalidType, pageFits } from '../validate';
import { byteLengthOf, isProxyObject } from '../views';

/** Largest length or offset accepted (the kernels' `size_t` inside a JS safe integer). */
export const MAX_LEN = 0x7fffffff;

/** A page (Uint8Array) and the range [off, off+len) inside it. */
export function checkPage(page: unknown, name: string, off: unknown, offName: string, len: number, lenName = 'len'): Uint8Array {
  if (pageFits(page, off, len)) return page;
  const b = checkBytes(page, name);
  checkRange(b, name, off, offName, len, lenName);
  return b;
}

/**
 * A page checked before caller code could run (a getter of the submit block, a dependency's
 * callback, an engine's `currentCpu`) checked again right before its bytes are touched: that
 * code may have detached its ArrayBuffer or shrunk a resizable one. One slot read when it still
 * fits; otherwise {@link checkPage} throws the error naming it (the bytes not touched).
 */
export function recheckPage(page: Uint8Array, name: string, off: number, offName: string, len: number, lenName = 'len'): void {
  if (len !== 0 && byteLengthOf(page) - off >= len) return;
  checkPage(page, name, off, offName, len, lenName);
}

/**
 * {@link recheckPage} for each non-null page of a checked list: named `${name}[i]`, its offset
 * `${offsName}[i]` when `perPage`, else `offsName`.
 */
export function recheckPages(pages: readonly (Uint8Array | null)[], offs: readonly number[], len: number, name: string,
  offsName: string, perPage: boolean, lenName = 'len'): void {
  for (let i = 0; i < pages.length; i++) {
    const p = pages[i];
    if (p === null || p === undefined) continue;
    const off = offs[i]!;
    if (len !== 0 && byteLengthOf(p) - off >= len) continue;
    checkPage(p, `${name}[${i}]`, off, perPage ? `${offsName}[${i}]` : offsName, len, lenName);
  }
}

/** A length in [0, MAX_LEN]. */
export function checkLen(len: unknown, name = 'len'): number {
  return checkInt(len, name, 0, MAX_LEN);
}

/** An Array of pages or null, at least `cnt` long. */
export function checkPageArray(list: unknown, name: string): (Uint8Array | null)[] {
  if (!Array.isArray(list)) throw invalidType('an Array of Uint8Array (or null entries)', name, list);
  return list as (Uint8Array | null)[];
}

const arraySlice = Array.prototype.slice;

/** An Array of offsets, or null (= every page uses `fallback`), for `cnt` pages. */
export function checkOffsArray(offs: unknown, name: string, cnt: number): number[] | null {
  if (offs === null || offs === undefined) return null;
  if (!Array.isArray(offs)) throw invalidType('an Array of offsets or null', name, offs);
  const have = offs.length;
  if (have < cnt) throw new RangeError(`Expected "${name}" to hold ${cnt} offsets but it holds ${have}`);
  // A copy, each entry read once: what is checked is what is used.
  return arraySlice.call(offs, 0, cnt) as number[];
}

/**
 * The first `cnt` entries of a page list, each null (when `allowNull`) or a page whose range
 * [off, off+len) fits; `offs[i]` (or `fallback`) is its offset.
 * @returns a copy: the caller's array is never written
 */
export function checkPages(list: (Uint8Array | null)[], name: string, cnt: number, offs: number[] | null, offsName: string,
  fallback: number, len: number, allowNull: (i: number) => boolean, lenName = 'len'): (Uint8Array | null)[] {
  const out: (Uint8Array | null)[] = [];
  for (let i = 0; i < cnt; i++) {
    const p = list[i];
    const off = offs ? offs[i] : fallback;
    if (p === null || p === undefined) {
      if (!allowNull(i)) throw invalidType('a Uint8Array or Buffer', `${name}[${i}]`, p);
      if (offs) checkInt(off, `${offsName}[${i}]`, 0, MAX_LEN);
      out.push(null);
      continue;
    }
    // the names are built only on the way to an error
    out.push(pageFits(p, off, len) ? p : checkPage(p, `${name}[${i}]`, off, offs ? `${offsName}[${i}]` : offsName, len, lenName));
  }
  return out;
}

/**
 * An out-parameter holder `{ value }` that can be written: its current value is written back
 * once, now, so that a frozen or sealed holder, a read-only `value`, a getter without setter
 * or a throwing setter is refused before any work (the result is written only at completion,
 * when a failure could no longer be reported to the caller).
 */
export function checkHolder(h: unknown, name: string): Holder<number> {
  if (h === null || typeof h !== 'object') throw invalidType('a holder object ({ value })', name, h);
  // A Proxy could accept this write and refuse the one at completion: refused outright.
  if (isProxyObject(h)) throw invalidType('a writable holder object ({ value }), not a Proxy', name, h);
  const holder = h as Holder<number>;
  let written: boolean;
  try {
    written = Reflect.set(holder, 'value', holder.value); // false when refused, in any mode
  } catch {
    written = false;
  }
  if (!written) throw invalidType('a writable holder object ({ value })', name, h);
  return holder;
}
