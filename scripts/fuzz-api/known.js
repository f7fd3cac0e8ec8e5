'use strict';
/**
 * Exports left out of the default run, each with what the fuzzer found (`--all` puts them
 * back; `--only '^name$' --all --keep-going` lists their findings). Emptying this list is the
 * goal: an entry is a known bug, not a policy. Found on 2026-12-01 (seeds 1 and 2, 25 s each):
 * none of them crashes the process or writes outside a buffer; each throws V8's own TypeError
 * (no argument named) because it reads fields of its arguments unchecked. All are in the
 * dmaengine core, providers, dmatest and info layers, outside lib/validate.ts, async_tx args
 * and dma-buf.
 */
const unchecked = (what) => `reads ${what} of an unchecked argument: V8's TypeError, no argument named`;
const KNOWN = {
  // lib/dmaengine: descriptors, cookies, devices, masks
  dmaAsyncTxDescriptorInit: unchecked('tx'),
  dmaRunDependencies: unchecked('tx.next'),
  dmaengineDescCallbackInvoke: unchecked('cb.callbackResult'),
  dmaengineDescCallbackValid: unchecked('desc.callback'),
  dmaengineDescGetCallback: unchecked('tx.callback'),
  dmaCookieInit: unchecked('chan.cookie'),
  dmaCookieAssign: unchecked('tx.chan'),
  dmaCookieComplete: unchecked('tx.cookie'),
  dmaCookieStatus: unchecked('state.last'),
  dmaAsyncIsComplete: 'formats a message from a symbol or a detached/Proxy view (String(v))',
  dmaSubmitError: 'formats a message from a Proxy view (incompatible receiver)',
  dmaChanName: unchecked('chan.name'),
  dmaCapName: 'formats a message from a symbol or a Proxy view',
  checkMask: 'formats a message from a symbol',
  dmaMaskSatisfies: unchecked('mask.bits'),
  deviceHasAllTxTypes: unchecked('device.capMask.bits'),
  dmaSetMaxpq: unchecked('dma (writes maxPq on a primitive)'),
  dmaDevHasPqContinue: unchecked('dma.maxPq'),
  dmaDevToMaxpq: unchecked('dma.maxPq'),
  dmaMaxpq: unchecked('dma.maxPq'),
  dmaengineCheckAlign: 'formats a message from a Proxy or detached view',
  isDmaCopyAligned: unchecked('dev.copyAlign'),
  isDmaXorAligned: unchecked('dev.xorAlign'),
  isDmaPqAligned: unchecked('dev.pqAlign'),
  isDmaFillAligned: unchecked('dev.fillAlign'),
  errnoName: 'formats a message from a Proxy or detached view',
  errnoNumber: 'formats a message from a Proxy or detached view',
  DmaEngineError: 'its constructor formats a message from a symbol or a Proxy view',
  DmaBugError: 'its constructor formats a message from a Proxy or detached view',
  // lib/providers
  registerPlainDevice: unchecked('engine.dmaAsyncDeviceRegister'),
  registerSoftDevice: unchecked('engine.dmaAsyncDeviceRegister'),
  describeKernelDma: unchecked('view.present'),
  // lib/dmatest, lib/info, raid6test's formatter
  parseDmatestLog: 'iterates a non-iterable argument ("lines is not iterable")',
  formatKernelLines: unchecked('info.cpuFeatures'),
  formatRaid6Failure: unchecked('failure.faila'),
  // Slow, not wrong: a blocking or timed wait per call brings the run from ~1500 to ~100 calls/s.
  dmaSyncWait: 'slow: blocks up to its timeout on a random descriptor',
  dmaWaitForAsyncTx: 'slow: blocks on a random descriptor',
  runDmatest: 'slow: runs a dmatest',
  runKernelDmatest: 'slow: waits durationMs on sysfs that is not there',
  openDma: 'slow: each call with valid options starts an engine (worker threads, a measurement) the fuzzer never closes',
};

module.exports = { KNOWN };
