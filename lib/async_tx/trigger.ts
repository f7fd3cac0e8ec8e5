/**
 * `async_trigger_callback`: a completion callback at the end of a chain.
 *
 * Model, in order:
 *   1. The dependency was prepared with the RFC's DELAY_SUBMIT and not submitted yet: the
 *      callback goes on that very descriptor (after its own, if it had one), which is now
 *      submitted; it is returned. No separate descriptor is needed. Mainline never shipped
 *      DELAY_SUBMIT; this is the seed RFC's behaviour.
 *   2. The dependency's device has DMA_INTERRUPT: an interrupt descriptor is queued on the
 *      dependency's channel after it, carrying the callback; it is returned.
 *   3. Otherwise (or without a dependency): wait for the dependency, run the callback now,
 *      return null.
 * Honours ACK.
 *
 * Threading: JavaScript thread only; not from a completion callback.
 */
import { DmaCap } from '../dmaengine/caps';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { DmaCtrlFlags } from '../dmaengine/status';
import { AsyncTxFlags, type AsyncSubmitCtl, checkSubmit } from './flags';
import { type AsyncTxContext, assertNotInCallback, asyncTxSubmit, checkDepend, delayedSubmit } from './submit';
import { runSync } from './wait';

/**
 * `async_trigger_callback(submit)`.
 * @returns the descriptor that carries the callback, or null when it already ran
 */
export function asyncTriggerCallback(ctx: AsyncTxContext, submitArg?: AsyncSubmitCtl | null): DmaAsyncTxDescriptor | null {
  assertNotInCallback(ctx, 'asyncTriggerCallback');
  const submit = checkSubmit(submitArg);
  const dep = submit.dependTx;
  ctx.ensureRegistered();
  if (dep !== null && ctx.delayed.has(dep)) {
    // not an attachment: the held descriptor is completed, not depended on (a child may have acked it)
    delayedSubmit(ctx, dep, submit.cbFn, submit.cbParam, (submit.flags & AsyncTxFlags.ACK) !== 0);
    return dep;
  }
  checkDepend(ctx, submit, 'asyncTriggerCallback');
  if (dep !== null) {
    const chan = dep.chan;
    const dev = chan?.device;
    if (chan && dev && !chan.removed && (dev.capMask.bits & (1 << DmaCap.INTERRUPT)) !== 0 && dev.devicePrepDmaInterrupt) {
      const tx = dev.devicePrepDmaInterrupt(chan, submit.cbFn ? DmaCtrlFlags.PREP_INTERRUPT : 0);
      if (tx) {
        asyncTxSubmit(ctx, tx, submit);
        return tx;
      }
    }
  }
  return runSync(ctx, submit, () => undefined);
}
