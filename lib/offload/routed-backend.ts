/**
 * A queued backend that sends each operation to one of two: a primary whose channels reach
 * only some memory or some operations (the kernel bridge: dma-buf operands only), and a
 * fallback that takes anything (the soft engine, opened on first need).
 *
 * Model: `takes(job)` decides before anything is submitted, so an operation never reaches
 * the primary's channels only to be refused there (async_tx would then wait for the channel
 * to drain and do the work on the calling thread, holding the event loop). A job whose
 * software path async_tx cannot run for the Promise API (the validate operations, which bring
 * their own `inline`) is submitted strictly: a channel that refuses it anyway sends it to the
 * fallback, nothing of it having been submitted.
 *
 * Dependencies: async_tx chains a dependant only within one backend; across the two,
 * {@link QueuedBackend.follows} says no and the scheduler waits for the dependency's
 * completion instead.
 *
 * Threading: JavaScript thread only.
 */
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { type AsyncTxBackend, PrepRefused } from './async-tx-backend';
import type { Place, QueuedBackend } from './backend';
import type { Job } from './job';

/** What {@link openRoutedBackend} combines. */
export interface RoutedBackendSetup {
  primary: AsyncTxBackend;
  /** whether the primary takes `job` (its operands, capabilities, limits) */
  takes: (job: Job<unknown>) => boolean;
  /** opens the fallback (called once, on the first job the primary does not take) */
  openFallback: () => AsyncTxBackend;
  /** operands for the threshold measurement that the primary takes */
  scratch?: (size: number) => Uint8Array;
  /** called after both backends closed */
  closed?: () => void;
}

/** @internal the primary for what it takes, the fallback for the rest */
export function openRoutedBackend(s: RoutedBackendSetup): QueuedBackend {
  const { primary, takes } = s;
  let fallback: AsyncTxBackend | null = null;
  let lastPlace: Place = primary.kind;
  const strict = (job: Job<unknown>): boolean => job.inline !== undefined;
  const toFallback = (job: Job<unknown>, dep: DmaAsyncTxDescriptor | null, done: (r: number) => void): DmaAsyncTxDescriptor | null => {
    fallback ??= s.openFallback();
    const tx = fallback.submit(job, dep, done);
    lastPlace = fallback.lastPlace;
    return tx;
  };
  const backend: QueuedBackend = {
    kind: primary.kind,
    channels: primary.channels,
    get lastPlace() { return lastPlace; },
    follows(job, dep) {
      if (primary.owns(dep)) return takes(job) && !strict(job);
      return !takes(job);
    },
    submit(job, dep, done) {
      if (dep === null ? takes(job) : primary.owns(dep)) {
        if (!strict(job)) {
          const tx = primary.submit(job, dep, done);
          lastPlace = primary.lastPlace;
          return tx;
        }
        try {
          const tx = primary.submitStrict(job, dep, done);
          lastPlace = primary.lastPlace;
          return tx;
        } catch (e) {
          // refused before anything was submitted; `follows` gave a strict job no dependency
          if (!(e instanceof PrepRefused) || dep !== null) throw e;
        }
      }
      return toFallback(job, dep, done);
    },
    issue() {
      primary.issue();
      fallback?.issue();
    },
    close() {
      try {
        fallback?.close();
      } finally {
        primary.close();
        s.closed?.();
      }
    },
  };
  if (s.scratch !== undefined) backend.scratch = s.scratch;
  return backend;
}
