/**
 * The device (`struct dma_device`): what a provider registers, and the limits helpers of §2.13.
 *
 * Model: a provider describes itself (capability mask, limits, alignment, NUMA node, channels)
 * and implements the `device*` callbacks; the core never touches bytes. Fields and callbacks
 * carry the kernel's names in camelCase so a provider can be written from the spec alone.
 * `devId`, `chancnt` and `privatecnt` are written by the core.
 *
 * Call order: the core calls `deviceAllocChanResources` on a channel's first reference and
 * `deviceFreeChanResources` when the last one goes; clients reach `devicePrep*`,
 * `deviceIssuePending`, `deviceTxStatus`, `deviceTerminateAll`, `deviceSynchronize` through the
 * client functions (or directly, as async_tx does for prep); `deviceRelease` runs once the
 * device was unregistered.
 *
 * Threading: every callback is called on the JavaScript thread.
 */
import type { DmaCapMask } from './caps';
import type { DmaChan } from './channel';
import type { DmaAsyncTxDescriptor } from './descriptor';
import type { DmaSgEntry, DmaSlaveConfig, DmaTransferDirection } from './slave';
import type { DmaAddr, DmaStatus, DmaTxState, Holder } from './status';
import { DmaCtrlFlags } from './status';
import { checkAlign, isAlign, checkByteCount, checkCtrlFlags, checkMaxPqField, checkObject } from './checks';
import { canWriteLater, checkBool, checkInt, invalidType } from '../validate';

/** `DMA_HAS_PQ_CONTINUE`: bit 15 of `maxPq`, the engine continues P+Q natively. */
export const DMA_HAS_PQ_CONTINUE = 1 << 15;

/** `struct dma_device`, as a provider fills it in. */
export interface DmaDevice {
  /** The controller's device name (the kernel's `dev_name(device->dev)`); required. */
  dev: string;
  /** The provider's driver name (sysfs `device/driver`), shown by `dmaengine list`. */
  driver?: string;
  /** What the device can do. The core sets or clears ASYNC_TX and sets PRIVATE on request. */
  capMask: DmaCapMask;
  /** The channels, in order. */
  channels: DmaChan[];
  /** Largest source count of one XOR descriptor (0 = none). */
  maxXor?: number;
  /** Largest source count of one P+Q descriptor, with {@link DMA_HAS_PQ_CONTINUE} in bit 15. */
  maxPq?: number;
  /** log2 of the byte alignment memcpy needs of offsets and length (0 = any). */
  copyAlign?: number;
  /** log2 of the byte alignment xor and xor-validate need of offsets and length (0 = any). */
  xorAlign?: number;
  /** log2 of the byte alignment pq and pq-validate need of offsets and length (0 = any). */
  pqAlign?: number;
  /** log2 of the byte alignment memset needs of offsets and length (0 = any). */
  fillAlign?: number;
  /** NUMA node of the controller; -1 (the default) = local to every CPU. */
  numaNode?: number;

  /** Set by the core: the device id (`dma<devId>`), lowest free number. */
  devId?: number;
  /** Set by the core: number of channels. */
  chancnt?: number;
  /** Set by the core: private allocations outstanding (1 for a device registered private). */
  privatecnt?: number;

