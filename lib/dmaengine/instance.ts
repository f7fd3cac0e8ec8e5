/**
 * One dmaengine instance: the device list, the public clients, the per-CPU table and the
 * exclusive holders, with every core operation as a method. `createDmaEngine()` makes isolated
 * instances (tests, emulating another machine); the free functions of lib/dmaengine/index.ts
 * act on one default instance.
 *
 * Call order (client): `dmaengineGet()` → `dmaFindChannel(cap)` → prep/submit/issue →
 * `dmaenginePut()`; or `dmaRequestChannel(mask, filter)` → … → `dmaReleaseChannel(chan)`.
 * Call order (provider): `dmaAsyncDeviceRegister(device)` … `dmaAsyncDeviceUnregister(device)`.
 *
 * Threading: JavaScript thread only; each method runs to completion.
 */
import { DmaCap, DmaCapMask, TABLE_CAPS, checkMask } from './caps';
import type { DmaChan } from './channel';
import * as client from './client';
import { dmaAsyncIsComplete } from './cookie';
import type { DmaAsyncTxDescriptor } from './descriptor';
import type { DmaDevice } from './device';
import * as introspect from './introspect';
import { type DmaFilterFn, releaseChannel, requestChanByMask, requestChannel } from './private';
import { dmaengineGet, dmaenginePut, issuePendingAll } from './refcount';
import { type UnregisterOptions, registerDevice, unregisterDevice } from './registry';
import { type DmaPolicy, type EngineState, newState } from './state';
import type { DmaStatus, DmaTxState, Holder } from './status';
import { tableLookup } from './table';
import { machineCpuToNode, machineCpus } from './topology';
import { checkInt, invalidRange, invalidType } from '../validate';

/** Options of {@link createDmaEngine}. */
export interface DmaEngineOptions {
  /** `'min_chan'` (modern, NUMA-aware; the default) or `'nth_chan'` (2.6.29). */
  policy?: DmaPolicy;
  /** Number of CPUs (table columns); default the machine's. */
  cpus?: number;
  /** NUMA node of each CPU (a function or an array indexed by CPU); default the machine's. */
  cpuToNode?: ((cpu: number) => number) | readonly number[];
  /** `dmaSyncWait` gives up after this many ms (the kernel's 5000 by default). */
  syncWaitTimeoutMs?: number;
  /**
   * The calling thread's CPU, for the per-CPU channel table (`dmaFindChannel` without `cpu`).
   * The core reads no hardware: without this option every lookup is for CPU 0. The package's
   * entry (`createDmaEngine` and the default instance from `'dmaengine'`) supplies the
   * addon's `sched_getcpu`.
   */
  currentCpu?: () => number;
}

function cpuZero(): number { return 0; }

/**
 * A dmaengine instance: the kernel's dmaengine core (device list, per-CPU channel table, public
 * and exclusive channel references, the client calls) for the devices registered with it. The
 * free functions of this package act on the default instance; `createDmaEngine` makes isolated
 * ones (tests, several device sets). JavaScript thread only.
 */
export class DmaEngine {
  /** @internal */
  readonly state: EngineState;

  /** @param options see {@link DmaEngineOptions} */
  constructor(options: DmaEngineOptions = {}) {
    // apply defaults, validate, interpret (in that order)
    if (options === null || typeof options !== 'object') throw invalidType('an object', 'options', options);
    const policy = options.policy ?? 'min_chan';
    if (policy !== 'min_chan' && policy !== 'nth_chan') {
      throw invalidRange('options.policy', '"min_chan" or "nth_chan"', policy);
    }
    const cpus = options.cpus === undefined ? machineCpus() : checkInt(options.cpus, 'options.cpus', 1, 4096);
    const timeout = options.syncWaitTimeoutMs === undefined ? 5000
      : checkInt(options.syncWaitTimeoutMs, 'options.syncWaitTimeoutMs', 0, 3_600_000);
    let toNode: (cpu: number) => number;
    const given = options.cpuToNode;
    if (given === undefined) toNode = machineCpuToNode();
    else if (typeof given === 'function') toNode = given;
    else if (Array.isArray(given)) toNode = (cpu) => given[cpu] ?? 0;
    else throw invalidType('a function or an array of node numbers', 'options.cpuToNode', given);
    const nodes: number[] = [];
    for (let cpu = 0; cpu < cpus; cpu++) nodes.push(checkInt(toNode(cpu), `options.cpuToNode(${cpu})`, 0, 0x7fffffff));
    const cpuSource = options.currentCpu ?? cpuZero;
    if (typeof cpuSource !== 'function') throw invalidType('a function', 'options.currentCpu', cpuSource);
    this.state = newState(policy, cpus, nodes, timeout, cpuSource);
  }

