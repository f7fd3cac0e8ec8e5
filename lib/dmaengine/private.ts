/**
 * The private (exclusive) allocator: `dma_request_channel`, `dma_request_chan_by_mask`,
 * `dma_release_channel`.
 *
 * Model: devices are tried in registration order. A device is a candidate when it satisfies the
 * mask and, if it has more than one channel and is not already private, none of its channels
 * is referenced (all channels of a device are public, or all private). Within it the filter is
 * called once per free channel (`clientCount === 0`), in order; it answers `true` or
 * `DmaStateClient.ACK` to take the channel, `false`, `DUP` or `NAK` to pass. Taking it marks
 * the whole device PRIVATE (`privatecnt++`) and takes a reference; if the provider cannot
 * allocate the channel, that is undone and the next device is tried. Release drops the
 * reference and, with the last private allocation, clears PRIVATE; the channel is then free
 * but public clients do not see it until the next rebuild of the table (the RFC's caveat).
 *
 * Threading: JavaScript thread only. A filter must not call back into the allocator.
 */
import { DmaCap, DmaCapMask, checkMask, dmaMaskSatisfies } from './caps';
import { DmaChan } from './channel';
import type { DmaDevice } from './device';
import { DmaBugError, DmaEngineError } from './errors';
import { chanGet, chanPut } from './refcount';
import type { EngineState } from './state';
import { DmaStateClient } from './status';
import { invalidType } from '../validate';

/**
 * `dma_filter_fn`: decide on one free candidate channel. `true`/`DmaStateClient.ACK` take it;
 * `false`/`DUP`/`NAK` pass.
 */
export type DmaFilterFn = (chan: DmaChan, filterParam: unknown) => boolean | DmaStateClient;

function accepts(answer: unknown): boolean {
  if (answer === true || answer === DmaStateClient.ACK) return true;
  if (answer === false || answer === DmaStateClient.DUP || answer === DmaStateClient.NAK) return false;
  throw invalidType('a boolean or a DmaStateClient (ACK, DUP, NAK)', 'the return value of filterFn', answer);
}

/** `private_candidate(mask, dev, fn, param)` */
function privateCandidate(dev: DmaDevice, mask: DmaCapMask, fn: DmaFilterFn | null, param: unknown): DmaChan | null {
  if (!dmaMaskSatisfies(dev.capMask, mask)) return null;
  const isPrivate = (dev.capMask.bits & (1 << DmaCap.PRIVATE)) !== 0;
  if (dev.channels.length > 1 && !isPrivate && dev.channels.some((c) => c.clientCount > 0)) return null;
  for (const chan of dev.channels) {
    if (chan.clientCount > 0) continue;
    if (fn !== null && !accepts(fn(chan, param))) continue;
    return chan;
  }
  return null;
}

/** `__dma_request_channel(mask, fn, param)` */
export function requestChannel(state: EngineState, mask: DmaCapMask, fn?: DmaFilterFn | null, param?: unknown): DmaChan | null {
  checkMask(mask, 'mask');
  if (fn !== undefined && fn !== null && typeof fn !== 'function') throw invalidType('a function', 'filterFn', fn);
  const filter = fn ?? null;
  for (const dev of [...state.devices]) {
    const chan = privateCandidate(dev, mask, filter, param);
    if (chan === null) continue;
    dev.capMask.bits |= 1 << DmaCap.PRIVATE;
    dev.privatecnt = (dev.privatecnt ?? 0) + 1;
    if (chanGet(state, chan) !== 0) {
      dev.privatecnt--;
      if (dev.privatecnt === 0) dev.capMask.bits &= ~(1 << DmaCap.PRIVATE);
      continue;
    }
    chan.exclusive = true;
    state.exclusive.add(chan);
    return chan;
  }
  return null;
}

/**
 * `dma_request_chan_by_mask(mask)`: a channel, or EPROBE_DEFER when no device is registered at
 * all, ENODEV when none fits.
 */
export function requestChanByMask(state: EngineState, mask: DmaCapMask): DmaChan {
  const chan = requestChannel(state, mask, null, undefined);
  if (chan !== null) return chan;
  if (state.devices.length === 0) throw new DmaEngineError('EPROBE_DEFER', 'dma_request_chan_by_mask: no DMA device registered yet');
  throw new DmaEngineError('ENODEV', `dma_request_chan_by_mask: no free channel with ${mask.toString() || 'an empty mask'}`);
}

/**
 * `dma_release_channel(chan)`.
 * @throws DmaEngineError ENODEV when the channel's device was removed
 * @throws DmaBugError when the channel is not held through dmaRequestChannel (the kernel WARNs
 *   and corrupts its counts; here nothing changes)
 */
export function releaseChannel(state: EngineState, chan: DmaChan): void {
  if (!(chan instanceof DmaChan)) throw invalidType('a DmaChan', 'chan', chan);
  if (chan.removed) throw new DmaEngineError('ENODEV', `dma_release_channel: ${chan.name}: its device was removed`);
  if (!chan.exclusive || !state.exclusive.has(chan)) {
    throw new DmaBugError(`dmaReleaseChannel: ${chan.name || 'channel'} is not held through dmaRequestChannel (client_count ${chan.clientCount})`);
  }
  const dev = chan.device!;
  chan.exclusive = false;
  state.exclusive.delete(chan);
  chanPut(state, chan);
  dev.privatecnt = (dev.privatecnt ?? 1) - 1;
  if (dev.privatecnt === 0) dev.capMask.bits &= ~(1 << DmaCap.PRIVATE);
}
