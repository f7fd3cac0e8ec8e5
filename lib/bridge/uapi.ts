/**
 * The numbers of native/kmod/uapi/dmaengine_bridge.h that JavaScript needs: capability bits,
 * channel models, request kinds, buffer directions, opcodes, flags and the record sizes.
 * Kept by hand next to the header; test/13.bridge.batch.test.ts checks the layouts.
 */
import { DmaCap } from '../dmaengine/caps';

/** The node the module creates. */
export const DMABRIDGE_DEVICE_PATH = '/dev/dmaengine_bridge';
/** The ABI this library speaks (the native side refuses another with EPROTO). */
export const DMABRIDGE_ABI_VERSION = 1;

/** DMABRIDGE_CAP_* bits. */
export const BridgeCap = {
  MEMCPY: 1 << 0,
  XOR: 1 << 1,
  PQ: 1 << 2,
  XOR_VAL: 1 << 3,
  PQ_VAL: 1 << 4,
  MEMSET: 1 << 5,
  INTERRUPT: 1 << 6,
  PRIVATE: 1 << 7,
  SLAVE: 1 << 8,
  CYCLIC: 1 << 9,
} as const;

/** The bridge's capability bits and the core's capabilities they stand for. */
export const BRIDGE_CAP_TO_DMA: readonly [number, DmaCap][] = [
  [BridgeCap.MEMCPY, DmaCap.MEMCPY],
  [BridgeCap.XOR, DmaCap.XOR],
  [BridgeCap.PQ, DmaCap.PQ],
  [BridgeCap.XOR_VAL, DmaCap.XOR_VAL],
  [BridgeCap.PQ_VAL, DmaCap.PQ_VAL],
  [BridgeCap.MEMSET, DmaCap.MEMSET],
  [BridgeCap.INTERRUPT, DmaCap.INTERRUPT],
  [BridgeCap.SLAVE, DmaCap.SLAVE],
  [BridgeCap.CYCLIC, DmaCap.CYCLIC],
];

/** The capabilities a shared request may name (those with a dma_find_channel table). */
export const BRIDGE_SHARED_CAPS: readonly number[] = [
  BridgeCap.MEMCPY, BridgeCap.XOR, BridgeCap.PQ, BridgeCap.XOR_VAL, BridgeCap.PQ_VAL, BridgeCap.MEMSET,
];

export const MODEL_EXCLUSIVE = 1;
export const MODEL_SHARED = 2;
export const BY_ANY = 0;
export const BY_NAME = 1;
export const BY_DEVICE = 2;
/** dmabridge_chan_info.flags: native P+Q continuation. */
export const CHAN_PQ_CONTINUE = 0x1;

export const DIR_BIDIRECTIONAL = 0;
export const ALLOC_CONTIGUOUS = 0x1;

/** DMABRIDGE_OP_* */
export const BridgeOp = {
  MEMCPY: 1,
  MEMSET: 2,
  XOR: 3,
  XOR_VAL: 4,
  PQ: 5,
  PQ_VAL: 6,
  INTERRUPT: 7,
  SLAVE: 8,
} as const;

/** DMABRIDGE_SLAVE_* (enum dma_transfer_direction values): a SLAVE op's `value`. */
export const SLAVE_MEM_TO_DEV = 1;
export const SLAVE_DEV_TO_MEM = 2;

/** DMABRIDGE_F_* */
export const BridgeOpFlag = {
  FENCE: 0x1,
  COMPLETION: 0x2,
  PQ_DISABLE_P: 0x4,
  PQ_DISABLE_Q: 0x8,
  PQ_CONTINUE: 0x10,
} as const;

/** DMABRIDGE_SUBMIT_* */
export const SUBMIT_ISSUE = 0x1;
export const SUBMIT_STOP = 0x2;

/** Limits of one DMABRIDGE_IOC_SUBMIT. */
export const MAX_BATCH = 1024;
export const MAX_OPERANDS = 8192;
export const MAX_SOURCES = 128;

/** sizeof(struct dmabridge_op), sizeof(struct dmabridge_operand). */
export const OP_SIZE = 40;
export const OPERAND_SIZE = 16;

/** dmabridge_completion.val bits (enum sum_check_flags). */
export const VAL_P_MISMATCH = 0x1;
export const VAL_Q_MISMATCH = 0x2;
