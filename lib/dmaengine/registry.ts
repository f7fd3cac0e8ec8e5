/**
 * Device registration and unregistration (`dma_async_device_register` /
 * `dma_async_device_unregister`).
 *
 * Model (register): refuse a provider whose claims and callbacks disagree (EIO, the kernel's
 * messages), before changing anything; then set or clear ASYNC_TX, give the device the lowest
 * free id and its channels their ids and names, take references on behalf of existing public
 * clients when the device is public, put the core's argument checks in front of its prep ops
 * (prep.ts), append it to the device list (privatecnt = 1 when it registers private), and
 * rebuild the table.
 * Model (unregister): the seed RFC's rule, "removal while in use is disallowed": with any
 * channel referenced it throws EBUSY and changes nothing. `{ force: true }` is hot unplug: each
 * channel's work is terminated through the provider (pending descriptors complete ABORTED),
 * references are dropped, and every later use of the channels throws ENODEV.
 *
 * Threading: JavaScript thread only.
 */
import { DmaCap, DmaCapMask, checkMask, dmaCapName } from './caps';
import { DmaChan } from './channel';
import type { DmaDevice } from './device';
import { DmaEngineError } from './errors';
import { wrapPrepOps } from './prep';
import { chanGet } from './refcount';
import { deviceOwner, type EngineState } from './state';
import { rebalance } from './table';
import { checkInt, describeValue, invalidType } from '../validate';

/** The capabilities that need a prep callback, and its name. */
const CAP_OPS: ReadonlyArray<[DmaCap, keyof DmaDevice]> = [
  [DmaCap.MEMCPY, 'devicePrepDmaMemcpy'],
  [DmaCap.XOR, 'devicePrepDmaXor'],
  [DmaCap.XOR_VAL, 'devicePrepDmaXorVal'],
  [DmaCap.PQ, 'devicePrepDmaPq'],
  [DmaCap.PQ_VAL, 'devicePrepDmaPqVal'],
  [DmaCap.MEMSET, 'devicePrepDmaMemset'],
  [DmaCap.MEMSET_SG, 'devicePrepDmaMemsetSg'],
  [DmaCap.INTERRUPT, 'devicePrepDmaInterrupt'],
  [DmaCap.SLAVE, 'devicePrepSlaveSg'],
  [DmaCap.CYCLIC, 'devicePrepDmaCyclic'],
  [DmaCap.INTERLEAVE, 'devicePrepInterleavedDma'],
];

const CALLBACKS: ReadonlyArray<keyof DmaDevice> = [
  'deviceAllocChanResources', 'deviceFreeChanResources', 'deviceTxStatus', 'deviceIssuePending',
  'deviceTerminateAll', 'deviceSynchronize', 'deviceRelease', 'deviceConfig', ...CAP_OPS.map(([, op]) => op),
];

/** The async op types a device must all have for the core to set ASYNC_TX. */
const ALL_TX_TYPES: readonly DmaCap[] = [DmaCap.INTERRUPT, DmaCap.MEMCPY, DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.PQ, DmaCap.PQ_VAL];

/** Devices that registered with PRIVATE set (they stay private for good). */
const bornPrivate = new WeakSet<DmaDevice>();

/** A device's name for a message: `dev` when it is a string, else a description that cannot throw. */
function devName(dev: DmaDevice): string {
  const n: unknown = dev.dev;
  return typeof n === 'string' ? n : describeValue(n);
}

/**
 * `device_has_all_tx_types(device)`, given the device's mask: whether it has every async_tx
 * operation (INTERRUPT, MEMCPY, XOR, XOR_VAL, PQ, PQ_VAL); registration then sets `ASYNC_TX`.
 */
export function deviceHasAllTxTypes(mask: DmaCapMask): boolean {
  checkMask(mask, 'mask');
  return ALL_TX_TYPES.every((c) => (mask.bits & (1 << c)) !== 0);
}

