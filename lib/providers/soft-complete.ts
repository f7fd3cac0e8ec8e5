/**
 * The `soft` provider's completion path: what happens on the JavaScript thread when a batch
 * of engine completions arrives (or a status query polls one in early).
 *
 * Model: per channel, completions come in cookie order and match the head of the channel's
 * `inflight` queue. Each one: validate result stored, failure recorded (status ERROR) or copy
 * counters, injected `corrupt`/`busy` applied, `tx.cookie` cleared (the engine already
 * advanced the completed cookie), callback with `{ result, residue }`, then
 * `dmaRunDependencies` (failed and aborted descriptors too). From a hung descriptor on, a
 * channel's completions are held until terminate aborts them.
 *
 * Threading: JavaScript thread only. Nothing a completion throws (its callback, a result
 * holder, a dependant's submit) stops the others or its own dependants: every error is
 * rethrown from a microtask once the batch was delivered (lib/providers/outcome.ts).
 */
import { dmaAsyncIsComplete, dmaCookiePrev } from '../dmaengine/cookie';
import { DmaStatus, DmaTransResult } from '../dmaengine/status';
import type { CompletionBatch } from '../engine/completion-batch';
import { finishStep, recordOutcome, reportLater } from './outcome';
import type { SoftChan, SoftDesc } from './soft-chan';
import { view } from './soft-prep';

/**
 * One event-loop wake-up's completions, in cookie order per channel. Nothing one completion
 * throws stops the others; the errors are rethrown afterwards (outcome.ts).
 */
export function deliverBatch(channels: readonly SoftChan[], batch: CompletionBatch): void {
  const errors: unknown[] = [];
  for (let i = 0; i < batch.count; i++) {
    const c = channels[batch.channel(i)]!;
    const d = c.inflight[c.head];
    if (d === undefined || d.engineCookie !== batch.cookie(i)) continue; // not ours (never happens)
    c.inflight[c.head++] = undefined as unknown as SoftDesc;
    if (c.head > 1024 && c.head * 2 > c.inflight.length) {
      c.inflight = c.inflight.slice(c.head);
      c.head = 0;
    }
    const result = batch.result(i);
    if (d.engineCookie === c.hangCookie) c.holding = true;
    if (c.holding) {
      c.held.push({ d, result, val: batch.valResult(i) });
      continue;
    }
    finishDesc(c, d, result, batch.valResult(i), errors);
  }
  reportLater(errors);
}

/** One descriptor's completion (outcome.ts records it). Never throws; errors go on `errors`. */
export function finishDesc(c: SoftChan, d: SoftDesc, res: number, val: number, errors: unknown[]): void {
  const cookie = d.engineCookie;
  const result = recordOutcome(c, d, cookie, res, d.finish, val, d.memcpyLen, errors);
  if (result === DmaTransResult.NOERROR) {
    if (d.fault === 'corrupt' && d.corruptAt !== null) {
      const t = view(d.corruptAt, d.len);
      for (let k = 0; k < t.length; k++) t[k] = t[k]! ^ 0xff;
    }
    if (d.fault === 'busy') c.busy.add(cookie);
  }
  d.cookie = 0; // the engine already advanced the completed cookie
  const residue = result === DmaTransResult.NOERROR ? 0 : Math.max(d.memcpyLen, 0);
  finishStep(d, { result, residue }, errors);
}

/** Whether `cookie` belongs to a descriptor whose completion was not delivered yet. */
export function undelivered(c: SoftChan, cookie: number): boolean {
  if (c.head >= c.inflight.length) return false;
  const first = c.inflight[c.head]!.engineCookie;
  const last = c.inflight[c.inflight.length - 1]!.engineCookie;
  return dmaAsyncIsComplete(cookie, dmaCookiePrev(first), last) === DmaStatus.IN_PROGRESS;
}

/** Ends every completion held behind a hung descriptor as ABORTED and clears the hang. */
export function abortHeld(c: SoftChan): void {
  const held = c.held;
  c.held = [];
  c.unhang();
  const errors: unknown[] = [];
  for (const h of held) finishDesc(c, h.d, DmaTransResult.ABORTED, 0, errors);
  reportLater(errors);
}
