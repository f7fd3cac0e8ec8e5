/**
 * Where a Promise API operation runs: the inline runner (the calling thread) and the queued
 * backends (channels), behind one small interface the scheduler drives.
 *
 * Model: every Dma has an inline runner, an async_tx binding on an isolated dmaengine instance
 * with no device (so async_tx takes its software path, as the kernel's does without a
 * channel), and at most one queued backend (the soft engine's channels, or the kernel
 * bridge's, lib/offload/bridge.ts). Neither touches the default instance that the kernel-style free functions use.
 *
 * Threading: JavaScript thread only.
 */
import { createAsyncTx } from '../async_tx/api';
import { initAsyncSubmit } from '../async_tx/flags';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { createDmaEngine } from '../dmaengine/instance';
import type { DmaTransResult } from '../dmaengine/status';
import { type Job, SCRIBBLE } from './job';

/**
 * Where operations of a Dma ran (`dma.placement` counts them): `inline` on the calling thread
 * (below the threshold, or no queued backend), `soft` on the soft engine's worker threads,
 * `bridge` on bridged kernel channels, `software` submitted to a channel but (at least one
 * step) done by async_tx's software path on the calling thread because the channel refused it.
 */
export type Place = 'inline' | 'soft' | 'bridge' | 'software';

/** @internal channels that take operations and complete them later */
export interface QueuedBackend {
  /** `'soft'` or `'bridge'` */
  readonly kind: 'soft' | 'bridge';
  /** how many channels operations spread over */
  readonly channels: number;
  /** where the job of the last {@link submit} ran (its first step's channel, or software) */
  readonly lastPlace: Place;
  /**
   * Whether `job` may be chained after `dep` (one of this backend's descriptors) with
   * async_tx's dependency; false when the job goes elsewhere (then it waits for `dep`'s
   * completion instead). Absent: always.
   */
  follows?(job: Job<unknown>, dep: DmaAsyncTxDescriptor): boolean;
  /** `size` zeroed bytes the backend's channels take (the threshold measurement's operands); absent: any memory */
  scratch?(size: number): Uint8Array;
  /**
   * Submit `job` (not issued yet), after `dep` (a descriptor of this backend) when given.
   * `done` is called once, from a later microtask, with the worst transfer result of the
   * job's descriptors. Throws what async_tx throws.
   * @returns the job's final descriptor, or null when it completed on the software path
   */
  submit(job: Job<unknown>, dep: DmaAsyncTxDescriptor | null, done: (result: DmaTransResult) => void): DmaAsyncTxDescriptor | null;
  /** the doorbell: issue everything submitted */
  issue(): void;
  /** end what is left (terminate), release the channels */
  close(): void;
}

/** @internal runs jobs on the calling thread */
export interface InlineRunner {
  run(job: Job<unknown>): void;
}

/** @internal an inline runner over its own device-less dmaengine instance */
export function createInlineRunner(): InlineRunner {
  const api = createAsyncTx(createDmaEngine({ cpus: 1 }));
  const submit = (flags: number) => initAsyncSubmit(flags, null, null, null, SCRIBBLE);
  return {
    run(job: Job<unknown>): void {
      if (job.inline) {
        job.inline();
        return;
      }
      for (const step of job.steps) step(api, submit);
    },
  };
}
