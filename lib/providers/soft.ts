/**
 * The `soft` provider: a dmaengine device backed by the native software engine
 * (lib/engine, one worker thread per channel), the fast counterpart of `plain`.
 *
 * Model (docs/dmaengine.md, "Providers backed by a native engine"): a prep callback checks its
 * arguments and returns a {@link SoftDesc} holding the engine operation; `txSubmit` queues it on
 * the engine, which assigns the cookie and runs nothing; `deviceIssuePending` rings the
 * doorbell. Workers publish each completed cookie in the status block the channels read
 * (`dmaCookieStatus` costs no native call); the completions reach the event loop in batches
 * and are delivered here in cookie order: cookie cleared, copy counters, validate results,
 * callback (`{ result, residue }`), `dmaRunDependencies` (failed and aborted ones too).
 *
 * Call order: `registerSoftDevice(options)` → (core) alloc → prep → submit → issue pending →
 * completion batches → … → unregister → `deviceRelease` closes the engine (a later
 * registration starts a new one).
 *
 * Threading: JavaScript thread only; the byte work runs on the engine's workers. Buffers are
 * held by the engine from submit until the completion is delivered. The completion path is in
 * soft-complete.ts, the channel and fault records in soft-chan.ts.
 */
import { ModelledDevice } from './device-options';
import type { DmaChan } from '../dmaengine/channel';
import { dmaCookieStatus } from '../dmaengine/cookie';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { DMA_HAS_PQ_CONTINUE, type DmaDevice } from '../dmaengine/device';
import { ERRNO } from '../dmaengine/errors';
import { defaultDmaEngine } from '../dmaengine/index';
import { DmaEngine } from '../dmaengine/instance';
import {
  type DmaAddr, DmaCtrlFlags, DmaStatus, DmaTransResult, type DmaTxState, type Holder, SumCheckFlags,
} from '../dmaengine/status';
import { SoftEngine } from '../engine/soft-engine';
import { checkBytes, checkInt, invalidRange, invalidType } from '../validate';
import { checkAddr, checkAddrs, type PlainDeviceOptions } from './plain';
import { SOFT_FAULTS, SoftChan, SoftDesc, type SoftFault, type SoftSubmit } from './soft-chan';
import { abortHeld, deliverBatch, undelivered } from './soft-complete';
import { bufferOf, byteOffsetOf, subView } from '../views';

/** Options of {@link createSoftDevice}: the plain provider's (maxXor ≤ 255, maxPq ≤ 253). */
export type SoftDeviceOptions = PlainDeviceOptions;

let counter = 0;

const view = (a: DmaAddr, len: number): Uint8Array => subView(a.buf, a.off, a.off + len);
const sameBytes = (a: DmaAddr, b: DmaAddr): boolean =>
  bufferOf(a.buf) === bufferOf(b.buf) && byteOffsetOf(a.buf) + a.off === byteOffsetOf(b.buf) + b.off;

/** A device of the soft provider (unregistered). */
export class SoftDevice extends ModelledDevice implements DmaDevice {
  driver = 'soft';
  channels: SoftChan[];
  private eng: SoftEngine | null = null;

  /** @param options see {@link SoftDeviceOptions} */
  constructor(options: SoftDeviceOptions = {}) {
    super(options, { channels: 64, maxXor: 255, maxPq: 253 }, () => `soft${counter++}`);
    const status = { engine: (): SoftEngine => this.engine };
    this.channels = Array.from({ length: this.channelCount }, (_, i) => new SoftChan(i, status));
  }

  /** The engine (started on first use, and again after a release). */
  get engine(): SoftEngine {
    if (this.eng === null) {
      const eng = new SoftEngine({ channels: this.channels.length });
      eng.onComplete = (batch) => deliverBatch(this.channels, batch);
      this.eng = eng;
    }
    return this.eng;
  }

  /**
   * Test hook: the `nth` descriptor (1 = the next) prepared (`prep`) or submitted (any other
   * fault) on `chan` from now gets `fault` (see {@link SoftFault}); `chan` null = every channel.
   */
  injectFault(chan: DmaChan | null, fault: SoftFault, nth = 1): void {
    if (!SOFT_FAULTS.includes(fault)) throw invalidRange('fault', `one of ${SOFT_FAULTS.join(', ')}`, fault);
    const left = checkInt(nth, 'nth', 1, 0x7fffffff);
    const targets = chan === null ? this.channels : [this.own(chan)];
    for (const c of targets) c.faults.push({ kind: fault, left });
  }

