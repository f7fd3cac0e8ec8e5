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
  abi: number;
  maxBatch: number;
  maxOperands: number;
  maxSources: number;
  maxChunks: number;
  maxRing: number;
  maxChannels: number;
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
  maxXor: number;
  maxPq: number;
  copyAlign: number;
  xorAlign: number;
  pqAlign: number;
  fillAlign: number;
  numaNode: number;
  /** DMABRIDGE_CHAN_* */
  flags: number;
  directions: number;
  maxSeg: number;
  name: string;
  device: string;
  driver: string;
}

/** What the binding counted (every ioctl it made). */
export interface NativeBridgeStats {
  ioctls: number;
  submitCalls: number;
  opsSubmitted: number;
  /** loop wake-ups that found the fd readable */
  wakeups: number;
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
