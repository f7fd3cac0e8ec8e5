/**
 * Errors of the dmaengine core.
 *
 * Model: a kernel function that returns a negative errno throws `DmaEngineError` (with the
 * errno's `code` and its negative value in `errno`, as Node's own system errors carry it); a
 * kernel `BUG_ON` throws `DmaBugError` and leaves every piece of state as it was. Functions that
 * return NULL in the kernel return `null` here and throw nothing.
 *
 * Threading: plain objects, JavaScript thread only.
 */
import { constants as osConstants } from 'node:os';
import { checkInt, invalidType } from '../validate';

/** The errno values the core and its providers use (Linux numbering). */
export const ERRNO = {
  /** Operation not permitted (e.g. writing dmatest's parameters without root). */
  EPERM: 1,
  /** No such entry (a missing sysfs/debugfs file or device node). */
  ENOENT: 2,
  /** I/O error: a transfer failed (e.g. `asyncTxQuiesce` on a descriptor that ended in error). */
  EIO: 5,
  /** No such device or address (a device node with no driver behind it). */
  ENXIO: 6,
  /** Resource temporarily unavailable: try again. */
  EAGAIN: 11,
  /** Out of memory. */
  ENOMEM: 12,
  /** Device or resource busy (e.g. unregistering a device whose channels are referenced). */
  EBUSY: 16,
  /** Already exists (e.g. registering the same device twice). */
  EEXIST: 17,
  /** No such device: no channel with the needed capability, or a channel whose device was removed. */
  ENODEV: 19,
  /** Invalid argument, or an operation the channel does not support (e.g. terminate without `deviceTerminateAll`). */
  EINVAL: 22,
  /** No space left (a table or ring is full). */
  ENOSPC: 28,
  /** Function not implemented. */
  ENOSYS: 38,
  /** Timed out. */
  ETIMEDOUT: 110,
  /** Probe deferral: no channel fits yet, but a provider may still register one (`dmaRequestChanByMask`). */
  EPROBE_DEFER: 517,
} as const;

/** One of the errno names in {@link ERRNO}, or any other Linux errno name (`'EACCES'`, …). */
export type DmaErrnoCode = keyof typeof ERRNO | (string & {});

/** The errno number of a name: {@link ERRNO} first, then the platform's table; 0 if unknown. */
export function errnoNumber(code: string): number {
  if (typeof code !== 'string') throw invalidType('an errno name (a string)', 'code', code);
  // own properties only: '__proto__' or 'toString' is no errno
  if (Object.hasOwn(ERRNO, code)) return (ERRNO as Record<string, number>)[code]!;
  const os = osConstants.errno as Record<string, number>;
  return Object.hasOwn(os, code) ? os[code]! : 0;
}

/** The errors' strings are built into their messages: a Symbol or an object would throw there. */
function checkMessage(v: unknown, name: string): void {
  if (typeof v !== 'string') throw invalidType('a string', name, v);
}

/**
 * A kernel function's negative errno, thrown.
 *
 * @example
 * try { dmaAsyncDeviceUnregister(dev); } catch (e) {
 *   if (e instanceof DmaEngineError && e.code === 'EBUSY') { ... }
 * }
 */
export class DmaEngineError extends Error {
  /** The errno name: `'EBUSY'`, `'ENODEV'`, `'EIO'`, … */
  readonly code: DmaErrnoCode;
  /** The negative errno the kernel function would have returned (`-16` for EBUSY). */
  readonly errno: number;

  /**
   * @param code errno name
   * @param message what went wrong, in the kernel's wording where it has one
   */
  constructor(code: DmaErrnoCode, message: string) {
    checkMessage(code, 'code');
    checkMessage(message, 'message');
    super(`${code}: ${message}`);
    this.name = 'DmaEngineError';
    this.code = code;
    this.errno = -errnoNumber(code);
  }
}

/**
 * A kernel `BUG_ON` (or a misuse the kernel would corrupt itself on). Thrown before anything
 * changed, so the caller may catch it and go on.
 */
export class DmaBugError extends Error {
  /** @param message the condition that failed */
  constructor(message: string) {
    checkMessage(message, 'message');
    super(message);
    this.name = 'DmaBugError';
  }
}

/** A negative errno as a number → its name, or undefined when we do not know it. */
export function errnoName(errno: number): DmaErrnoCode | undefined {
  checkInt(errno, 'errno', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const want = Math.abs(errno);
  for (const [name, value] of Object.entries(ERRNO)) {
    if (value === want) return name as DmaErrnoCode;
  }
  return undefined;
}
