/**
 * The Promise API's scheduler: when each operation runs, where, and how its promise settles.
 *
 * Model: an operation is checked, then waits (for its `after` promises), then is queued for
 * this tick; the tick's queue is flushed once, from a microtask: each operation runs inline
 * (fewer bytes than `inlineBelow`, or no queued backend) or is submitted to the queued
 * backend, and the doorbell rings once for all of them (one asyncTxIssuePendingAll per tick;
 * nothing submitted is ever left unissued). Completions settle the promises.
 *
 * Dependencies (`after`): one promise of this Dma whose operation went to a channel becomes
 * the async_tx dependency (`dependTx`: no round trip through JavaScript, the dependant
 * follows on the dependency's channel); everything else (fan-in, fan-out, foreign promises,
 * inline dependencies) waits on the completion path (`Promise.allSettled`). Either way the
 * operation starts after its dependencies ended, fulfilled or rejected, as a kernel dependant
 * runs after a failed parent.
 *
 * Abort: an operation not started yet (waiting, or queued for this tick) is dropped and
 * rejects with the signal's reason; one already running completes (its bytes are being
 * written) and settles with its own result. Timeout: from the moment it is issued; the promise
 * rejects with ETIMEDOUT, the descriptor stays with the engine until it completes or close()
 * terminates it.
 *
 * Threading: JavaScript thread only.
 */
import { writeSync } from 'node:fs';
import { asyncTxTestAck } from '../async_tx/wait';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { DmaTransResult } from '../dmaengine/status';
import type { CheckedOpOptions } from './args';
import type { InlineRunner, Place, QueuedBackend } from './backend';
import { DmaTransferError, abortReason, cancelledByClose, closedError, timeoutError } from './errors';
import type { Job } from './job';

type State = 'waiting' | 'queued' | 'issued' | 'timedout' | 'settled';

interface Pending {
  job: Job<unknown>;
  state: State;
  promise: Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | null;
  onAbort: (() => void) | null;
  timeout: number;
  timer: ReturnType<typeof setTimeout> | null;
  depOn: Pending | null;
  tx: DmaAsyncTxDescriptor | null;
}

const live = new Set<Scheduler>();
let exitHooked = false;

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    let n = 0;
    for (const s of live) n += s.pendingCount;
    // emitWarning would come on a later tick, which an exiting process never has
    if (n > 0) {
      writeSync(2, `(dmaengine) Warning: the process is exiting with ${n} Promise API operation(s) not complete; ` +
        'await them (or dma.close()) before exiting\n');
    }
  });
}

/** @internal the scheduler of one Dma */
export class Scheduler {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly waiting = new Set<Pending>();
  private readonly inflight = new Set<Pending>();
  private readonly byPromise = new WeakMap<object, Pending>();
  private closing: Promise<void> | null = null;
  /** operations started, by where they ran (`dma.placement`) */
  readonly placement: Record<Place, number> = { inline: 0, soft: 0, bridge: 0, software: 0 };

  constructor(private readonly inline: InlineRunner, readonly backend: QueuedBackend | null, readonly inlineBelow: number) {
    live.add(this);
    hookExit();
  }

  /** Operations not settled (waiting, queued or running). */
  get pendingCount(): number {
    return this.queue.filter((p) => p.state === 'queued').length + this.waiting.size + this.inflight.size;
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.closing !== null;
  }

  private queues(job: Job<unknown>): boolean {
    return this.backend !== null && job.bytes >= this.inlineBelow;
  }

