/**
 * The `soft` provider: a dmaengine device backed by the native software engine
 * (lib/engine, one worker thread per channel), the fast counterpart of `plain`.
 *
 * Model (docs/dmaengine.md, "Providers backed by a native engine"): the core checks the prep
 * arguments (lib/dmaengine/prep.ts); a prep callback returns a {@link SoftDesc} holding the
 * engine operation (built in soft-prep.ts and soft-prep-pq.ts); `txSubmit` queues it on the
 * engine, which assigns the cookie and runs nothing; `deviceIssuePending` rings the doorbell.
 * Workers publish each completed cookie in the status block the channels' cookie cells are
 * (`dmaCookieStatus` costs no native call); the completions reach the event loop in batches
 * and are delivered in cookie order: cookie cleared, copy counters, validate results,
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
import { ModelledDevice, type ModelledDeviceOptions } from './device-options';
import { ENGINE_MAX_CHANNELS, MAX_PQ_SOURCES, MAX_XOR_SOURCES } from '../dmaengine/abi';
import type { DmaChan } from '../dmaengine/channel';
import { dmaCookieStatus } from '../dmaengine/cookie';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import type { DmaDevice } from '../dmaengine/device';
import { ERRNO } from '../dmaengine/errors';
import { defaultDmaEngine } from '../dmaengine/index';
import { DmaEngine } from '../dmaengine/instance';
import { type DmaAddr, DmaCtrlFlags, DmaStatus, DmaTransResult, type DmaTxState, type Holder } from '../dmaengine/status';
import { SoftEngine, type WorkerPolicyName, workerPolicyOf } from '../engine/soft-engine';
import { checkInt, invalidRange, invalidType } from '../validate';
import { SOFT_FAULTS, SoftChan, SoftDesc, type SoftFault } from './soft-chan';
import { abortHeld, deliverBatch, undelivered } from './soft-complete';
import { type SoftPrep, prepInterrupt, prepMemcpy, prepMemset, prepXor, prepXorVal } from './soft-prep';
import { prepPq, prepPqVal } from './soft-prep-pq';

/**
 * Options of {@link createSoftDevice}: the plain provider's (maxXor ≤ 255, maxPq ≤ 253), and
 * how the engine's threads are scheduled.
 */
export interface SoftDeviceOptions extends ModelledDeviceOptions {
  /**
   * Scheduling of the worker threads (docs/engine.md, "Threading"): `'normal'` (default),
   * `'batch'`, or `'idle'` (SCHED_IDLE: the event loop preempts them at once; on a machine
   * other processes keep busy the workers get much less CPU).
   */
  workerPolicy?: WorkerPolicyName;
}

let counter = 0;

/**
 * A device of the `soft` provider: a `struct dma_device` backed by the native software engine,
 * one worker thread per channel, so transfers run off the JavaScript thread; completions come
 * back in batches on the event loop, in cookie order. Faults can be injected per channel for
 * tests. Register it with `dmaAsyncDeviceRegister`, or use {@link registerSoftDevice}.
 */
export class SoftDevice extends ModelledDevice implements DmaDevice {
  driver = 'soft';
  channels: SoftChan[];
  private eng: SoftEngine | null = null;
  private readonly workerPolicy: WorkerPolicyName | undefined;

  /** @param options see {@link SoftDeviceOptions} */
  constructor(options: SoftDeviceOptions = {}) {
    super(options, { channels: ENGINE_MAX_CHANNELS, maxXor: MAX_XOR_SOURCES, maxPq: MAX_PQ_SOURCES }, () => `soft${counter++}`);
    workerPolicyOf(options.workerPolicy);  // refused here, not at the first allocation
    this.workerPolicy = options.workerPolicy;
    const view = { engineCell: (i: number): Int32Array | null => (this.eng === null ? null : this.eng.cookieCell(i)) };
    this.channels = Array.from({ length: this.channelCount }, (_, i) => new SoftChan(i, view));
  }

