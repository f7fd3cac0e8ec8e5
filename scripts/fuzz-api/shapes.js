'use strict';
/**
 * Mostly valid calls of the functions that touch bytes, so the fuzzer gets past the first
 * argument check: each shape returns the arguments of one call, built from guarded pages, a
 * counted callback and the results of earlier calls. The fuzzer then replaces some of them
 * with hostile values. Functions without a shape get hostile arguments only.
 *
 * Threading: one child process, JavaScript thread only.
 */
const LEN = [0, 1, 16, 64, 512, 4096];

function submitOf(c) {
  const { r } = c;
  if (r.chance(0.25)) return undefined;
  // No DELAY_SUBMIT: its callback waits for an asyncTriggerCallback the case may never make.
  const flags = r.int(32);
  const dep = r.chance(0.35) && c.lastTx ? c.lastTx : null;
  const cb = r.chance(0.7) ? c.counted() : null;
  c.submitObj = c.mod.initAsyncSubmit(flags, dep, cb, r.int(9), r.chance(0.5) ? [] : null);
  c.submitDep = dep;
  return c.submitObj;
}

function pagesOf(c, n, len, nullable) {
  return Array.from({ length: n }, () => (nullable && c.r.chance(0.15) ? null : c.pages.page(len + c.r.int(2) * 64)));
}

const SHAPES = {
  asyncMemcpy: (c) => { const n = c.r.pick(LEN); return [c.pages.page(n), c.pages.page(n), 0, 0, n, submitOf(c)]; },
  asyncMemset: (c) => { const n = c.r.pick(LEN); return [c.pages.page(n), c.r.int(256), 0, n, submitOf(c)]; },
  asyncXor: (c) => { const n = c.r.pick(LEN); const k = 2 + c.r.int(6); return [c.pages.page(n), pagesOf(c, k, n, true), 0, k, n, submitOf(c)]; },
  asyncXorOffs: (c) => {
    const n = c.r.pick(LEN); const k = 2 + c.r.int(6);
    return [c.pages.page(n), 0, pagesOf(c, k, n, true), Array(k).fill(0), k, n, submitOf(c)];
  },
  asyncXorVal: (c) => {
    const n = c.r.pick(LEN); const k = 2 + c.r.int(5); const srcs = pagesOf(c, k, n, false);
    return [srcs[0], srcs, 0, k, n, { value: -1 }, submitOf(c)];
  },
  asyncXorValOffs: (c) => {
    const n = c.r.pick(LEN); const k = 2 + c.r.int(5); const srcs = pagesOf(c, k, n, false);
    return [srcs[0], 0, srcs, Array(k).fill(0), k, n, { value: -1 }, submitOf(c)];
  },
  asyncGenSyndrome: (c) => {
    const n = c.r.pick(LEN); const d = 4 + c.r.int(8);
    return [pagesOf(c, d, n, true), c.r.chance(0.5) ? null : Array(d).fill(0), d, n, submitOf(c)];
  },
  asyncSyndromeVal: (c) => {
    const n = c.r.pick(LEN); const d = 4 + c.r.int(8);
    return [pagesOf(c, d, n, true), null, d, n, { value: -1 }, c.pages.page(n), 0, submitOf(c)];
  },
  asyncRaid6_2dataRecov: (c) => {
    const n = c.r.pick(LEN); const d = 4 + c.r.int(8); const a = c.r.int(d - 2); const b = c.r.int(d);
    return [d, n, a, b, pagesOf(c, d, n, false), null, submitOf(c)];
  },
  asyncRaid6DatapRecov: (c) => {
    const n = c.r.pick(LEN); const d = 4 + c.r.int(8);
    return [d, n, c.r.int(d - 2), pagesOf(c, d, n, false), null, submitOf(c)];
  },
  asyncTriggerCallback: (c) => [submitOf(c)],
  initAsyncSubmit: (c) => [c.r.int(64), null, c.r.chance(0.5) ? null : () => {}, 1, null],
  asyncTxIssuePending: (c) => [c.lastTx],
  asyncTxQuiesce: (c) => [{ value: c.lastTx }],
  waitForAsyncTx: (c) => [c.lastTx, c.r.pick([0, 1, 100])],
  allocDmaBuf: (c) => [c.r.pick([4096, 8192, 65536, 2 ** 32 + 4096]), { source: c.r.pick(['memfd', 'auto', 'udmabuf', 'heap:system']) }],
  udmabufCreateList: () => [[{ size: 4096 }, { size: 4096 }]],
  importDmaBuf: (c) => [c.r.int(40)],
  raid6test: (c) => [c.api, { disks: [4 + c.r.int(3)] }],
  // These write to sysfs and read the kernel log where dmatest is loaded: never let the fuzzer
  // choose the paths.
  runKernelDmatest: () => [{}, { paramsDir: '/nonexistent/dmaengine-fuzz', dmaClassDir: '/nonexistent/dmaengine-fuzz', durationMs: 1 }],
  runDmatest: () => [{}, {}],
};

/** Arguments the fuzzer must not replace (paths the library would write to). */
const FIXED = { runKernelDmatest: [1], runDmatest: [1] };

module.exports = { SHAPES, FIXED };
