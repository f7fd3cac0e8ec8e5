/**
 * Reads dmatest's kernel-log output of every era (2.6.27 through today, spec §4.5) into one
 * shape: the lines the modern in-process runner prints parse to the same objects as the real
 * kernel's.
 *
 * Input: text or lines as `dmesg`, `/dev/kmsg` or the 3.10–3.12 debugfs `results` file give
 * them; timestamps (`[  12.345678] `), kmsg headers (`6,1234,5678,-;`) and syslog prefixes are
 * stripped. Output messages are normalised to the modern wording (`'test passed'`,
 * `'data error'`, …) and test numbers to 1-based; the era each line was read as is kept.
 *
 * Thread names are the kernel's 15-character comm, so `dma0chan10-copy0` reads back as
 * `dma0chan10-copy`: channels are found by prefix against the channels the log names
 * (Added/Started lines), then by the `-<op><i>` suffix rule.
 */
import type { DmatestResultMessage, MismatchKind } from './log-format';
import { invalidType } from '../validate';

/**
 * Which kernel era's wording a line was read as: `modern` (3.13 on), `debugfs` (3.10–3.12's results
 * file) or `legacy` (2.6.27–3.9).
 */
export type DmatestLogEra = 'modern' | 'debugfs' | 'legacy';

/**
 * One `result #n` line of a dmatest thread (a failure, or a pass with `verbose`), in modern terms
 * whatever era printed it.
 */
export interface DmatestLogResult {
  /** The thread's name as printed (the kernel's comm, at most 15 characters). */
  thread: string;
  /** The channel the thread ran on, found from the channels the log names. */
  channel: string;
  /** 1-based test number. */
  n: number;
  /** The outcome, in modern wording (`'test passed'`, `'data error'`, …). */
  message: DmatestResultMessage;
  /** Source offset of the failed transfer. */
  srcOff: number;
  /** Destination offset of the failed transfer. */
  dstOff: number;
  /** Transfer length; null where the era did not print it. */
  len: number | null;
  /** The number in parentheses: mismatch count, error code, or the cookie of a submit error. */
  data: number;
  /** The era the line was read as. */
  era: DmatestLogEra;
  /** The line as given, prefixes included. */
  line: string;
}

/** One thread's `summary` line: how many tests ran and failed, and its speed and exit status. */
export interface DmatestLogSummary {
  /** The thread's name as printed. */
  thread: string;
  /** The channel the thread ran on. */
  channel: string;
  /** Tests run. */
  tests: number;
  /** Tests failed. */
  failures: number;
  /** iops as printed (two decimals in recent kernels), null where the era printed none. */
  iops: number | null;
  /** Throughput in KB/s as printed, null where the era printed none. */
  kbPerSec: number | null;
  /** The thread's exit status (0, or a negative errno). */
  ret: number;
  /** The era the line was read as. */
  era: DmatestLogEra;
  /** The line as given. */
  line: string;
}

/**
 * One buffer-check line (`srcbuf overwritten`, `dstbuf mismatch`, …) naming a byte that held the
 * wrong value.
 */
export interface DmatestLogMismatch {
  /** The thread's name as printed. */
  thread: string;
  /** The channel the thread ran on. */
  channel: string;
  /** Which check found it. */
  kind: MismatchKind;
  /** Byte index in the buffer. */
  index: number;
  /** The byte value expected. */
  expected: number;
  /** The byte value found. */
  actual: number;
}

/**
 * What {@link parseDmatestLog} read from a dmatest log: the channels added and started, every
 * result, summary and mismatch line, and the lines it did not recognise.
 */
