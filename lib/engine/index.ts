/**
 * The software DMA engine's TypeScript surface: {@link SoftEngine}, its operations and its
 * completion batches. The `soft` dmaengine provider builds on this.
 */
export { SoftEngine } from './soft-engine';
export type { SoftEngineOptions, CompletionHandler } from './soft-engine';
export type { KernelUse } from '../native-types/engine';
export { CompletionBatch } from './completion-batch';
export type { EngineCompletion } from './completion-batch';
export { OP_NAMES } from './ops';
export { DmaTransResult, SumCheckFlags } from '../dmaengine/abi';
export type {
  EngineOp, OpCommon, MemcpyOp, MemsetOp, XorOp, XorValOp, PqOp, PqValOp, Recov2DataOp,
  RecovDataPOp, InterruptOp, PqCoefOp, PqCoefValOp,
} from './ops';
