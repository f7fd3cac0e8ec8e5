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
 * - `bridge`: the kernel's own dmaengine channels through native/kmod (`registerKernelDevices`
 *   on its own instance, public there so async_tx finds them), the same per-CPU spreading. Its
 *   channels take dma-buf bytes only, so its blocks are udmabuf dma-bufs (`memory()`); an
 *   operation the bridged device cannot take in one piece (a validate over more blocks than
 *   its limit) is left out of its column, saying why, rather than measured in software.
 *
 * Threading: JavaScript thread only.
 */
import {
  type AsyncTx, DmaCap, type DmaEngine, createAsyncTx, createDmaEngine, registerSoftDevice,
} from '../index';
import { availableSources, allocDmaBuf } from '../dmabuf/alloc';
import type { DmaBuf } from '../dmabuf/dmabuf';
import { dmaMaxpq } from '../dmaengine/device';
import type { BenchEngineId, BenchOp } from './sweep';
import { kernelBridgeStatus } from '../providers/kernel-bridge-status';
import { registerKernelDevices, unregisterKernelDevices } from '../providers/kernel-bridge-register';

/** One opened engine. */
export interface EngineSession {
  readonly api: AsyncTx;
  readonly channels: number;
  /** The channel the next submission goes to (0..channels-1). */
  setChannel(i: number): void;
  /** Drops the async_tx reference and unregisters what open() registered. */
  close(): void;
  /** Why the engine's channels cannot take `op` as the bench runs it (null or absent: they can). */
  cannot?(op: BenchOp): string | null;
}

/** Where an engine's blocks live (an engine whose channels take only some memory). */
export interface BenchMemory {
  /** zeroed bytes, as a Buffer over that memory */
  alloc(len: number): Buffer;
  /** releases every allocation (idempotent) */
  free(): void;
}

export interface BenchEngine {
  readonly id: BenchEngineId;
  readonly label: string;
  /** Whether operations are queued (channels and depth apply) or run inline. */
  readonly queued: boolean;
  /** null when usable here; otherwise why not. */
  probe(): string | null;
  open(channels: number): EngineSession;
  /** Memory for the blocks; absent: Node Buffers. */
  memory?(): BenchMemory;
}

const SOFT_CAPS = [DmaCap.MEMCPY, DmaCap.MEMSET, DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT];

function session(engine: DmaEngine, channels: number, select: (i: number) => void, release: () => void): EngineSession {
  const api = createAsyncTx(engine);
  return {
    api,
    channels,
    setChannel: select,
    close(): void {
      api.exit();
      release();
    },
  };
}

const inlineEngine: BenchEngine = {
  id: 'inline',
  label: 'inline',
  queued: false,
  probe: () => null,
  open: () => session(createDmaEngine({ cpus: 1 }), 1, () => undefined, () => undefined),
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
    return session(engine, channels, (i) => { cpu = i; }, () => engine.dmaAsyncDeviceUnregister(dev));
  },
};

/** Blocks of the bench's RAID-6 operations: 8 data, P, Q (lib/bench/workload.ts). */
const DISKS = 10;
/** Sources of the bench's xor_val (lib/bench/workload.ts). */
const XOR_VAL_SOURCES = 8;

const bridgeEngine: BenchEngine = {
  id: 'bridge',
  label: 'bridge',
  queued: true,
  probe: () => {
    const s = kernelBridgeStatus();
    if (!s.loaded) return `not loaded: ${s.reason ?? 'unknown'}`;
    if (s.reason !== null) return s.reason;
    if (!availableSources().udmabuf) return 'loaded, but no /dev/udmabuf for the dma-buf blocks its channels take (modprobe udmabuf)';
    let devs: ReturnType<typeof registerKernelDevices>;
    const engine = createDmaEngine({ cpus: 1 });
    try {
      devs = registerKernelDevices({ engine });
    } catch (e) {
      return `registerKernelDevices failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    unregisterKernelDevices(devs, engine);
    return devs.length === 0 ? 'loaded, but the bridge reaches no kernel dmaengine channel' : null;
  },
  open(channels: number): EngineSession {
    let cpu = 0;
    const engine = createDmaEngine({ cpus: channels, currentCpu: () => cpu });
    const devs = registerKernelDevices({ engine });
    // a public client from the start: `cannot` reads the channel table before any operation
    engine.dmaengineGet();
    const s = session(engine, channels, (i) => { cpu = i; }, () => {
      engine.dmaenginePut();
      unregisterKernelDevices(devs, engine);
    });
    s.cannot = (op) => {
      const dev = (cap: DmaCap) => engine.dmaFindChannel(cap, 0)?.device ?? null;
      if (op === 'xor_val') {
        const d = dev(DmaCap.XOR_VAL);
        if (d === null) return 'no bridged channel with xor_val';
        if ((d.maxXor ?? 0) < XOR_VAL_SOURCES) return `${XOR_VAL_SOURCES} sources exceed the device's xor limit (${d.maxXor})`;
      }
      if (op === 'pq_val') {
        const d = dev(DmaCap.PQ_VAL);
        if (d === null) return 'no bridged channel with pq_val';
        if (dmaMaxpq(d, 0) < DISKS) return `${DISKS} blocks exceed the device's P+Q validate limit (${dmaMaxpq(d, 0)})`;
      }
      const need: Partial<Record<BenchOp, DmaCap>> = {
        memcpy: DmaCap.MEMCPY, memset: DmaCap.MEMSET, xor: DmaCap.XOR, pq: DmaCap.PQ, recov_2data: DmaCap.PQ, recov_datap: DmaCap.PQ,
      };
      const cap = need[op];
      if (cap !== undefined && dev(cap) === null) return `no bridged channel with ${DmaCap[cap].toLowerCase()}`;
      return null;
    };
    return s;
  },
  memory(): BenchMemory {
    const bufs: DmaBuf[] = [];
    return {
      alloc(len: number): Buffer {
        const b = allocDmaBuf(len, { source: 'udmabuf' });
        bufs.push(b);
        return Buffer.from(b.bytes.buffer, b.bytes.byteOffset, len);
      },
      free(): void {
        for (const b of bufs.splice(0)) b.close();
      },
    };
  },
};

/** Every engine, in column order. */
export const BENCH_ENGINES: readonly BenchEngine[] = [inlineEngine, softEngine, bridgeEngine];

/** The engine `id`. */
export function benchEngine(id: BenchEngineId): BenchEngine {
  return BENCH_ENGINES.find((e) => e.id === id)!;
}
