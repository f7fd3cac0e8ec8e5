/**
 * Reference counting (2.6.29+) and the public allocator's client side: `dma_chan_get`,
 * `dma_chan_put`, `dmaengine_get`, `dmaengine_put`, `dma_issue_pending_all`.
 *
 * Model: `state.refCount` counts public clients. Each public client holds one reference on
 * every channel of every public device; a channel's first reference allocates its resources
 * (`deviceAllocChanResources`) and, on a public device, is raised at once to `refCount`
 * (`balance_ref_count`), so a public channel's `clientCount` is either `refCount` or 0. The
 * last reference frees the resources (after `deviceSynchronize`). The table is rebuilt on the
 * first public reference only; later gets and every put leave it as it is (a put can leave
 * slots pointing at channels with no client until the next rebuild, as in the kernel).
 *
 * Threading: JavaScript thread only.
 */
import { DmaCap } from './caps';
import type { DmaChan } from './channel';
import { DmaBugError, ERRNO } from './errors';
import type { EngineState } from './state';
import { rebalance } from './table';
import { describeValue, typeName } from '../validate';

function isPrivate(chan: DmaChan): boolean {
  return (chan.device!.capMask.bits & (1 << DmaCap.PRIVATE)) !== 0;
}

/**
 * `dma_chan_get(chan)`: take one reference.
 * @returns 0, or the negative errno of a failed `deviceAllocChanResources` (nothing changed)
 */
export function chanGet(state: EngineState, chan: DmaChan): number {
  if (chan.clientCount > 0) {
    chan.clientCount++;
    return 0;
  }
  const dev = chan.device!;
  if (dev.deviceAllocChanResources) {
    let ret: number;
    try {
      ret = dev.deviceAllocChanResources(chan);
    } catch (err) {
      // A provider that throws is a provider that failed: same outcome as a negative errno.
      process.emitWarning(`${chan.name}: deviceAllocChanResources threw: ${thrownText(err)}`,
        { code: 'DMAENGINE_ALLOC_FAILED' });
      ret = -ERRNO.EIO;
    }
    if (typeof ret === 'number' && ret < 0) return ret;
  }
  chan.clientCount = 1;
  if (!isPrivate(chan)) {
    // balance_ref_count: a public channel carries one reference per public client
    if (chan.clientCount < state.refCount) chan.clientCount = state.refCount;
  }
  return 0;
}

/**
 * `dma_chan_put(chan)`: drop one reference; the last one frees the channel's resources.
 *
 * The kernel leaves `dmaengine_terminate_sync()` before the last put to the client, and a
 * driver's `device_free_chan_resources` then drops whatever was still queued, callbacks
 * unrun. Here the last put terminates first: a descriptor submitted or issued and not done
 * ends ABORTED through its callback (status ERROR) instead of vanishing (docs/dmaengine.md).
 */
export function chanPut(_state: EngineState, chan: DmaChan): void {
  if (chan.clientCount === 0) return;
  chan.clientCount--;
  if (chan.clientCount === 0) {
    const dev = chan.device!;
    if (dev.deviceTerminateAll) dev.deviceTerminateAll(chan);
    if (dev.deviceSynchronize) dev.deviceSynchronize(chan);
    if (dev.deviceFreeChanResources) dev.deviceFreeChanResources(chan);
  }
}

/** `dmaengine_get()`: become a public client. */
export function dmaengineGet(state: EngineState): void {
  state.refCount++;
  for (const dev of state.devices) {
    if ((dev.capMask.bits & (1 << DmaCap.PRIVATE)) !== 0) continue;
    for (const chan of dev.channels) chanGet(state, chan); // a failed channel just stays out
  }
  if (state.refCount === 1) rebalance(state);
}

/**
 * `dmaengine_put()`: stop being a public client.
 * @throws DmaBugError with no public client (the kernel's BUG_ON)
 */
export function dmaenginePut(state: EngineState): void {
  if (state.refCount === 0) throw new DmaBugError('dmaenginePut: dmaengine_ref_count would go below 0');
  state.refCount--;
  for (const dev of state.devices) {
    if ((dev.capMask.bits & (1 << DmaCap.PRIVATE)) !== 0) continue;
    for (const chan of dev.channels) chanPut(state, chan);
  }
}

/** `dma_issue_pending_all()`: the doorbell of every referenced public channel. */
export function issuePendingAll(state: EngineState): void {
  for (const dev of state.devices) {
    if ((dev.capMask.bits & (1 << DmaCap.PRIVATE)) !== 0) continue;
    for (const chan of dev.channels) {
      if (chan.clientCount > 0) dev.deviceIssuePending!(chan);
    }
  }
}

/** What a provider threw, for a warning: never throws itself (a Proxy, a detached view, a Symbol). */
function thrownText(err: unknown): string {
  if (typeName(err) !== 'object' || !(err instanceof Error)) return describeValue(err);
  const m: unknown = err.message;
  return typeof m === 'string' ? m : describeValue(m);
}
