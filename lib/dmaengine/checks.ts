/**
 * Argument checks of the core's provider helpers (cookies, descriptors, channels, device
 * limits), in the message shape of lib/validate.ts.
 *
 * Model: the helpers take the kernel's structs, which here are plain objects a caller can fill
 * with anything (a descriptor is a public class with public fields). Every exported helper
 * checks the fields it reads before it writes anything, so junk is a TypeError or RangeError
 * naming the field ("tx.cookie"), never V8's own error from arithmetic on a Symbol or a BigInt.
 * Objects the helpers write into (a channel's cookies, a descriptor's fields) must be the real
 * thing, not a Proxy: a trap could throw half-way through the write.
 *
 * Threading: pure functions, JavaScript thread only.
 */
import { DmaChan } from './channel';
// A cycle (descriptor.ts uses these checks); the class is only read when a check runs.
import { DmaAsyncTxDescriptor } from './descriptor';
import { canWriteLater, checkInt, invalidType, isRealInstance, isTypedArrayOf } from '../validate';

/** The range of a cookie (`dma_cookie_t`, an s32). */
export const COOKIE_MIN = -0x80000000;
export const COOKIE_MAX = 0x7fffffff;

/** The largest `*Align` (log2 of the byte alignment) the kernel defines: 256 bytes. */
export const MAX_ALIGN = 8;

/** A cookie: an integer in the s32 range. */
export function checkCookie(v: unknown, name: string): number {
  return checkInt(v, name, COOKIE_MIN, COOKIE_MAX);
}

/** Control flags (`DmaCtrlFlags`, or a provider's own bits): a non-negative s32. */
export function checkCtrlFlags(v: unknown, name: string): number {
  return checkInt(v, name, 0, 0x7fffffff);
}

/** Whether `v` is a real channel made by `new DmaChan()` (or a subclass), with its cookie cell. */
export function isDmaChan(v: unknown): v is DmaChan {
  return isRealInstance(v, DmaChan) && isTypedArrayOf(v.cookies, 'Int32Array');
}

/** A real DmaChan: not a Proxy, not an object that only inherits from DmaChan.prototype. */
export function checkChan(v: unknown, name: string): DmaChan {
  if (!isDmaChan(v)) throw invalidType('a DmaChan', name, v);
  return v;
}

function isDescriptorObject(v: unknown): v is DmaAsyncTxDescriptor {
  return isRealInstance(v, DmaAsyncTxDescriptor);
}

function nullOr(v: unknown, ok: (x: unknown) => boolean, what: string, name: string): void {
  if (v !== null && !ok(v)) throw invalidType(`${what} or null`, name, v);
}

const isFunction = (x: unknown): boolean => typeof x === 'function';

const isInt = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** checkDescriptor's field checks as one test, building no names (the error path words them). */
function descriptorFieldsOk(v: DmaAsyncTxDescriptor): boolean {
  const r = v.txResult;
  return isInt(v.cookie, COOKIE_MIN, COOKIE_MAX) && isInt(v.flags, 0, 0x7fffffff)
    && (v.chan === null || isDmaChan(v.chan)) && (v.next === null || isDescriptorObject(v.next))
    && (v.parent === null || isDescriptorObject(v.parent)) && (v.txSubmit === null || isFunction(v.txSubmit))
    && (v.callback === null || isFunction(v.callback)) && (v.callbackResult === null || isFunction(v.callbackResult))
    && (r === null || (typeof r === 'object' && isRealInstance(r, Object)));
}

/**
 * A real DmaAsyncTxDescriptor whose fields hold what the core and async_tx compute with: a
 * caller may have made it (`new DmaAsyncTxDescriptor()`) and then written anything into it.
 * Linked descriptors (`next`, `parent`) are checked to be descriptors, not followed.
 */
export function checkDescriptor(v: unknown, name: string): DmaAsyncTxDescriptor {
  if (!isDescriptorObject(v)) throw invalidType('a DmaAsyncTxDescriptor', name, v);
  if (descriptorFieldsOk(v)) return v; // every submit passes here: no field name is built
  checkCookie(v.cookie, `${name}.cookie`);
  checkCtrlFlags(v.flags, `${name}.flags`);
  nullOr(v.chan, isDmaChan, 'a DmaChan', `${name}.chan`);
  nullOr(v.next, isDescriptorObject, 'a DmaAsyncTxDescriptor', `${name}.next`);
  nullOr(v.parent, isDescriptorObject, 'a DmaAsyncTxDescriptor', `${name}.parent`);
  nullOr(v.txSubmit, isFunction, 'a function', `${name}.txSubmit`);
  nullOr(v.callback, isFunction, 'a function', `${name}.callback`);
  nullOr(v.callbackResult, isFunction, 'a function', `${name}.callbackResult`);
  const r = v.txResult;
  if (r !== null && (typeof r !== 'object' || !isRealInstance(r, Object))) throw invalidType('a DmaengineResult or null', `${name}.txResult`, r);
  return v;
}

/** A descriptor as {@link checkDescriptor}, or null (undefined reads as null). */
export function checkDescriptorOrNull(v: unknown, name: string): DmaAsyncTxDescriptor | null {
  if (v === null || v === undefined) return null;
  if (!isDescriptorObject(v)) throw invalidType('a DmaAsyncTxDescriptor or null', name, v);
  return checkDescriptor(v, name);
}

/** A non-null object (a struct the helper only reads: a Proxy is the caller's to answer for). */
export function checkObject<T extends object>(v: unknown, what: string, name: string): T {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) throw invalidType(what, name, v);
  return v as T;
}

/** An alignment (log2 of bytes), 0..{@link MAX_ALIGN}; undefined reads as 0 (none). */
export function checkAlign(v: unknown, name: string): number {
  if (v === undefined) return 0;
  return checkInt(v, name, 0, MAX_ALIGN);
}

/** Whether `v` is what {@link checkAlign} takes without a word (undefined or 0..MAX_ALIGN). */
export function isAlign(v: unknown): boolean {
  return v === undefined || isInt(v, 0, MAX_ALIGN);
}

/** An offset or a length in bytes: an integer ≥ 0 that a Number holds exactly. */
export function checkByteCount(v: unknown, name: string): number {
  return checkInt(v, name, 0, Number.MAX_SAFE_INTEGER);
}

/** `dev.maxPq` (0 when unset): an integer 0..0xffff (the count, and DMA_HAS_PQ_CONTINUE in bit 15). */
export function checkMaxPqField(dev: { maxPq?: unknown }, name: string): number {
  const v = dev.maxPq;
  return v === undefined ? 0 : checkInt(v, `${name}.maxPq`, 0, 0xffff);
}

/**
 * A `DmaTxState` out-parameter, or null/undefined (none): an object whose four fields can be
 * written now (not frozen, not a Proxy), so the fill cannot stop half-way.
 */
export function checkTxStateOut(v: unknown, name: string): void {
  if (v === null || v === undefined) return;
  if (typeof v !== 'object' || !['last', 'used', 'residue', 'inFlightBytes'].every((k) => canWriteLater(v, k))) {
    throw invalidType('a writable DmaTxState object (dmaTxState()) or null', name, v);
  }
}