function optInt(dev: DmaDevice, field: 'maxXor' | 'maxPq' | 'copyAlign' | 'xorAlign' | 'pqAlign' | 'fillAlign' | 'numaNode',
  min: number, max: number): void {
  if (dev[field] !== undefined) checkInt(dev[field], `device.${field}`, min, max);
}

/** Every check of registration, in the kernel's order; throws before anything changes. */
function checkDevice(state: EngineState, dev: DmaDevice): void {
  if (dev === null || dev === undefined) throw new DmaEngineError('ENODEV', 'dma_async_device_register: no device');
  if (typeof dev !== 'object') throw invalidType('a DmaDevice object', 'device', dev);
  if (deviceOwner.has(dev)) {
    throw new DmaEngineError('EEXIST', `dma_async_device_register: ${devName(dev)} is already registered` +
      (deviceOwner.get(dev) === state ? '' : ' with another instance'));
  }
  if (typeof dev.dev !== 'string' || dev.dev === '') throw new DmaEngineError('EIO', 'DMAdevice must have dev');
  if (!(dev.capMask instanceof DmaCapMask)) throw invalidType('a DmaCapMask', 'device.capMask', dev.capMask);
  if (!Array.isArray(dev.channels)) throw invalidType('an Array of DmaChan', 'device.channels', dev.channels);
  const seen = new Set<DmaChan>();
  dev.channels.forEach((chan, i) => {
    if (!(chan instanceof DmaChan)) throw invalidType('a DmaChan', `device.channels[${i}]`, chan);
    if (seen.has(chan)) throw new DmaEngineError('EINVAL', `${dev.dev}: channel ${i} is listed twice`);
    seen.add(chan);
    if (chan.device !== null && chan.device !== dev && deviceOwner.has(chan.device)) {
      throw new DmaEngineError('EBUSY', `${dev.dev}: channel ${i} belongs to registered device ${chan.device.dev}`);
    }
  });
  optInt(dev, 'maxXor', 0, 0xffff);
  optInt(dev, 'maxPq', 0, 0xffff);
  for (const f of ['copyAlign', 'xorAlign', 'pqAlign', 'fillAlign'] as const) optInt(dev, f, 0, 8);
  optInt(dev, 'numaNode', -1, 0x7fffffff);
  for (const cb of CALLBACKS) {
    if (dev[cb] !== undefined && typeof dev[cb] !== 'function') throw invalidType('a function', `device.${cb}`, dev[cb]);
  }
  for (const [cap, op] of CAP_OPS) {
    if ((dev.capMask.bits & (1 << cap)) !== 0 && dev[op] === undefined) {
      throw new DmaEngineError('EIO', `Device claims capability ${dmaCapName(cap)}, but op is not defined`);
    }
  }
  if (dev.deviceTxStatus === undefined) throw new DmaEngineError('EIO', 'Device tx_status is not defined');
  if (dev.deviceIssuePending === undefined) throw new DmaEngineError('EIO', 'Device issue_pending is not defined');
  if (dev.channels.length === 0) throw new DmaEngineError('ENODEV', `${dev.dev}: device has no channels!`);
}

function lowestFreeId(state: EngineState): number {
  const used = new Set(state.devices.map((d) => d.devId));
  let id = 0;
  while (used.has(id)) id++;
  return id;
}

