/**
 * The default dmaengine instance behind the kernel-style free functions, created on first use
 * with the options the package entry configured (its CPU source). Kept apart from index.ts so
 * that the configuration hook is not part of the public surface (`export *`).
 *
 * Threading: JavaScript thread only.
 */
import { DmaEngine, type DmaEngineOptions } from './instance';

let defaultEngine: DmaEngine | undefined;
let defaultOptions: DmaEngineOptions = {};

/** The default instance behind the free functions (created on first call). */
export function defaultDmaEngine(): DmaEngine {
  if (defaultEngine === undefined) defaultEngine = new DmaEngine(defaultOptions);
  return defaultEngine;
}

/**
 * @internal The options the default instance will be created with. The package entry
 * (lib/index.ts) uses it to inject the addon's CPU source; it has no effect once the default
 * instance exists.
 */
export function configureDefaultDmaEngine(options: DmaEngineOptions): void {
  defaultOptions = { ...defaultOptions, ...options };
}
