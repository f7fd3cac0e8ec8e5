/**
 * One validation helper, one message shape, shared by every layer (and mirrored word for word
 * by native/addon/args.cc):
 *   TypeError:  Expected <what> for "<name>" but received <value> of type <type>
 *   RangeError: Expected "<name>" to be <what> but received <value>
 * TypeError for a wrong type, RangeError for a value of the right type outside its range.
 * Views are judged by lib/views.ts (the real view, never the object's own properties).
 */
import { byteLengthOf, isDetachedView, isProxyObject, isRealUint8Array, typedArrayKind } from './views';

/** The type name used in messages: matches the native side's typeName(). */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  // A Proxy first: asking it anything else would run its traps (or throw, once revoked).
  if (isProxyObject(v)) return 'Proxy';
  const kind = typedArrayKind(v);
  if (kind === 'Uint8Array') return Buffer.isBuffer(v) ? 'Buffer' : 'Uint8Array';
  if (kind !== undefined || ArrayBuffer.isView(v)) return 'TypedArray';
  if (v instanceof ArrayBuffer) return 'ArrayBuffer';
  if (Array.isArray(v)) return 'Array';
  return 'object';
}

/**
 * Whether `v` is a real instance of `C`: `instanceof`, and not a Proxy (whose getPrototypeOf
 * trap can claim any class, and whose other traps then answer for the fields).
 */
export function isRealInstance<T>(v: unknown, C: abstract new (...args: never[]) => T): v is T {
  return !isProxyObject(v) && v instanceof C;
}

/** Whether `v` is a real typed array of `kind` ('Int32Array', …), judged from the view itself. */
export function isTypedArrayOf(v: unknown, kind: string): boolean {
  return typedArrayKind(v) === kind;
}

/** A short rendering of a value for messages: 5, "abc", null, [Uint8Array]. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'undefined': return 'undefined';
    case 'boolean':
    case 'number': return String(v);
    case 'bigint': return `${v}n`;
    case 'string': return JSON.stringify(v);
    case 'function': return '[function]';
    case 'symbol': return '[symbol]';
    default: return `[${typeName(v)}]`;
  }
}

export function invalidType(what: string, name: string, got: unknown): TypeError {
  return new TypeError(`Expected ${what} for "${name}" but received ${describeValue(got)} of type ${typeName(got)}`);
}

export function invalidRange(name: string, what: string, got: unknown): RangeError {
  return new RangeError(`Expected "${name}" to be ${what} but received ${describeValue(got)}`);
}

/** An integer in [min, max]. */
export function checkInt(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidType('an integer', name, v);
  if (v < min || v > max) throw invalidRange(name, `an integer between ${min} and ${max}`, v);
  return v;
}

export function checkBool(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw invalidType('a boolean', name, v);
  return v;
}

export function checkFunction<T extends (...args: never[]) => unknown>(v: unknown, name: string): T {
  if (typeof v !== 'function') throw invalidType('a function', name, v);
  return v as T;
}

/**
 * A real Uint8Array (Buffer included; not a Proxy, not an object inheriting from one) whose
 * ArrayBuffer is attached. Its own properties (a lying `byteLength`) are never consulted.
 */
export function checkBytes(v: unknown, name: string): Uint8Array {
  if (!isRealUint8Array(v)) throw invalidType('a Uint8Array or Buffer', name, v);
  if (isDetachedView(v)) throw invalidType('an attached Uint8Array (its ArrayBuffer is detached)', name, v);
  return v;
}

/**
 * The checks' fast path, with no name built: whether `v` is a real, attached, non-empty
 * Uint8Array with `offset` an integer and [offset, offset+len) inside it. False sends the
 * caller to {@link checkBytes} and {@link checkRange}, which accept or word the error.
 */
export function pageFits(v: unknown, offset: unknown, len: number): v is Uint8Array {
  if (!isRealUint8Array(v)) return false;
  const size = byteLengthOf(v); // 0 when detached: the slow path tells the two apart
  return size !== 0 && typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 && offset <= size
    && len <= size - offset;
}

/** offset and len within bytes (a checked view): RangeError naming the offending argument. */
export function checkRange(bytes: Uint8Array, bufName: string, offset: unknown, offName: string,
  len: number, lenName: string): number {
  const size = byteLengthOf(bytes);
  const off = checkInt(offset, offName, 0, size);
  if (len > size - off) {
    throw new RangeError(`Expected "${lenName}" to fit in "${bufName}": offset ${off} + length ${len} exceeds its ${size} bytes`);
  }
  return off;
}

/**
 * Whether `obj[key]` can be written later (an out-parameter, a write-back) without throwing: an
 * own writable data property, or none on an extensible object. A Proxy or an accessor is refused:
 * its trap or setter would run, and could throw, at completion, far from the call.
 */
export function canWriteLater(obj: object, key: string): boolean {
  if (isProxyObject(obj)) return false;
  const d = Reflect.getOwnPropertyDescriptor(obj, key);
  if (d === undefined) return Reflect.isExtensible(obj);
  return d.writable === true;
}
