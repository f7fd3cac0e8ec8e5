/**
 * Errors of the dma-buf layer: a DmaEngineError carries the Linux error name (`code`, e.g.
 * "ENOENT") and number (`errno`, positive) and a message that says what to do about it.
 *
 * Same shape as lib/dmaengine's DmaEngineError(code, errno); kept local so this layer stands
 * alone until the two are unified. Every message names the device or fd concerned.
 * Threading: plain objects, no state.
 */
import { constants } from 'node:os';

/** An error a user can act on: `code` is the errno name, `errno` its (positive) number. */
export class DmaEngineError extends Error {
  /** The errno name, e.g. "ENOENT", "EACCES", "EINVAL", "EBADF", "ENOTTY". */
  readonly code: string;
  /** The positive Linux errno number (0 when no syscall was involved). */
  readonly errno: number;

  /**
   * @param code - errno name ("ENOENT")
   * @param errno - positive errno number
   * @param message - what happened and what fixes it
   */
  constructor(code: string, errno: number, message: string) {
    super(message);
    this.name = 'DmaEngineError';
    this.code = code;
    this.errno = errno;
  }
}

/** The errno number of a name ("ENOENT" → 2), 0 if unknown. */
export function errnoOf(code: string): number {
  return (constants.errno as Record<string, number>)[code] ?? 0;
}

/** A DmaEngineError for an errno name. */
export function dmaError(code: string, message: string): DmaEngineError {
  return new DmaEngineError(code, errnoOf(code), message);
}

/** The shape native calls throw (native/addon/dmabuf_binding.cc). */
export interface NativeErrnoError extends Error {
  code: string;
  errno: number;
  syscall: string;
}

/** True for an error thrown by a native syscall wrapper. */
export function isNativeErrno(e: unknown): e is NativeErrnoError {
  return e instanceof Error && typeof (e as NativeErrnoError).code === 'string' &&
    typeof (e as NativeErrnoError).errno === 'number';
}

/** Rethrows a native errno error as a DmaEngineError with `context` in front; others as is. */
export function rethrow(e: unknown, context: string): never {
  if (isNativeErrno(e)) throw new DmaEngineError(e.code, e.errno, `${context}: ${e.message}`);
  throw e;
}

/** The message for a device node that could not be opened, by errno. */
export function deviceOpenError(e: unknown, path: string, feature: string, config: string): DmaEngineError {
  if (!isNativeErrno(e)) throw e;
  switch (e.code) {
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return new DmaEngineError(e.code, e.errno,
        `this kernel has no ${feature}: ${path} does not exist (${config}); use source 'memfd' or 'auto'`);
    case 'EACCES':
    case 'EPERM':
      return new DmaEngineError(e.code, e.errno,
        `permission denied opening ${path}: give your user access to it, e.g. a udev rule ` +
        `(SUBSYSTEM=="misc", KERNEL=="${path.split('/').pop()}", GROUP="video", MODE="0660") ` +
        `and membership of that group, or run as root`);
    default:
      return new DmaEngineError(e.code, e.errno, `cannot open ${path}: ${e.message}`);
  }
}
