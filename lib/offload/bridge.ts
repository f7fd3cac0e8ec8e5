/**
 * The one place the kernel bridge plugs into the Promise API.
 *
 * Model: `openDma({ engine: 'bridge' })` and `'auto'` ask {@link openBridgeBackend} for a
 * queued backend over the bridged kernel channels. Until the bridge provider
 * (`registerKernelDevices`) is part of this build, the answer is why not: the module's state
 * from `kernelBridgeStatus()`, or that the provider is missing. `'bridge'` then fails with
 * `ENODEV` "bridge not loaded: <reason>"; `'auto'` takes the soft engine and says why in
 * `dma.fallbackReason`.
 *
 * Threading: JavaScript thread only.
 */
import { kernelBridgeStatus } from '../providers/kernel-bridge-status';
import type { QueuedBackend } from './backend';

/** @internal a backend over the bridged kernel channels, or the reason there is none */
export function openBridgeBackend(channels: number): QueuedBackend | string {
  void channels;
  const s = kernelBridgeStatus();
  if (!s.loaded) return s.reason ?? 'not loaded';
  return 'the kernel bridge provider (registerKernelDevices) is not part of this build';
}
