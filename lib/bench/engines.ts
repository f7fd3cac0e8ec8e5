/**
 * The engines a sweep runs the public API on, as one list so that another engine (the kernel
 * bridge, a DSA provider) plugs in by adding an entry: `probe()` says whether it is loaded here
 * and, when not, why (the bench prints "not loaded: <reason>" and skips it); `open(channels)`
 * gives an async_tx binding whose operations go to `channels` channels of that engine.
 *
 * - `inline`: a dmaengine instance with no device: every async_tx call runs on the CPU before
 *   it returns (the kernel's synchronous path); not queued, so channels/depth do not apply.
 * - `soft`: a `soft` provider device (native worker thread per channel) on its own instance.
 *   The instance's per-CPU channel table gives CPU i channel i; `setChannel(i)` makes the next
 *   submission read CPU i, which is how async_tx spreads work over channels in the kernel too.
 * - `bridge`: the kernel's own dmaengine channels through native/kmod: reported, not swept yet
 *   (`npm run bench:bridge` measures it in the kernel lane).
 *
 * Threading: JavaScript thread only.
 */
import {
  type AsyncTx, DmaCap, type DmaDevice, type DmaEngine, createAsyncTx, createDmaEngine, registerSoftDevice,
} from '../index';
import type { BenchEngineId } from './sweep';
import { kernelBridgeStatus } from '../providers/kernel-bridge-status';

/** One opened engine. */
export interface EngineSession {
  readonly api: AsyncTx;
  readonly channels: number;
  /** The channel the next submission goes to (0..channels-1). */
  setChannel(i: number): void;
  /** Drops the async_tx reference and unregisters what open() registered. */
  close(): void;
}

export interface BenchEngine {
  readonly id: BenchEngineId;
  readonly label: string;
  /** Whether operations are queued (channels and depth apply) or run inline. */
  readonly queued: boolean;
  /** null when usable here; otherwise why not. */
  probe(): string | null;
  open(channels: number): EngineSession;
}

const SOFT_CAPS = [DmaCap.MEMCPY, DmaCap.MEMSET, DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT];

function session(engine: DmaEngine, channels: number, select: (i: number) => void, dev: DmaDevice | null): EngineSession {
  const api = createAsyncTx(engine);
  return {
    api,
    channels,
    setChannel: select,
    close(): void {
      api.exit();
      if (dev) engine.dmaAsyncDeviceUnregister(dev);
    },
  };
}

const inlineEngine: BenchEngine = {
  id: 'inline',
  label: 'inline',
  queued: false,
  probe: () => null,
  open: () => session(createDmaEngine({ cpus: 1 }), 1, () => undefined, null),
};

const softEngine: BenchEngine = {
  id: 'soft',
  label: 'soft',
  queued: true,
  probe: () => null,
  open(channels: number): EngineSession {
    let cpu = 0;
    const engine = createDmaEngine({ cpus: channels, currentCpu: () => cpu });
    const dev = registerSoftDevice({ name: 'bench-soft', channels, caps: SOFT_CAPS }, engine);
    return session(engine, channels, (i) => { cpu = i; }, dev);
  },
};

const bridgeEngine: BenchEngine = {
  id: 'bridge',
  label: 'bridge',
  queued: true,
  // Bridged channels take dma-buf operands only: the sweep's Node buffers would all fall back
  // to software, so until the sweep allocates dma-bufs the column says why it is empty.
  probe: () => {
    const s = kernelBridgeStatus();
    if (!s.loaded) return `not loaded: ${s.reason ?? 'unknown'}`;
    return 'loaded, but the sweep does not allocate dma-buf operands yet (npm run bench:bridge measures the bridge)';
  },
  open(): EngineSession {
    throw new Error('the kernel bridge is not loaded');
  },
};

/** Every engine, in column order. */
export const BENCH_ENGINES: readonly BenchEngine[] = [inlineEngine, softEngine, bridgeEngine];

/** The engine `id`. */
export function benchEngine(id: BenchEngineId): BenchEngine {
  return BENCH_ENGINES.find((e) => e.id === id)!;
}