  /** Allocate per-channel resources on first reference; returns a count ≥ 0 or a negative errno. */
  deviceAllocChanResources?(chan: DmaChan): number;
  /** Release them when the last reference goes. */
  deviceFreeChanResources?(chan: DmaChan): void;
  /**
   * `device_prep_dma_memcpy`: prepare a copy of `len` bytes from `src` to `dst`.
   * @returns an unsubmitted descriptor, or null when the provider cannot prepare one now (the
   * client falls back or retries).
   */
  devicePrepDmaMemcpy?(chan: DmaChan, dst: DmaAddr, src: DmaAddr, len: number, flags: number): DmaAsyncTxDescriptor | null;
  /**
   * `device_prep_dma_memset`: prepare a fill of `len` bytes at `dst` with the byte `value`.
   * @returns an unsubmitted descriptor, or null when none can be prepared.
   */
  devicePrepDmaMemset?(chan: DmaChan, dst: DmaAddr, value: number, len: number, flags: number): DmaAsyncTxDescriptor | null;
  /**
   * `device_prep_dma_xor`: prepare the xor of `srcCnt` sources of `len` bytes into `dst`.
   * @returns an unsubmitted descriptor, or null when none can be prepared.
   */
  devicePrepDmaXor?(chan: DmaChan, dst: DmaAddr, src: DmaAddr[], srcCnt: number, len: number, flags: number): DmaAsyncTxDescriptor | null;
  /** `result.value` is written at completion: 0, or SumCheckFlags.P_RESULT on mismatch. */
  devicePrepDmaXorVal?(chan: DmaChan, src: DmaAddr[], srcCnt: number, len: number, result: Holder<number>, flags: number): DmaAsyncTxDescriptor | null;
  /** `dst` is `[P, Q]`; an entry may be null when disabled by the flags. */
  devicePrepDmaPq?(chan: DmaChan, dst: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, scf: Uint8Array, len: number, flags: number): DmaAsyncTxDescriptor | null;
  /**
   * `device_prep_dma_pq_val`: prepare a check of `pq` (`[P, Q]`, an entry null when disabled)
   * against the sources; `pqres.value` gets {@link SumCheckFlags} bits at completion (set =
   * mismatch).
   * @returns an unsubmitted descriptor, or null when none can be prepared.
   */
  devicePrepDmaPqVal?(chan: DmaChan, pq: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, scf: Uint8Array, len: number, pqres: Holder<number>, flags: number): DmaAsyncTxDescriptor | null;
  /**
   * `device_prep_dma_interrupt`: prepare a descriptor that moves no data and only runs its callback
   * in channel order.
   * @returns an unsubmitted descriptor, or null when none can be prepared.
   */
  devicePrepDmaInterrupt?(chan: DmaChan, flags: number): DmaAsyncTxDescriptor | null;
  /** Slave-era prep ops: named so that registration can check the claims; the core never calls them. */
  devicePrepDmaMemsetSg?(chan: DmaChan, ...args: unknown[]): DmaAsyncTxDescriptor | null;
  /**
   * `device_prep_slave_sg`: slave scatter-gather transfer of the first `sgLen` entries in
   * `direction` (slave.ts); registration checks a `SLAVE` claim against it, the core never
   * calls it (clients do, through `dmaenginePrepSlaveSg`).
   */
  devicePrepSlaveSg?(chan: DmaChan, sgl: DmaSgEntry[], sgLen: number, direction: DmaTransferDirection,
    flags: number): DmaAsyncTxDescriptor | null;
  /** `device_config`: the slave configuration of a channel (`dmaengineSlaveConfig`, slave.ts); 0 or throws. */
  deviceConfig?(chan: DmaChan, config: DmaSlaveConfig): number;
  /**
   * `device_prep_dma_cyclic`: cyclic transfer; declared so registration can check a `CYCLIC` claim,
   * never called by the core.
   */
  devicePrepDmaCyclic?(chan: DmaChan, ...args: unknown[]): DmaAsyncTxDescriptor | null;
  /**
   * `device_prep_interleaved_dma`: interleaved transfer; declared so registration can check an
   * `INTERLEAVE` claim, never called by the core.
   */
  devicePrepInterleavedDma?(chan: DmaChan, ...args: unknown[]): DmaAsyncTxDescriptor | null;
  /** Required: status of a cookie, filling `state` when given (usually `dmaCookieStatus`). */
  deviceTxStatus?(chan: DmaChan, cookie: number, state: DmaTxState | null): DmaStatus;
  /** Required: start what was submitted (the doorbell). */
  deviceIssuePending?(chan: DmaChan): void;
  /** Abort active and pending descriptors (they complete as ABORTED); 0 or a negative errno. */
  deviceTerminateAll?(chan: DmaChan): number | void;
  /** Wait until terminated transfers stopped and their callbacks ran. */
  deviceSynchronize?(chan: DmaChan): void;
  /** The device was unregistered and no channel is referenced any more. */
  deviceRelease?(device: DmaDevice): void;
}

/** `dmaengine_check_align(align, off1, off2, len)`: all three are multiples of `1 << align`. */
export function dmaengineCheckAlign(align: number | undefined, off1: number, off2: number, len: number): boolean {
  return aligned(checkAlign(align, 'align'), off1, off2, len);
}

function aligned(a: number, off1: unknown, off2: unknown, len: unknown): boolean {
  const o1 = checkByteCount(off1, 'off1');
  const o2 = checkByteCount(off2, 'off2');
  const n = checkByteCount(len, 'len');
  if (a === 0) return true;
  // modulo, not a bit mask: offsets past 4 GiB (a large dma-buf) keep their low bits
  const size = 2 ** a;
  return o1 % size === 0 && o2 % size === 0 && n % size === 0;
}

function devAlign(dev: unknown, field: 'copyAlign' | 'xorAlign' | 'pqAlign' | 'fillAlign'): number {
  const d = checkObject<DmaDevice>(dev, 'a DmaDevice object', 'dev');
  const a = d[field];
  if (isAlign(a)) return a ?? 0; // every prep passes here: the name only for an error
  return checkAlign(a, `dev.${field}`);
}

