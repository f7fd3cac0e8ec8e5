/**
 * The kernel bridge provider: the machine's real dmaengine channels (native/kmod's
 * /dev/dmaengine_bridge) as DmaDevices of this library, one per kernel `dma_device` reached.
 *
 * Model (docs/kernel-bridge.md): the core checked every prep argument (lib/dmaengine/prep.ts:
 * ranges, lengths, source counts against maxXor/maxPq, holders, flags); a prep callback maps each operand to a bridge buffer (dma-buf bytes only: a view into a DmaBuf's mapping,
 * or a buffer from {@link KernelBridgeDevice#allocBuffer}) and checks the device's limits
 * (sources, alignment); anything it cannot take returns null, so async_tx runs it in software
 * as the kernel would for memory it cannot map. `txSubmit` assigns the cookie and queues;
 * `deviceIssuePending` is the doorbell: the channel's queue goes to the kernel in one ioctl
 * (kernel-bridge-session.ts). Completions come back from the ring on the event loop in
 * batches; each one: validate result, cookie completed, failure recorded or counters, callback
 * (`{ result, residue }`), dependants (outcome.ts, shared with the plain and soft providers).
 *
 * Call order: `registerKernelDevices(options)` → (core) alloc → prep → submit → issue →
 * completions → … → unregister (every device of the call) → the fd closes.
 *
 * Threading: JavaScript thread only; the engines do the byte work.
 */
import type { BridgeOperand } from '../bridge/batch';
import type { BridgeChanInfo } from '../bridge/kernel-bridge';
import { ALLOC_CONTIGUOUS, BridgeCap, BridgeOp, BridgeOpFlag, MAX_SOURCES, VAL_P_MISMATCH } from '../bridge/uapi';
import { DmaCap } from '../dmaengine/caps';
import type { DmaChan } from '../dmaengine/channel';
import { dmaCookieAssign, dmaCookieInit, dmaCookieStatus } from '../dmaengine/cookie';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { dmaengineCheckAlign, dmaMaxpq, type DmaDevice } from '../dmaengine/device';
import {
  type DmaAddr, DmaCtrlFlags, DmaStatus, type DmaTxState, type Holder, SumCheckFlags,
} from '../dmaengine/status';
import type { DmaSgEntry, DmaSlaveConfig, DmaTransferDirection } from '../dmaengine/slave';
import { importDmaBuf } from '../dmabuf/alloc';
import type { DmaBuf } from '../dmabuf/dmabuf';
import { native } from '../native';
import { checkInt, invalidType } from '../validate';
import { subView } from '../views';
import { ModelledDevice } from './device-options';
import { bridgeCapMask, bridgeLimits } from './kernel-bridge-caps';
import { KernelBridgeChan, KernelBridgeDesc } from './kernel-bridge-chan';
import { BridgeSession } from './kernel-bridge-session';
import { bridgeSlaveConfig, bridgeSlavePieces } from './kernel-bridge-slave';

export { finishBridgeDesc } from './kernel-bridge-chan';

const view = (a: DmaAddr, len: number): Uint8Array => subView(a.buf, a.off, a.off + len);

/** A kernel dma_device reached through the bridge (registered by {@link registerKernelDevices}). */
export class KernelBridgeDevice extends ModelledDevice implements DmaDevice {
  driver: string;
  channels: KernelBridgeChan[];
  /** 'exclusive' (dma_request_channel) or 'shared' (dmaengine_get + dma_find_channel) */
  readonly model: 'exclusive' | 'shared';
  /** The kernel device's slave directions (`dma_device.directions`: bit n = DmaTransferDirection n; 0 without DMA_SLAVE). */
  readonly directions: number;

