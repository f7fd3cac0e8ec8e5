/**
 * dmaengine: the Linux kernel's DMA offload model for Node.js.
 *
 * Entry point: re-exports the public surface of every layer. Nothing here has side effects;
 * the native addon is loaded on first use.
 */
export { machineInfo, formatKernelLines } from './info';
export type { MachineInfo } from './info';