  /** The channel selection policy. */
  get policy(): DmaPolicy { return this.state.policy; }
  /** Number of CPUs of the table. */
  get cpus(): number { return this.state.cpus; }
  /** NUMA node of each CPU. */
  get nodes(): readonly number[] { return this.state.nodes; }
  /** `dmaengine_ref_count`: public clients. */
  get dmaengineRefCount(): number { return this.state.refCount; }
  /** Registered devices, in registration order (a copy). */
  get devices(): DmaDevice[] { return [...this.state.devices]; }
  /** How many times the table was rebuilt. */
  get rebalances(): number { return this.state.rebalances; }

  /**
   * `dma_async_device_register(device)`.
   * @throws DmaEngineError EIO when claims and callbacks disagree, ENODEV without device or
   *   channels, EEXIST when already registered; TypeError/RangeError for malformed fields
   */
  dmaAsyncDeviceRegister(device: DmaDevice): void { registerDevice(this.state, device); }

  /**
   * `dma_async_device_unregister(device)`.
   * @param options `{ force: true }` for hot unplug
   * @throws DmaEngineError EBUSY while any channel is referenced (nothing changes)
   */
  dmaAsyncDeviceUnregister(device: DmaDevice, options?: UnregisterOptions): void {
    unregisterDevice(this.state, device, options);
  }

  /** `dmaengine_get()`: become a public client (references every public channel). */
  dmaengineGet(): void { dmaengineGet(this.state); }

  /** `dmaengine_put()`. @throws DmaBugError with no public client */
  dmaenginePut(): void { dmaenginePut(this.state); }

  /**
   * `dma_find_channel(cap)`: this CPU's table entry for `cap`, or null.
   * @param cpu a CPU number; default the calling thread's (`sched_getcpu`, modulo `cpus`)
   */
  dmaFindChannel(cap: DmaCap, cpu?: number): DmaChan | null {
    checkInt(cap, 'cap', 0, 31);
    if (cpu !== undefined) checkInt(cpu, 'cpu', 0, this.state.cpus - 1);
    if (!TABLE_CAPS.includes(cap)) return null;
    // No entry for this capability on any CPU (no device, no public client): no need to ask
    // which CPU we are on, which costs a native call on the software path's hot loop.
    if ((this.state.tableCaps & (1 << cap)) === 0) return null;
    return tableLookup(this.state, cap, cpu ?? this.callingCpu());
  }

  /** The calling CPU from the injected source, folded into the table's columns. */
  private callingCpu(): number {
    const cpu = this.state.currentCpu();
    if (!Number.isInteger(cpu) || cpu < 0) throw invalidRange('options.currentCpu()', 'a CPU number (an integer ≥ 0)', cpu);
    return cpu % this.state.cpus;
  }

  /**
   * Whether the per-CPU table holds a channel for `cap` on any CPU: when not, `dmaFindChannel`
   * answers null for every CPU. A cheap test for callers' fast paths (async_tx's software path).
   */
  tableHasCap(cap: DmaCap): boolean {
    return (this.state.tableCaps & (1 << cap)) !== 0;
  }

  /** `dma_issue_pending_all()`: ring the doorbell of every public channel in use. */
  dmaIssuePendingAll(): void { issuePendingAll(this.state); }

  /**
   * `dma_request_channel(mask, filterFn, filterParam)`: an exclusive channel, or null.
   * @param filterFn answers `true`/`DmaStateClient.ACK` to take a candidate
   */
  dmaRequestChannel(mask: DmaCapMask, filterFn?: DmaFilterFn | null, filterParam?: unknown): DmaChan | null {
    return requestChannel(this.state, mask, filterFn, filterParam);
  }