export interface ParsedDmatestLog {
  /** `Added N threads using <chan>` lines: channels added to the test (threads made, not started). */
  added: {
    /** The channel's name. */
    channel: string;
    /** Number of threads the line gives. */
    threads: number;
  }[];
  /** `Started N threads using <chan>` lines: channels whose threads started. */
  started: {
    /** The channel's name. */
    channel: string;
    /** Number of threads the line gives. */
    threads: number;
  }[];
  /** `N threads using <chan>` lines: the channels listed when the `test_list` parameter is read. */
  listed: {
    /** The channel's name. */
    channel: string;
    /** Number of threads the line gives. */
    threads: number;
  }[];
  /** Whether the log says "No channels configured, continue with any". */
  noChannelsConfigured: boolean;
  /** Every result line, in log order. */
  results: DmatestLogResult[];
  /** Every summary line, in log order. */
  summaries: DmatestLogSummary[];
  /** Every buffer-mismatch line, in log order. */
  mismatches: DmatestLogMismatch[];
  /** `<thread>: N errors suppressed` lines: mismatch lines the kernel did not print. */
  suppressed: {
    /** The thread's name as printed. */
    thread: string;
    /** The channel the thread ran on. */
    channel: string;
    /** How many lines were suppressed. */
    count: number;
  }[];
  /** Lines that mention dmatest but matched no known format. */
  unknown: string[];
}

const PREFIXES = [
  /^<\d+>/, // printk level as /proc/kmsg gives it
  /^\d+,\d+,\d+,[^;]*;/, // /dev/kmsg record header
  /^\[\s*\d+\.\d+\]\s*/, // dmesg timestamp
  /^\S+\s+\d+\s+[\d:]+\s+\S+\s+kernel:\s*(?:\[\s*\d+\.\d+\]\s*)?/, // syslog
];

function stripPrefixes(line: string): string {
  let s = line.replace(/\r$/, '');
  for (const re of PREFIXES) s = s.replace(re, '');
  return s;
}

const RE = {
  added: /^dmatest: Added (\d+) threads using (\S+)$/,
  started: /^dmatest: Started (\d+) threads using (\S+)$/,
  listed: /^dmatest: (\d+) threads using (\S+)$/,
  noChannels: /^dmatest: No channels configured, continue with any$/,
  modernResult: /^(?:dmatest: )?(\S+): result #(\d+): '([^']*)' with src_off=0x([0-9a-f]+) dst_off=0x([0-9a-f]+) len=0x([0-9a-f]+) \((-?\d+)\)$/,
  modernSummary: /^(?:dmatest: )?(\S+): summary (\d+) tests?, (\d+) failures (\d+)(?:\.(\d+))? iops (\d+) KB\/s \((-?\d+)\)$/,
  // 3.10–3.12: `[dmatest: ][result ]<T>: #<n>: <msg> with … (<data>)`
  debugfsResult: /^(?:dmatest: )?(?:result )?(\S+): #(\d+): (.+?) with src_off=0x([0-9a-f]+) dst_off=0x([0-9a-f]+) len=0x([0-9a-f]+) \((-?\d+)\)$/,
  // 2.6.27–3.9: no trailing (<data>), 0-based numbers.
  legacyWith: /^(?:dmatest: )?(\S+): #(\d+): (.+?) with src_off=0x([0-9a-f]+) dst_off=0x([0-9a-f]+) len=0x([0-9a-f]+)$/,
  legacyBare: /^(?:dmatest: )?(\S+): #(\d+): (test timed out|got completion callback, but status is '(?:error|in progress)'|error during copy)$/,
  legacySummary: /^(?:dmatest: )?(\S+): terminating after (\d+) tests?, (\d+) failures(?: (\d+)(?:\.(\d+))? iops (\d+) KB\/s)? \(status (-?\d+)\)$/,
  mismatch: /^(?:dmatest: )?(\S+): (srcbuf|dstbuf)\[0x([0-9a-f]+)\] (overwritten!|not copied!|was copied!|mismatch!) Expected ([0-9a-f]+), got ([0-9a-f]+)$/,
  mismatchDebugfs: /^(?:dmatest: )?(\S+): (srcbuf overwritten!|dst mismatch!|dstbuf not copied!|dstbuf was copied!|dstbuf mismatch!) \[0x([0-9a-f]+)\] Expected ([0-9a-f]+), got ([0-9a-f]+)$/,
  suppressed: /^(?:dmatest: )?(\S+): (\d+) errors suppressed$/,
};

