/**
 * raid6test: the kernel's asynchronous RAID-6 recovery self test (crypto/async_tx/raid6test.c),
 * over any async_tx binding.
 *
 * Model: random data blocks; for each array size, P+Q generated with asyncGenSyndrome; then
 * for every pair of failed slots (i < j) the two blocks are replaced by pages filled with 0xf0
 * and rebuilt by the path the kernel takes for that pair:
 *   P+Q → regenerate the syndrome;  D+Q → XOR of the survivors (P included), then regenerate;
 *   D+P → asyncRaid6DatapRecov;     D+D → asyncRaid6_2dataRecov;
 * then asyncSyndromeVal (with ACK and a callback) checks the array, and the rebuilt pages are
 * compared with the originals. A failure is a timeout, a non-zero check result, or a byte
 * mismatch.
 *
 * Threading: JavaScript thread; each test awaits its chain (waitForAsyncTx), so the event loop
 * runs between tests.
 */
import { DmaStatus } from '../dmaengine/status';
import { checkInt, invalidType } from '../validate';
import type { AsyncTx } from './api';
import { AsyncTxFlags, initAsyncSubmit } from './flags';

/** The array sizes of the kernel's test. */
export const RAID6TEST_DEFAULT_DISKS: readonly number[] = [4, 5, 11, 12, 16];

/** Options of {@link raid6test}. */
export interface Raid6TestOptions {
  /** array sizes, 4..255 each (default 4, 5, 11, 12, 16) */
  disks?: readonly number[];
  /** block length in bytes (default 4096, the kernel's PAGE_SIZE) */
  len?: number;
  /** seed of the data (default 1) */
  seed?: number;
  /** ms to wait for one chain (default 3000, as the kernel's) */
  timeoutMs?: number;
  /** called with each failure as it happens */
  onFailure?: (f: Raid6TestFailure) => void;
  /** called after each recovery test with the count so far (out of `raid6testCount(disks)`: every pair of slots of every array) */
  onProgress?: (tests: number) => void;
  /** allocates each block (default `new Uint8Array(len)`): dma-buf memory for the kernel bridge */
  alloc?: (len: number) => Uint8Array;
}

/** How many recovery tests a run over `disks` makes: every pair of slots of every array. */
export function raid6testCount(disks: readonly number[] = RAID6TEST_DEFAULT_DISKS): number {
  return disks.reduce((n, d) => n + (d * (d - 1)) / 2, 0);
}

/** One failed test. */
export interface Raid6TestFailure {
  /** Disk count of the failing array (data + P + Q). */
  disks: number;
  /** failed slots (faila < failb); -1 for the syndrome generation of the array itself */
  faila: number;
  /** The second failed slot (-1 with `faila` for the syndrome generation). */
  failb: number;
  /** 'timeout', 'validation' (asyncSyndromeVal said so) or 'mismatch' (bytes) */
  kind: 'timeout' | 'validation' | 'mismatch';
  /** SumCheckFlags of the check, for 'validation' */
  result: number;
}

/** What {@link raid6test} found. */
export interface Raid6TestResult {
  /** Number of recoveries (and syndrome generations) checked. */
  tests: number;
  /** The checks that failed, in run order; empty when all passed. */
  failures: Raid6TestFailure[];
}

function slotType(i: number, disks: number): string {
  return i === disks - 2 ? 'P' : i === disks - 1 ? 'Q' : 'D';
}

/** One line for a failure, in the kernel's words. */
export function formatRaid6Failure(failure: Raid6TestFailure): string {
  const f = checkFailure(failure);
  if (f.faila < 0) return `raid6test: gen_syndrome: ${f.kind === 'timeout' ? 'timeout!' : 'failed'} (disks: ${f.disks})`;
  const slots = `faila=${String(f.faila).padStart(3)}(${slotType(f.faila, f.disks)})  failb=${String(f.failb).padStart(3)}(${slotType(f.failb, f.disks)})`;
  if (f.kind === 'timeout') return `raid6test: test_disks(disks=${f.disks}): ${slots}  timeout!`;
  if (f.kind === 'validation') return `raid6test: test_disks(disks=${f.disks}): ${slots}  validation failure! sum_check_flags: ${f.result.toString(16)}`;
  return `raid6test: test_disks(disks=${f.disks}): ${slots}  FAIL (data mismatch)`;
}

/** A failure record read once, each field checked (a caller may pass anything). */
function checkFailure(failure: unknown): Raid6TestFailure {
  if (failure === null || typeof failure !== 'object') throw invalidType('a Raid6TestFailure object', 'failure', failure);
  const { disks, faila, failb, kind, result } = failure as Partial<Raid6TestFailure>;
  const f: Raid6TestFailure = {
    disks: checkInt(disks, 'failure.disks', 0, 0xffff),
    faila: checkInt(faila, 'failure.faila', -1, 0xffff),
    failb: checkInt(failb, 'failure.failb', -1, 0xffff),
    kind: kind!,
    result: checkInt(result, 'failure.result', 0, 0x7fffffff),
  };
  if (kind !== 'timeout' && kind !== 'validation' && kind !== 'mismatch') {
    throw invalidType("'timeout', 'validation' or 'mismatch'", 'failure.kind', kind);
  }
  return f;
}

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

async function settle(api: AsyncTx, tx: ReturnType<AsyncTx['asyncGenSyndrome']>, done: () => boolean, timeoutMs: number): Promise<boolean> {
  if (tx !== null) {
    api.asyncTxIssuePending(tx);
    api.asyncTxIssuePendingAll();
    const st = await api.waitForAsyncTx(tx, timeoutMs);
    if (st !== DmaStatus.COMPLETE) return false;
  }
  return done();
}