  /** The plain provider's hook: the `nth` next submitted descriptor of `chan` fails with `result`. */
  injectError(chan: DmaChan, nth: number, result: DmaTransResult = DmaTransResult.READ_FAILED): void {
    if (result !== DmaTransResult.READ_FAILED && result !== DmaTransResult.WRITE_FAILED) {
      throw invalidRange('result', 'READ_FAILED or WRITE_FAILED', result);
    }
    this.injectFault(chan, result === DmaTransResult.READ_FAILED ? 'read' : 'write', nth);
  }

  private own(chan: DmaChan): SoftChan {
    if (!(chan instanceof SoftChan) || !this.channels.includes(chan)) throw invalidType('a channel of this device', 'chan', chan);
    return chan;
  }

  // ---- channel resources -------------------------------------------------------------

  deviceAllocChanResources(_chan: DmaChan): number {
    void this.engine;
    return 64; // informational, as in the kernel
  }

  deviceFreeChanResources(chan: DmaChan): void {
    const c = chan as SoftChan;
    c.failed.clear();
    c.busy.clear();
  }

  // ---- prep ------------------------------------------------------------------------------

  private desc(chan: DmaChan, flags: number, submitOp: SoftSubmit, memcpyLen = -1,
    finish: ((v: number) => void) | null = null, corrupt: Uint8Array | null = null): SoftDesc | null {
    const c = chan as SoftChan;
    checkInt(flags, 'flags', 0, 0x3ff);
    if (c.takeFault(true) !== null) return null;
    const d = new SoftDesc(c, flags, submitOp, memcpyLen, finish, corrupt);
    d.txSubmit = (tx) => this.submit(tx as SoftDesc);
    return d;
  }

  devicePrepDmaMemcpy(chan: DmaChan, dst: DmaAddr, src: DmaAddr, len: number, flags: number): DmaAsyncTxDescriptor | null {
    checkInt(len, 'len', 0, 0x7fffffff);
    const d = checkAddr(dst, 'dst', len);
    const s = checkAddr(src, 'src', len);
    if (len === 0) return this.desc(chan, flags, interrupt, 0);
    return this.desc(chan, flags, (e, ch, fence) => e.submit(ch, { op: 'memcpy', dst: d.buf, dstOffset: d.off, src: s.buf,
      srcOffset: s.off, len, fence }), len, null, view(d, len));
  }

  devicePrepDmaMemset(chan: DmaChan, dst: DmaAddr, value: number, len: number, flags: number): DmaAsyncTxDescriptor | null {
    checkInt(len, 'len', 0, 0x7fffffff);
    const d = checkAddr(dst, 'dst', len);
    const v = checkInt(value, 'value', 0, 255);
    if (len === 0) return this.desc(chan, flags, interrupt);
    return this.desc(chan, flags, (e, ch, fence) => e.submit(ch, { op: 'memset', dst: d.buf, dstOffset: d.off, value: v, len, fence }),
      -1, null, view(d, len));
  }

  devicePrepDmaXor(chan: DmaChan, dst: DmaAddr, src: DmaAddr[], srcCnt: number, len: number, flags: number): DmaAsyncTxDescriptor | null {
    checkInt(len, 'len', 0, 0x7fffffff);
    const d = checkAddr(dst, 'dst', len);
    const s = checkAddrs(src, srcCnt, 'src', len);
    if (srcCnt > this.maxXor) return null;
    // dst = ⊕ src; a source that is dst itself (async_xor without ZERO_DST) becomes "dst ^= rest"
    const others = s.filter((a) => !sameBytes(a, d));
    const inPlace = (s.length - others.length) % 2 === 1;
    if (len === 0 || (others.length === 0 && inPlace)) return this.desc(chan, flags, interrupt);
    if (others.length === 0) {
      return this.desc(chan, flags, (e, ch, fence) => e.submit(ch, { op: 'memset', dst: d.buf, dstOffset: d.off, value: 0, len, fence }),
        -1, null, view(d, len));
    }
    const srcs = others.map((a) => view(a, len));
    const out = view(d, len);
    return this.desc(chan, flags, (e, ch, fence) => e.submit(ch, { op: 'xor', dst: out, srcs, len, zeroDst: !inPlace, fence }),
      -1, null, out);
  }

