/**
 * The `kernel` provider: a read-only view of the machine's real DMA channels, as the kernel
 * shows them in `/sys/class/dma` (§3): one directory per channel (`dma<dev>chan<chan>`) with
 * `in_use`, `memcpy_count`, `bytes_transferred`, a `device` link to the controller (whose
 * `driver` link names its driver) and, for a channel taken by name, a `slave` link. Also the
 * debugfs summary when it is readable.
 *
 * Nothing is registered with the core: kernel channels belong to the kernel's own dmaengine;
 * this only reads. The roots are parameters so tests can build a fake tree.
 *
 * Threading: synchronous file reads on the JavaScript thread (a few small sysfs files).
 */
import * as fs from 'fs';
import * as path from 'path';
import { invalidType } from '../validate';

/** `/sys/class/dma` */
export const SYSFS_DMA_ROOT = '/sys/class/dma';
/** `/sys/kernel/debug/dmaengine/summary` */
export const DEBUGFS_DMA_SUMMARY = '/sys/kernel/debug/dmaengine/summary';

/** One kernel channel, shaped like the core's `listChannels()` entries. */
export interface KernelDmaChannel {
  /** directory name: `dma0chan3` */
  name: string;
  /** `in_use`: client count (null when unreadable, e.g. the channel is being torn down) */
  in_use: number | null;
  /** sysfs `memcpy_count`: descriptors the channel has completed (null when unreadable). */
  memcpy_count: number | null;
  /** sysfs `bytes_transferred`: bytes the channel has moved (null when unreadable). */
  bytes_transferred: number | null;
  /** the controller: the `device` link's target name (`0000:00:04.0`, `idxd/dsa0`, …) */
  device: string | null;
  /** the controller's full sysfs path */
  devicePath: string | null;
  /** the controller's driver (`ioatdma`, `idxd`, …) */
  driver: string | null;
  /** the client device when the channel was taken by name (`slave` link) */
  slave: string | null;
}

/** One controller and its channels. */
export interface KernelDmaController {
  /** The controller's name: the `device` link's target name (`0000:00:04.0`, `idxd/dsa0`, …). */
  device: string;
  /** The controller's full sysfs path, null when the link cannot be resolved. */
  devicePath: string | null;
  /** The controller's driver (`ioatdma`, `idxd`, …), null when unknown. */
  driver: string | null;
  /** Names of its channels (`dma0chan0`, …). */
  channels: string[];
}

/** What the kernel shows. */
export interface KernelDmaView {
  /** the directory read */
  root: string;
  /** whether it exists (the `dma` class is there whenever CONFIG_DMA_ENGINE is) */
  present: boolean;
  /** Every channel under the directory, in name order (empty when absent). */
  channels: KernelDmaChannel[];
  /** The channels grouped by controller. */
  controllers: KernelDmaController[];
}

function readNumber(file: string): number | null {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}

function linkTarget(link: string): string | null {
  try {
    return fs.realpathSync(link);
  } catch {
    return null;
  }
}

/** The controller's name as the kernel prints it: the last component of its path. */
function deviceName(devicePath: string): string {
  return path.basename(devicePath);
}

function channelOrder(a: string, b: string): number {
  const ma = /^dma(\d+)chan(\d+)$/.exec(a);
  const mb = /^dma(\d+)chan(\d+)$/.exec(b);
  if (ma && mb) return Number(ma[1]) - Number(mb[1]) || Number(ma[2]) - Number(mb[2]);
  if (ma) return -1;
  if (mb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Read `root` (default `/sys/class/dma`).
 * @returns every channel and controller; `present: false` when the directory is missing
 */
export function readKernelDma(root: string = SYSFS_DMA_ROOT): KernelDmaView {
  if (typeof root !== 'string' || root === '') throw invalidType('a directory path', 'root', root);
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return { root, present: false, channels: [], controllers: [] };
  }
  names.sort(channelOrder);
  const channels: KernelDmaChannel[] = [];
  const byDevice = new Map<string, KernelDmaController>();
  for (const name of names) {
    const dir = path.join(root, name);
    const devicePath = linkTarget(path.join(dir, 'device'));
    const driverPath = devicePath === null ? null : linkTarget(path.join(devicePath, 'driver'));
    const slavePath = linkTarget(path.join(dir, 'slave'));
    const chan: KernelDmaChannel = {
      name,
      in_use: readNumber(path.join(dir, 'in_use')),
      memcpy_count: readNumber(path.join(dir, 'memcpy_count')),
      bytes_transferred: readNumber(path.join(dir, 'bytes_transferred')),
      device: devicePath === null ? null : deviceName(devicePath),
      devicePath,
      driver: driverPath === null ? null : path.basename(driverPath),
      slave: slavePath === null ? null : path.basename(slavePath),
    };
    channels.push(chan);
    const key = devicePath ?? `(unknown controller of ${name})`;
    let ctl = byDevice.get(key);
    if (ctl === undefined) {
      ctl = { device: chan.device ?? '(unknown)', devicePath, driver: chan.driver, channels: [] };
      byDevice.set(key, ctl);
    }
    ctl.channels.push(name);
  }
  return { root, present: true, channels, controllers: [...byDevice.values()] };
}

/**
 * The kernel's debugfs summary text, or null when debugfs is not mounted or not readable
 * (it needs root).
 */
export function readKernelDmaSummary(file: string = DEBUGFS_DMA_SUMMARY): string | null {
  // a number would be read as a file descriptor (0 is stdin), a Buffer as a path: only a path string
  if (typeof file !== 'string' || file === '') throw invalidType('a file path', 'file', file);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** One line saying what the view holds, for logs and the CLI. */
export function describeKernelDma(view: KernelDmaView): string {
  if (view === null || typeof view !== 'object') throw invalidType('a KernelDmaView (readKernelDma())', 'view', view);
  const { present, root, channels, controllers } = view;
  if (typeof present !== 'boolean') throw invalidType('a boolean', 'view.present', present);
  if (typeof root !== 'string') throw invalidType('a string', 'view.root', root);
  if (!Array.isArray(channels)) throw invalidType('an Array', 'view.channels', channels);
  if (!Array.isArray(controllers)) throw invalidType('an Array', 'view.controllers', controllers);
  if (!present) return `${root}: not present (kernel without CONFIG_DMA_ENGINE, or no sysfs)`;
  if (channels.length === 0) return `${root}: present but empty: no DMA channel is registered in this kernel`;
  return `${root}: ${channels.length} channel(s) on ${controllers.length} controller(s)`;
}

// The bridge (native/kmod): the same machine's channels, usable, not only read.
export { registerKernelDevices, unregisterKernelDevices, type RegisterKernelDevicesOptions } from './kernel-bridge-register';
export { KernelBridgeDevice } from './kernel-bridge';
export { kernelBridgeStatus, describeKernelBridge, type KernelBridgeStatus } from './kernel-bridge-status';
