/**
 * dmatest's parameters (spec §4.2): names, defaults and rules of the modern module, shared by
 * the in-process runner and the kernel bridge, so that one parameter set drives both.
 *
 * Names are the module's (`test_buf_size`, `threads_per_chan`, …) because they are also the
 * files under /sys/module/dmatest/parameters/. The runner snapshots them when a channel is added,
 * as `add_threaded_test` copies `info->params`.
 */
import { checkBool, checkInt, invalidType } from '../validate';

/**
 * The dmatest module's parameters, by their module names (the files under
 * /sys/module/dmatest/parameters/). {@link resolveDmatestParams} fills in {@link DMATEST_DEFAULTS}
 * and checks each against the module's range; {@link runDmatest} and {@link runKernelDmatest} take
 * the same set.
 */
export interface DmatestParams {
  /** Size of each source and destination buffer (bytes). */
  test_buf_size: number;
  /** Only the channel with this name ('' = any eligible). */
  channel: string;
  /** Only channels whose controller has this name ('' = any). */
  device: string;
  /** Test threads started on each channel (one per operation the channel can do, times this). */
  threads_per_chan: number;
  /** Stop adding channels once this many are under test (0 = all). */
  max_channels: number;
  /** Tests per thread (0 = until stopped). */
  iterations: number;
  /** 0: memcpy threads; 1: memset threads (on channels that have those capabilities). */
  dmatest: 0 | 1;
  /** Forced odd and capped by the device's maxXor when threads are made. */
  xor_sources: number;
  /** Forced odd and capped by the device's maxPq when threads are made. */
  pq_sources: number;
  /** Per-transfer wait in ms; -1 waits for ever. */
  timeout: number;
  /** Skip checking the destination after each transfer (measures throughput only). */
  noverify: boolean;
  /** Use the whole buffer for every transfer instead of random offsets and lengths. */
  norandom: boolean;
  /** Log a line for every passing test too, not only the failures. */
  verbose: boolean;
  /** log2 alignment override; -1 uses the device's *Align. */
  alignment: number;
  /** Fixed length (0 = random); must be below test_buf_size. */
  transfer_size: number;
  /** No interrupt flag: wait by polling the cookie. */
  polled: boolean;
}

/**
 * The modern dmatest module's default for every parameter (frozen); what
 * {@link resolveDmatestParams} fills in for a missing one.
 */
export const DMATEST_DEFAULTS: Readonly<DmatestParams> = Object.freeze({
  test_buf_size: 16384,
  channel: '',
  device: '',
  threads_per_chan: 1,
  max_channels: 0,
  iterations: 0,
  dmatest: 0,
  xor_sources: 3,
  pq_sources: 3,
  timeout: 3000,
  noverify: false,
  norandom: false,
  verbose: false,
  alignment: -1,
  transfer_size: 0,
  polled: false,
});

const UINT_MAX = 0xffffffff;
const INT_MAX = 0x7fffffff;
/** The kernel bounds these strings: channel ≤ 19 characters, device ≤ 31. */
const STRING_LIMITS: Record<'channel' | 'device', number> = { channel: 19, device: 31 };

const KEYS = Object.keys(DMATEST_DEFAULTS) as (keyof DmatestParams)[];

function suggest(name: string): string {
  const close = KEYS.find((k) => k.replace(/_/g, '') === name.replace(/[_-]/g, '').toLowerCase());
  return close ? ` (did you mean "${close}"?)` : '';
}

/**
 * Defaults applied, every value checked: TypeError for a wrong type, RangeError for a value out
 * of the module's range, and an unknown name is a TypeError with a hint.
 */
export function resolveDmatestParams(input: Partial<DmatestParams> = {}): DmatestParams {
  if (input === null || typeof input !== 'object') throw invalidType('an object', 'params', input);
  for (const k of Object.keys(input)) {
    if (!KEYS.includes(k as keyof DmatestParams)) {
      throw new TypeError(`Unknown dmatest parameter "${k}"${suggest(k)}`);
    }
  }
  const p: DmatestParams = { ...DMATEST_DEFAULTS, ...input };
  checkInt(p.test_buf_size, 'test_buf_size', 1, UINT_MAX);
  for (const key of ['channel', 'device'] as const) {
    if (typeof p[key] !== 'string') throw invalidType('a string', key, p[key]);
    if (p[key].length > STRING_LIMITS[key]) {
      throw new RangeError(`Expected "${key}" to be at most ${STRING_LIMITS[key]} characters but received ${JSON.stringify(p[key])}`);
    }
  }
  checkInt(p.threads_per_chan, 'threads_per_chan', 0, UINT_MAX);
  checkInt(p.max_channels, 'max_channels', 0, UINT_MAX);
  checkInt(p.iterations, 'iterations', 0, UINT_MAX);
  checkInt(p.dmatest, 'dmatest', 0, 1);
  checkInt(p.xor_sources, 'xor_sources', 0, UINT_MAX);
  checkInt(p.pq_sources, 'pq_sources', 0, UINT_MAX);
  checkInt(p.timeout, 'timeout', -1, INT_MAX);
  for (const key of ['noverify', 'norandom', 'verbose', 'polled'] as const) checkBool(p[key], key);
  checkInt(p.alignment, 'alignment', -1, 31);
  checkInt(p.transfer_size, 'transfer_size', 0, UINT_MAX);
  return p;
}

/** min_odd(): the smaller of x and y, made odd by rounding down (dmatest's helper). */
export function minOdd(x: number, y: number): number {
  const v = Math.min(x, y);
  return v % 2 === 1 ? v : v - 1;
}

/** The XOR source count a thread uses on a device with the given maxXor. */
export function xorSourcesFor(params: DmatestParams, maxXor: number): number {
  return minOdd(params.xor_sources | 1, maxXor);
}

/** The P+Q source count a thread uses on a device whose dma_maxpq(dev, 0) is maxPq. */
export function pqSourcesFor(params: DmatestParams, maxPq: number): number {
  return minOdd(params.pq_sources | 1, maxPq);
}