  devicePrepDmaXorVal(chan: DmaChan, src: DmaAddr[], srcCnt: number, len: number, result: Holder<number>, flags: number): DmaAsyncTxDescriptor | null {
    checkInt(len, 'len', 0, 0x7fffffff);
    const s = checkAddrs(src, srcCnt, 'src', len);
    if (result === null || typeof result !== 'object') throw invalidType('a holder object ({ value })', 'result', result);
    if (srcCnt > this.maxXor) return null;
    if (len === 0 || srcCnt === 0) return this.desc(chan, flags, interrupt, -1, () => { result.value = 0; });
    const srcs = s.map((a) => view(a, len));
    return this.desc(chan, flags, (e, ch, fence) => e.submit(ch, { op: 'xor_val', srcs, len, fence }), -1,
      (v) => { result.value = v !== 0 ? SumCheckFlags.P_RESULT : 0; });
  }

  private pqArgs(pq: unknown, src: unknown, srcCnt: number, scf: unknown, len: number, flags: number) {
    checkInt(len, 'len', 0, 0x7fffffff);
    if (!Array.isArray(pq) || pq.length < 2) throw invalidType('an Array [P, Q]', 'dst', pq);
    const noP = (flags & DmaCtrlFlags.PREP_PQ_DISABLE_P) !== 0;
    const noQ = (flags & DmaCtrlFlags.PREP_PQ_DISABLE_Q) !== 0;
    const p = noP ? null : view(checkAddr(pq[0], 'dst[0]', len), len);
    const q = noQ ? null : view(checkAddr(pq[1], 'dst[1]', len), len);
    const srcs = checkAddrs(src, srcCnt, 'src', len).map((a) => view(a, len));
    const coef = checkBytes(scf, 'scf');
    if (coef.length < srcCnt) throw invalidRange('scf.length', `at least srcCnt (${srcCnt})`, coef.length);
    // the engine copies the coefficients at submit; copy now so later changes do not leak in
    return { p, q, srcs, coefs: coef.slice(0, srcCnt) };
  }

  devicePrepDmaPq(chan: DmaChan, dst: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, scf: Uint8Array, len: number,
    flags: number): DmaAsyncTxDescriptor | null {
    const { p, q, srcs, coefs } = this.pqArgs(dst, src, srcCnt, scf, len, flags);
    if (srcCnt > (this.maxPq & ~DMA_HAS_PQ_CONTINUE) || srcCnt === 0) return null;
    const accumulate = (flags & DmaCtrlFlags.PREP_CONTINUE) !== 0;
    if (len === 0 || (p === null && q === null)) return this.desc(chan, flags, interrupt);
    return this.desc(chan, flags, (e, ch, fence) => e.submit(ch, { op: 'pq_coef', srcs, coefs, p, q, len, accumulate, fence }),
      -1, null, p ?? q);
  }

  devicePrepDmaPqVal(chan: DmaChan, pq: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, scf: Uint8Array, len: number,
    pqres: Holder<number>, flags: number): DmaAsyncTxDescriptor | null {
    const { p, q, srcs, coefs } = this.pqArgs(pq, src, srcCnt, scf, len, flags);
    if (pqres === null || typeof pqres !== 'object') throw invalidType('a holder object ({ value })', 'pqres', pqres);
    if (srcCnt > (this.maxPq & ~DMA_HAS_PQ_CONTINUE) || srcCnt === 0) return null;
    const set = (v: number): void => { pqres.value = v; };
    if (len === 0 || (p === null && q === null)) return this.desc(chan, flags, interrupt, -1, () => set(0));
    return this.desc(chan, flags, (e, ch, fence) => e.submit(ch, { op: 'pq_coef_val', srcs, coefs, p, q, len, fence }), -1, set);
  }

  devicePrepDmaInterrupt(chan: DmaChan, flags: number): DmaAsyncTxDescriptor | null {
    return this.desc(chan, flags, interrupt);
  }

  // ---- submit, issue, complete -------------------------------------------------------------

