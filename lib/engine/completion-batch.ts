/**
 * One event-loop wake-up's worth of completions, as the native side delivers them.
 *
 * Model: the engine's workers append completions to one list; one threadsafe-function call
 * per wake-up hands all of them to JavaScript as (channel, cookie, result, valResult) quads in
 * a reused Int32Array. This view reads them without allocating.
 *
 * Lifetime: a batch object and its data are reused: read them during the `onComplete` call;
 * copy what you need to keep (`toArray()` does).
 */
import { COMPLETION_STRIDE as STRIDE, type DmaTransResult } from '../dmaengine/abi';

/** One completion, as {@link CompletionBatch#toArray} copies it out. */
export interface EngineCompletion {
  channel: number;
  cookie: number;
  /** dmaengine_tx_result. */
  result: DmaTransResult;
  /** `xor_val`/`pq_val` result bits (`SumCheckFlags`), 0 for other operations. */
  valResult: number;
}

/** A batch of completions; valid during the `onComplete` call that received it. */
export class CompletionBatch {
  /** How many completions this batch carries. */
  count = 0;
  /** The raw quads: `data[i*4 + 0..3]` = channel, cookie, result, valResult. */
  data: Int32Array = new Int32Array(0);

  /** Channel of completion `i`. */
  channel(i: number): number { return this.data[i * STRIDE]!; }
  /** Cookie of completion `i`. */
  cookie(i: number): number { return this.data[i * STRIDE + 1]!; }
  /** Result code of completion `i`. */
  result(i: number): DmaTransResult { return this.data[i * STRIDE + 2]! as DmaTransResult; }
  /** Validate-op result bits of completion `i`. */
  valResult(i: number): number { return this.data[i * STRIDE + 3]!; }

  /** Copies the batch out as objects (allocates; for tests and slow paths). */
  toArray(): EngineCompletion[] {
    const out: EngineCompletion[] = [];
    for (let i = 0; i < this.count; i++) {
      out.push({ channel: this.channel(i), cookie: this.cookie(i), result: this.result(i), valResult: this.valResult(i) });
    }
    return out;
  }
}