function legacyMessage(msg: string): { message: DmatestResultMessage; data: number } | null {
  let m: RegExpMatchArray | null;
  if ((m = msg.match(/^(\d+) errors$/))) {
    const errs = Number(m[1]);
    return { message: errs === 0 ? 'test passed' : 'data error', data: errs };
  }
  if (msg === 'prep error') return { message: 'prep error', data: 0 };
  if ((m = msg.match(/^submit error (-?\d+)$/))) return { message: 'submit error', data: Number(m[1]) };
  if (msg === 'test timed out') return { message: 'test timed out', data: 0 };
  if (msg === "got completion callback, but status is 'error'" || msg === 'error during copy') {
    return { message: 'completion error status', data: 0 };
  }
  if (msg === "got completion callback, but status is 'in progress'") return { message: 'completion busy status', data: 0 };
  return null;
}

function debugfsMessage(msg: string): DmatestResultMessage | null {
  switch (msg) {
    case 'No errors': return 'test passed';
    case 'errors':
    case 'verify errors': return 'data error';
    case 'src mapping error':
    case 'dst mapping error':
    case 'prep error':
    case 'submit error':
    case 'test timed out': return msg;
    case 'got completion callback (DMA_ERROR)': return 'completion error status';
    case 'got completion callback (DMA_IN_PROGRESS)': return 'completion busy status';
    default: return null;
  }
}

const MODERN_MESSAGES: ReadonlySet<string> = new Set([
  'test passed', 'data error', 'prep error', 'submit error', 'test timed out',
  'completion error status', 'completion busy status', 'src mapping error', 'dst mapping error',
  'unmap data NULL',
]);

function mismatchKind(where: string, what: string): MismatchKind {
  if (where === 'srcbuf' || what.startsWith('srcbuf')) return 'srcbuf overwritten';
  if (what.includes('not copied')) return 'dstbuf not copied';
  if (what.includes('was copied')) return 'dstbuf was copied';
  return 'dstbuf mismatch';
}

/**
 * The channel a (possibly truncated) thread name belongs to: the longest known channel that the
 * name continues (`<chan>-…`) or that the cut name is a prefix of; else the name less its
 * `-<op><i>` suffix.
 */
export function channelOfThread(thread: string, known: Iterable<string>): string {
  let best = '';
  for (const chan of known) {
    const stem = `${chan}-`;
    if ((thread.startsWith(stem) || stem.startsWith(thread) || chan === thread) && chan.length > best.length) best = chan;
  }
  if (best) return best;
  const m = thread.match(/^(.+)-[a-z]*\d*$/);
  return m ? m[1] : thread;
}

/** The log as lines: a string split at newlines, or an Array of strings (copied, each checked). */
function checkLines(input: unknown): string[] {
  if (typeof input === 'string') return input.split('\n');
  if (!Array.isArray(input)) throw invalidType('a string or an Array of strings', 'input', input);
  const lines = Array.from(input as unknown[]);
  lines.forEach((l, i) => { if (typeof l !== 'string') throw invalidType('a string', `input[${i}]`, l); });
  return lines as string[];
}

/**
 * Parses a dmatest log (text, or lines) of any era into one shape; lines that are not dmatest's
 * are ignored, dmatest lines of no known format are kept in `unknown`.
 * @throws TypeError when `input` is neither a string nor an array of strings
 */
