/**
 * The only file that loads the native addon and types its surface.
 *
 * Loading is lazy: nothing native is touched until a caller first needs it, so the pure
 * TypeScript layers (the dmaengine core, the kernel sysfs view) work even where the addon could
 * not be built.
 *
 * Where the addon comes from, first found wins (lib/addon-path.ts): `DMAENGINE_ADDON=<path>`
 * (the cmake-js build in CI), the source build `build/Release/dmaengine.node`, the prebuilt
 * `prebuilds/linux-x64/dmaengine.node` shipped in the package. None found, or the one found
 * does not load: one error saying what to do, not a list of searched paths.
 *
 * Threading: the addon's functions are called on the JavaScript thread only.
 */
import type { KernelsAddon } from './native-types/kernels';
import type { EngineAddon } from './native-types/engine';
import type { DmabufAddon } from './native-types/dmabuf';
import type { SystemAddon } from './native-types/system';
import type { AbiAddon } from './native-types/abi';
import type { BridgeAddon } from './native-types/bridge';
import { addonCandidates, addonLoadError, type AddonLocation } from './addon-path';

export type NativeAddon = KernelsAddon & EngineAddon & DmabufAddon & SystemAddon & AbiAddon & BridgeAddon;

let cached: NativeAddon | undefined;
let loadedFrom: AddonLocation | undefined;

/** The addon, loaded on first call. Throws one actionable error if there is none that loads. */
export function native(): NativeAddon {
  if (cached === undefined) {
    const found = addonCandidates().find((c) => c.exists);
    if (found === undefined) throw addonLoadError(null);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cached = require(found.path) as NativeAddon;
    } catch (err) {
      throw addonLoadError(found, err);
    }
    loadedFrom = found;
  }
  return cached;
}

/** Which file `native()` loaded and why it was chosen (loads it first if needed). */
export function nativeAddonLocation(): AddonLocation {
  native();
  return loadedFrom!;
}
