/**
 * dmaengine: the Linux kernel's DMA offload model for Node.js.
 *
 * Entry point: re-exports the public surface of every layer. Its one piece of wiring: the
 * default dmaengine instance and `createDmaEngine` get the addon's CPU source (the core reads
 * no hardware). The native addon is loaded on first use.
 */
import { nativeCurrentCpu } from './cpu-source';
import { configureDefaultDmaEngine } from './dmaengine/default-instance';
import { DmaEngine, type DmaEngineOptions } from './dmaengine/index';

export { machineInfo, formatKernelLines } from './info';
export type { MachineInfo } from './info';
export * from './dmaengine/index';

configureDefaultDmaEngine({ currentCpu: nativeCurrentCpu });

/**
 * `createDmaEngine(options)`: an isolated dmaengine instance whose per-CPU table is read for
 * the calling thread's CPU (`sched_getcpu`) unless `options.currentCpu` says otherwise.
 * @example
 * const eng = createDmaEngine({ policy: 'nth_chan', cpus: 4 });
 */
export function createDmaEngine(options: DmaEngineOptions = {}): DmaEngine {
  // Anything but an object goes through as given, for the constructor's TypeError.
  if (options === null || typeof options !== 'object') return new DmaEngine(options);
  return new DmaEngine({ ...options, currentCpu: options.currentCpu ?? nativeCurrentCpu });
}
export { PlainDevice, PlainChan, createPlainDevice, registerPlainDevice } from './providers/plain';
export type { PlainDeviceOptions } from './providers/plain';
export { SoftDevice, createSoftDevice, registerSoftDevice } from './providers/soft';
export type { SoftDeviceOptions } from './providers/soft';
export type { WorkerPolicyName } from './engine/soft-engine';
export { SoftChan, SOFT_FAULTS } from './providers/soft-chan';
export type { SoftFault } from './providers/soft-chan';
export { readKernelDma, readKernelDmaSummary, describeKernelDma, SYSFS_DMA_ROOT, DEBUGFS_DMA_SUMMARY } from './providers/kernel';
export type { KernelDmaView, KernelDmaChannel, KernelDmaController } from './providers/kernel';
export {
  registerKernelDevices, unregisterKernelDevices, KernelBridgeDevice, kernelBridgeStatus, describeKernelBridge,
} from './providers/kernel';
export type { RegisterKernelDevicesOptions, KernelBridgeStatus } from './providers/kernel';
export { KernelBridge, openKernelBridge, BridgeCompletionBatch } from './bridge/kernel-bridge';
export type { KernelBridgeOptions, BridgeChanInfo, BridgeStats, BridgeVersion } from './bridge/kernel-bridge';
export * from './dmabuf/index';
export { runDmatest } from './dmatest/runner';
export type { DmatestRunOptions } from './dmatest/runner';
export { runKernelDmatest } from './dmatest/kernel-bridge';
export type { KernelDmatestOptions } from './dmatest/kernel-bridge';
export { parseDmatestLog } from './dmatest/log-parser';
export type { ParsedDmatestLog, DmatestLogResult, DmatestLogSummary } from './dmatest/log-parser';
export { resolveDmatestParams, DMATEST_DEFAULTS } from './dmatest/params';
export type { DmatestParams } from './dmatest/params';
export type { DmatestRunResult, DmatestChannelResult, DmatestThreadResult } from './dmatest/result';
export * from './async_tx/index';
export * from './offload/index';
