/**
 * The only file that loads the native addon and types its surface.
 *
 * Loading is lazy: nothing native is touched until a caller first needs it, so the pure
 * TypeScript layers (the dmaengine core, the kernel sysfs view) work even where the addon could
 * not be built. `DMAENGINE_ADDON=<path>` loads a specific build (the cmake-js one in CI).
 *
 * Threading: the addon's functions are called on the JavaScript thread only.
 */
import type { KernelsAddon } from './native-types/kernels';
import type { EngineAddon } from './native-types/engine';
import type { DmabufAddon } from './native-types/dmabuf';
import type { SystemAddon } from './native-types/system';

export type NativeAddon = KernelsAddon & EngineAddon & DmabufAddon & SystemAddon;

let cached: NativeAddon | undefined;

/** The addon, loaded on first call. Throws if it was never built. */
export function native(): NativeAddon {
  if (cached === undefined) {
    const override = process.env.DMAENGINE_ADDON;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cached = (override ? require(require('path').resolve(override)) : require('bindings')('dmaengine')) as NativeAddon;
  }
  return cached;
}
