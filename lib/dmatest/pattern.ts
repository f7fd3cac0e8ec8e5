/**
 * dmatest's buffer patterns and its six-region verification (spec §4.4), on plain Uint8Arrays.
 *
 * A source byte is 0x80 | (~i & 0x1f), with 0x40 set inside the copy window; a destination byte
 * is (~i & 0x1f) with 0x20 set inside the window. For memset the counter term uses the constant
 * index 1, so every byte of the window is alike. After the operation the destination window
 * must hold the source pattern with the counter continuing from src_off; every other byte of
 * every buffer must be as it was.
 */
import { MAX_ERROR_COUNT, mismatchLine, suppressedLine, type MismatchKind } from './log-format';

export const PATTERN_SRC = 0x80;
export const PATTERN_DST = 0x00;
export const PATTERN_COPY = 0x40;
export const PATTERN_OVERWRITE = 0x20;
export const PATTERN_COUNT_MASK = 0x1f;
export const PATTERN_MEMSET_IDX = 0x01;

function invIdx(index: number, isMemset: boolean): number {
  const val = isMemset ? PATTERN_MEMSET_IDX : index & 0xff;
  return ~val & PATTERN_COUNT_MASK;
}

/** Fills each source buffer: window [start, start+len) carries PATTERN_COPY. */
export function initSrcs(bufs: readonly Uint8Array[], start: number, len: number, bufSize: number, isMemset: boolean): void {
  for (const buf of bufs) {
    for (let i = 0; i < bufSize; i++) {
      const inWindow = i >= start && i < start + len;
      buf[i] = PATTERN_SRC | (inWindow ? PATTERN_COPY : 0) | invIdx(i, isMemset);
    }
  }
}

/** Fills each destination buffer: window [start, start+len) carries PATTERN_OVERWRITE. */
export function initDsts(bufs: readonly Uint8Array[], start: number, len: number, bufSize: number, isMemset: boolean): void {
  for (const buf of bufs) {
    for (let i = 0; i < bufSize; i++) {
      const inWindow = i >= start && i < start + len;
      buf[i] = PATTERN_DST | (inWindow ? PATTERN_OVERWRITE : 0) | invIdx(i, isMemset);
    }
  }
}

function mismatchKind(actual: number, pattern: number, isSrcbuf: boolean): MismatchKind {
  const diff = actual ^ pattern;
  if (isSrcbuf) return 'srcbuf overwritten';
  if ((pattern & PATTERN_COPY) && (diff & (PATTERN_COPY | PATTERN_OVERWRITE))) return 'dstbuf not copied';
  if (diff & PATTERN_SRC) return 'dstbuf was copied';
  return 'dstbuf mismatch';
}

/**
 * dmatest_verify(): bytes [start, end) of every buffer against `pattern` with the counter
 * starting at `counter`. Logs at most MAX_ERROR_COUNT mismatch lines through `log`, then one
 * "errors suppressed" line; returns the number of mismatching bytes.
 */
export function verify(bufs: readonly Uint8Array[], start: number, end: number, counter: number, pattern: number,
  isSrcbuf: boolean, isMemset: boolean, thread: string, log: (line: string) => void): number {
  let errors = 0;
  for (const buf of bufs) {
    let c = counter;
    for (let i = start; i < end; i++, c++) {
      const actual = buf[i];
      const expected = pattern | invIdx(c, isMemset);
      if (actual !== expected) {
        if (errors < MAX_ERROR_COUNT) log(mismatchLine(thread, mismatchKind(actual, pattern, isSrcbuf), i, expected, actual));
        errors++;
      }
    }
  }
  if (errors > MAX_ERROR_COUNT) log(suppressedLine(thread, errors - MAX_ERROR_COUNT));
  return errors;
}

/** The six verification calls of one test; returns the total mismatch count. */
export function verifyAll(srcs: readonly Uint8Array[], dsts: readonly Uint8Array[], srcOff: number, dstOff: number,
  len: number, bufSize: number, isMemset: boolean, thread: string, log: (line: string) => void): number {
  let n = verify(srcs, 0, srcOff, 0, PATTERN_SRC, true, isMemset, thread, log);
  n += verify(srcs, srcOff, srcOff + len, srcOff, PATTERN_SRC | PATTERN_COPY, true, isMemset, thread, log);
  n += verify(srcs, srcOff + len, bufSize, srcOff + len, PATTERN_SRC, true, isMemset, thread, log);
  n += verify(dsts, 0, dstOff, 0, PATTERN_DST, false, isMemset, thread, log);
  n += verify(dsts, dstOff, dstOff + len, srcOff, PATTERN_SRC | PATTERN_COPY, false, isMemset, thread, log);
  n += verify(dsts, dstOff + len, bufSize, dstOff + len, PATTERN_DST, false, isMemset, thread, log);
  return n;
}