  private submit(tx: SoftDesc): number {
    const c = tx.chan as SoftChan;
    const fault = c.takeFault(false);
    if (fault === 'submit') return -ERRNO.EIO;
    const eng = this.engine;
    if (fault === 'read' || fault === 'write') {
      eng.injectError(c.index, 1, fault === 'read' ? DmaTransResult.READ_FAILED : DmaTransResult.WRITE_FAILED);
    }
    const cookie = tx.submitOp(eng, c.index, (tx.flags & DmaCtrlFlags.PREP_FENCE) !== 0);
    if (fault === 'hang' && c.hangCookie === 0) c.hangCookie = cookie;
    tx.fault = fault;
    tx.cookie = cookie;
    tx.engineCookie = cookie;
    tx.txResult = null; // a reused descriptor starts over
    c.failed.forget(cookie);
    c.inflight.push(tx);
    return cookie;
  }

  deviceIssuePending(chan: DmaChan): void {
    const c = chan as SoftChan;
    const eng = this.engine;
    c.issuedUpTo = eng.lastCookie(c.index);
    eng.issuePending(c.index);
  }

  deviceTxStatus(chan: DmaChan, cookie: number, state: DmaTxState | null): DmaStatus {
    const c = chan as SoftChan;
    let status = dmaCookieStatus(chan, cookie, state);
    if (status !== DmaStatus.COMPLETE) return status;
    if (undelivered(c, cookie) && this.eng !== null) {
      // complete in the status block, its batch not yet on the loop: deliver it now (the
      // cleanup a kernel driver does in device_tx_status), so its result and callback are in
      this.eng.poll();
      status = dmaCookieStatus(chan, cookie, state);
      if (status !== DmaStatus.COMPLETE) return status;
    }
    if (c.busy.has(cookie)) return DmaStatus.IN_PROGRESS;
    if (c.failed.has(cookie)) return DmaStatus.ERROR;
    return status;
  }

  deviceTerminateAll(chan: DmaChan): number {
    const c = chan as SoftChan;
    if (this.eng !== null) {
      this.eng.terminate(c.index); // every descriptor not started completes ABORTED (delivered later)
      c.issuedUpTo = this.eng.lastCookie(c.index);
    }
    abortHeld(c); // descriptors held behind a hung one end now, as ABORTED
    return 0;
  }

  deviceSynchronize(chan: DmaChan): void {
    // Wait (bounded) until the worker is done with every issued descriptor of the channel, so
    // no byte is touched after this returns. Their callbacks come on the next loop turn.
    const eng = this.eng;
    if (eng === null) return;
    const c = chan as SoftChan;
    const deadline = Date.now() + 5000;
    const nap = new Int32Array(new SharedArrayBuffer(4));
    while (!eng.isComplete(c.index, c.issuedUpTo) && Date.now() < deadline) {
      Atomics.wait(nap, 0, 0, 1);
    }
  }

  deviceRelease(_device: DmaDevice): void {
    const eng = this.eng;
    if (eng !== null) {
      // close joins the workers; then every remaining completion (aborted ones included) is
      // delivered now, so each descriptor of the device carries its result when unregistration
      // returns (a wait can no longer ask the removed channel)
      eng.close();
      eng.poll();
      this.eng = null;
    }
    for (const c of this.channels) {
      c.failed.clear();
      c.busy.clear();
      c.faults = [];
      c.issuedUpTo = 1;
    }
  }
}

const interrupt: SoftSubmit = (e, ch, fence) => e.submit(ch, { op: 'interrupt', fence });

/** A soft device, not registered yet. */
export function createSoftDevice(options?: SoftDeviceOptions): SoftDevice {
  return new SoftDevice(options);
}

/**
 * Create a soft device (backed by a native engine, one worker thread per channel) and
 * register it with `engine` (the default instance if omitted).
 * @returns the registered device
 */
export function registerSoftDevice(options?: SoftDeviceOptions, engine?: DmaEngine): SoftDevice {
  if (engine != null && !(engine instanceof DmaEngine)) throw invalidType('a DmaEngine (createDmaEngine) or undefined', 'engine', engine);
  const dev = new SoftDevice(options);
  (engine ?? defaultDmaEngine()).dmaAsyncDeviceRegister(dev);
  return dev;
}
