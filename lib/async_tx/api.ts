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
  asyncMemcpy: Bound<typeof asyncMemcpy>;
  asyncMemset: Bound<typeof asyncMemset>;
  asyncXor: Bound<typeof asyncXor>;
  asyncXorOffs: Bound<typeof asyncXorOffs>;
  asyncXorVal: Bound<typeof asyncXorVal>;
  asyncXorValOffs: Bound<typeof asyncXorValOffs>;
  asyncGenSyndrome: Bound<typeof asyncGenSyndrome>;
  asyncSyndromeVal: Bound<typeof asyncSyndromeVal>;
  asyncRaid6_2dataRecov: Bound<typeof asyncRaid6_2dataRecov>;
  asyncRaid6DatapRecov: Bound<typeof asyncRaid6DatapRecov>;
  asyncTriggerCallback: Bound<typeof asyncTriggerCallback>;
  asyncTxIssuePendingAll: Bound<typeof asyncTxIssuePendingAll>;
  asyncTxIssuePending: Bound<typeof asyncTxIssuePending>;
  asyncTxQuiesce: Bound<typeof asyncTxQuiesce>;
  dmaWaitForAsyncTx: Bound<typeof dmaWaitForAsyncTx>;
  waitForAsyncTx: Bound<typeof waitForAsyncTx>;
  asyncTxAck: typeof asyncTxAck;
  asyncTxClearAck: typeof asyncTxClearAck;
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
