/**
 * The dmaengine bridge's native surface (native/addon/bridge_binding.cc, bridge_delivery.cc).
 *
 * Model: one `KernelBridgeHandle` per open /dev/dmaengine_bridge fd; every method is one ioctl
 * (enumerate may take two). A batch goes over as byte arrays of `struct dmabridge_op` and
 * `struct dmabridge_operand` records (lib/bridge/batch.ts writes them); the kernel checks
 * every field. Failures throw an Error with `code` ("ENOENT"), `errno` (positive) and
 * `syscall`, as the dma-buf calls do.
 * Threading: JavaScript thread only; `onBatch` runs on the loop when the fd is readable.
 */

/** Called once per wake-up with every ring entry ready. */
export type NativeBridgeBatchHandler = (
  /** `count` sextets (chan, tag, status, result, residue, val); reused: valid during the call only. */
  batch: Int32Array,
  count: number,
) => void;

/** `struct dmabridge_version`. */
export interface NativeBridgeVersion {
  /**
   * `DMABRIDGE_ABI_VERSION` of the running module; the binding refuses a module whose ABI it does
   * not speak.
   */
  abi: number;
  /** Most operations one submit may carry. */
  maxBatch: number;
  /** Most operands one submit may carry. */
  maxOperands: number;
  /** Most sources of one xor / pq operation (a channel may allow fewer). */
  maxSources: number;
  /** Most hardware descriptors one operation may be split into. */
  maxChunks: number;
  /** Most completion ring entries. */
  maxRing: number;
  /** Most channels one fd may hold. */
  maxChannels: number;
  /** Most buffers one fd may hold. */
  maxBuffers: number;
}

/** `struct dmabridge_chan_info`. */
export interface NativeBridgeChanInfo {
  /** the fd's handle for a held channel; 0 for one only enumerated */
  handle: number;
  /** 0 enumerated, 1 exclusive, 2 shared */
  model: number;
  /** DMABRIDGE_CAP_* bits */
  capMask: number;
  /** Most xor sources per descriptor (0 without DMA_XOR). */
  maxXor: number;
  /** Most P+Q sources per descriptor (0 without DMA_PQ). */
  maxPq: number;
  /** log2 of the byte alignment of memcpy addresses and lengths. */
  copyAlign: number;
  /** The same for xor and xor_val. */
  xorAlign: number;
  /** The same for pq and pq_val. */
  pqAlign: number;
  /** The same for memset. */
  fillAlign: number;
  /** NUMA node of the channel's controller, -1 when none. */
  numaNode: number;
  /** DMABRIDGE_CHAN_* */
  flags: number;
  /** Slave directions, bit n = `enum dma_transfer_direction` n. */
  directions: number;
  /** Largest segment one descriptor may cover (`dma_get_max_seg_size`). */
  maxSeg: number;
  /** The channel's name (`dma0chan1`). */
  name: string;
  /** `dev_name` of the channel's controller (`0000:00:04.0`, `dmae_soft`, …). */
  device: string;
  /** The controller's driver name. */
  driver: string;
}

/** What the binding counted (every ioctl it made). */
export interface NativeBridgeStats {
  /** ioctls made on the fd, every kind. */
  ioctls: number;
  /** `DMABRIDGE_IOC_SUBMIT` calls (one per issued batch). */
  submitCalls: number;
  /** Operations the kernel accepted over all submits. */
  opsSubmitted: number;
  /** loop wake-ups that found the fd readable */
  wakeups: number;
  /** Completions delivered from the ring. */
  completions: number;
}

/** One open bridge fd. */
export interface KernelBridgeHandle {
  version(): NativeBridgeVersion;
  enumerate(): NativeBridgeChanInfo[];
  requestExclusive(by: number, name: string | null, capMask: number): NativeBridgeChanInfo;
  requestShared(cap: number): NativeBridgeChanInfo;
  releaseChannel(chan: number): void;
  importBuffer(fd: number, chan: number, dir: number): { handle: number; size: number; segments: number };
  /** the returned fd belongs to the caller */
  allocBuffer(size: number, chan: number, flags: number): { handle: number; fd: number; segments: number };
  releaseBuffer(buf: number): void;
  /** One DMABRIDGE_IOC_SUBMIT; `results[i]` 0 or -errno; returns how many were submitted. */
  submit(chan: number, ops: Uint8Array, nops: number, operands: Uint8Array, noperands: number,
    results: Int32Array, flags: number): number;
  issue(chan: number): void;
  terminate(chan: number): void;
  /** DMABRIDGE_IOC_SLAVE_CONFIG (direction DMABRIDGE_SLAVE_*, width in bytes, burst, device address). */
  slaveConfig(chan: number, direction: number, addrWidth: number, maxburst: number, devAddr: bigint): void;
  stats(): NativeBridgeStats;
  /** completions owed by the kernel (operations with DMABRIDGE_F_COMPLETION in flight) */
  outstanding(): number;
  fd(): number;
  /** delivers what the ring holds now, on the caller's stack; returns how many */
  poll(): number;
  /** terminates exclusive channels, waits for shared ones, delivers, closes; returns completions never delivered */
  close(waitMs?: number): number;
}

/** The bridge's part of the addon. */
export interface BridgeAddon {
  KernelBridgeHandle: new (path: string, ringEntries: number, onBatch: NativeBridgeBatchHandler | null) => KernelBridgeHandle;
}
