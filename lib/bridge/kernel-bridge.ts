/**
 * KernelBridge: one open `/dev/dmaengine_bridge` fd (native/kmod), as JavaScript sees it.
 *
 * Model (docs/kernel-bridge.md): the fd owns channels (exclusive or shared), buffers (dma-bufs
 * imported or allocated for a channel's device) and one completion ring. A batch of operations
 * goes to the kernel in ONE ioctl, doorbell included (`submit(…, { issue: true })`); the
 * completions come back through libuv's poll on the fd, all entries ready at one wake-up in one
 * `onComplete` call (a {@link BridgeCompletionBatch}), as the soft engine delivers its own.
 *
 * Call order: `openKernelBridge()` → `requestShared`/`requestExclusive` → `importBuffer` /
 * `allocBuffer` → `submit`… → (`onComplete` batches) → `close()`.
 *
 * Threading: JavaScript thread only; `onComplete` runs on the loop, never on the caller's stack
 * (except through `poll()` and `close()`, which deliver synchronously).
 */
import { native } from '../native';
import type {
  KernelBridgeHandle, NativeBridgeChanInfo, NativeBridgeStats, NativeBridgeVersion,
} from '../native-types/bridge';
import { DmaEngineError } from '../dmaengine/errors';
import { isNativeErrno, rethrow } from '../dmabuf/errors';
import { checkInt, invalidType } from '../validate';
import type { BridgeBatch } from './batch';
import { BY_ANY, BY_DEVICE, BY_NAME, DIR_BIDIRECTIONAL, DMABRIDGE_DEVICE_PATH, SUBMIT_ISSUE, SUBMIT_STOP } from './uapi';

export type { NativeBridgeChanInfo as BridgeChanInfo, NativeBridgeStats as BridgeStats, NativeBridgeVersion as BridgeVersion };

const STRIDE = 6;

/** One wake-up's ring entries; valid during the `onComplete` call that received it. */
export class BridgeCompletionBatch {
  /** Entries in this batch; index `i` of the accessors runs from 0 to `count - 1`. */
  count = 0;
  /** `data[i*6 + 0..5]` = chan, tag, status, result, residue, val */
  data: Int32Array = new Int32Array(0);
  /** The channel handle entry `i` completed on (as `requestShared`/`requestExclusive` returned it). */
  chan(i: number): number { return this.data[i * STRIDE]!; }
  /** The operation's tag (u32). */
  tag(i: number): number { return this.data[i * STRIDE + 1]! >>> 0; }
  /** 0, -EIO (the engine failed it) or -ECANCELED (terminated before it ran). */
  status(i: number): number { return this.data[i * STRIDE + 2]!; }
  /** enum dmaengine_tx_result of a failed one. */
  result(i: number): number { return this.data[i * STRIDE + 3]!; }
  /** Bytes entry `i` left untransferred (u32; 0 when it completed). */
  residue(i: number): number { return this.data[i * STRIDE + 4]! >>> 0; }
  /** xor_val / pq_val: SUM_CHECK_P/Q bits. */
  val(i: number): number { return this.data[i * STRIDE + 5]!; }
}

/** The DmaEngineError for a node that could not be opened, saying what to do. */
export function bridgeOpenError(e: unknown, path: string): DmaEngineError {
  if (!isNativeErrno(e)) throw e;
  switch (e.code) {
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return new DmaEngineError(e.code, `the dmaengine bridge is not loaded: ${path} does not exist ` +
        '(build and load it: `dmaengine bridge build && sudo dmaengine bridge load`)');
    case 'EACCES':
    case 'EPERM':
      return new DmaEngineError(e.code, `permission denied opening ${path}: run as root, or load the module with ` +
        '`gid=<group>` (or a udev rule) and join that group (docs/kernel-bridge.md)');
    case 'EPROTO':
      return new DmaEngineError(e.code, `${path} speaks another ABI than this library: rebuild and reload the ` +
        'module from this package (`dmaengine bridge build && sudo dmaengine bridge load`)');
    default:
      return new DmaEngineError(e.code, `cannot open ${path}: ${e.message}`);
  }
}

/** Options of {@link openKernelBridge}. */
export interface KernelBridgeOptions {
  /** default /dev/dmaengine_bridge */
  path?: string;
  /** completion ring entries = most operations in flight on the fd (power of two, default 16384; 0: no ring) */
  ringEntries?: number;
}

