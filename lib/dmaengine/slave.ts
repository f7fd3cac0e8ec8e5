/**
 * Slave transfers (§2.12): memory ↔ a peripheral on a `DMA_SLAVE` channel. The client
 * configures the channel (`dmaengine_slave_config`: direction, the device-side address, bus
 * width, burst) and then prepares transfers of memory ranges (`dmaengine_prep_slave_sg`, or
 * `_single` for one range); the descriptors are submitted, issued and completed like any other.
 *
 * Model: the device side comes from the configuration, never from the prep: for
 * `DEV_TO_MEM` the `src*` fields describe the peripheral, for `MEM_TO_DEV` the `dst*` ones (the
 * memory side's fields are ignored, as most kernel drivers ignore them). A prep whose
 * direction is not the configured one is refused by the provider. Only providers with a real
 * peripheral behind them implement these ops (the kernel bridge's exclusive slave channels);
 * async_tx never uses them.
 *
 * Threading: JavaScript thread only.
 */
import { DmaChan } from './channel';
import type { DmaAsyncTxDescriptor } from './descriptor';
import { DmaEngineError } from './errors';
import { invalidType } from '../validate';

/** `enum dma_transfer_direction`. */
export enum DmaTransferDirection {
  /** memory to memory (what the memcpy/xor/P+Q preps do; not a slave direction) */
  MEM_TO_MEM = 0,
  /** memory to the peripheral (a transmit): the sg list is read */
  MEM_TO_DEV = 1,
  /** the peripheral to memory (a receive): the sg list is written */
  DEV_TO_MEM = 2,
  /** peripheral to peripheral (the bridge refuses it) */
  DEV_TO_DEV = 3,
  /** no direction (the kernel's end marker) */
  TRANS_NONE = 4,
}

/** `struct dma_slave_config`, the fields a client sets (camelCase kernel names). */
export interface DmaSlaveConfig {
  /** the transfers' direction (`DEV_TO_MEM` or `MEM_TO_DEV`) */
  direction: DmaTransferDirection;
  /** `DEV_TO_MEM`: the peripheral's bus address (FIFO, register) the engine reads */
  srcAddr?: number | bigint;
  /** `MEM_TO_DEV`: the peripheral's bus address the engine writes */
  dstAddr?: number | bigint;
  /** bytes per device access on the source side (`enum dma_slave_buswidth`: 1, 2, 4, 8, …) */
  srcAddrWidth?: number;
  /** bytes per device access on the destination side */
  dstAddrWidth?: number;
  /** words per burst on the source side (0: the driver's default) */
  srcMaxburst?: number;
  /** words per burst on the destination side */
  dstMaxburst?: number;
}

/**
 * One scatterlist entry: `len` bytes at `off` of `buf`. The provider decides which memory it
 * can reach (the bridge: dma-buf bytes only).
 */
export interface DmaSgEntry {
  /** the bytes: dma-buf bytes for a bridged channel (other memory makes the prep return null) */
  buf: Uint8Array;
  /** where the entry starts in `buf` */
  off: number;
  /** the entry's length in bytes (> 0) */
  len: number;
}

/** The slave ops a provider implements (optional members of `DmaDevice`). */
export interface DmaSlaveOps {
  /** `device_config`: 0, or throws (the message says why). */
  deviceConfig?(chan: DmaChan, config: DmaSlaveConfig): number;
  /** `device_prep_slave_sg`: a descriptor moving the first `sgLen` entries of `sgl`, or null. */
  devicePrepSlaveSg?(chan: DmaChan, sgl: DmaSgEntry[], sgLen: number, direction: DmaTransferDirection,
    flags: number): DmaAsyncTxDescriptor | null;
}

function slaveOps(chan: unknown): DmaSlaveOps {
  if (!(chan instanceof DmaChan) || chan.device === null) throw invalidType('a registered channel', 'chan', chan);
  return chan.device as DmaSlaveOps;
}

/**
 * `dmaengine_slave_config(chan, config)`: the peripheral side of the transfers prepared next.
 * @throws DmaEngineError ENOSYS when the channel's device has no `deviceConfig`; what the
 *   provider throws (a malformed config, a channel that is not a slave channel, …)
 */
export function dmaengineSlaveConfig(chan: DmaChan, config: DmaSlaveConfig): number {
  const ops = slaveOps(chan);
  if (typeof ops.deviceConfig !== 'function') {
    throw new DmaEngineError('ENOSYS', `${chan.name}: its device has no deviceConfig (not a slave channel)`);
  }
  return ops.deviceConfig(chan, config);
}

/**
 * `dmaengine_prep_slave_sg(chan, sgl, sgLen, dir, flags)`.
 * @returns the descriptor, or null when the device has no slave prep or cannot prepare it
 */
export function dmaenginePrepSlaveSg(chan: DmaChan, sgl: DmaSgEntry[], sgLen: number, direction: DmaTransferDirection,
  flags: number): DmaAsyncTxDescriptor | null {
  const ops = slaveOps(chan);
  if (typeof ops.devicePrepSlaveSg !== 'function') return null;
  return ops.devicePrepSlaveSg(chan, sgl, sgLen, direction, flags);
}

/** `dmaengine_prep_slave_single(chan, buf, len, dir, flags)`: a one-entry scatterlist of `len` bytes at `buf.off`. */
export function dmaenginePrepSlaveSingle(chan: DmaChan, buf: { buf: Uint8Array; off: number }, len: number,
  direction: DmaTransferDirection, flags: number): DmaAsyncTxDescriptor | null {
  if (buf === null || typeof buf !== 'object') throw invalidType('a DmaAddr ({ buf, off })', 'buf', buf);
  return dmaenginePrepSlaveSg(chan, [{ buf: buf.buf, off: buf.off, len }], 1, direction, flags);
}
