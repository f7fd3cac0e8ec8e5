/**
 * What a bridged channel's `struct dmabridge_chan_info` means to the core: the capability mask,
 * `maxXor`/`maxPq` (with DMA_HAS_PQ_CONTINUE) and the alignments, as a kernel dma_device
 * carries them; and a one-line description for the command line.
 */
import { DmaCap, DmaCapMask, dmaCapSet } from '../dmaengine/caps';
import { DMA_HAS_PQ_CONTINUE } from '../dmaengine/device';
import { DmaTransferDirection } from '../dmaengine/slave';
import type { BridgeChanInfo } from '../bridge/kernel-bridge';
import { BRIDGE_CAP_TO_DMA, CHAN_PQ_CONTINUE } from '../bridge/uapi';

/**
 * The core's capabilities of a bridged channel: CYCLIC dropped (no prep for it here), SLAVE
 * kept on exclusive channels only (a shared channel cannot be configured).
 */
export function bridgeCapMask(info: BridgeChanInfo, model: 'exclusive' | 'shared' = 'exclusive'): DmaCapMask {
  const m = new DmaCapMask();
  for (const [bit, cap] of BRIDGE_CAP_TO_DMA) {
    if ((info.capMask & bit) === 0 || cap === DmaCap.CYCLIC || (cap === DmaCap.SLAVE && model !== 'exclusive')) continue;
    dmaCapSet(cap, m);
  }
  return m;
}

/** The `DmaDevice` limits of a bridged channel's device. */
export function bridgeLimits(info: BridgeChanInfo): {
  maxXor: number; maxPq: number; copyAlign: number; xorAlign: number; pqAlign: number; fillAlign: number; numaNode: number;
} {
  return {
    maxXor: info.maxXor,
    maxPq: (info.maxPq & ~DMA_HAS_PQ_CONTINUE) | ((info.flags & CHAN_PQ_CONTINUE) !== 0 ? DMA_HAS_PQ_CONTINUE : 0),
    copyAlign: info.copyAlign,
    xorAlign: info.xorAlign,
    pqAlign: info.pqAlign,
    fillAlign: info.fillAlign,
    numaNode: info.numaNode,
  };
}

/** `memcpy xor(8) pq(8) …; align copy 2^0 …; directions …; node …; max segment …` */
export function describeBridgeCaps(info: BridgeChanInfo): string {
  const names: string[] = [];
  for (const [bit, cap] of BRIDGE_CAP_TO_DMA) {
    if ((info.capMask & bit) === 0) continue;
    let n = DmaCap[cap].toLowerCase();
    if (cap === DmaCap.XOR) n += `(${info.maxXor})`;
    if (cap === DmaCap.PQ) n += `(${info.maxPq}${(info.flags & CHAN_PQ_CONTINUE) !== 0 ? ', continue' : ''})`;
    names.push(n);
  }
  const aligns = [info.copyAlign, info.xorAlign, info.pqAlign, info.fillAlign];
  const align = aligns.some((a) => a > 0) ? `; align copy/xor/pq/fill 2^${aligns.join('/2^')}` : '';
  const dirs = [1, 2, 3].filter((d) => (info.directions & (1 << d)) !== 0).map((d) => DmaTransferDirection[d]);
  const directions = dirs.length > 0 ? `; directions ${dirs.join(' ')}` : '';
  return `${names.join(' ') || '(none)'}${align}${directions}; node ${info.numaNode}; max segment ${info.maxSeg}`;
}
