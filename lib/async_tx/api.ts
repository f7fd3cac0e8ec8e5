/**
 * One async_tx API bound to one dmaengine instance: {@link createAsyncTx}. The free functions
 * of lib/async_tx/index.ts are the same API bound to the default instance.
 *
 * Call order: `createAsyncTx(engine)` → async_* operations (the first one takes the binding's
 * `dmaengineGet()` reference, as the kernel's async_tx does at load) → `exit()` to drop it.
 *
 * Threading: JavaScript thread only.
 */
import type { DmaEngine } from '../dmaengine/instance';
import { DmaEngine as DmaEngineClass } from '../dmaengine/instance';
import { invalidType } from '../validate';
import { asyncMemcpy, asyncMemset } from './memcpy';
import { asyncGenSyndrome, asyncSyndromeVal } from './pq';
import { asyncRaid6DatapRecov, asyncRaid6_2dataRecov } from './raid6-recov';
import { AsyncTxContext } from './submit';
import { asyncTriggerCallback } from './trigger';
import {
  asyncTxAck, asyncTxClearAck, asyncTxIssuePending, asyncTxIssuePendingAll, asyncTxQuiesce, asyncTxTestAck,
  dmaWaitForAsyncTx, waitForAsyncTx,
} from './wait';
import { asyncXor, asyncXorOffs, asyncXorVal, asyncXorValOffs } from './xor';

type Bound<F> = F extends (ctx: AsyncTxContext, ...args: infer A) => infer R ? (...args: A) => R : never;

/** The async_tx API of one dmaengine instance. */
export interface AsyncTx {
  /** The dmaengine instance this API runs on. */
  readonly engine: DmaEngine;
  /**
   * `async_memcpy` on this instance (see {@link asyncMemcpy}): copy `len` bytes, on a MEMCPY
   * channel if one fits, else synchronously on the CPU.
   */
  asyncMemcpy: Bound<typeof asyncMemcpy>;
  /**
   * `async_memset` on this instance (see {@link asyncMemset}): fill `len` bytes with a value, on a
   * MEMSET channel or the CPU.
   */
  asyncMemset: Bound<typeof asyncMemset>;
  /**
   * `async_xor` on this instance (see {@link asyncXor}): xor the sources into `dest`, on an XOR
   * channel or the CPU.
   */
  asyncXor: Bound<typeof asyncXor>;
  /**
   * `async_xor_offs` on this instance (see {@link asyncXorOffs}): {@link asyncXor} with a
   * per-source offset.
   */
  asyncXorOffs: Bound<typeof asyncXorOffs>;
  /**
   * `async_xor_val` on this instance (see {@link asyncXorVal}): check that the sources xor to zero;
   * `result.value` gets the mismatch bit at completion.
   */
  asyncXorVal: Bound<typeof asyncXorVal>;
  /**
   * `async_xor_val_offs` on this instance (see {@link asyncXorValOffs}): {@link asyncXorVal} with
   * per-source offsets.
   */
  asyncXorValOffs: Bound<typeof asyncXorValOffs>;
  /**
   * `async_gen_syndrome` on this instance (see {@link asyncGenSyndrome}): compute a RAID6 stripe's
   * P and Q, on a PQ channel or the CPU.
   */
  asyncGenSyndrome: Bound<typeof asyncGenSyndrome>;
  /**
   * `async_syndrome_val` on this instance (see {@link asyncSyndromeVal}): check a stripe's P and Q;
   * `pqres.value` gets {@link SumCheckFlags} bits at completion.
   */
  asyncSyndromeVal: Bound<typeof asyncSyndromeVal>;
  /**
   * `async_raid6_2data_recov` on this instance (see {@link asyncRaid6_2dataRecov}): rebuild two
   * failed data blocks of a stripe.
   */
  asyncRaid6_2dataRecov: Bound<typeof asyncRaid6_2dataRecov>;
  /**
   * `async_raid6_datap_recov` on this instance (see {@link asyncRaid6DatapRecov}): rebuild a failed
   * data block and P.
   */
  asyncRaid6DatapRecov: Bound<typeof asyncRaid6DatapRecov>;
  /**
   * `async_trigger_callback` on this instance (see {@link asyncTriggerCallback}): run the submit's
   * callback after its dependency completes.
   */
  asyncTriggerCallback: Bound<typeof asyncTriggerCallback>;
  /** `async_tx_issue_pending_all` on this instance: start everything submitted on every channel. */
  asyncTxIssuePendingAll: Bound<typeof asyncTxIssuePendingAll>;
  /**
   * `async_tx_issue_pending` on this instance: start what was submitted on the descriptor's
   * channel.
   */
  asyncTxIssuePending: Bound<typeof asyncTxIssuePending>;
  /**
   * `async_tx_quiesce` on this instance: wait for the dependency to complete, ack it and clear the
   * reference.
   */
  asyncTxQuiesce: Bound<typeof asyncTxQuiesce>;
  /**
   * `dma_wait_for_async_tx` on this instance (see {@link dmaWaitForAsyncTx}): block until the
   * descriptor completes; answers its {@link DmaStatus}.
   */
  dmaWaitForAsyncTx: Bound<typeof dmaWaitForAsyncTx>;
  /**
   * The Promise form of {@link dmaWaitForAsyncTx} on this instance (see {@link waitForAsyncTx}):
   * resolves when the descriptor completes.
   */
  waitForAsyncTx: Bound<typeof waitForAsyncTx>;
  /**
   * `async_tx_ack`: mark the descriptor acked (`CTRL_ACK`), so its provider may recycle it; needs
   * no instance.
   */
  asyncTxAck: typeof asyncTxAck;
  /** `async_tx_clear_ack`: clear `CTRL_ACK` on the descriptor; needs no instance. */
  asyncTxClearAck: typeof asyncTxClearAck;
  /** `async_tx_test_ack`: whether the descriptor is acked; needs no instance. */
  asyncTxTestAck: typeof asyncTxTestAck;
  /** Whether this binding holds its public-client reference (taken on first use). */
  readonly registered: boolean;
  /** `async_tx_exit`: drop the reference taken on first use (no-op if none). */
  exit(): void;
}