  /**
   * @internal use registerKernelDevices
   * @param session the open bridge this device's channels submit through, shared by every device
   *   of one registration
   */
  constructor(readonly session: BridgeSession, infos: BridgeChanInfo[], model: 'exclusive' | 'shared', isPrivate: boolean) {
    if (!(session instanceof BridgeSession)) throw invalidType('a bridge session (use registerKernelDevices)', 'session', session);
    if (!Array.isArray(infos) || infos.length === 0) throw invalidType('a non-empty Array of channel infos', 'infos', infos);
    const first = infos[0]!;
    const l = bridgeLimits(first);
    super({
      channels: infos.length, caps: bridgeCapMask(first, model).caps(), name: first.device, private: isPrivate,
      maxXor: l.maxXor, maxPq: l.maxPq & 0x7fff, pqContinue: (l.maxPq & 0x8000) !== 0,
      copyAlign: l.copyAlign, xorAlign: l.xorAlign, pqAlign: l.pqAlign, fillAlign: l.fillAlign, numaNode: l.numaNode,
    }, { channels: 64, maxXor: MAX_SOURCES, maxPq: MAX_SOURCES }, () => first.device);
    this.driver = first.driver;
    this.model = model;
    this.directions = (first.capMask & BridgeCap.SLAVE) !== 0 ? first.directions : 0;
    this.channels = infos.map((i) => new KernelBridgeChan(i));
    session.attach();
  }

  /**
   * Pages the bridge allocates for this device (contiguous on request, for engines without
   * scatter-gather), as a DmaBuf whose bytes every prep of this device takes.
   */
  allocBuffer(size: number, options: { contiguous?: boolean } = {}): DmaBuf {
    checkInt(size, 'size', 1, 64 << 20);
    const chan = this.channels[0]!;
    const got = this.session.bridge.allocBuffer(size, chan.info.handle, options.contiguous === true ? ALLOC_CONTIGUOUS : 0);
    let buf: DmaBuf;
    try {
      buf = importDmaBuf(got.fd);
    } finally {
      native().dmabuf.closeFd(got.fd);
    }
    this.session.adopt(chan.info.device, buf.bytes, got.handle);
    return buf;
  }

  /** What the binding counted on this device's fd (shared by the devices of one registration). */
  bridgeStats(): ReturnType<BridgeSession['bridge']['stats']> {
    return this.session.bridge.stats();
  }

  // ---- channel resources -------------------------------------------------------------

  deviceAllocChanResources(chan: DmaChan): number {
    dmaCookieInit(chan);
    return this.session.bridge.ringEntries;
  }

  deviceFreeChanResources(chan: DmaChan): void {
    (chan as KernelBridgeChan).failed.clear();
  }

  // ---- prep ------------------------------------------------------------------------------

  /** The operands of a prep, or null when one is not dma-buf bytes this device can reach. */
  private operands(chan: DmaChan, addrs: DmaAddr[], len: number): { ods: BridgeOperand[]; keep: Uint8Array[] } | null {
    const ods: BridgeOperand[] = [];
    const keep: Uint8Array[] = [];
    for (const a of addrs) {
      const od = this.session.operand(chan as KernelBridgeChan, a.buf, a.off);
      if (od === null) return null;
      ods.push(od);
      keep.push(view(a, len));
    }
    return { ods, keep };
  }

  private aligned(align: number, ods: BridgeOperand[], len: number): boolean {
    return ods.every((o) => dmaengineCheckAlign(align, o.offset, o.offset, len));
  }

  private desc(chan: DmaChan, flags: number, opcode: number, opFlags: number, len: number, value: number, ods: BridgeOperand[],
    keep: Uint8Array[], memcpyLen = -1, finishVal: ((v: number) => void) | null = null): KernelBridgeDesc {
    const fence = (flags & DmaCtrlFlags.PREP_FENCE) !== 0 ? BridgeOpFlag.FENCE : 0;
    const d = new KernelBridgeDesc(chan as KernelBridgeChan, flags, opcode, opFlags | fence, len, value, ods, keep, memcpyLen, finishVal);
    d.txSubmit = (tx) => this.submit(tx as KernelBridgeDesc);
    return d;
  }

  private interruptOr(chan: DmaChan, flags: number, finishVal: ((v: number) => void) | null = null): KernelBridgeDesc | null {
    if (!this.capMask.caps().includes(DmaCap.INTERRUPT)) return null;
    return this.desc(chan, flags, BridgeOp.INTERRUPT, 0, 0, 0, [], [], -1, finishVal);
  }

  devicePrepDmaMemcpy(chan: DmaChan, d: DmaAddr, s: DmaAddr, len: number, flags: number): DmaAsyncTxDescriptor | null {
    if (len === 0) return this.interruptOr(chan, flags);
    const m = this.operands(chan, [d, s], len);
    if (m === null || !this.aligned(this.copyAlign, m.ods, len)) return null;
    return this.desc(chan, flags, BridgeOp.MEMCPY, 0, len, 0, m.ods, m.keep, len);
  }

