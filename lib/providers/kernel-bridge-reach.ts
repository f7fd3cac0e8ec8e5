/**
 * Which kernel channels the bridge reaches, per kernel `dma_device`, for `dmaengine list`: what
 * each channel's driver registered (capabilities, max_xor / max_pq, alignments, slave
 * directions, largest segment, driver, NUMA node), without keeping anything.
 *
 * Model: two queries on a fresh fd without a ring. ENUMERATE lists the free channels an
 * exclusive request could get (nothing is taken); then one shared request per capability with
 * a channel table (dmaengine_get + dma_find_channel, as the shared model registers them), each
 * released at once, finds the public channels other clients already use (those ENUMERATE
 * cannot list). The fd is closed before returning: no channel stays held and no driver stays
 * pinned.
 *
 * Threading: synchronous, JavaScript thread only.
 */
import { KernelBridge, type BridgeChanInfo } from '../bridge/kernel-bridge';
import { BRIDGE_CAP_TO_DMA, BRIDGE_SHARED_CAPS, CHAN_PQ_CONTINUE } from '../bridge/uapi';
import { DmaCap } from '../dmaengine/caps';
import { DmaTransferDirection } from '../dmaengine/slave';
import { describeBridgeCaps } from './kernel-bridge-caps';

/** One kernel dma_device the bridge reaches. */
export interface BridgeReachDevice {
  /** `dma<N>`: the kernel's dma_device (its channels are `dma<N>chan<M>`) */
  dmaDevice: string;
  /** dev_name of its struct device (`dmae_soft`, `0000:00:04.0`) */
  device: string;
  driver: string;
  numaNode: number;
  /** the channels reached; `free`: an exclusive request could take it; `shared`: the shared model hands it out */
  channels: { name: string; reach: ('free' | 'shared')[] }[];
  capabilities: string[];
  maxXor: number;
  maxPq: number;
  pqContinue: boolean;
  /** log2 of the byte alignment of copy, xor, pq and fill operations */
  align: { copy: number; xor: number; pq: number; fill: number };
  /** slave directions (`MEM_TO_DEV`, `DEV_TO_MEM`, …), empty without DMA_SLAVE */
  directions: string[];
  /** largest segment one descriptor covers */
  maxSeg: number;
  /** one line: `memcpy xor(8) …; align …; directions …; node …; max segment …` */
  summary: string;
}

/** What {@link kernelBridgeReach} found. */
export interface BridgeReach {
  devices: BridgeReachDevice[];
  /** why a query failed (the devices are what was found before), or null */
  error: string | null;
}

function deviceOf(i: BridgeChanInfo): BridgeReachDevice {
  return {
    dmaDevice: i.name.replace(/chan\d+$/, ''),
    device: i.device,
    driver: i.driver,
    numaNode: i.numaNode,
    channels: [],
    capabilities: BRIDGE_CAP_TO_DMA.filter(([bit]) => (i.capMask & bit) !== 0).map(([, cap]) => `DMA_${DmaCap[cap]}`),
    maxXor: i.maxXor,
    maxPq: i.maxPq,
    pqContinue: (i.flags & CHAN_PQ_CONTINUE) !== 0,
    align: { copy: i.copyAlign, xor: i.xorAlign, pq: i.pqAlign, fill: i.fillAlign },
    directions: [1, 2, 3].filter((d) => (i.directions & (1 << d)) !== 0).map((d) => DmaTransferDirection[d]!),
    maxSeg: i.maxSeg,
    summary: describeBridgeCaps(i),
  };
}

/**
 * Opens the bridge, lists the channels it reaches (free ones by enumeration, public ones in
 * use by a shared request released at once), closes it.
 * @param path the node (default /dev/dmaengine_bridge)
 * @throws DmaEngineError when the node cannot be opened (kernelBridgeStatus says why first)
 */
export function kernelBridgeReach(path?: string): BridgeReach {
  const b = new KernelBridge({ path, ringEntries: 0 });
  const byKey = new Map<string, BridgeReachDevice>();
  const note = (i: BridgeChanInfo, how: 'free' | 'shared') => {
    const key = `${i.device}/${i.name.replace(/chan\d+$/, '')}`;
    let d = byKey.get(key);
    if (d === undefined) {
      d = deviceOf(i);
      byKey.set(key, d);
    }
    let c = d.channels.find((x) => x.name === i.name);
    if (c === undefined) {
      c = { name: i.name, reach: [] };
      d.channels.push(c);
    }
    if (!c.reach.includes(how)) c.reach.push(how);
  };
  let error: string | null = null;
  try {
    for (const i of b.enumerate()) if (i.handle === 0) note(i, 'free');
    for (const cap of BRIDGE_SHARED_CAPS) {
      const i = b.requestSharedIfAny(cap);
      if (i === null) continue; // no channel for that capability
      try {
        note(i, 'shared');
      } finally {
        b.releaseChannel(i.handle);
      }
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    b.close();
  }
  const devices = [...byKey.values()].sort((x, y) => x.dmaDevice.localeCompare(y.dmaDevice, 'en', { numeric: true }));
  for (const d of devices) d.channels.sort((x, y) => x.name.localeCompare(y.name, 'en', { numeric: true }));
  return { devices, error };
}

/** The lines `dmaengine list` prints under the bridge's state. */
export function formatBridgeReach(r: BridgeReach): string[] {
  const out: string[] = [];
  if (r.devices.length === 0 && r.error === null) out.push('  reaches no channel (no dmaengine driver with free or public channels)');
  for (const d of r.devices) {
    out.push(`  ${d.dmaDevice} on ${d.device} (driver ${d.driver}): ${d.channels.length} channel(s), node ${d.numaNode}`);
    out.push(`    ${d.summary}`);
    for (const c of d.channels) out.push(`    ${c.name.padEnd(13)} ${c.reach.join(', ')}`);
  }
  if (r.error !== null) out.push(`  query failed: ${r.error}`);
  return out;
}