/**
 * One open `/dev/dmaengine_bridge` fd: channels of the kernel's own dmaengine drivers, buffers
 * they can reach (dma-bufs), and a completion ring (see the file comment for the call order).
 * Every method is one ioctl and throws a {@link DmaEngineError} carrying the kernel's errno
 * (`EINVAL`, `EBUSY`, …) when it fails; after {@link KernelBridge.close} they throw an Error
 * ("The bridge is closed").
 * docs/kernel-bridge.md has the module's side.
 */
export class KernelBridge {
  /** Called once per wake-up with every ring entry ready (the batch object is reused). */
  onComplete: ((batch: BridgeCompletionBatch) => void) | null = null;
  /** The device node opened. */
  readonly path: string;
  /** Completion ring entries: the most operations in flight on this fd (0: no ring, no completions). */
  readonly ringEntries: number;
  private readonly h: KernelBridgeHandle;
  private readonly batch = new BridgeCompletionBatch();
  private results = new Int32Array(1024);
  private closedFlag = false;
  private delivering = false;

  /** @throws DmaEngineError ENOENT (not loaded), EACCES (no permission), EPROTO (other ABI) */
  constructor(options: KernelBridgeOptions = {}) {
    if (options === null || typeof options !== 'object') throw invalidType('an object', 'options', options);
    const path = options.path ?? DMABRIDGE_DEVICE_PATH;
    if (typeof path !== 'string' || path === '') throw invalidType('a device path', 'options.path', path);
    const ring = options.ringEntries === undefined ? 16384 : checkInt(options.ringEntries, 'options.ringEntries', 0, 65536);
    this.path = path;
    this.ringEntries = ring;
    try {
      this.h = new (native().KernelBridgeHandle)(path, ring, ring === 0 ? null : (data, count) => {
        // a delivery nested in another (close() from a handler) must not overwrite the outer batch
        const nested = this.delivering;
        const b = nested ? new BridgeCompletionBatch() : this.batch;
        b.data = data;
        b.count = count;
        const f = this.onComplete;
        this.delivering = true;
        try {
          if (f !== null) f(b);
        } finally {
          this.delivering = nested;
        }
      });
    } catch (e) {
      throw bridgeOpenError(e, path);
    }
  }

  /** Whether {@link KernelBridge.close} was called. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * `DMABRIDGE_IOC_VERSION`: the running module's ABI version and limits.
   * @throws DmaEngineError with the ioctl's errno
   */
  version(): NativeBridgeVersion {
    return this.call('version', () => this.h.version());
  }

  /** The channels this fd holds, then every free channel an exclusive request could get. */
  enumerate(): NativeBridgeChanInfo[] {
    return this.call('enumerate', () => this.h.enumerate());
  }

  /** An exclusive channel: by name (`dma0chan1`), by device (`dmae_soft`) or any with `capMask`. */
  requestExclusive(by: { name?: string; device?: string; capMask?: number } = {}): NativeBridgeChanInfo {
    const kind = by.name !== undefined ? BY_NAME : by.device !== undefined ? BY_DEVICE : BY_ANY;
    return this.call('requestExclusive', () => this.h.requestExclusive(kind, by.name ?? by.device ?? null, by.capMask ?? 0));
  }

  /** The kernel's shared channel for one capability bit (dmaengine_get + dma_find_channel). */
  requestShared(cap: number): NativeBridgeChanInfo {
    return this.call('requestShared', () => this.h.requestShared(cap));
  }

  /** {@link KernelBridge.requestShared}, or null when the kernel has no channel for `cap` (ENODEV). */
  requestSharedIfAny(cap: number): NativeBridgeChanInfo | null {
    try {
      return this.requestShared(cap);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENODEV') return null;
      throw e;
    }
  }

  /**
   * `DMABRIDGE_IOC_CHAN_RELEASE`: gives back a channel this fd holds (`dma_release_channel` for
   * an exclusive one); its driver module is no longer pinned.
   * @param chan the handle from `requestShared`/`requestExclusive`
   * @throws DmaEngineError EBADF for a handle this fd does not hold, EBUSY while buffers are
   *   attached for it or operations are in flight on it
   */
  releaseChannel(chan: number): void {
    this.call('releaseChannel', () => this.h.releaseChannel(chan));
  }

  /** A dma-buf fd attached and mapped for `chan`'s device (the caller keeps its fd). */
  importBuffer(fd: number, chan: number): {
    /** The buffer's handle on this fd, for operands and {@link KernelBridge.releaseBuffer}. */
    handle: number;
    /** The dma-buf's size in bytes. */
    size: number;
    /** How many DMA segments the mapping has (1 when contiguous for the device). */
    segments: number;
  } {
    return this.call('importBuffer', () => this.h.importBuffer(fd, chan, DIR_BIDIRECTIONAL));
  }

