/**
 * How descriptors ended, for the providers that ship here (`plain`, `soft`, `kernel-bridge`):
 * the per-channel record of failed cookies that `deviceTxStatus` answers ERROR from, the
 * outcome recorded on the channel (validate result, failure or copy counters), and the
 * completion step that no exception can cut short.
 *
 * Model (failed cookies): a failure is recorded against the descriptor object. The record
 * lives exactly as long as that object is reachable (a FinalizationRegistry drops it once the
 * descriptor was collected), so there is no count cap that could turn a failure into a success
 * while anyone can still wait on the descriptor, and memory follows what the program keeps.
 * A bare cookie whose descriptor is gone reads by the window rule (COMPLETE), as every cookie
 * does in the kernel; docs/dmaengine.md, "Failures are never lost", says why. A cookie handed
 * out again (wrap, new engine) forgets the old record at submit.
 *
 * Model (completion step): result recorded on the descriptor, callback, dependants; an
 * exception from the callback or a dependant's submit is kept and the step goes on, and so do
 * the later completions of the batch. The kept errors are rethrown afterwards, each from its
 * own microtask: they surface as `uncaughtException`, whoever made the batch run (the event
 * loop or a status query that polled it in), and never through an unrelated caller.
 *
 * Threading: JavaScript thread only.
 */
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { dmaRunDependencies, dmaengineDescCallbackInvoke } from '../dmaengine/descriptor';
import type { DmaChan } from '../dmaengine/channel';
import { DmaTransResult, type DmaengineResult } from '../dmaengine/status';

interface Held {
  record: FailedCookies;
  cookie: number;
  token: object;
}

const collected = new FinalizationRegistry<Held>((h) => h.record.dropIf(h.cookie, h.token));

/** One channel's failed cookies, each kept while its descriptor object is reachable. */
export class FailedCookies {
  private readonly byCookie = new Map<number, { result: DmaTransResult; token: object }>();

  /** Record that `tx` (holding `cookie`) ended with `result` (not NOERROR). */
  add(tx: DmaAsyncTxDescriptor, cookie: number, result: DmaTransResult): void {
    const token = {};
    this.byCookie.set(cookie, { result, token });
    collected.register(tx, { record: this, cookie, token });
  }

  /** Whether `cookie` failed (and its descriptor may still be waited on). */
  has(cookie: number): boolean {
    return this.byCookie.has(cookie);
  }

  /** The cookie is handed out again: its old record no longer applies. */
  forget(cookie: number): void {
    if (this.byCookie.size !== 0) this.byCookie.delete(cookie);
  }

  clear(): void {
    this.byCookie.clear();
  }

  /** Records held now (tests). */
  get size(): number {
    return this.byCookie.size;
  }

  /** @internal the finalizer: drop the record unless the cookie was reused meanwhile */
  dropIf(cookie: number, token: object): void {
    if (this.byCookie.get(cookie)?.token === token) this.byCookie.delete(cookie);
  }
}

/**
 * How one descriptor ended, recorded on its channel: a validate result is stored first (a
 * holder that throws ends the descriptor WRITE_FAILED: its outcome is lost, and a stale holder
 * must not read as a verdict); a failure goes into `failed` under `cookie`, a finished copy
 * into the channel's counters. Returns the final result. Never throws; errors go on `errors`.
 * @param finishVal stores the validate result `val` (null: not a validate)
 * @param memcpyLen bytes a copy counts in `bytesTransferred` (-1: not a copy)
 */
export function recordOutcome(chan: DmaChan & { failed: FailedCookies }, tx: DmaAsyncTxDescriptor, cookie: number,
  res: DmaTransResult, finishVal: ((val: number) => void) | null, val: number, memcpyLen: number, errors: unknown[]): DmaTransResult {
  let result = res;
  if (result === DmaTransResult.NOERROR && finishVal !== null) {
    try {
      finishVal(val);
    } catch (err) {
      errors.push(err);
      result = DmaTransResult.WRITE_FAILED;
    }
  }
  if (result !== DmaTransResult.NOERROR) {
    chan.failed.add(tx, cookie, result);
  } else if (memcpyLen >= 0) {
    chan.memcpyCount++;
    chan.bytesTransferred += memcpyLen;
  }
  return result;
}

/**
 * The end of one descriptor's completion, after its cookie was completed: the result goes on
 * the descriptor and to its callback, then the dependants are submitted. Never throws: what
 * the callback or a dependant throws is pushed on `errors` (see {@link reportLater}).
 */
export function finishStep(tx: DmaAsyncTxDescriptor, result: DmaengineResult, errors: unknown[]): void {
  try {
    dmaengineDescCallbackInvoke(tx, result);
  } catch (err) {
    errors.push(err);
  }
  try {
    dmaRunDependencies(tx);
  } catch (err) {
    errors.push(err);
  }
}

/** Rethrows each error from its own microtask, once the caller's batch is done. */
export function reportLater(errors: readonly unknown[]): void {
  for (const err of errors) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
