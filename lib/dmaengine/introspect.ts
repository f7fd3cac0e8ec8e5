/**
 * Introspection shaped like the kernel's: `/sys/class/dma/<chan>/{in_use, memcpy_count,
 * bytes_transferred, device}` per channel, the text of `/sys/kernel/debug/dmaengine/summary`,
 * and the per-CPU channel table.
 *
 * Model: snapshots; nothing here changes state. Threading: JavaScript thread only.
 */
import { TABLE_CAPS, dmaCapName } from './caps';
import { DmaCap } from './caps';
import type { EngineState } from './state';

/** One channel as `/sys/class/dma/<name>` shows it (plus what the core knows besides). */
export interface DmaChannelInfo {
  /** directory name: `dma<dev>chan<chan>` */
  name: string;
  /** sysfs `in_use`: the channel's client count */
  in_use: number;
  /** sysfs `memcpy_count` */
  memcpy_count: number;
  /** sysfs `bytes_transferred` */
  bytes_transferred: number;
  /** the controller (`device` link target name) */
  device: string;
  /** the controller's driver, when the provider names one */
  driver: string | null;
  /** The device's id (`dma_device.dev_id`, the `<dev>` of the name). */
  devId: number;
  /** The channel's index in its device (`chan_id`, the `<chan>` of the name). */
  chanId: number;
  /** held through dmaRequestChannel */
  exclusive: boolean;
  /** How many slots of the per-CPU channel table point at this channel (`table_count`). */
  tableCount: number;
  /** capability names of its device (`DMA_MEMCPY`, …) */
  capabilities: string[];
  /** the device is PRIVATE */
  private: boolean;
  /** The device's NUMA node, -1 when unknown. */
  numaNode: number;
}

/** Every channel of every registered device, in device-list order. */
export function listChannels(state: EngineState): DmaChannelInfo[] {
  const out: DmaChannelInfo[] = [];
  for (const dev of state.devices) {
    const caps = dev.capMask.caps().map(dmaCapName);
    for (const chan of dev.channels) {
      out.push({
        name: chan.name,
        in_use: chan.clientCount,
        memcpy_count: chan.memcpyCount,
        bytes_transferred: chan.bytesTransferred,
        device: dev.dev,
        driver: dev.driver ?? null,
        devId: dev.devId!,
        chanId: chan.chanId,
        exclusive: chan.exclusive,
        tableCount: chan.tableCount,
        capabilities: caps,
        private: (dev.capMask.bits & (1 << DmaCap.PRIVATE)) !== 0,
        numaNode: dev.numaNode ?? -1,
      });
    }
  }
  return out;
}

/**
 * The text of `/sys/kernel/debug/dmaengine/summary`: per device
 * `dma<N> (<dev>): number of channels: <n>`, then ` <name padded to 13>| in-use` for each
 * referenced channel, a blank line between devices.
 */
export function summary(state: EngineState): string {
  const parts: string[] = [];
  for (const dev of state.devices) {
    let s = `dma${dev.devId} (${dev.dev}): number of channels: ${dev.chancnt}\n`;
    for (const chan of dev.channels) {
      if (chan.clientCount > 0) s += ` ${chan.name.padEnd(13)}| in-use\n`;
    }
    parts.push(s);
  }
  return parts.join('\n');
}

/** The per-CPU table: capability name → channel name (or null) per CPU. */
export function channelTable(state: EngineState): Record<string, (string | null)[]> {
  const out: Record<string, (string | null)[]> = {};
  for (const cap of TABLE_CAPS) {
    const row = state.table.get(cap);
    out[dmaCapName(cap)] = row ? row.map((c) => (c ? c.name : null)) : new Array<string | null>(state.cpus).fill(null);
  }
  return out;
}