  /** Pages the module allocates for `chan`'s device; the returned dma-buf fd is the caller's. */
  allocBuffer(size: number, chan: number, flags = 0): {
    /** The buffer's handle on this fd, for operands and {@link KernelBridge.releaseBuffer}. */
    handle: number;
    /** A dma-buf fd of the pages, owned by the caller (map it, or close it). */
    fd: number;
    /** How many DMA segments the mapping has (1 when contiguous for the device). */
    segments: number;
  } {
    return this.call('allocBuffer', () => this.h.allocBuffer(size, chan, flags));
  }

  /**
   * `DMABRIDGE_IOC_BUF_RELEASE`: detaches and unmaps a buffer this fd holds (the dma-buf itself
   * lives on while other fds reference it).
   * @param buf the handle from `importBuffer`/`allocBuffer`
   * @throws DmaEngineError EBADF for a handle this fd does not hold, EBUSY while an operation uses it
   */
  releaseBuffer(buf: number): void {
    this.call('releaseBuffer', () => this.h.releaseBuffer(buf));
  }

  /**
   * One DMABRIDGE_IOC_SUBMIT of `batch` on `chan`; with `issue` the doorbell rides along.
   * @returns the per-operation results (0 or -errno), valid until the next submit
   */
  submit(chan: number, batch: BridgeBatch, opts: { issue?: boolean; stop?: boolean } = {}): Int32Array {
    if (this.results.length < batch.nops) this.results = new Int32Array(batch.nops);
    const flags = (opts.issue ? SUBMIT_ISSUE : 0) | (opts.stop ? SUBMIT_STOP : 0);
    this.call('submit', () => this.h.submit(chan, batch.ops, batch.nops, batch.operands, batch.noperands, this.results, flags));
    return this.results;
  }

  /**
   * `DMABRIDGE_IOC_ISSUE`: the doorbell alone (`dma_async_issue_pending` on the channel), for
   * operations submitted without `issue`.
   * @throws DmaEngineError EBADF for a handle this fd does not hold
   */
  issue(chan: number): void {
    this.call('issue', () => this.h.issue(chan));
  }

  /** Exclusive channels: every unfinished operation ends with -ECANCELED (delivered later). */
  terminate(chan: number): void {
    this.call('terminate', () => this.h.terminate(chan));
  }

  /**
   * `DMABRIDGE_IOC_SLAVE_CONFIG`: `dmaengine_slave_config` on an exclusive slave channel; the
   * next SLAVE operations must go in `direction`.
   * @param direction DMABRIDGE_SLAVE_MEM_TO_DEV (1) or DMABRIDGE_SLAVE_DEV_TO_MEM (2)
   * @param addrWidth bytes per device access (1, 2, 4, 8)
   * @param maxburst words per burst (0: the driver's default)
   * @param devAddr the peripheral's bus address
   * @throws DmaEngineError EOPNOTSUPP (not an exclusive slave channel), EINVAL (a value the
   *   kernel or driver refuses), EBUSY (operations in flight on it), EBADF (unknown handle)
   */
  slaveConfig(chan: number, direction: number, addrWidth: number, maxburst: number, devAddr: bigint): void {
    this.call('slaveConfig', () => this.h.slaveConfig(chan, direction, addrWidth, maxburst, devAddr));
  }

  /** Delivers the ring's entries now, on the caller's stack; returns how many. */
  poll(): number {
    return this.closedFlag ? 0 : this.h.poll();
  }

  /** Completions the kernel still owes. */
  get outstanding(): number {
    return this.h.outstanding();
  }

  /** What the binding counted: every ioctl, submit calls, operations, wake-ups, completions. */
  stats(): NativeBridgeStats {
    return this.h.stats();
  }

  /**
   * Terminates the exclusive channels, waits up to `waitMs` for the shared ones, delivers what
   * the ring holds, closes the fd (the kernel ends the rest and releases everything).
   * @returns completions never delivered (the caller ends them as aborted)
   */
  close(waitMs = 10000): number {
    if (this.closedFlag) return 0;
    this.closedFlag = true;
    return this.h.close(waitMs);
  }

  private call<T>(what: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      rethrow(e, `bridge ${what}`);
    }
  }
}

/** Opens the bridge; see {@link KernelBridge}. */
export function openKernelBridge(options?: KernelBridgeOptions): KernelBridge {
  return new KernelBridge(options);
}