/**
 * `is_dma_copy_aligned(dev, off1, off2, len)`: whether both offsets and the length are multiples
 * of 2^`dev.copyAlign` bytes, so the device can take a memcpy on them (always true for 0).
 * @throws TypeError or RangeError for a non-device, a bad alignment field, or a negative count
 */
export function isDmaCopyAligned(dev: DmaDevice, off1: number, off2: number, len: number): boolean {
  return aligned(devAlign(dev, 'copyAlign'), off1, off2, len);
}

/**
 * `is_dma_xor_aligned(dev, off1, off2, len)`: whether both offsets and the length are multiples
 * of 2^`dev.xorAlign` bytes, so the device can take an xor or xor-validate on them (always true for 0).
 * @throws TypeError or RangeError for a non-device, a bad alignment field, or a negative count
 */
export function isDmaXorAligned(dev: DmaDevice, off1: number, off2: number, len: number): boolean {
  return aligned(devAlign(dev, 'xorAlign'), off1, off2, len);
}

/**
 * `is_dma_pq_aligned(dev, off1, off2, len)`: whether both offsets and the length are multiples
 * of 2^`dev.pqAlign` bytes, so the device can take a pq or pq-validate on them (always true for 0).
 * @throws TypeError or RangeError for a non-device, a bad alignment field, or a negative count
 */
export function isDmaPqAligned(dev: DmaDevice, off1: number, off2: number, len: number): boolean {
  return aligned(devAlign(dev, 'pqAlign'), off1, off2, len);
}

/**
 * `is_dma_fill_aligned(dev, off1, off2, len)`: whether both offsets and the length are multiples
 * of 2^`dev.fillAlign` bytes, so the device can take a memset on them (always true for 0).
 * @throws TypeError or RangeError for a non-device, a bad alignment field, or a negative count
 */
export function isDmaFillAligned(dev: DmaDevice, off1: number, off2: number, len: number): boolean {
  return aligned(devAlign(dev, 'fillAlign'), off1, off2, len);
}

/**
 * `dma_set_maxpq(dma, maxpq, has_pq_continue)`: set the device's `maxPq` to `maxpq` sources, with
 * {@link DMA_HAS_PQ_CONTINUE} when the hardware continues a P+Q natively (`PREP_CONTINUE`).
 * @throws TypeError for a device whose `maxPq` cannot be written; RangeError for `maxpq` out of range
 */
export function dmaSetMaxpq(dma: DmaDevice, maxpq: number, hasPqContinue: boolean): void {
  if (dma === null || typeof dma !== 'object' || !canWriteLater(dma, 'maxPq')) {
    throw invalidType('a DmaDevice object whose maxPq can be written (not frozen, not a Proxy)', 'dma', dma);
  }
  checkInt(maxpq, 'maxpq', 0, DMA_HAS_PQ_CONTINUE - 1);
  checkBool(hasPqContinue, 'hasPqContinue');
  dma.maxPq = maxpq | (hasPqContinue ? DMA_HAS_PQ_CONTINUE : 0);
}

function maxPqOf(dma: unknown): number {
  return checkMaxPqField(checkObject<DmaDevice>(dma, 'a DmaDevice object', 'dma'), 'dma');
}

/** `dma_dev_has_pq_continue(dma)`: whether the device's `maxPq` carries {@link DMA_HAS_PQ_CONTINUE}. */
export function dmaDevHasPqContinue(dma: DmaDevice): boolean {
  return (maxPqOf(dma) & DMA_HAS_PQ_CONTINUE) !== 0;
}

/** `dma_dev_to_maxpq(dma)`: `maxPq` without the continuation bit. */
export function dmaDevToMaxpq(dma: DmaDevice): number {
  return maxPqOf(dma) & ~DMA_HAS_PQ_CONTINUE;
}

/**
 * `dma_maxpq(dma, flags)`: the source count usable by one P+Q descriptor. Without native
 * continuation, continuing a previous result costs source slots: 3 (P and Q twice folded back
 * in), or 1 when P is disabled.
 */
export function dmaMaxpq(dma: DmaDevice, flags: number): number {
  const maxPq = maxPqOf(dma);
  checkCtrlFlags(flags, 'flags');
  const max = maxPq & ~DMA_HAS_PQ_CONTINUE;
  const cont = (flags & DmaCtrlFlags.PREP_CONTINUE) !== 0;
  if ((maxPq & DMA_HAS_PQ_CONTINUE) !== 0 || !cont) return max;
  if ((flags & DmaCtrlFlags.PREP_PQ_DISABLE_P) !== 0) return max - 1;
  return max - 3;
}
