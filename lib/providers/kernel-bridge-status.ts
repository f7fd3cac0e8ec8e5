/**
 * Whether the kernel bridge (the `dmaengine_bridge` module and its /dev/dmaengine_bridge) is
 * there and usable by this process. Only looks: nothing is opened. The module's version, read
 * through its version ioctl, is filled in by the bridge itself once it exists; until then
 * `version` is null.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface KernelBridgeStatus {
  /** The device node exists and this process may open it read-write. */
  loaded: boolean;
  /** The module's version, when known. */
  version: string | null;
  /** Why it is not usable (null when loaded). */
  reason: string | null;
}

/** Looks at `<sys>/module/dmaengine_bridge` and `<dev>/dmaengine_bridge` (roots for tests). */
export function kernelBridgeStatus(roots: { sys?: string; dev?: string } = {}): KernelBridgeStatus {
  const moduleDir = path.join(roots.sys ?? '/sys', 'module', 'dmaengine_bridge');
  const node = path.join(roots.dev ?? '/dev', 'dmaengine_bridge');
  const moduleLoaded = fs.existsSync(moduleDir);
  if (!fs.existsSync(node)) {
    return { loaded: false, version: null, reason: moduleLoaded ? `module loaded but no ${node}` : `not loaded (no ${node})` };
  }
  try {
    fs.accessSync(node, fs.constants.R_OK | fs.constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { loaded: false, version: null, reason: `not usable: ${node}: ${code} (root, or a udev rule granting access, is needed)` };
  }
  let version: string | null = null;
  try {
    version = fs.readFileSync(path.join(moduleDir, 'version'), 'utf8').trim() || null;
  } catch {
    // Modules without MODULE_VERSION have no version file; the bridge's ioctl will tell.
  }
  return { loaded: true, version, reason: null };
}

/** One line for `dmaengine list`: `bridge: loaded (version 0.1)` or `bridge: not loaded (…)`. */
export function describeKernelBridge(s: KernelBridgeStatus): string {
  if (s.loaded) return `loaded${s.version ? ` (version ${s.version})` : ''}`;
  return s.reason ?? 'not loaded';
}