  /** `dma_request_chan_by_mask(mask)`. @throws DmaEngineError EPROBE_DEFER or ENODEV */
  dmaRequestChanByMask(mask: DmaCapMask): DmaChan {
    checkMask(mask, 'mask');
    return requestChanByMask(this.state, mask);
  }

  /**
   * `dma_release_channel(chan)`: give back a channel taken with {@link DmaEngine.dmaRequestChannel}
   * (drops the reference; the last one frees the channel's resources).
   * @throws DmaBugError when the channel is not held through `dmaRequestChannel`; DmaEngineError
   *   ENODEV when its device was removed
   */
  dmaReleaseChannel(chan: DmaChan): void { releaseChannel(this.state, chan); }

  /** `dma_async_issue_pending(chan)`: ring the channel's doorbell (see the free function {@link dmaAsyncIssuePending}). */
  dmaAsyncIssuePending(chan: DmaChan): void { client.dmaAsyncIssuePending(chan); }

  /** `dma_async_is_complete(cookie, lastComplete, lastUsed)` (the window rule) */
  dmaAsyncIsComplete(cookie: number, lastComplete: number, lastUsed: number): DmaStatus {
    return dmaAsyncIsComplete(cookie, lastComplete, lastUsed);
  }

  /** `dma_async_is_tx_complete(chan, cookie, &last, &used)`: see the free function {@link dmaAsyncIsTxComplete}. */
  dmaAsyncIsTxComplete(chan: DmaChan, cookie: number, last?: Holder<number> | null, used?: Holder<number> | null): DmaStatus {
    return client.dmaAsyncIsTxComplete(chan, cookie, last, used);
  }

  /** `dmaengine_tx_status(chan, cookie, state)`: see the free function {@link dmaengineTxStatus}. */
  dmaengineTxStatus(chan: DmaChan, cookie: number, state?: DmaTxState | null): DmaStatus {
    return client.dmaengineTxStatus(chan, cookie, state);
  }

  /** `dma_sync_wait(chan, cookie)`: blocking poll; ERROR after the timeout. */
  dmaSyncWait(chan: DmaChan, cookie: number): DmaStatus {
    return client.syncWait(chan, cookie, this.state.syncWaitTimeoutMs);
  }

  /** `dmaengine_submit(desc)`: the cookie */
  dmaengineSubmit(desc: DmaAsyncTxDescriptor): number { return client.dmaengineSubmit(desc); }

  /** `dmaengine_terminate_async(chan)`: see the free function {@link dmaengineTerminateAsync}. */
  dmaengineTerminateAsync(chan: DmaChan): void { client.dmaengineTerminateAsync(chan); }

  /** `dmaengine_terminate_sync(chan)`: see the free function {@link dmaengineTerminateSync}. */
  dmaengineTerminateSync(chan: DmaChan): void { client.dmaengineTerminateSync(chan); }

  /** `dmaengine_synchronize(chan)`: see the free function {@link dmaengineSynchronize}. */
  dmaengineSynchronize(chan: DmaChan): void { client.dmaengineSynchronize(chan); }

  /** Per channel, the `/sys/class/dma` attributes and the device. */
  listChannels(): introspect.DmaChannelInfo[] { return introspect.listChannels(this.state); }

  /** The text of `/sys/kernel/debug/dmaengine/summary`. */
  summary(): string { return introspect.summary(this.state); }

  /** The per-CPU channel table: capability name → channel name per CPU. */
  channelTable(): Record<string, (string | null)[]> { return introspect.channelTable(this.state); }
}

/**
 * An isolated dmaengine instance.
 * @example
 * const eng = createDmaEngine({ policy: 'nth_chan', cpus: 4 });
 * eng.dmaAsyncDeviceRegister(device);
 * eng.dmaengineGet();
 * const chan = eng.dmaFindChannel(DmaCap.MEMCPY, 2);
 */
export function createDmaEngine(options?: DmaEngineOptions): DmaEngine {
  return new DmaEngine(options);
}
