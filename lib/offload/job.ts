/**
 * One Promise API operation as both of its executions see it (lib/offload).
 *
 * Model: an operation is a short list of async_tx calls (`steps`), the kernel-faithful layer
 * doing the work. The scheduler runs them either on the queued path (an instance with a device:
 * each step gets a submit control chained to the previous step, the last one carries the
 * completion callback) or inline (an instance with no device: async_tx's software path runs
 * each step on the calling thread). An operation whose software path would write what the
 * Promise API promises not to (the validate operations: async_tx's software XOR-validate
 * leaves the XOR in its first block) brings its own `inline`, a non-destructive native check.
 *
 * Threading: JavaScript thread only.
 */
import type { AsyncSubmitCtl } from '../async_tx/flags';
import type { AsyncTx } from '../async_tx/api';
import type { DmaCap } from '../dmaengine/caps';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';

/** @internal a submit control for one step: `flags` plus what the runner adds (dependency, fence, callback, scribble) */
export type StepSubmit = (flags: number) => AsyncSubmitCtl;

/** @internal one async_tx call of an operation */
export type Step = (api: AsyncTx, submit: StepSubmit) => DmaAsyncTxDescriptor | null;

/** @internal an operation, ready to run on either path */
export interface Job<T> {
  /** `'copy'`, `'xor'`, `'raid6.recover'`, … (messages, errors) */
  readonly op: string;
  /** bytes read plus bytes written: decides inline vs queued, and weighs a channel's load */
  readonly bytes: number;
  /** the async_tx calls, in order */
  readonly steps: readonly Step[];
  /** every view the steps read or write (a backend whose channels reach only some memory routes by them) */
  readonly operands: readonly Uint8Array[];
  /** the capabilities the steps ask a channel for, the first one the job's main one */
  readonly caps: readonly DmaCap[];
  /** a non-destructive inline execution replacing `steps` on the software path */
  readonly inline?: () => void;
  /** what the promise resolves with, read once the operation completed */
  readonly result: () => T;
}

/** @internal the scribble async_tx asks for (its presence lets RAID-6 recovery and validation go to a channel) */
export const SCRIBBLE: readonly unknown[] = Object.freeze([]);
