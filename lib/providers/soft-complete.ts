/**
 * The `soft` provider's completion path: what happens on the JavaScript thread when a batch
 * of engine completions arrives (or a status query polls one in early).
 *
 * Model: per channel, completions come in cookie order and match the head of the channel's
 * `inflight` queue. Each one: failure recorded (status ERROR) or copy counters and validate
 * result stored, injected `corrupt`/`busy` applied, `tx.cookie` cleared (the engine already
 * advanced the completed cookie), callback with `{ result, residue }`, then
 * `dmaRunDependencies` (failed and aborted descriptors too). From a hung descriptor on, a
 * channel's completions are held until terminate aborts them.
 *
 * Threading: JavaScript thread only. A throwing callback does not stop the batch: the first
 * error is rethrown after every completion was delivered.
 */
import { dmaAsyncIsComplete } from '../dmaengine/cookie';
import { dmaRunDependencies, dmaengineDescCallbackInvoke } from '../dmaengine/descriptor';
import { DmaStatus, DmaTransResult } from '../dmaengine/status';
import type { CompletionBatch } from '../engine/completion-batch';
import type { SoftChan, SoftDesc } from './soft-chan';

/** One event-loop wake-up's completions, in cookie order per channel. */
export function deliverBatch(channels: readonly SoftChan[], batch: CompletionBatch): void {
  let firstError: unknown;
  let failed = false;
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
    try {
      finishDesc(c, d, result, batch.valResult(i));
    } catch (err) {
      if (!failed) firstError = err;
      failed = true;
    }
  }
  if (failed) throw firstError; // after every completion of the batch was delivered
}

export function finishDesc(c: SoftChan, d: SoftDesc, result: number, val: number): void {
  const cookie = d.engineCookie;
  if (result !== DmaTransResult.NOERROR) {
    c.failed.set(cookie, result);
    if (c.failed.size > 4096) c.failed.delete(c.failed.keys().next().value!);
  } else {
    if (d.memcpyLen >= 0) {
      c.memcpyCount++;
      c.bytesTransferred += d.memcpyLen;
    }
    if (d.finish !== null) d.finish(val);
    if (d.fault === 'corrupt' && d.corruptTarget !== null) {
      const t = d.corruptTarget;
      for (let k = 0; k < t.length; k++) t[k] = t[k]! ^ 0xff;
    }
    if (d.fault === 'busy') c.busy.add(cookie);
  }
  d.cookie = 0; // the engine already advanced the completed cookie
  const residue = result === DmaTransResult.NOERROR ? 0 : Math.max(d.memcpyLen, 0);
  try {
    dmaengineDescCallbackInvoke(d, { result, residue });
  } finally {
    dmaRunDependencies(d);
  }
}

/** Whether `cookie` belongs to a descriptor whose completion was not delivered yet. */
export function undelivered(c: SoftChan, cookie: number): boolean {
  if (c.head >= c.inflight.length) return false;
  const first = c.inflight[c.head]!.engineCookie;
  const last = c.inflight[c.inflight.length - 1]!.engineCookie;
  return dmaAsyncIsComplete(cookie, first === 1 ? 0x7fffffff : first - 1, last) === DmaStatus.IN_PROGRESS;
}

/** Ends every completion held behind a hung descriptor as ABORTED and clears the hang. */
export function abortHeld(c: SoftChan): void {
  const held = c.held;
  c.held = [];
  c.hangCookie = 0;
  c.holding = false;
  let firstError: unknown;
  let failed = false;
  for (const h of held) {
    try {
      finishDesc(c, h.d, DmaTransResult.ABORTED, 0);
    } catch (err) {
      if (!failed) firstError = err;
      failed = true;
    }
  }
  if (failed) throw firstError;
}
