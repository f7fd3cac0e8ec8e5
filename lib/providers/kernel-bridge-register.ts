/**
 * `registerKernelDevices(options?)`: open the bridge, take the kernel's channels (shared by
 * default, or exclusive), group them by kernel `dma_device` and register one
 * {@link KernelBridgeDevice} per device with a dmaengine instance.
 *
 * Shared model: `dmaengine_get` + `dma_find_channel` for each capability with a channel table
 * (memcpy, xor, pq, xor_val, pq_val, memset); the distinct channels found become the devices'
 * channels (the kernel chooses them per CPU, as for its own async_tx). Exclusive model: every
 * free channel the bridge enumerates (or those named), by name: the kernel makes their devices
 * private to this process.
 *
 * Threading: JavaScript thread only; synchronous (a few ioctls).
 */
import { KernelBridge, type BridgeChanInfo } from '../bridge/kernel-bridge';
import { BRIDGE_SHARED_CAPS } from '../bridge/uapi';
import { defaultDmaEngine } from '../dmaengine/index';
import { DmaEngine } from '../dmaengine/instance';
import { checkInt, invalidRange, invalidType } from '../validate';
import { KernelBridgeDevice } from './kernel-bridge';
import { finishBridgeDesc } from './kernel-bridge-chan';
import { BridgeSession } from './kernel-bridge-session';
import { reportLater } from './outcome';

/** Options of {@link registerKernelDevices}. */
export interface RegisterKernelDevicesOptions {
  /** 'shared' (default: the kernel's dmaengine_get model) or 'exclusive' (dma_request_channel) */
  model?: 'shared' | 'exclusive';
  /** exclusive: only these kernel channels (`dma0chan1`) */
  channels?: string[];
  /** only channels of these kernel devices (`dmae_soft`, `0000:00:04.0`) */
  devices?: string[];
  /** the instance to register with (default the process's default instance) */
  engine?: DmaEngine;
  /** register the devices DMA_PRIVATE (default false: public, async_tx uses them at once) */
  private?: boolean;
  /** the node (default /dev/dmaengine_bridge) */
  path?: string;
  /** most operations in flight on the fd (ring entries, power of two, default 16384) */
  ringEntries?: number;
}

function stringList(v: unknown, name: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw invalidType('an Array of strings', name, v);
  return v as string[];
}

/** Takes the channels of one model; releases what it took when something fails. */
function takeChannels(bridge: KernelBridge, model: 'shared' | 'exclusive', names?: string[], devices?: string[]): BridgeChanInfo[] {
  const want = (i: BridgeChanInfo) => (devices === undefined || devices.includes(i.device));
  const got: BridgeChanInfo[] = [];
  if (model === 'exclusive') {
    const free = bridge.enumerate().filter((i) => i.handle === 0 && want(i) && (names === undefined || names.includes(i.name)));
    for (const i of free) got.push(bridge.requestExclusive({ name: i.name }));
    return got;
  }
  for (const cap of BRIDGE_SHARED_CAPS) {
    const info = bridge.requestSharedIfAny(cap);
    if (info === null) continue; // no channel for that capability
    if (!want(info) || got.some((g) => g.name === info.name)) bridge.releaseChannel(info.handle);
    else got.push(info);
  }
  return got;
}

/**
 * One DmaDevice per kernel dma_device the bridge reaches, registered with `options.engine`
 * (public unless `private`), with the real capabilities and limits. Operands must be dma-buf
 * bytes (allocDmaBuf, udmabuf, heaps, or `device.allocBuffer`); for other memory the prep
 * returns null and async_tx falls back to software. Unregister every returned device to
 * close the fd (`unregisterKernelDevices`).
 * @returns the devices (empty when the bridge reaches no channel; the fd is closed then)
 * @throws DmaEngineError ENOENT (module not loaded), EACCES (no permission on the node)
 */
export function registerKernelDevices(options: RegisterKernelDevicesOptions = {}): KernelBridgeDevice[] {
  if (options === null || typeof options !== 'object') throw invalidType('an object', 'options', options);
  const model = options.model ?? 'shared';
  if (model !== 'shared' && model !== 'exclusive') throw invalidRange('options.model', '"shared" or "exclusive"', model);
  const names = stringList(options.channels, 'options.channels');
  const devices = stringList(options.devices, 'options.devices');
  if (names !== undefined && model !== 'exclusive') throw invalidRange('options.channels', 'used with model "exclusive"', names);
  const ring = options.ringEntries === undefined ? 16384 : checkInt(options.ringEntries, 'options.ringEntries', 16, 65536);
  const engine = checkEngine(options.engine, 'options.engine');
  const session = new BridgeSession({ path: options.path, ringEntries: ring }, finishBridgeDesc, reportLater);
  let infos: BridgeChanInfo[];
  try {
    infos = takeChannels(session.bridge, model, names, devices);
  } catch (e) {
    session.bridge.close();
    throw e;
  }
  // one DmaDevice per kernel dma_device: its channels are dma<devId>chan<n>; one struct device
  // may carry several dma_devices (dmae_soft's memory-to-memory and slave ones)
  const byDevice = new Map<string, BridgeChanInfo[]>();
  for (const i of infos) {
    const key = `${i.device}/${i.name.replace(/chan\d+$/, '')}`;
    byDevice.set(key, [...(byDevice.get(key) ?? []), i]);
  }
  const out: KernelBridgeDevice[] = [];
  for (const list of byDevice.values()) out.push(new KernelBridgeDevice(session, list, model, options.private === true));
  if (out.length === 0) {
    session.bridge.close();
    return out;
  }
  try {
    for (const d of out) engine.dmaAsyncDeviceRegister(d);
  } catch (e) {
    for (const d of out) if (d.devId !== undefined) engine.dmaAsyncDeviceUnregister(d);
    session.bridge.close();
    throw e;
  }
  return out;
}

/** Unregisters devices of {@link registerKernelDevices}; the fd closes with the last one. */
export function unregisterKernelDevices(devices: readonly KernelBridgeDevice[], engine?: DmaEngine): void {
  if (!Array.isArray(devices) || !devices.every((d) => d instanceof KernelBridgeDevice)) {
    throw invalidType('an Array of KernelBridgeDevice', 'devices', devices);
  }
  const e = checkEngine(engine, 'engine');
  for (const d of devices) e.dmaAsyncDeviceUnregister(d);
}

function checkEngine(v: unknown, name: string): DmaEngine {
  if (v === undefined) return defaultDmaEngine();
  if (!(v instanceof DmaEngine)) throw invalidType('a DmaEngine', name, v);
  return v;
}
