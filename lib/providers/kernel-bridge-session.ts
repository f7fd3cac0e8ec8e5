/**
 * One open bridge fd shared by the devices one `registerKernelDevices()` call made: its
 * completion ring, the submission path (descriptors issued on a channel go to the kernel in
 * batches, one ioctl per doorbell, as many as the ring has room for; the rest wait in the
 * channel's backlog and follow as completions free slots), the tag → descriptor table the
 * completions are matched with, and the dma-buf → bridge buffer handle cache.
 *
 * Buffers: an operand must be dma-buf bytes (a view into a DmaBuf's mapping, lib/dmabuf
 * registry). Each dma-buf is imported once per (fd, kernel device) and its handle cached
 * against the mapping's ArrayBuffer (a WeakMap: the entry goes with the bytes; the kernel
 * attachment stays until the fd closes).
 *
 * Threading: JavaScript thread only; completions arrive on the loop (lib/bridge).
 */
import { BridgeBatch, type BridgeOperand } from '../bridge/batch';
import { type BridgeCompletionBatch, KernelBridge, type KernelBridgeOptions } from '../bridge/kernel-bridge';
import { BridgeOpFlag, MAX_BATCH } from '../bridge/uapi';
import type { DmaBuf } from '../dmabuf/dmabuf';
import { dmaBufOfView } from '../dmabuf/registry';
import { DmaTransResult } from '../dmaengine/status';
import { bufferOf } from '../views';
import type { KernelBridgeChan, KernelBridgeDesc } from './kernel-bridge-chan';

const ECANCELED = 125;

/** The completion of one descriptor, as the provider finishes it. */
export type BridgeFinish = (d: KernelBridgeDesc, result: DmaTransResult, residue: number, val: number, errors: unknown[]) => void;

export class BridgeSession {
  readonly bridge: KernelBridge;
  /** descriptors in the kernel, by tag (a descriptor of several operations under each of their tags) */
  private readonly inKernel = new Map<number, KernelBridgeDesc>();
  /** the length of each operation of a multi-operation descriptor in the kernel, by tag */
  private readonly pieceLen = new Map<number, number>();
  private nextTag = 1;
  private readonly batch = new BridgeBatch();
  /** per kernel device name: mapping ArrayBuffer → buffer handle */
  private readonly handles = new Map<string, WeakMap<ArrayBufferLike, number>>();
  private devices = 0;
  private failing: { d: KernelBridgeDesc; len: number }[] = [];
  private failScheduled = false;
  /** channels with a backlog, pumped when completions free ring slots */
  private readonly waiting = new Set<KernelBridgeChan>();

  constructor(options: KernelBridgeOptions, private readonly finish: BridgeFinish, private readonly after: (errors: unknown[]) => void) {
    this.bridge = new KernelBridge(options);
    this.bridge.onComplete = (b) => this.complete(b);
  }

  /** A device starts using the session. */
  attach(): void {
    this.devices++;
  }

  /** A device was released; the last one closes the fd (what is still owed ends ABORTED). */
  detach(): void {
    if (--this.devices > 0) return;
    this.bridge.close();
    const left = [...this.inKernel];
    this.inKernel.clear();
    const errors: unknown[] = [];
    for (const [tag, d] of left) this.settle(d, tag, DmaTransResult.ABORTED, 0, 0, errors);
    this.after(errors);
  }

  /** Descriptors the kernel has not completed yet (ring slots in use). */
  get inFlight(): number {
    return this.inKernel.size;
  }

  /**
   * The bridge operand for `len` bytes of `view` at `off`, or null when the bytes are not a
   * dma-buf's (the prep then returns null: software does it).
   */
  operand(chan: KernelBridgeChan, view: Uint8Array, off: number): BridgeOperand | null {
    const where = dmaBufOfView(view);
    if (where === null) return null;
    const handle = this.handleFor(chan, where.buffer, where.dmabuf);
    if (handle === null) return null;
    return { buf: handle, offset: where.offset + off };
  }

  private handleFor(chan: KernelBridgeChan, buffer: ArrayBufferLike, dmabuf: DmaBuf): number | null {
    let m = this.handles.get(chan.info.device);
    if (m === undefined) {
      m = new WeakMap();
      this.handles.set(chan.info.device, m);
    }
    const known = m.get(buffer);
    if (known !== undefined) return known;
    if (dmabuf.closed || !dmabuf.isDmaBuf) return null;
    try {
      const h = this.bridge.importBuffer(dmabuf.fd, chan.info.handle).handle;
      m.set(buffer, h);
      return h;
    } catch {
      return null; // not importable for this device (an exporter it cannot map): software
    }
  }

  /** Seeds the cache with a buffer the bridge allocated (already attached for `device`). */
  adopt(device: string, bytes: Uint8Array, handle: number): void {
    let m = this.handles.get(device);
    if (m === undefined) {
      m = new WeakMap();
      this.handles.set(device, m);
    }
    m.set(bufferOf(bytes), handle);
  }