export function parseDmatestLog(input: string | readonly string[]): ParsedDmatestLog {
  const lines = checkLines(input);
  const out: ParsedDmatestLog = {
    added: [], started: [], listed: [], noChannelsConfigured: false,
    results: [], summaries: [], mismatches: [], suppressed: [], unknown: [],
  };
  const known = new Set<string>();
  // Channels are resolved after the pass, once every Added/Started line has been seen.
  const pending: { thread: string; set: (c: string) => void }[] = [];
  const later = (thread: string, set: (c: string) => void) => pending.push({ thread, set });

  for (const raw of lines) {
    const line = stripPrefixes(raw);
    if (!line.trim()) continue;
    let m: RegExpMatchArray | null;
    if ((m = line.match(RE.added))) {
      out.added.push({ channel: m[2], threads: Number(m[1]) }); known.add(m[2]);
    } else if ((m = line.match(RE.started))) {
      out.started.push({ channel: m[2], threads: Number(m[1]) }); known.add(m[2]);
    } else if (RE.noChannels.test(line)) {
      out.noChannelsConfigured = true;
    } else if ((m = line.match(RE.modernResult)) && MODERN_MESSAGES.has(m[3])) {
      const r: DmatestLogResult = {
        thread: m[1], channel: '', n: Number(m[2]), message: m[3] as DmatestResultMessage,
        srcOff: parseInt(m[4], 16), dstOff: parseInt(m[5], 16), len: parseInt(m[6], 16),
        data: Number(m[7]), era: 'modern', line,
      };
      out.results.push(r); later(r.thread, (c) => { r.channel = c; });
    } else if ((m = line.match(RE.modernSummary))) {
      const s: DmatestLogSummary = {
        thread: m[1], channel: '', tests: Number(m[2]), failures: Number(m[3]),
        iops: Number(m[5] !== undefined ? `${m[4]}.${m[5]}` : m[4]), kbPerSec: Number(m[6]),
        ret: Number(m[7]), era: 'modern', line,
      };
      out.summaries.push(s); later(s.thread, (c) => { s.channel = c; });
    } else if ((m = line.match(RE.debugfsResult)) && debugfsMessage(m[3])) {
      const r: DmatestLogResult = {
        thread: m[1], channel: '', n: Number(m[2]), message: debugfsMessage(m[3])!,
        srcOff: parseInt(m[4], 16), dstOff: parseInt(m[5], 16), len: parseInt(m[6], 16),
        data: Number(m[7]), era: 'debugfs', line,
      };
      out.results.push(r); later(r.thread, (c) => { r.channel = c; });
    } else if ((m = line.match(RE.legacyWith)) && legacyMessage(m[3])) {
      const lm = legacyMessage(m[3])!;
      const r: DmatestLogResult = {
        thread: m[1], channel: '', n: Number(m[2]) + 1, message: lm.message,
        srcOff: parseInt(m[4], 16), dstOff: parseInt(m[5], 16), len: parseInt(m[6], 16),
        data: lm.data, era: 'legacy', line,
      };
      out.results.push(r); later(r.thread, (c) => { r.channel = c; });
    } else if ((m = line.match(RE.legacyBare))) {
      const lm = legacyMessage(m[3])!;
      const r: DmatestLogResult = {
        thread: m[1], channel: '', n: Number(m[2]) + 1, message: lm.message,
        srcOff: 0, dstOff: 0, len: null, data: lm.data, era: 'legacy', line,
      };
      out.results.push(r); later(r.thread, (c) => { r.channel = c; });
    } else if ((m = line.match(RE.legacySummary))) {
      const s: DmatestLogSummary = {
        thread: m[1], channel: '', tests: Number(m[2]), failures: Number(m[3]),
        iops: m[4] === undefined ? null : Number(m[5] !== undefined ? `${m[4]}.${m[5]}` : m[4]),
        kbPerSec: m[6] === undefined ? null : Number(m[6]), ret: Number(m[7]), era: 'legacy', line,
      };
      out.summaries.push(s); later(s.thread, (c) => { s.channel = c; });
    } else if ((m = line.match(RE.mismatch))) {
      const mm: DmatestLogMismatch = {
        thread: m[1], channel: '', kind: mismatchKind(m[2], m[4]), index: parseInt(m[3], 16),
        expected: parseInt(m[5], 16), actual: parseInt(m[6], 16),
      };
      out.mismatches.push(mm); later(mm.thread, (c) => { mm.channel = c; });
    } else if ((m = line.match(RE.mismatchDebugfs))) {
      const mm: DmatestLogMismatch = {
        thread: m[1], channel: '', kind: mismatchKind('', m[2]), index: parseInt(m[3], 16),
        expected: parseInt(m[4], 16), actual: parseInt(m[5], 16),
      };
      out.mismatches.push(mm); later(mm.thread, (c) => { mm.channel = c; });
    } else if ((m = line.match(RE.suppressed))) {
      const sp = { thread: m[1], channel: '', count: Number(m[2]) };
      out.suppressed.push(sp); later(sp.thread, (c) => { sp.channel = c; });
    } else if ((m = line.match(RE.listed))) {
      out.listed.push({ channel: m[2], threads: Number(m[1]) }); known.add(m[2]);
    } else if (/dmatest|-(copy|set|xor|pq|test)\d*:/.test(line)) {
      out.unknown.push(line);
    }
  }
  for (const p of pending) p.set(channelOfThread(p.thread, known));
  return out;
}
