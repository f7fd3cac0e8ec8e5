/**
 * Facts about a typed array read from the view itself, never from properties of the object.
 *
 * A caller's object can lie: a Proxy around a Buffer passes `instanceof Uint8Array` and then
 * throws V8's "incompatible receiver" from any getter; `Object.defineProperty(u8, 'byteLength',
 * { value: 16 })` shadows the real length; an own `fill` or `subarray` can do anything. So every
 * check and every byte operation of the library goes through the intrinsics captured here, at
 * module load, before any caller code ran: the `%TypedArray%.prototype` getters (which read the
 * view's internal slots and ignore own properties) and its methods, called with `.call`.
 *
 * Detachment: a view over a detached ArrayBuffer reads byteLength 0, which an empty view also
 * reads. `ArrayBuffer.prototype.detached` (Node 22+) is missing on Node 20, so the test used on
 * every version is that constructing a view over a detached buffer throws a TypeError; it runs
 * only when the length is 0, so the common path pays nothing for it.
 *
 * Threading: pure functions, JavaScript thread only.
 */
import { types } from 'node:util';

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;

function getterOf(key: PropertyKey): (this: unknown) => unknown {
  const d = Object.getOwnPropertyDescriptor(TypedArrayPrototype, key);
  if (!d?.get) throw new Error(`%TypedArray%.prototype has no getter ${String(key)}`);
  return d.get;
}

const tagGetter = getterOf(Symbol.toStringTag) as (this: unknown) => string | undefined;
const byteLengthGetter = getterOf('byteLength') as (this: Uint8Array) => number;
const byteOffsetGetter = getterOf('byteOffset') as (this: Uint8Array) => number;
const bufferGetter = getterOf('buffer') as (this: Uint8Array) => ArrayBufferLike;
const taFill = Uint8Array.prototype.fill;
const taSet = Uint8Array.prototype.set;
const U8 = Uint8Array;
const { isProxy } = types;

/** The typed array kind ('Uint8Array', 'Float64Array', …) of a real view; undefined for anything else, Proxies included. */
export function typedArrayKind(v: unknown): string | undefined {
  return tagGetter.call(v);
}

/** Whether `v` is a real Uint8Array (Buffer included): not a Proxy, not an object that inherits from one. */
export function isRealUint8Array(v: unknown): v is Uint8Array {
  return tagGetter.call(v) === 'Uint8Array';
}

/** Whether `v` is a Proxy (messages name it rather than what it pretends to be). */
export function isProxyObject(v: unknown): boolean {
  return isProxy(v);
}

/** The view's byte length from its internal slot. @param v a real typed array */
export function byteLengthOf(v: Uint8Array): number {
  return byteLengthGetter.call(v);
}

/** The view's byte offset into its ArrayBuffer, from its internal slot. */
export function byteOffsetOf(v: Uint8Array): number {
  return byteOffsetGetter.call(v);
}

/** The view's ArrayBuffer (or SharedArrayBuffer), from its internal slot. */
export function bufferOf(v: Uint8Array): ArrayBufferLike {
  return bufferGetter.call(v);
}

/**
 * Whether a real view's ArrayBuffer is detached. Cheap when the view has bytes (a detached
 * view has none); otherwise one zero-length view is constructed, which throws only for a
 * detached buffer (an empty, shared or resizable one is fine).
 */
export function isDetachedView(v: Uint8Array): boolean {
  if (byteLengthGetter.call(v) !== 0) return false;
  try {
    new U8(bufferGetter.call(v), 0, 0);
    return false;
  } catch {
    return true;
  }
}

/** `v.fill(value, start, end)` with the real method. */
export function fillView(v: Uint8Array, value: number, start: number, end: number): void {
  taFill.call(v, value, start, end);
}

/**
 * `dst.set(src[sOff, sOff + len), dOff)` with the real method. The part of `src` is a plain
 * Uint8Array over the same memory, made without `subarray` (which consults `src.constructor`
 * and is twice as slow: it goes through the species lookup).
 */
export function copyView(dst: Uint8Array, dOff: number, src: Uint8Array, sOff: number, len: number): void {
  if (sOff === 0 && len === byteLengthGetter.call(src)) taSet.call(dst, src, dOff);
  else taSet.call(dst, subView(src, sOff, sOff + len), dOff);
}

/** A plain Uint8Array over `v[start, end)` (the same memory), whatever `v.constructor` says. */
export function subView(v: Uint8Array, start: number, end: number): Uint8Array {
  return new U8(bufferGetter.call(v), byteOffsetGetter.call(v) + start, end - start);
}