/** `dma_async_device_register(device)` */
export function registerDevice(state: EngineState, dev: DmaDevice): void {
  checkDevice(state, dev);

  const mask = dev.capMask.clone(); // the kernel's mask is embedded in the device: no aliasing
  if (deviceHasAllTxTypes(mask)) mask.bits |= 1 << DmaCap.ASYNC_TX;
  else mask.bits &= ~(1 << DmaCap.ASYNC_TX); // set by the core, never by providers
  dev.capMask = mask;
  dev.devId = lowestFreeId(state);
  dev.chancnt = dev.channels.length;
  dev.privatecnt = 0;
  dev.channels.forEach((chan, i) => {
    chan.device = dev;
    chan.chanId = i;
    chan.name = chan.customName ?? `dma${dev.devId}chan${i}`;
    chan.clientCount = 0;
    chan.tableCount = 0;
    chan.exclusive = false;
    chan.removed = false;
  });

  const isPrivate = (mask.bits & (1 << DmaCap.PRIVATE)) !== 0;
  if (state.refCount > 0 && !isPrivate) {
    for (const chan of dev.channels) chanGet(state, chan); // on behalf of the existing clients
  }
  wrapPrepOps(dev); // the prep checks, once for every provider (prep.ts)
  state.devices.push(dev);
  deviceOwner.set(dev, state);
  if (isPrivate) {
    dev.privatecnt = 1; // always private
    bornPrivate.add(dev);
  } else {
    bornPrivate.delete(dev);
  }
  rebalance(state);
}

/** Options of `dma_async_device_unregister` ({@link DmaEngine.dmaAsyncDeviceUnregister}). */
export interface UnregisterOptions {
  /** Hot unplug: terminate and drop every reference instead of refusing with EBUSY. */
  force?: boolean;
}

/** `dma_async_device_unregister(device)`, with the RFC's refusal while in use. */
export function unregisterDevice(state: EngineState, dev: DmaDevice, options: UnregisterOptions = {}): void {
  if (dev === null || typeof dev !== 'object') throw invalidType('a DmaDevice object', 'device', dev);
  if (options === null || typeof options !== 'object') throw invalidType('an object', 'options', options);
  if (options.force !== undefined && typeof options.force !== 'boolean') {
    throw invalidType('a boolean', 'options.force', options.force);
  }
  const owner = deviceOwner.get(dev);
  if (owner === undefined) throw new DmaEngineError('ENODEV', `dma_async_device_unregister: ${devName(dev)} is not registered`);
  if (owner !== state) throw new DmaEngineError('EINVAL', `dma_async_device_unregister: ${dev.dev} is registered with another instance`);

  const busy = dev.channels.filter((c) => c.clientCount > 0);
  if (busy.length > 0 && options.force !== true) {
    const c = busy[0]!;
    throw new DmaEngineError('EBUSY', `dma_async_device_unregister: ${c.name} called while ${c.clientCount} clients hold a reference` +
      (busy.length > 1 ? ` (and ${busy.length - 1} more channels in use)` : ''));
  }

  let firstError: unknown;
  const attempt = (fn: () => unknown): void => {
    try { fn(); } catch (err) { if (firstError === undefined) firstError = err; }
  };
  if (options.force === true) {
    // removed first: a dependant the aborted work would submit onto this device ends ABORTED
    // instead (dmaRunDependencies), as it could never run
    for (const chan of dev.channels) chan.removed = true;
    for (const chan of dev.channels) {
      if (dev.deviceTerminateAll) attempt(() => dev.deviceTerminateAll!(chan));
      if (dev.deviceSynchronize) attempt(() => dev.deviceSynchronize!(chan));
    }
    for (const chan of busy) {
      chan.clientCount = 0;
      if (dev.deviceFreeChanResources) attempt(() => dev.deviceFreeChanResources!(chan));
    }
  }

  state.devices = state.devices.filter((d) => d !== dev);
  deviceOwner.delete(dev);
  for (const chan of dev.channels) {
    chan.removed = true;
    chan.exclusive = false;
    chan.tableCount = 0;
    state.exclusive.delete(chan);
  }
  dev.privatecnt = 0;
  // PRIVATE set by dmaRequestChannel goes with the requests; a re-registration starts afresh
  if (!bornPrivate.has(dev)) dev.capMask.bits &= ~(1 << DmaCap.PRIVATE);
  rebalance(state);
  if (dev.deviceRelease) attempt(() => dev.deviceRelease!(dev));
  if (firstError !== undefined) throw firstError;
}
