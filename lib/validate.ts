/**
 * One validation helper, one message shape, shared by every layer (and mirrored word for word
 * by native/addon/args.cc):
 *   TypeError:  Expected <what> for "<name>" but received <value> of type <type>
 *   RangeError: Expected "<name>" to be <what> but received <value>
 * TypeError for a wrong type, RangeError for a value of the right type outside its range.
 */

/** The type name used in messages: matches the native side's typeName(). */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Buffer.isBuffer(v)) return 'Buffer';
  if (v instanceof Uint8Array) return 'Uint8Array';
  if (ArrayBuffer.isView(v)) return 'TypedArray';
  if (v instanceof ArrayBuffer) return 'ArrayBuffer';
  if (Array.isArray(v)) return 'Array';
  return typeof v;
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

/** A Uint8Array (Buffer included) whose ArrayBuffer is attached. */
export function checkBytes(v: unknown, name: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw invalidType('a Uint8Array or Buffer', name, v);
  // A detached view reads byteLength 0; only then is `.buffer` (slow: it may materialise the
  // ArrayBuffer of an on-heap array) worth asking.
  if (v.byteLength === 0 && (v.buffer as ArrayBuffer & { detached?: boolean }).detached) {
    throw invalidType('an attached Uint8Array (its ArrayBuffer is detached)', name, v);
  }
  return v;
}

/** offset and len within bytes: RangeError naming the offending argument. */
export function checkRange(bytes: Uint8Array, bufName: string, offset: unknown, offName: string,
  len: number, lenName: string): number {
  const off = checkInt(offset, offName, 0, bytes.byteLength);
  if (len > bytes.byteLength - off) {
    throw new RangeError(`Expected "${lenName}" to fit in "${bufName}": offset ${off} + length ${len} exceeds its ${bytes.byteLength} bytes`);
  }
  return off;
}
