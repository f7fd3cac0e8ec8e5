/**
 * The kernel bridge under the Promise API: `openDma({ engine: 'bridge' })`, and `'auto'` when
 * the bridge is loaded and reaches a channel.
 *
 * Model: the bridged kernel channels (`registerKernelDevices`, lib/providers/kernel-bridge*)
 * are registered on an isolated dmaengine instance of the Dma's own (public there, so
 * async_tx's channel table finds them; the default instance never sees them), driven through
 * async_tx like the soft engine (lib/offload/async-tx-backend.ts). A bridged channel reaches
 * dma-buf bytes only (allocDmaBuf, a DmaBuf's `bytes` or views into them, the bridge's own
 * buffers); every other operation goes to a soft engine the Dma opens on first need
 * (lib/offload/routed-backend.ts): Node-allocated memory, an operation the bridged devices
 * have no capability for, operands their alignment or source limits refuse. `dma.placement`
 * says how many went where.
 *
 * When there is no bridge, the answer is why: the module's state from `kernelBridgeStatus()`,
 * a registration failure, or no channel reached. `'bridge'` then fails with `ENODEV` "bridge
 * not loaded: <reason>"; `'auto'` takes the soft engine and says why in `dma.fallbackReason`.
 *
 * Threading: JavaScript thread only.
 */
import { DmaCap } from '../dmaengine/caps';
import type { DmaChan } from '../dmaengine/channel';
import {
  type DmaDevice, dmaMaxpq, isDmaCopyAligned, isDmaFillAligned, isDmaPqAligned, isDmaXorAligned,
} from '../dmaengine/device';
import { createDmaEngine } from '../dmaengine/instance';
import type { DmaBuf } from '../dmabuf/dmabuf';
import { dmaBufOfView } from '../dmabuf/registry';
import { type KernelBridgeDevice } from '../providers/kernel-bridge';
import { registerKernelDevices, unregisterKernelDevices } from '../providers/kernel-bridge-register';
import { type KernelBridgeStatus, kernelBridgeStatus } from '../providers/kernel-bridge-status';
import { byteLengthOf, byteOffsetOf } from '../views';
import { openAsyncTxBackend } from './async-tx-backend';
import type { QueuedBackend } from './backend';
import type { Job } from './job';
import { openRoutedBackend } from './routed-backend';
import { openSoftBackend } from './soft-backend';

/** Whether `v` is dma-buf bytes a bridged channel can import (not a memfd stand-in, not closed). */
export function isDmaBufBytes(v: Uint8Array): boolean {
  const w = dmaBufOfView(v);
  return w !== null && !w.dmabuf.closed && w.dmabuf.isDmaBuf;
}

const ALIGNED: Partial<Record<DmaCap, (dev: DmaDevice, off: number, len: number) => boolean>> = {
  [DmaCap.MEMCPY]: (d, o, n) => isDmaCopyAligned(d, o, 0, n),
  [DmaCap.MEMSET]: (d, o, n) => isDmaFillAligned(d, o, 0, n),
  [DmaCap.XOR]: (d, o, n) => isDmaXorAligned(d, o, 0, n),
  [DmaCap.XOR_VAL]: (d, o, n) => isDmaXorAligned(d, o, 0, n),
  [DmaCap.PQ]: (d, o, n) => isDmaPqAligned(d, o, 0, n),
  [DmaCap.PQ_VAL]: (d, o, n) => isDmaPqAligned(d, o, 0, n),
};

/**
 * @internal Whether bridged channels (found per capability by `chanFor`) take `job` whole:
 * every operand dma-buf bytes, a channel for every capability it uses, offsets aligned as each
 * device asks and, for a validate operation (its own `inline`, as async_tx's software path is
 * not usable there), all its blocks within one descriptor's limit.
 */
export function bridgeTakes(job: Job<unknown>, chanFor: (cap: DmaCap) => DmaChan | null,
  isBridgeBytes: (v: Uint8Array) => boolean = isDmaBufBytes): boolean {
  if (job.bytes === 0 || job.operands.length === 0) return false;
  if (!job.operands.every(isBridgeBytes)) return false;
  const len = Math.min(...job.operands.map(byteLengthOf));
  for (const cap of job.caps) {
    const dev = chanFor(cap)?.device ?? null;
    if (dev === null) return false;
    const aligned = ALIGNED[cap];
    if (aligned !== undefined && !job.operands.every((v) => aligned(dev, byteOffsetOf(v), len))) return false;
  }
  if (job.inline !== undefined) {
    const cap = job.caps[0]!;
    const dev = chanFor(cap)!.device!;
    const most = cap === DmaCap.PQ_VAL ? dmaMaxpq(dev, 0) : dev.maxXor ?? 0;
    if (job.operands.length > most) return false;
  }
  return true;
}

/** @internal the bridged devices behind a backend (and, through openDma, a Dma), for tests */
export const bridgeDevicesOf = new WeakMap<object, KernelBridgeDevice[]>();

/** Most bytes of the threshold measurement's operands at once (2 × 8 copies of 32 KiB, and room). */
const SCRATCH_BYTES = 1 << 20;

/** @internal what {@link openBridgeBackend} uses; tests replace them */
export interface BridgeDeps {
  status: () => KernelBridgeStatus;
  register: typeof registerKernelDevices;
}

const DEFAULT_DEPS: BridgeDeps = { status: () => kernelBridgeStatus(), register: registerKernelDevices };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * @internal A backend over the bridged kernel channels (the rest on a soft engine of
 * `channels` threads), or the reason there is none.
 */
export function openBridgeBackend(channels: number, deps: BridgeDeps = DEFAULT_DEPS): QueuedBackend | string {
  const s = deps.status();
  if (!s.loaded) return s.reason ?? 'not loaded';
  if (s.reason !== null) return s.reason;
  let cpu = 0;
  const engine = createDmaEngine({ cpus: channels, cpuToNode: () => 0, currentCpu: () => cpu });
  let devs: KernelBridgeDevice[];
  try {
    devs = deps.register({ engine });
  } catch (e) {
    return `registerKernelDevices failed: ${message(e)}`;
  }
  if (devs.length === 0) return 'the bridge reaches no kernel dmaengine channel (no DMA device with a capability the bridge serves)';
  const primary = openAsyncTxBackend({
    kind: 'bridge',
    engine,
    cpus: channels,
    setCpu: (c) => { cpu = c; },
    devices: devs,
    channels: devs.reduce((n, d) => n + d.channels.length, 0),
    release: () => unregisterKernelDevices(devs, engine),
  });
  let arena: DmaBuf | null = null;
  let used = 0;
  const backend = openRoutedBackend({
    primary,
    takes: (job) => bridgeTakes(job, (cap) => primary.channelFor(cap)),
    openFallback: () => openSoftBackend(channels),
    scratch(size) {
      if (size > SCRATCH_BYTES) return new Uint8Array(size); // not asked for: the measurement's sizes fit
      // the bridge's own pages: takes every device of this registration, no udmabuf needed
      if (arena === null) arena = devs[0]!.allocBuffer(SCRATCH_BYTES);
      if (used + size > SCRATCH_BYTES) used = 0;
      const v = arena.bytes.subarray(used, used + size);
      v.fill(0);
      used += (size + 63) & ~63;
      return v;
    },
    closed: () => { arena?.close(); },
  });
  bridgeDevicesOf.set(backend, devs);
  return backend;
}
