/**
 * Whether the kernel bridge (the `dmaengine_bridge` module and its /dev/dmaengine_bridge) is
 * there and usable by this process, and if not, why: not built, built but not loaded, loaded
 * without its node, no permission on the node, another ABI. The version comes from the
 * module's version ioctl (the node is opened without a ring and closed again).
 *
 * Threading: synchronous, JavaScript thread only.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KernelBridge } from '../bridge/kernel-bridge';
import { DmaEngineError } from '../dmaengine/errors';
import { invalidType } from '../validate';

/**
 * What {@link kernelBridgeStatus} found: whether this package's kernel module (`dmaengine_bridge`)
 * is loaded, its ABI version, and why this process cannot use it if it cannot.
 */
export interface KernelBridgeStatus {
  /** The module is loaded (`/sys/module/dmaengine_bridge`, or its node exists). */
  loaded: boolean;
  /** The module's ABI version, from its version ioctl; null when the node could not be opened. */
  version: string | null;
  /** Why the bridge is not usable by this process (null when it is). */
  reason: string | null;
}

/** Where {@link kernelBridgeStatus} looks (tests point these at a fake tree). */
export interface KernelBridgeStatusOptions {
  /** sysfs root (default /sys) */
  sys?: string;
  /** device directory (default /dev) */
  dev?: string;
  /** where `dmaengine bridge build` leaves dmaengine_bridge.ko (default the package's native/kmod) */
  kmodDir?: string;
  /** opens the node and returns the ABI version (default: the version ioctl) */
  probe?: (node: string) => number;
}

/** The package's module sources (and, once built, dmaengine_bridge.ko). */
export const KMOD_DIR = path.resolve(__dirname, '..', '..', 'native', 'kmod');

function ioctlVersion(node: string): number {
  const b = new KernelBridge({ path: node, ringEntries: 0 });
  try {
    return b.version().abi;
  } finally {
    b.close();
  }
}

/** Looks at the module, its node and the built .ko; opens the node for the version. */
export function kernelBridgeStatus(options: KernelBridgeStatusOptions = {}): KernelBridgeStatus {
  if (options === null || typeof options !== 'object') throw invalidType('an object', 'options', options);
  for (const k of ['sys', 'dev', 'kmodDir'] as const) {
    const v: unknown = options[k];
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw invalidType('a directory path', `options.${k}`, v);
  }
  if (options.probe !== undefined && typeof options.probe !== 'function') throw invalidType('a function', 'options.probe', options.probe);
  const moduleDir = path.join(options.sys ?? '/sys', 'module', 'dmaengine_bridge');
  const node = path.join(options.dev ?? '/dev', 'dmaengine_bridge');
  const ko = path.join(options.kmodDir ?? KMOD_DIR, 'dmaengine_bridge.ko');
  const moduleLoaded = fs.existsSync(moduleDir);
  const nodeThere = fs.existsSync(node);
  if (!moduleLoaded && !nodeThere) {
    const reason = fs.existsSync(ko)
      ? `not loaded (no ${node}): built at ${ko}; load it with \`sudo dmaengine bridge load\``
      : `not built and not loaded (no ${node}): \`dmaengine bridge build\`, then \`sudo dmaengine bridge load\``;
    return { loaded: false, version: null, reason };
  }
  if (!nodeThere) return { loaded: true, version: null, reason: `module loaded but no ${node} (no devtmpfs or udev?)` };
  try {
    const abi = (options.probe ?? ioctlVersion)(node);
    return { loaded: true, version: String(abi), reason: null };
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    if (code === 'EACCES' || code === 'EPERM') {
      return { loaded: true, version: null,
        reason: `no permission on ${node} (${code}): run as root, or load with gid=<group> (or a udev rule) and join that group` };
    }
    const msg = err instanceof DmaEngineError || err instanceof Error ? err.message : String(err);
    return { loaded: true, version: null, reason: `${node} not usable: ${msg}` };
  }
}

/** One line for `dmaengine list` and `dmaengine bridge status`. */
export function describeKernelBridge(s: KernelBridgeStatus): string {
  if (s === null || typeof s !== 'object') throw invalidType('a KernelBridgeStatus', 's', s);
  if (s.reason === null) return `loaded (ABI version ${s.version})`;
  return s.reason;
}