  devicePrepDmaMemset(chan: DmaChan, d: DmaAddr, v: number, len: number, flags: number): DmaAsyncTxDescriptor | null {
    if (len === 0) return this.interruptOr(chan, flags);
    const m = this.operands(chan, [d], len);
    if (m === null || !this.aligned(this.fillAlign, m.ods, len)) return null;
    return this.desc(chan, flags, BridgeOp.MEMSET, 0, len, v, m.ods, m.keep);
  }

  devicePrepDmaXor(chan: DmaChan, d: DmaAddr, src: DmaAddr[], srcCnt: number, len: number, flags: number): DmaAsyncTxDescriptor | null {
    const s = src.slice(0, srcCnt);
    if (srcCnt < 2) return null;
    if (len === 0) return this.interruptOr(chan, flags);
    const m = this.operands(chan, [d, ...s], len);
    if (m === null || !this.aligned(this.xorAlign, m.ods, len)) return null;
    return this.desc(chan, flags, BridgeOp.XOR, 0, len, 0, m.ods, m.keep);
  }

  devicePrepDmaXorVal(chan: DmaChan, src: DmaAddr[], srcCnt: number, len: number, result: Holder<number>, flags: number): DmaAsyncTxDescriptor | null {
    const s = src.slice(0, srcCnt);
    if (srcCnt < 2 || len === 0) return null;
    const m = this.operands(chan, s, len);
    if (m === null || !this.aligned(this.xorAlign, m.ods, len)) return null;
    return this.desc(chan, flags, BridgeOp.XOR_VAL, 0, len, 0, m.ods, m.keep, -1,
      (v) => { result.value = (v & VAL_P_MISMATCH) !== 0 ? SumCheckFlags.P_RESULT : 0; });
  }

  /** P+Q operands: [P, Q, src…], a disabled P or Q as buffer 0; coefficients on the sources. */
  private pqOperands(chan: DmaChan, pq: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, coef: Uint8Array, len: number, flags: number) {
    const noP = (flags & DmaCtrlFlags.PREP_PQ_DISABLE_P) !== 0;
    const noQ = (flags & DmaCtrlFlags.PREP_PQ_DISABLE_Q) !== 0;
    const p = noP ? null : pq[0]!;
    const q = noQ ? null : pq[1]!;
    const s = src.slice(0, srcCnt);
    if (srcCnt === 0 || srcCnt > dmaMaxpq(this, flags) || len === 0 || (p === null && q === null)) return null;
    const dsts = [p, q].filter((a): a is DmaAddr => a !== null);
    const m = this.operands(chan, [...dsts, ...s], len);
    if (m === null || !this.aligned(this.pqAlign, m.ods, len)) return null;
    const ods = m.ods.slice(dsts.length).map((o, i) => ({ ...o, coef: coef[i]! }));
    const none = { buf: 0, offset: 0 };
    const pOd = p === null ? none : m.ods[0]!;
    const qOd = q === null ? none : m.ods[p === null ? 0 : 1]!;
    const opFlags = (noP ? BridgeOpFlag.PQ_DISABLE_P : 0) | (noQ ? BridgeOpFlag.PQ_DISABLE_Q : 0) |
      ((flags & DmaCtrlFlags.PREP_CONTINUE) !== 0 ? BridgeOpFlag.PQ_CONTINUE : 0);
    return { ods: [pOd, qOd, ...ods], keep: m.keep, opFlags };
  }

  devicePrepDmaPq(chan: DmaChan, dst: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, scf: Uint8Array, len: number,
    flags: number): DmaAsyncTxDescriptor | null {
    const o = this.pqOperands(chan, dst, src, srcCnt, scf, len, flags);
    if (o === null) return null;
    return this.desc(chan, flags, BridgeOp.PQ, o.opFlags, len, 0, o.ods, o.keep);
  }

  devicePrepDmaPqVal(chan: DmaChan, pq: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, scf: Uint8Array, len: number,
    pqres: Holder<number>, flags: number): DmaAsyncTxDescriptor | null {
    const o = this.pqOperands(chan, pq, src, srcCnt, scf, len, flags & ~DmaCtrlFlags.PREP_CONTINUE);
    if (o === null) return null;
    return this.desc(chan, flags, BridgeOp.PQ_VAL, o.opFlags, len, 0, o.ods, o.keep, -1,
      (v) => { pqres.value = v & (SumCheckFlags.P_RESULT | SumCheckFlags.Q_RESULT); });
  }

