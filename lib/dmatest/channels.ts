/**
 * How dmatest takes its channels (spec §4.3): `request_channels` for MEMCPY, MEMSET, XOR and PQ
 * in that order, each looping `dmaRequestChannel(mask, filter)` until it returns null or
 * `max_channels` channels are under test. The filter accepts a channel whose name matches
 * `channel` (if set) and whose controller matches `device` (if set). Every channel gets threads
 * for each operation it supports: copy or set (chosen by `dmatest`), xor, pq.
 */
import { DmaCap, DmaCapMask, dmaHasCap } from '../dmaengine/caps';
import type { DmaChan } from '../dmaengine/channel';
import type { DmaEngine } from '../dmaengine/instance';
import type { DmatestParams } from './params';
import type { DmatestOp } from './result';

export interface DmatestChannelPlan {
  chan: DmaChan;
  /** One entry per thread: the op it tests. */
  threads: DmatestOp[];
}

function filterFor(params: DmatestParams) {
  return (chan: DmaChan): boolean => {
    if (params.channel && chan.name !== params.channel) return false;
    if (params.device && chan.device?.dev !== params.device) return false;
    return true;
  };
}

/** The threads dmatest_add_channel makes on a channel: copy|set, xor, pq, × threads_per_chan. */
export function threadsFor(chan: DmaChan, params: DmatestParams): DmatestOp[] {
  const mask = chan.device!.capMask;
  const ops: DmatestOp[] = [];
  if (params.dmatest === 0 && dmaHasCap(DmaCap.MEMCPY, mask)) ops.push('copy');
  if (params.dmatest === 1 && dmaHasCap(DmaCap.MEMSET, mask)) ops.push('set');
  if (dmaHasCap(DmaCap.XOR, mask)) ops.push('xor');
  if (dmaHasCap(DmaCap.PQ, mask)) ops.push('pq');
  return ops.flatMap((op) => Array.from({ length: params.threads_per_chan }, () => op));
}

/**
 * Requests channels as dmatest does, adding to `taken` (already under test, counted against
 * max_channels). Returns the new plans in the order taken.
 */
export function requestDmatestChannels(engine: DmaEngine, params: DmatestParams, taken: number): DmatestChannelPlan[] {
  const plans: DmatestChannelPlan[] = [];
  const filter = filterFor(params);
  for (const cap of [DmaCap.MEMCPY, DmaCap.MEMSET, DmaCap.XOR, DmaCap.PQ]) {
    const mask = DmaCapMask.of(cap);
    for (;;) {
      if (params.max_channels && taken + plans.length >= params.max_channels) break;
      const chan = engine.dmaRequestChannel(mask, filter, null);
      if (!chan) break;
      plans.push({ chan, threads: threadsFor(chan, params) });
    }
  }
  return plans;
}