  /** The engine (started on first use, and again after a release). */
  get engine(): SoftEngine {
    if (this.eng === null) {
      const eng = new SoftEngine({ channels: this.channels.length, workerPolicy: this.workerPolicy });
      eng.onComplete = (batch) => deliverBatch(this.channels, batch);
      this.eng = eng;
      // the channels read their cookies where the workers publish them
      for (const c of this.channels) if (c.hangCookie === 0) c.useEngineCookies();
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

  // ---- prep (the core checked the arguments; soft-prep*.ts build the engine operations) ------

  /** Every descriptor's `txSubmit`: one function per device, not a closure per descriptor. */
  private readonly txSubmitFn = (tx: DmaAsyncTxDescriptor): number => this.submit(tx as SoftDesc);

  private desc(chan: DmaChan, flags: number, prep: SoftPrep | null, len: number): SoftDesc | null {
    const c = chan as SoftChan;
    if (prep === null || (c.faults.length !== 0 && c.takeFault(true) !== null)) return null;
    const d = new SoftDesc(c, flags, prep.submitOp, prep.memcpyLen, prep.finish, prep.corrupt, len);
    d.txSubmit = this.txSubmitFn;
    return d;
  }

  devicePrepDmaMemcpy(chan: DmaChan, dst: DmaAddr, src: DmaAddr, len: number, flags: number): DmaAsyncTxDescriptor | null {
    return this.desc(chan, flags, prepMemcpy(dst, src, len), len);
  }

  devicePrepDmaMemset(chan: DmaChan, dst: DmaAddr, value: number, len: number, flags: number): DmaAsyncTxDescriptor | null {
    return this.desc(chan, flags, prepMemset(dst, value, len), len);
  }

  devicePrepDmaXor(chan: DmaChan, dst: DmaAddr, src: DmaAddr[], srcCnt: number, len: number, flags: number): DmaAsyncTxDescriptor | null {
    return this.desc(chan, flags, prepXor(dst, src, srcCnt, len), len);
  }

  devicePrepDmaXorVal(chan: DmaChan, src: DmaAddr[], srcCnt: number, len: number, result: Holder<number>, flags: number): DmaAsyncTxDescriptor | null {
    return this.desc(chan, flags, prepXorVal(src, srcCnt, len, result), len);
  }

  devicePrepDmaPq(chan: DmaChan, dst: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, scf: Uint8Array, len: number,
    flags: number): DmaAsyncTxDescriptor | null {
    return this.desc(chan, flags, prepPq(dst, src, srcCnt, scf, len, flags), len);
  }

  devicePrepDmaPqVal(chan: DmaChan, pq: (DmaAddr | null)[], src: DmaAddr[], srcCnt: number, scf: Uint8Array, len: number,
    pqres: Holder<number>, flags: number): DmaAsyncTxDescriptor | null {
    return this.desc(chan, flags, prepPqVal(pq, src, srcCnt, scf, len, pqres, flags), len);
  }

  devicePrepDmaInterrupt(chan: DmaChan, flags: number): DmaAsyncTxDescriptor | null {
    return this.desc(chan, flags, prepInterrupt(), 0);
  }

  // ---- submit, issue, complete -------------------------------------------------------------

  private submit(tx: SoftDesc): number {
    const c = tx.chan as SoftChan;
    const fault = c.faults.length === 0 ? null : c.takeFault(false);
    if (fault === 'submit') return -ERRNO.EIO;
    const eng = this.engine;
    if (fault === 'read' || fault === 'write') {
      eng.injectError(c.index, 1, fault === 'read' ? DmaTransResult.READ_FAILED : DmaTransResult.WRITE_FAILED);
    }
    const cookie = tx.submitOp(eng, c.index, (tx.flags & DmaCtrlFlags.PREP_FENCE) !== 0);
    c.submitted(cookie);
    if (fault === 'hang' && c.hangCookie === 0) c.hang(cookie);
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
      if (c.hangCookie === 0) c.useEngineCookies(); // a fresh cell until the next engine starts
    }
  }
}

/**
 * A soft device, not registered yet (its engine starts on first use).
 * @throws TypeError or RangeError naming the option, for a bad one (nothing is created)
 */
export function createSoftDevice(options?: SoftDeviceOptions): SoftDevice {
  return new SoftDevice(options);
}

/**
 * Create a soft device (backed by a native engine, one worker thread per channel) and
 * register it with `engine` (the default instance if omitted).
 * @returns the registered device
 * @throws TypeError or RangeError for a bad option or engine
 */
export function registerSoftDevice(options?: SoftDeviceOptions, engine?: DmaEngine): SoftDevice {
  if (engine != null && !(engine instanceof DmaEngine)) throw invalidType('a DmaEngine (createDmaEngine) or undefined', 'engine', engine);
  const dev = new SoftDevice(options);
  (engine ?? defaultDmaEngine()).dmaAsyncDeviceRegister(dev);
  return dev;
}
