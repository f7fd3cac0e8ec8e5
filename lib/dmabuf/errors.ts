/**
 * Errors of the dma-buf layer: the core's DmaEngineError, carrying the Linux error name (`code`,
 * e.g. "ENOENT"), its negative number (`errno`) and a message that says what to do about it.
 * Every message names the device or fd concerned.
 * Threading: plain objects, no state.
 */
import { DmaEngineError } from '../dmaengine/errors';

export { DmaEngineError };

/** A DmaEngineError for an errno name. */
export function dmaError(code: string, message: string): DmaEngineError {
  return new DmaEngineError(code, message);
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
  if (isNativeErrno(e)) throw new DmaEngineError(e.code, `${context}: ${e.message}`);
  throw e;
}

/** The message for a device node that could not be opened, by errno. */
export function deviceOpenError(e: unknown, path: string, feature: string, config: string): DmaEngineError {
  if (!isNativeErrno(e)) throw e;
  switch (e.code) {
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return new DmaEngineError(e.code,
        `this kernel has no ${feature}: ${path} does not exist (${config}); use source 'memfd' or 'auto'`);
    case 'EACCES':
    case 'EPERM':
      return new DmaEngineError(e.code,
        `permission denied opening ${path}: give your user access to it, e.g. a udev rule ` +
        `(SUBSYSTEM=="misc", KERNEL=="${path.split('/').pop()}", GROUP="video", MODE="0660") ` +
        `and membership of that group, or run as root`);
    default:
      return new DmaEngineError(e.code, `cannot open ${path}: ${e.message}`);
  }
}