/**
 * The async_tx API on an isolated dmaengine instance.
 * @example
 * const engine = createDmaEngine({ cpus: 1 });
 * registerPlainDevice({ caps: [DmaCap.XOR], maxXor: 4 }, engine);
 * const tx = createAsyncTx(engine);
 * const d = tx.asyncXor(dest, srcs, 0, srcs.length, 4096, initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST));
 * await tx.waitForAsyncTx(d);
 */
export function createAsyncTx(engine: DmaEngine): AsyncTx {
  if (!(engine instanceof DmaEngineClass)) throw invalidType('a DmaEngine (createDmaEngine)', 'engine', engine);
  const ctx = new AsyncTxContext(engine);
  const bind = <A extends unknown[], R>(f: (c: AsyncTxContext, ...args: A) => R) => (...args: A): R => f(ctx, ...args);
  return {
    engine,
    asyncMemcpy: bind(asyncMemcpy),
    asyncMemset: bind(asyncMemset),
    asyncXor: bind(asyncXor),
    asyncXorOffs: bind(asyncXorOffs),
    asyncXorVal: bind(asyncXorVal),
    asyncXorValOffs: bind(asyncXorValOffs),
    asyncGenSyndrome: bind(asyncGenSyndrome),
    asyncSyndromeVal: bind(asyncSyndromeVal),
    asyncRaid6_2dataRecov: bind(asyncRaid6_2dataRecov),
    asyncRaid6DatapRecov: bind(asyncRaid6DatapRecov),
    asyncTriggerCallback: bind(asyncTriggerCallback),
    asyncTxIssuePendingAll: bind(asyncTxIssuePendingAll),
    asyncTxIssuePending: bind(asyncTxIssuePending),
    asyncTxQuiesce: bind(asyncTxQuiesce),
    dmaWaitForAsyncTx: bind(dmaWaitForAsyncTx),
    waitForAsyncTx: bind(waitForAsyncTx),
    asyncTxAck,
    asyncTxClearAck,
    asyncTxTestAck,
    get registered() { return ctx.registered; },
    exit(): void {
      if (!ctx.registered) return;
      ctx.registered = false;
      engine.dmaenginePut();
    },
  };
}
