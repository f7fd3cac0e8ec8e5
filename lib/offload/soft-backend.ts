/**
 * The queued backend on the soft engine: one soft device (one worker thread per channel) on
 * an isolated dmaengine instance, driven through async_tx (lib/offload/async-tx-backend.ts:
 * spreading over channels, failures of multi-descriptor operations).
 *
 * The instance is made with one CPU per channel, so its per-CPU channel table gives CPU i
 * channel i for every capability. The alternatives cost more: one device per channel means
 * one native engine and one completion path each, and dependencies between them could never
 * be async_tx's; picking channels through `dmaRequestChannel` takes them out of async_tx's
 * reach altogether.
 *
 * Threading: JavaScript thread only.
 */
import { availableParallelism } from 'node:os';
import { DmaCap } from '../dmaengine/caps';
import { createDmaEngine } from '../dmaengine/instance';
import { SoftDevice } from '../providers/soft';
import { type AsyncTxBackend, openAsyncTxBackend } from './async-tx-backend';

/** Default channel count: the cores left beside the JavaScript thread, 1 to 4. */
export function defaultSoftChannels(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** @internal the soft device behind a backend, for tests (fault injection) */
export const softDeviceOf = new WeakMap<object, SoftDevice>();

/** @internal open the soft backend with `channels` worker threads */
export function openSoftBackend(channels: number): AsyncTxBackend {
  let cpu = 0;
  const engine = createDmaEngine({ cpus: channels, cpuToNode: () => 0, currentCpu: () => cpu });
  const dev = new SoftDevice({
    channels,
    caps: [DmaCap.MEMCPY, DmaCap.MEMSET, DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT],
    maxXor: 255,
    maxPq: 253,
  });
  engine.dmaAsyncDeviceRegister(dev);
  const backend = openAsyncTxBackend({
    kind: 'soft',
    engine,
    cpus: channels,
    setCpu: (c) => { cpu = c; },
    devices: [dev],
    channels,
    release: () => engine.dmaAsyncDeviceUnregister(dev),
  });
  softDeviceOf.set(backend, dev);
  return backend;
}
