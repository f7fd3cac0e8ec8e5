/**
 * Argument checks of the Promise API (lib/offload): byte views, lengths, operation options.
 * Everything here runs synchronously inside the method call, before a Promise exists, so a
 * bad argument is a TypeError/RangeError thrown at the caller (the message shape of
 * lib/validate.ts, naming the argument), never a rejection.
 *
 * Views: any ArrayBufferView (Uint8Array, Buffer, any other typed array, DataView, the
 * `bytes` of a dma-buf) is taken as the bytes it covers, read from the view's internal slots,
 * never from properties a caller's object could shadow.
 *
 * Threading: pure functions, JavaScript thread only.
 */
import { types } from 'node:util';
import { checkInt, invalidRange, invalidType } from '../validate';
import { bufferOf, byteLengthOf, byteOffsetOf, isDetachedView, isProxyObject, typedArrayKind } from '../views';

const dvProto = DataView.prototype;
const dvGet = (k: string) => Object.getOwnPropertyDescriptor(dvProto, k)!.get!;
const dvBuffer = dvGet('buffer') as (this: DataView) => ArrayBufferLike;
const dvOffset = dvGet('byteOffset') as (this: DataView) => number;
const dvLength = dvGet('byteLength') as (this: DataView) => number;

const VIEW = 'an ArrayBufferView (Uint8Array, Buffer, another typed array or DataView)';

/** The bytes of any ArrayBufferView, as a Uint8Array over the same memory. */
export function toBytes(v: unknown, name: string): Uint8Array {
  if (typeof v !== 'object' || v === null || isProxyObject(v)) throw invalidType(VIEW, name, v);
  const kind = typedArrayKind(v);
  let bytes: Uint8Array;
  if (kind === 'Uint8Array') {
    bytes = v as Uint8Array;
  } else if (kind !== undefined) {
    const t = v as Uint8Array;
    bytes = isDetachedView(t) ? t : new Uint8Array(bufferOf(t), byteOffsetOf(t), byteLengthOf(t));
  } else if (types.isDataView(v)) {
    let buf: ArrayBufferLike;
    try {
      buf = dvBuffer.call(v);
      bytes = new Uint8Array(buf, dvOffset.call(v), dvLength.call(v));
    } catch {
      throw invalidType('an attached ArrayBufferView (its ArrayBuffer is detached)', name, v);
    }
  } else {
    throw invalidType(VIEW, name, v);
  }
  if (isDetachedView(bytes)) throw invalidType('an attached ArrayBufferView (its ArrayBuffer is detached)', name, v);
  return bytes;
}

/** An Array of views, each as bytes of the same length as `len` (when given). */
export function toBlockList(v: unknown, name: string, min: number, max: number): Uint8Array[] {
  if (!Array.isArray(v)) throw invalidType('an Array of ArrayBufferViews', name, v);
  const n = v.length;
  if (n < min || n > max) throw invalidRange(`${name}.length`, `between ${min} and ${max}`, n);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(toBytes(v[i], `${name}[${i}]`));
  return out;
}

/** RangeError unless `bytes` has exactly `len` bytes (RAID blocks are all one size). */
export function checkSameLength(bytes: Uint8Array, name: string, len: number, ref: string): void {
  const n = byteLengthOf(bytes);
  if (n !== len) throw invalidRange(`${name}.byteLength`, `${len} (the byte length of ${ref})`, n);
}

/** Options every operation takes. */
export interface OpOptions {
  /** Aborts the operation while it has not started (rejects with `signal.reason`). */
  signal?: AbortSignal;
  /**
   * Start only after each of these promises settled (fulfilled or rejected): ordering, as a
   * kernel dependant runs after its dependency whatever the result. Any promises may be given;
   * those of this Dma map to async_tx dependencies where they can.
   */
  after?: readonly PromiseLike<unknown>[];
  /** Reject with `ETIMEDOUT` if not complete after this many ms once issued (0 = never); the Dma's `timeout` by default. */
  timeout?: number;
}

/** @internal checked operation options */
export interface CheckedOpOptions {
  signal: AbortSignal | null;
  after: PromiseLike<unknown>[];
  timeout: number;
}

/** @internal validate an operation's options object (`options` names it in messages) */
export function checkOpOptions(o: unknown, defaultTimeout: number): CheckedOpOptions {
  if (o === undefined) return { signal: null, after: [], timeout: defaultTimeout };
  if (o === null || typeof o !== 'object' || isProxyObject(o)) throw invalidType('an options object', 'options', o);
  const { signal, after, timeout } = o as OpOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidType('an AbortSignal', 'options.signal', signal);
  let list: PromiseLike<unknown>[] = [];
  if (after !== undefined) {
    if (!Array.isArray(after)) throw invalidType('an Array of promises', 'options.after', after);
    list = after.slice();
    list.forEach((p, i) => {
      if (p === null || (typeof p !== 'object' && typeof p !== 'function') || typeof (p as PromiseLike<unknown>).then !== 'function') {
        throw invalidType('a promise', `options.after[${i}]`, p);
      }
    });
  }
  const t = timeout === undefined ? defaultTimeout : checkInt(timeout, 'options.timeout', 0, 0x7fffffff);
  return { signal: signal ?? null, after: list, timeout: t };
}