/** The kernel's raid6_dual_recov: rebuild slots faila < failb of `ptrs`. */
function dualRecov(api: AsyncTx, disks: number, len: number, faila: number, failb: number, ptrs: Uint8Array[], scribble: unknown[]) {
  if (failb === disks - 1) {
    if (faila === disks - 2) return api.asyncGenSyndrome(ptrs, null, disks, len, initAsyncSubmit(0, null, null, null, scribble));
    const blocks: Uint8Array[] = [];
    for (let i = disks; i-- > 0;) if (i !== faila && i !== failb) blocks.push(ptrs[i]!);
    let tx = api.asyncXor(ptrs[faila]!, blocks, 0, blocks.length, len,
      initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST, null, null, null, scribble));
    tx = api.asyncGenSyndrome(ptrs, null, disks, len, initAsyncSubmit(0, tx, null, null, scribble));
    return tx;
  }
  if (failb === disks - 2) return api.asyncRaid6DatapRecov(disks, len, faila, ptrs, null, initAsyncSubmit(0, null, null, null, scribble));
  return api.asyncRaid6_2dataRecov(disks, len, faila, failb, ptrs, null, initAsyncSubmit(0, null, null, null, scribble));
}

/**
 * Run the test on `api` (software path when its engine has no channel, device channels
 * otherwise).
 * @example
 * const r = await raid6test(createAsyncTx(createDmaEngine()), { disks: [4, 16] });
 * console.log(`raid6test: complete (${r.tests} tests, ${r.failures.length} failures)`);
 */
export async function raid6test(api: AsyncTx, options: Raid6TestOptions = {}): Promise<Raid6TestResult> {
  if (api === null || typeof api !== 'object' || typeof api.asyncGenSyndrome !== 'function') {
    throw invalidType('an AsyncTx (createAsyncTx)', 'api', api);
  }
  if (options === null || typeof options !== 'object') throw invalidType('an object', 'options', options);
  const diskList = options.disks ?? RAID6TEST_DEFAULT_DISKS;
  if (!Array.isArray(diskList)) throw invalidType('an Array of disk counts', 'options.disks', diskList);
  diskList.forEach((d, i) => checkInt(d, `options.disks[${i}]`, 4, 255));
  const len = options.len === undefined ? 4096 : checkInt(options.len, 'options.len', 1, 1 << 24);
  const timeoutMs = options.timeoutMs === undefined ? 3000 : checkInt(options.timeoutMs, 'options.timeoutMs', 1, 600_000);
  const next = xorshift(options.seed ?? 1);
  const maxDisks = Math.max(...diskList, 4);
  if (options.alloc !== undefined && typeof options.alloc !== 'function') throw invalidType('a function', 'options.alloc', options.alloc);
  const mk: (n: number) => Uint8Array = options.alloc ?? ((n: number) => new Uint8Array(n));
  const block = (): Uint8Array => {
    const b = mk(len);
    if (!(b instanceof Uint8Array) || b.length !== len) throw invalidType(`a Uint8Array of ${len} bytes`, 'options.alloc()', b);
    return b;
  };
  const data = Array.from({ length: maxDisks }, () => {
    const b = block();
    for (let i = 0; i < len; i++) b[i] = next() & 0xff;
    return b;
  });
  const spare = block().fill(0);
  const recovi = block().fill(0);
  const recovj = block().fill(0);
  const scribble: unknown[] = [];
  const result: Raid6TestResult = { tests: 0, failures: [] };
  const fail = (f: Raid6TestFailure): void => {
    result.failures.push(f);
    options.onFailure?.(f);
  };

  for (const disks of diskList) {
    const ptrs = data.slice(0, disks);
    let generated = false;
    const gen = api.asyncGenSyndrome(ptrs, null, disks, len,
      initAsyncSubmit(AsyncTxFlags.ACK, null, () => { generated = true; }, null, scribble));
    if (!(await settle(api, gen, () => generated, timeoutMs))) {
      fail({ disks, faila: -1, failb: -1, kind: 'timeout', result: 0 });
      continue;
    }
    for (let i = 0; i < disks - 1; i++) {
      for (let j = i + 1; j < disks; j++) {
        result.tests++;
        recovi.fill(0xf0);
        recovj.fill(0xf0);
        const arr = ptrs.slice();
        arr[i] = recovi;
        arr[j] = recovj;
        const tx = dualRecov(api, disks, len, i, j, arr, scribble);
        const pqres = { value: -1 };
        let checked = false;
        const val = api.asyncSyndromeVal(arr, null, disks, len, pqres, spare, 0,
          initAsyncSubmit(AsyncTxFlags.ACK, tx, () => { checked = true; }, null, scribble));
        if (!(await settle(api, val, () => checked, timeoutMs))) {
          fail({ disks, faila: i, failb: j, kind: 'timeout', result: 0 });
        } else if (pqres.value !== 0) {
          fail({ disks, faila: i, failb: j, kind: 'validation', result: pqres.value });
        } else if (Buffer.compare(recovi, data[i]!) !== 0 || Buffer.compare(recovj, data[j]!) !== 0) {
          fail({ disks, faila: i, failb: j, kind: 'mismatch', result: 0 });
        }
        options.onProgress?.(result.tests);
      }
    }
  }
  return result;
}
