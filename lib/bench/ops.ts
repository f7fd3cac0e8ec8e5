/**
 * Each benchmarked operation, called the ways the bench compares: through the public async_tx
 * API (the same call on the inline path and on a queued engine), the kernel through the binding
 * directly, and Node's own Buffer.copy/Buffer.fill where Node has one; plus how its outputs
 * are poisoned before a checked run and checked after it.
 *
 * Fixed shapes: 8 data sources; RAID-6 with 8 data + P + Q (`disks` = 10); two-data recovery
 * rebuilds slots 1 and 4, data+P recovery slot 2 and P (see workload.ts for the blocks).
 *
 * Threading: JavaScript thread only.
 */
import { type AsyncSubmitCtl, type AsyncTx, AsyncTxFlags, type DmaAsyncTxDescriptor } from '../index';
import * as K from '../kernels';
import type { KernelsAddon } from '../native-types/kernels';
import type { BenchOp } from './sweep';
import { BENCH_SOURCES } from './sweep';
import { FILL_BYTE, Workload, benchPatterns } from './workload';

const DISKS = BENCH_SOURCES + 2;
const FAIL_A = 1;
const FAIL_B = 4;
const FAIL_DATAP = 2;
const ZEROS_8 = new Array<number>(BENCH_SOURCES).fill(0);
const ZEROS_10 = new Array<number>(DISKS).fill(0);

export interface BenchOpDef {
  op: BenchOp;
  /** Flags every submit carries besides ACK. */
  flags: number;
  /** Whether the submit carries a scribble (the kernel requires one where it tests it). */
  scribble: boolean;
  /** The public API call. */
  call(api: AsyncTx, w: Workload, submit: AsyncSubmitCtl): DmaAsyncTxDescriptor | null;
  /**
   * The kernel through the binding, directly, as lib/kernels.ts calls it (block lists as call
   * arguments); val operations store their result in w.result.
   */
  binding(addon: KernelsAddon, w: Workload): void;
  /** Node's own way to do it, where there is one. */
  node?: { name: string; run(w: Workload): void };
  /** Outputs overwritten with poison, result holder reset. */
  poison(w: Workload): void;
  /** Throws when an output is wrong (or a val result is not "consistent"). */
  check(w: Workload): void;
  /** val operations: break (`on`) or restore the consistency the check reads. */
  corrupt?(w: Workload, on: boolean): void;
}

const resetResult = (w: Workload): void => { w.result.value = -1; };
const expectConsistent = (w: Workload, what: string): void => {
  if (w.result.value !== 0) throw new Error(`wrong result: ${what} reported ${w.result.value} on consistent blocks (expected 0)`);
};
const flipData3 = (w: Workload): void => { w.data[3]![w.len >> 1] ^= 0x01; };

const DEFS: Record<BenchOp, BenchOpDef> = {
  memcpy: {
    op: 'memcpy', flags: 0, scribble: false,
    call: (api, w, s) => api.asyncMemcpy(w.dst, w.data[0]!, 0, 0, w.len, s),
    binding: (a, w) => a.kernelCopy(w.dst, 0, w.data[0]!, 0, w.len),
    node: { name: 'Buffer.copy', run: (w) => { w.data[0]!.copy(w.dst, 0, 0, w.len); } },
    poison: (w) => Workload.poison(w.dst),
    check: (w) => Workload.expect(w.dst, benchPatterns().data[0]!, 'memcpy destination'),
  },
  memset: {
    op: 'memset', flags: 0, scribble: false,
    call: (api, w, s) => api.asyncMemset(w.dst, FILL_BYTE, 0, w.len, s),
    binding: (a, w) => a.kernelFill(w.dst, 0, FILL_BYTE, w.len),
    node: { name: 'Buffer.fill', run: (w) => { w.dst.fill(FILL_BYTE, 0, w.len); } },
    poison: (w) => Workload.poison(w.dst),
    check: (w) => Workload.expect(w.dst, benchPatterns().fill, 'memset destination'),
  },
  xor: {
    op: 'xor', flags: AsyncTxFlags.XOR_ZERO_DST, scribble: false,
    call: (api, w, s) => api.asyncXor(w.dst, w.data, 0, BENCH_SOURCES, w.len, s),
    binding: (_a, w) => K.kernelXor(w.dst, 0, w.data, ZEROS_8, w.len, true),
    poison: (w) => Workload.poison(w.dst),
    check: (w) => Workload.expect(w.dst, benchPatterns().p, 'xor destination'),
  },
  xor_val: {
    op: 'xor_val', flags: 0, scribble: false,
    call: (api, w, s) => api.asyncXorVal(w.dst, w.xvList, 0, BENCH_SOURCES, w.len, w.result, s),
    binding: (_a, w) => { w.result.value = K.kernelXorIsZero(w.xvList, ZEROS_8, w.len) ? 0 : 1; },
    poison: (w) => { w.dst.fill(0); resetResult(w); },
    check: (w) => expectConsistent(w, 'xor_val'),
    corrupt: flipData3,
  },
  pq: {
    op: 'pq', flags: 0, scribble: false,
    call: (api, w, s) => api.asyncGenSyndrome(w.blocks, null, DISKS, w.len, s),
    binding: (_a, w) => K.kernelPqGen(w.blocks, ZEROS_10, w.len),
    poison: (w) => Workload.poison(w.p, w.q),
    check: (w) => {
      Workload.expect(w.p, benchPatterns().p, 'P');
      Workload.expect(w.q, benchPatterns().q, 'Q');
    },
  },
  pq_val: {
    op: 'pq_val', flags: 0, scribble: true,
    call: (api, w, s) => api.asyncSyndromeVal(w.blocks, null, DISKS, w.len, w.result, w.dst, 0, s),
    binding: (_a, w) => { w.result.value = K.kernelPqCheck(w.blocks, ZEROS_10, w.len); },
    poison: resetResult,
    check: (w) => expectConsistent(w, 'P+Q val'),
    corrupt: flipData3,
  },
  recov_2data: {
    op: 'recov_2data', flags: 0, scribble: true,
    call: (api, w, s) => api.asyncRaid6_2dataRecov(DISKS, w.len, FAIL_A, FAIL_B, w.blocks, null, s),
    binding: (_a, w) => K.kernel2DataRecov(w.blocks, ZEROS_10, w.len, FAIL_A, FAIL_B),
    poison: (w) => Workload.poison(w.data[FAIL_A]!, w.data[FAIL_B]!),
    check: (w) => {
      Workload.expect(w.data[FAIL_A]!, benchPatterns().data[FAIL_A]!, `recovered data slot ${FAIL_A}`);
      Workload.expect(w.data[FAIL_B]!, benchPatterns().data[FAIL_B]!, `recovered data slot ${FAIL_B}`);
    },
  },
  recov_datap: {
    op: 'recov_datap', flags: 0, scribble: true,
    call: (api, w, s) => api.asyncRaid6DatapRecov(DISKS, w.len, FAIL_DATAP, w.blocks, null, s),
    binding: (_a, w) => K.kernelDatapRecov(w.blocks, ZEROS_10, w.len, FAIL_DATAP),
    poison: (w) => Workload.poison(w.data[FAIL_DATAP]!, w.p),
    check: (w) => {
      Workload.expect(w.data[FAIL_DATAP]!, benchPatterns().data[FAIL_DATAP]!, `recovered data slot ${FAIL_DATAP}`);
      Workload.expect(w.p, benchPatterns().p, 'recovered P');
    },
  },
};

/** The definition of `op`. */
export function benchOpDef(op: BenchOp): BenchOpDef {
  return DEFS[op];
}