  /**
   * The doorbell: the channel's issued descriptors go to the kernel, as many as the ring has
   * room for, in batches of up to 1024 operations (one ioctl each, issue included). A
   * descriptor of several operations goes whole in one batch (preps keep it within a batch
   * and the ring).
   */
  pump(chan: KernelBridgeChan): void {
    if (this.bridge.closed) return;
    const room = () => this.bridge.ringEntries - this.inKernel.size;
    const b = this.batch;
    const sent: KernelBridgeDesc[] = [];
    const tags: number[] = [];
    while (chan.backlogHead < chan.backlog.length && room() > 0) {
      b.clear();
      sent.length = 0;
      tags.length = 0;
      const limit = Math.min(room(), MAX_BATCH);
      while (chan.backlogHead < chan.backlog.length) {
        const d = chan.backlog[chan.backlogHead]!;
        const n = 1 + d.extra.length;
        if (sent.length + n > limit || !b.fits(d.operands.length * n, n)) break;
        d.owed = n;
        d.endResult = DmaTransResult.NOERROR;
        d.endResidue = 0;
        d.endVal = 0;
        for (let k = 0; k < n; k++) {
          const p = k === 0 ? d : d.extra[k - 1]!;
          const tag = this.tag();
          b.add(tag, d.opcode, d.opFlags | BridgeOpFlag.COMPLETION, p.len, p.value, p.operands);
          sent.push(d);
          tags.push(tag);
        }
        chan.backlog[chan.backlogHead++] = undefined as unknown as KernelBridgeDesc;
      }
      if (sent.length === 0) break; // the next descriptor waits for ring room
      let results: Int32Array | null;
      try {
        results = this.bridge.submit(chan.info.handle, b, { issue: true });
      } catch {
        results = null; // the batch as a whole was refused: each of its descriptors fails
      }
      for (let i = 0; i < sent.length; i++) {
        const d = sent[i]!;
        const tag = tags[i]!;
        if (results !== null && results[i] === 0) {
          this.inKernel.set(tag, d);
          if (d.extra.length > 0) this.pieceLen.set(tag, b.len(i));
        } else {
          this.failLater(d, d.extra.length > 0 ? b.len(i) : d.len);
        }
      }
    }
    if (chan.backlogHead >= chan.backlog.length) {
      chan.backlog = [];
      chan.backlogHead = 0;
      this.waiting.delete(chan);
    } else {
      this.waiting.add(chan);
    }
  }

  private tag(): number {
    let t = this.nextTag;
    while (this.inKernel.has(t)) t = (t + 1) >>> 0 || 1;
    this.nextTag = (t + 1) >>> 0 || 1;
    return t;
  }

  /**
   * An operation the kernel refused at submit ends WRITE_FAILED (its descriptor with it), on a
   * later turn (never on the doorbell's stack).
   */
  private failLater(d: KernelBridgeDesc, len: number): void {
    this.failing.push({ d, len });
    if (this.failScheduled) return;
    this.failScheduled = true;
    setImmediate(() => {
      this.failScheduled = false;
      const list = this.failing;
      this.failing = [];
      const errors: unknown[] = [];
      for (const x of list) this.settle(x.d, 0, DmaTransResult.WRITE_FAILED, x.len, 0, errors);
      this.after(errors);
    });
  }

  /**
   * One operation of `d` ended (`tag` 0: it never reached the kernel; `residue` 0 on a failure:
   * all of it); the descriptor ends with its last operation, with the first failure among them.
   */
  private settle(d: KernelBridgeDesc, tag: number, result: DmaTransResult, residue: number, val: number, errors: unknown[]): void {
    const len = d.extra.length === 0 ? d.len : this.pieceLen.get(tag) ?? residue;
    if (tag !== 0) this.pieceLen.delete(tag);
    if (result !== DmaTransResult.NOERROR) {
      if (d.endResult === DmaTransResult.NOERROR) d.endResult = result;
      d.endResidue += residue || len;
    }
    d.endVal |= val;
    if (--d.owed > 0) return;
    this.finish(d, d.endResult, d.endResidue, d.endVal, errors);
  }

  /** Ends descriptors that never reached the kernel (terminate of a backlog) as ABORTED, later. */
  abortLater(list: KernelBridgeDesc[]): void {
    if (list.length === 0) return;
    setImmediate(() => {
      const errors: unknown[] = [];
      for (const x of list) this.finish(x, DmaTransResult.ABORTED, x.total, 0, errors);
      this.after(errors);
    });
  }

  private complete(batch: BridgeCompletionBatch): void {
    const errors: unknown[] = [];
    for (let i = 0; i < batch.count; i++) {
      const tag = batch.tag(i);
      const d = this.inKernel.get(tag);
      if (d === undefined) continue;
      this.inKernel.delete(tag);
      const status = batch.status(i);
      let result: DmaTransResult = DmaTransResult.NOERROR;
      if (status === -ECANCELED) result = DmaTransResult.ABORTED;
      else if (status !== 0) {
        const r = batch.result(i);
        result = r === DmaTransResult.READ_FAILED || r === DmaTransResult.WRITE_FAILED || r === DmaTransResult.ABORTED
          ? r : DmaTransResult.WRITE_FAILED;
      }
      this.settle(d, tag, result, result === DmaTransResult.NOERROR ? 0 : batch.residue(i), batch.val(i), errors);
    }
    for (const c of [...this.waiting]) this.pump(c);
    this.after(errors);
  }

  /** Delivers what the ring holds now (a status query that found its cookie pending). */
  poll(): void {
    this.bridge.poll();
  }
}