  devicePrepDmaInterrupt(chan: DmaChan, flags: number): DmaAsyncTxDescriptor | null {
    return this.interruptOr(chan, flags);
  }

  // ---- slave (exclusive DMA_SLAVE channels; kernel-bridge-slave.ts) ----------------------

  private ownChan(chan: unknown): KernelBridgeChan {
    if (!(chan instanceof KernelBridgeChan) || !this.channels.includes(chan)) throw invalidType('a channel of this device', 'chan', chan);
    return chan;
  }

  /** `device_config` (`dmaengineSlaveConfig`): direction and the peripheral side of the next transfers. */
  deviceConfig(chan: DmaChan, config: DmaSlaveConfig): number {
    return bridgeSlaveConfig(this.session, this.ownChan(chan), this.model, config);
  }

  /**
   * `device_prep_slave_sg`: the first `sgLen` entries of `sgl` (dma-buf bytes) to or from the
   * configured peripheral, in `direction` (the configured one).
   * @returns the descriptor, or null when an entry is not memory this device can reach
   * @throws DmaEngineError EOPNOTSUPP (not an exclusive slave channel), EINVAL (unconfigured,
   *   or configured for the other direction)
   */
  devicePrepSlaveSg(chan: DmaChan, sgl: DmaSgEntry[], sgLen: number, direction: DmaTransferDirection,
    flags: number): DmaAsyncTxDescriptor | null {
    const c = this.ownChan(chan);
    const got = bridgeSlavePieces(this.session, c, this.model, sgl, sgLen, direction, flags);
    if (got === null) return null;
    const first = got.pieces[0]!;
    const d = this.desc(c, flags, BridgeOp.SLAVE, 0, first.len, first.value, first.operands, got.keep);
    d.extra = got.pieces.slice(1);
    return d;
  }

  // ---- submit, issue, complete -------------------------------------------------------------

  private submit(tx: KernelBridgeDesc): number {
    const c = tx.chan as KernelBridgeChan;
    const cookie = dmaCookieAssign(tx);
    tx.submitted = cookie;
    c.failed.forget(cookie);
    c.pending.push(tx);
    c.inflight++;
    return cookie;
  }

  deviceIssuePending(chan: DmaChan): void {
    const c = chan as KernelBridgeChan;
    if (c.pending.length === 0) return;
    for (const d of c.pending) c.backlog.push(d);
    c.pending = [];
    this.session.pump(c);
  }

  deviceTxStatus(chan: DmaChan, cookie: number, state: DmaTxState | null): DmaStatus {
    const c = chan as KernelBridgeChan;
    let status = dmaCookieStatus(chan, cookie, state);
    if (status === DmaStatus.IN_PROGRESS && c.inflight > 0) {
      // the entry may be in the ring, its wake-up not yet run: deliver it now, as a kernel
      // driver cleans up in device_tx_status
      this.session.poll();
      status = dmaCookieStatus(chan, cookie, state);
    }
    if (status === DmaStatus.COMPLETE && c.failed.has(cookie)) return DmaStatus.ERROR;
    return status;
  }

  deviceTerminateAll(chan: DmaChan): number {
    const c = chan as KernelBridgeChan;
    const dropped = [...c.pending, ...c.backlog.slice(c.backlogHead)];
    c.pending = [];
    c.backlog = [];
    c.backlogHead = 0;
    this.session.abortLater(dropped);
    // exclusive: the kernel cancels what it has (entries come with -ECANCELED); shared
    // channels carry others' work too, so what reached them runs to its end
    if (this.model === 'exclusive') this.session.bridge.terminate(c.info.handle);
    return 0;
  }

  deviceSynchronize(chan: DmaChan): void {
    const c = chan as KernelBridgeChan;
    const deadline = Date.now() + 5000;
    const nap = new Int32Array(new SharedArrayBuffer(4));
    while (c.inflight > 0 && Date.now() < deadline) {
      this.session.poll();
      if (c.inflight > 0) Atomics.wait(nap, 0, 0, 1);
    }
  }

  deviceRelease(_device: DmaDevice): void {
    this.session.detach();
  }
}