  /** Schedule `job`; the returned promise settles with its result. */
  run<T>(job: Job<T>, o: CheckedOpOptions): Promise<T> {
    if (this.closing !== null) return Promise.reject(closedError(job.op));
    if (o.signal?.aborted) return Promise.reject(abortReason(o.signal));
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => { resolve = res; reject = rej; });
    const p: Pending = {
      job, state: 'waiting', promise, resolve, reject, signal: o.signal, onAbort: null, timeout: o.timeout, timer: null,
      depOn: null, tx: null,
    };
    this.byPromise.set(promise, p);
    if (o.signal !== null) {
      const signal = o.signal;
      p.onAbort = () => this.abort(p, abortReason(signal));
      signal.addEventListener('abort', p.onAbort, { once: true });
    }
    const dep = o.after.length === 1 ? this.byPromise.get(o.after[0] as object) : undefined;
    if (o.after.length === 0) {
      this.enqueue(p);
    } else if (dep !== undefined && (dep.state === 'queued' || dep.state === 'issued') && this.queues(dep.job) && this.queues(job)) {
      p.depOn = dep; // decided at flush: dependTx if the dependency's descriptor can take a child
      this.enqueue(p);
    } else {
      this.waitFor(p, o.after);
    }
    return promise as Promise<T>;
  }

  private waitFor(p: Pending, after: readonly PromiseLike<unknown>[]): void {
    p.state = 'waiting';
    this.waiting.add(p);
    void Promise.allSettled(after).then(() => {
      if (p.state !== 'waiting') return; // aborted or cancelled meanwhile
      this.waiting.delete(p);
      this.enqueue(p);
    });
  }

  private enqueue(p: Pending): void {
    p.state = 'queued';
    this.queue.push(p);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** The tick's doorbell: run or submit every queued operation, then issue once. */
  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    let submitted = false;
    for (const p of batch) {
      if (p.state !== 'queued') continue; // aborted
      if (!this.queues(p.job)) {
        this.detachAbort(p);
        try {
          this.placement.inline++;
          this.inline.run(p.job);
          this.settle(p, null);
        } catch (err) {
          this.settle(p, err);
        }
        continue;
      }
      let dep: DmaAsyncTxDescriptor | null = null;
      const q = p.depOn;
      if (q !== null && q.state !== 'settled') {
        const t = q.tx;
        const issued = q.state === 'issued' || q.state === 'timedout';
        const usable = issued && t !== null && t.next === null && !asyncTxTestAck(t) && t.txResult === null
          && (this.backend!.follows?.(p.job, t) ?? true);
        if (usable) dep = t;
        else if (!(issued && t === null)) { // not done on the software path either
          this.waitFor(p, [q.promise]);
          continue;
        }
      }
      this.detachAbort(p);
      p.state = 'issued';
      this.inflight.add(p);
      try {
        p.tx = this.backend!.submit(p.job, dep, (result) => this.complete(p, result));
        this.placement[this.backend!.lastPlace]++;
      } catch (err) {
        this.inflight.delete(p);
        this.settle(p, err);
        continue;
      }
      submitted = true;
      if (p.timeout > 0) p.timer = setTimeout(() => this.expire(p), p.timeout);
    }
    if (submitted) this.backend!.issue();
  }

  private complete(p: Pending, result: DmaTransResult): void {
    this.inflight.delete(p);
    if (p.timer !== null) clearTimeout(p.timer);
    if (p.state === 'timedout') {
      p.state = 'settled';
      return;
    }
    this.settle(p, result === DmaTransResult.NOERROR ? null : new DmaTransferError(p.job.op, result));
  }

  private expire(p: Pending): void {
    if (p.state !== 'issued') return;
    p.state = 'timedout'; // still in flight until the engine completes it or close() terminates it
    p.reject(timeoutError(p.job.op, p.timeout));
  }

  private abort(p: Pending, reason: unknown): void {
    if (p.state !== 'waiting' && p.state !== 'queued') return; // running: it settles with its own result
    this.waiting.delete(p);
    this.settle(p, reason, true);
  }

  private detachAbort(p: Pending): void {
    if (p.onAbort !== null) p.signal!.removeEventListener('abort', p.onAbort);
    p.onAbort = null;
  }

  private settle(p: Pending, err: unknown, isError = err !== null): void {
    this.detachAbort(p);
    p.state = 'settled';
    if (isError) {
      p.reject(err);
      return;
    }
    try {
      p.resolve(p.job.result());
    } catch (e) {
      p.reject(e);
    }
  }

  /** Stop taking operations; cancel those still waiting; wait for the rest; release the backend. Idempotent. */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    if (this.scheduled) this.flush(); // asked for before close(): they run
    for (const p of this.waiting) {
      p.state = 'settled';
      this.detachAbort(p);
      p.reject(cancelledByClose(p.job.op));
    }
    this.waiting.clear();
    const running = [...this.inflight].map((p) => p.promise.then(() => undefined, () => undefined));
    this.closing = Promise.all(running).then(() => {
      live.delete(this);
      this.backend?.close();
    });
    return this.closing;
  }
}
