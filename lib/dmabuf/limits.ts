/**
 * The udmabuf module's limits, read from sysfs where the kernel publishes them:
 * `size_limit_mb` (total MiB of one dma-buf, default 64) and `list_limit` (items in one
 * UDMABUF_CREATE_LIST, default 1024). Both are 0644: root can raise them at run time.
 * Read fresh on every check (they can change); absent files mean "unknown", not "no limit".
 */
import { readFileSync } from 'node:fs';
import { checkInt, invalidType } from '../validate';
import { dmaError, DmaEngineError } from './errors';

/** Where the udmabuf module parameters live. */
export const UDMABUF_PARAMS = '/sys/module/udmabuf/parameters';

/** The current limits; a field is null when the kernel does not publish it. */
export interface UdmabufLimits {
  /** `size_limit_mb`: the largest udmabuf, in MiB, that `UDMABUF_CREATE` accepts. */
  sizeLimitMb: number | null;
  /** `list_limit`: the most memfd ranges one `UDMABUF_CREATE_LIST` may join. */
  listLimit: number | null;
}

function readInt(path: string): number | null {
  try {
    const n = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/**
 * Reads the udmabuf module's `size_limit_mb` and `list_limit` now (they can change at run time);
 * a field is null when the module is not loaded or does not publish it. Never throws.
 */
export function udmabufLimits(): UdmabufLimits {
  return {
    sizeLimitMb: readInt(`${UDMABUF_PARAMS}/size_limit_mb`),
    listLimit: readInt(`${UDMABUF_PARAMS}/list_limit`),
  };
}

/**
 * The error for a request over the limits, or null if it fits (or the limits are unknown).
 * @param totalBytes - the dma-buf's size
 * @param count - the number of items (1 for UDMABUF_CREATE)
 */
export function checkUdmabufLimits(totalBytes: number, count: number, limits = udmabufLimits()): DmaEngineError | null {
  checkInt(totalBytes, 'totalBytes', 0, Number.MAX_SAFE_INTEGER);
  checkInt(count, 'count', 0, Number.MAX_SAFE_INTEGER);
  if (limits === null || typeof limits !== 'object') throw invalidType('an UdmabufLimits object', 'limits', limits);
  if (limits.sizeLimitMb !== null && totalBytes > limits.sizeLimitMb * 1024 * 1024) {
    return dmaError('EINVAL',
      `udmabuf refuses ${totalBytes} bytes: the limit is ${limits.sizeLimitMb} MiB ` +
      `(${UDMABUF_PARAMS}/size_limit_mb); raise it as root, e.g. ` +
      `echo ${Math.ceil(totalBytes / (1024 * 1024))} > ${UDMABUF_PARAMS}/size_limit_mb, or boot with udmabuf.size_limit_mb=N`);
  }
  if (limits.listLimit !== null && count > limits.listLimit) {
    return dmaError('EINVAL',
      `udmabuf refuses a list of ${count} items: the limit is ${limits.listLimit} ` +
      `(${UDMABUF_PARAMS}/list_limit); raise it as root, e.g. echo ${count} > ${UDMABUF_PARAMS}/list_limit`);
  }
  return null;
}
