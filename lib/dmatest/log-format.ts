/**
 * dmatest's modern log lines, byte for byte (spec §4.5), and its arithmetic for the summary
 * figures. The in-process runner prints through these so that its output reads exactly as the
 * kernel's, and the parser (log-parser.ts) reads both back the same way.
 *
 * Every line carries the `dmatest: ` prefix the module's pr_fmt adds. Thread names are the
 * kernel's `current->comm`: at most 15 characters (see threadName()).
 */

/** The kernel's TASK_COMM_LEN - 1: thread names are cut to this many characters. */
export const TASK_COMM_CHARS = 15;
/** MAX_ERROR_COUNT: mismatch lines printed per verification region before "errors suppressed". */
export const MAX_ERROR_COUNT = 32;

/** The message of a result line (`'<msg>'`). */
export type DmatestResultMessage =
  | 'test passed'
  | 'data error'
  | 'prep error'
  | 'submit error'
  | 'test timed out'
  | 'completion error status'
  | 'completion busy status'
  | 'src mapping error'
  | 'dst mapping error'
  | 'unmap data NULL';

/** Operation suffix of a thread name: `<chan>-copy<i>`, `-set`, `-xor`, `-pq`. */
export type DmatestThreadOp = 'copy' | 'set' | 'xor' | 'pq';

/** `<chan>-<op><i>`, cut to 15 characters as the kernel's comm is. */
export function threadName(chan: string, op: DmatestThreadOp, index: number): string {
  return `${chan}-${op}${index}`.slice(0, TASK_COMM_CHARS);
}

const hex = (n: number): string => n.toString(16);
const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

export function addedLine(threads: number, chan: string): string {
  return `dmatest: Added ${threads} threads using ${chan}`;
}
export function startedLine(threads: number, chan: string): string {
  return `dmatest: Started ${threads} threads using ${chan}`;
}
export function testListLine(threads: number, chan: string): string {
  return `dmatest: ${threads} threads using ${chan}`;
}
export const NO_CHANNELS_LINE = 'dmatest: No channels configured, continue with any';

/**
 * `dmatest: <T>: result #<n>: '<msg>' with src_off=0x… dst_off=0x… len=0x… (<data>)`.
 * `data` prints signed when it is an error code (negative), unsigned otherwise, as the kernel's
 * IS_ERR_VALUE switch between %ld and %lu does.
 */
export function resultLine(thread: string, n: number, msg: DmatestResultMessage, srcOff: number,
  dstOff: number, len: number, data: number): string {
  return `dmatest: ${thread}: result #${n}: '${msg}' with src_off=0x${hex(srcOff)} dst_off=0x${hex(dstOff)} len=0x${hex(len)} (${data})`;
}

/** Which of the four mismatch messages a verification failure prints. */
export type MismatchKind = 'srcbuf overwritten' | 'dstbuf not copied' | 'dstbuf was copied' | 'dstbuf mismatch';

export function mismatchLine(thread: string, kind: MismatchKind, index: number, expected: number, actual: number): string {
  const where = kind === 'srcbuf overwritten' ? 'srcbuf' : 'dstbuf';
  const what = kind === 'srcbuf overwritten' ? 'overwritten!'
    : kind === 'dstbuf not copied' ? 'not copied!'
      : kind === 'dstbuf was copied' ? 'was copied!' : 'mismatch!';
  return `dmatest: ${thread}: ${where}[0x${hex(index)}] ${what} Expected ${hex2(expected)}, got ${hex2(actual)}`;
}

export function suppressedLine(thread: string, count: number): string {
  return `dmatest: ${thread}: ${count} errors suppressed`;
}

/** 8-bit fixed point, as dmatest's FIXPT_SHIFT. */
const FIXPT_SHIFT = 8n;
const FIXPT_MASK = (1n << FIXPT_SHIFT) - 1n;
const UINT_MAX = 0xffffffffn;

/**
 * dmatest_persec(): val per second over runtime µs, in 8-bit fixed point, with the kernel's
 * precision drop (runtime halved until it fits 32 bits) so figures match the kernel's exactly.
 */
export function persecFixpt(runtimeUs: bigint, val: bigint): bigint {
  if (runtimeUs <= 0n) return 0n;
  let perSec = 1000000n;
  let rt = runtimeUs;
  while (rt > UINT_MAX) {
    rt >>= 1n;
    perSec <<= 1n;
  }
  perSec *= val;
  perSec <<= FIXPT_SHIFT;
  return perSec / rt;
}

/** The `<I>.<II> iops` and `<K> KB/s` figures of a summary line. */
export function summaryFigures(tests: number, runtimeUs: bigint, totalLen: bigint): { iops: string; kbs: bigint } {
  const iops = persecFixpt(runtimeUs, BigInt(tests));
  const whole = iops >> FIXPT_SHIFT;
  const frac = ((iops & FIXPT_MASK) * 100n) >> FIXPT_SHIFT;
  const kbs = persecFixpt(runtimeUs, totalLen >> 10n) >> FIXPT_SHIFT;
  return { iops: `${whole}.${frac.toString().padStart(2, '0')}`, kbs };
}

/** `dmatest: <T>: summary <N> tests, <F> failures <I>.<II> iops <K> KB/s (<ret>)`. */
export function summaryLine(thread: string, tests: number, failures: number, runtimeUs: bigint,
  totalLen: bigint, ret: number): string {
  const { iops, kbs } = summaryFigures(tests, runtimeUs, totalLen);
  return `dmatest: ${thread}: summary ${tests} tests, ${failures} failures ${iops} iops ${kbs} KB/s (${ret})`;
}
