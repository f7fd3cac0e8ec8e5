/**
 * The state of one dmaengine instance: what the kernel keeps in `drivers/dma/dmaengine.c`'s
 * globals (`dma_device_list`, `dmaengine_ref_count`, `channel_table`, the device IDA).
 *
 * Model: every operation of the core is a function of this state; `DmaEngine` (instance.ts)
 * wraps one. Nothing else is global, except the weak map that says which instance a device is
 * registered with, so that one device cannot be registered twice.
 *
 * Threading: JavaScript thread only; operations run to completion (the kernel's
 * `dma_list_mutex` is the event loop's run-to-completion).
 */
import type { DmaCap } from './caps';
import type { DmaChan } from './channel';
import type { DmaDevice } from './device';

/** Channel selection policy of the rebalance. */
export type DmaPolicy = 'min_chan' | 'nth_chan';

/** @internal */
export interface EngineState {
  readonly policy: DmaPolicy;
  readonly cpus: number;
  /** NUMA node of each CPU, index = CPU */
  readonly nodes: readonly number[];
  readonly syncWaitTimeoutMs: number;
  /** the calling thread's CPU (`raw_smp_processor_id()`); injected, the core reads no hardware */
  readonly currentCpu: () => number;
  /** `dma_device_list`, in registration order */
  devices: DmaDevice[];
  /** `dmaengine_ref_count` */
  refCount: number;
  /** `channel_table[cap][cpu]` */
  table: Map<DmaCap, (DmaChan | null)[]>;
  /** bit `cap` set when `table` holds a channel for `cap` on some CPU (a fast "none at all") */
  tableCaps: number;
  /** how many times the table was rebuilt (visible to tests and `dmaengine list`) */
  rebalances: number;
  /** exclusive holders, in request order */
  exclusive: Set<DmaChan>;
}

/** @internal which instance each registered device belongs to */
export const deviceOwner = new WeakMap<DmaDevice, EngineState>();

/** @internal */
export function newState(
  policy: DmaPolicy, cpus: number, nodes: number[], syncWaitTimeoutMs: number, currentCpu: () => number,
): EngineState {
  return {
    policy,
    cpus,
    nodes,
    syncWaitTimeoutMs,
    currentCpu,
    devices: [],
    refCount: 0,
    table: new Map(),
    tableCaps: 0,
    rebalances: 0,
    exclusive: new Set(),
  };
}
