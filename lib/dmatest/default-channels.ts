/**
 * Channels for a dmatest run on a machine with no DMA hardware: when the instance has no device
 * at all, register one whose channels can do everything dmatest tests (memcpy, memset, xor, P+Q),
 * one channel per CPU, so a laptop gets a meaningful run. The device is a `soft` one: its
 * channels are native worker threads, so the run measures real offloaded copies.
 */
import { DmaCap } from '../dmaengine/caps';
import type { DmaEngine } from '../dmaengine/instance';
import { registerSoftDevice, type SoftDevice } from '../providers/soft';
import os from 'node:os';

/**
 * Registers the default test device on `engine` if it has none; returns it (for the caller to
 * unregister after the run), or null when the engine already had a device.
 */
export function ensureDmatestChannels(engine: DmaEngine): SoftDevice | null {
  if (engine.devices.length > 0) return null;
  return registerSoftDevice({
    name: 'dmatest-soft',
    channels: Math.min(64, Math.max(1, os.availableParallelism())),
    caps: [DmaCap.MEMCPY, DmaCap.MEMSET, DmaCap.XOR, DmaCap.PQ, DmaCap.INTERRUPT],
    maxXor: 16,
    maxPq: 16,
  }, engine);
}
