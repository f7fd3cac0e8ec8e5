/**
 * The calling thread's CPU for the dmaengine core's per-CPU channel table: the addon's
 * `sched_getcpu`. The core (lib/dmaengine/) reads no hardware; the package entry injects this
 * source into the default instance and into `createDmaEngine`.
 *
 * Threading: JavaScript thread only (each worker thread loads its own copy).
 */
import { native } from './native';

let getcpu: (() => number) | undefined;

/**
 * `sched_getcpu()` through the addon. When the addon cannot be loaded (a plain-provider-only
 * program on a machine where the build failed) every lookup is for CPU 0, and a process
 * warning says why, once.
 */
export function nativeCurrentCpu(): number {
  if (getcpu === undefined) {
    try {
      const addon = native();
      getcpu = () => addon.schedGetcpu();
    } catch (err) {
      process.emitWarning(`dmaengine: the native addon did not load (${(err as Error).message}); `
        + 'the per-CPU channel table is read for CPU 0', { code: 'DMAENGINE_NO_ADDON' });
      getcpu = () => 0;
    }
  }
  return getcpu();
}
