/**
 * The queued backend on the soft engine: one soft device (one worker thread per channel) on
 * an isolated dmaengine instance, driven through async_tx.
 *
 * Spreading over channels: the instance is made with one CPU per channel and its per-CPU
 * channel table (the kernel's `channel_table`, `min_chan`) gives CPU i channel i for every
 * capability; before each submission the backend says which "CPU" is asking (`currentCpu`),
 * choosing the least-loaded channel (bytes in flight, ties to the next in turn). So channel
 * choice stays the core's, async_tx's dependency rules (a dependant goes to its dependency's
 * channel) keep working, and one engine serves every channel. The alternatives cost more:
 * one device per channel means one native engine and one completion path each, and
 * dependencies between them could never be async_tx's; picking channels through
 * `dmaRequestChannel` takes them out of async_tx's reach altogether.
 *
 * Failures: an operation may be several descriptors (RAID-6 recovery is a chain of up to
 * five). async_tx reports only to the last one's callback, and a kernel chain goes on after a
 * failed link; so the device records every descriptor prepared while a job is submitted, and
 * the job's result is the first that did not end NOERROR.
 *
 * Threading: JavaScript thread only.
 */
import { availableParallelism } from 'node:os';
import { createAsyncTx } from '../async_tx/api';
import { AsyncTxFlags, initAsyncSubmit } from '../async_tx/flags';
import { DmaCap } from '../dmaengine/caps';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { createDmaEngine } from '../dmaengine/instance';
import { DmaTransResult } from '../dmaengine/status';
import { SoftDevice } from '../providers/soft';
import { SoftChan } from '../providers/soft-chan';
import type { QueuedBackend } from './backend';
import { SCRIBBLE } from './job';

type Desc = DmaAsyncTxDescriptor | null;

/** A soft device that records the descriptors it prepares while `capture` is set. */
class RecordingSoftDevice extends SoftDevice {
  capture: DmaAsyncTxDescriptor[] | null = null;

  private keep(d: Desc): Desc {
    if (d !== null && this.capture !== null) this.capture.push(d);
    return d;
  }
  override devicePrepDmaMemcpy(...a: Parameters<SoftDevice['devicePrepDmaMemcpy']>): Desc { return this.keep(super.devicePrepDmaMemcpy(...a)); }
  override devicePrepDmaMemset(...a: Parameters<SoftDevice['devicePrepDmaMemset']>): Desc { return this.keep(super.devicePrepDmaMemset(...a)); }
  override devicePrepDmaXor(...a: Parameters<SoftDevice['devicePrepDmaXor']>): Desc { return this.keep(super.devicePrepDmaXor(...a)); }
  override devicePrepDmaXorVal(...a: Parameters<SoftDevice['devicePrepDmaXorVal']>): Desc { return this.keep(super.devicePrepDmaXorVal(...a)); }
  override devicePrepDmaPq(...a: Parameters<SoftDevice['devicePrepDmaPq']>): Desc { return this.keep(super.devicePrepDmaPq(...a)); }
  override devicePrepDmaPqVal(...a: Parameters<SoftDevice['devicePrepDmaPqVal']>): Desc { return this.keep(super.devicePrepDmaPqVal(...a)); }
  override devicePrepDmaInterrupt(...a: Parameters<SoftDevice['devicePrepDmaInterrupt']>): Desc { return this.keep(super.devicePrepDmaInterrupt(...a)); }
}

/** Default channel count: the cores left beside the JavaScript thread, 1 to 4. */
export function defaultSoftChannels(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** @internal the soft device behind a backend, for tests (fault injection) */
export const softDeviceOf = new WeakMap<object, SoftDevice>();

/** @internal open the soft backend with `channels` worker threads */
export function openSoftBackend(channels: number): QueuedBackend {
  let cpu = 0;
  let turn = 0;
  const engine = createDmaEngine({ cpus: channels, cpuToNode: () => 0, currentCpu: () => cpu });
  const dev = new RecordingSoftDevice({
    channels,
    caps: [DmaCap.MEMCPY, DmaCap.MEMSET, DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT],
    maxXor: 255,
    maxPq: 253,
  });
  engine.dmaAsyncDeviceRegister(dev);
  const api = createAsyncTx(engine);
  const load = new Array<number>(channels).fill(0);

  const leastLoaded = (): number => {
    let best = turn;
    for (let k = 1; k < channels; k++) {
      const c = (turn + k) % channels;
      if (load[c]! < load[best]!) best = c;
    }
    turn = (best + 1) % channels;
    return best;
  };

  const backend: QueuedBackend = {
    kind: 'soft',
    channels,
    submit(job, dep, done) {
      const ch = dep !== null && dep.chan instanceof SoftChan ? dep.chan.index : leastLoaded();
      cpu = ch;
      let settled = false;
      const recorded: DmaAsyncTxDescriptor[] = [];
      const finish = (): void => {
        if (settled) return;
        settled = true;
        load[ch] = load[ch]! - job.bytes;
        const bad = recorded.find((d) => d.txResult !== null && d.txResult.result !== DmaTransResult.NOERROR);
        done(bad ? bad.txResult!.result : DmaTransResult.NOERROR);
      };
      // never complete on the caller's stack: the software path calls back inline
      const cb = (): void => queueMicrotask(finish);
      let tail: Desc = dep;
      dev.capture = recorded;
      try {
        job.steps.forEach((step, i) => {
          const last = i === job.steps.length - 1;
          tail = step(api, (flags) => initAsyncSubmit(flags | (last ? 0 : AsyncTxFlags.FENCE), tail, last ? cb : null, null, SCRIBBLE));
        });
      } finally {
        dev.capture = null;
      }
      load[ch] = load[ch]! + job.bytes;
      return tail;
    },
    issue() {
      api.asyncTxIssuePendingAll();
    },
    close() {
      for (const chan of dev.channels) engine.dmaengineTerminateSync(chan);
      api.exit();
      engine.dmaAsyncDeviceUnregister(dev);
    },
  };
  softDeviceOf.set(backend, dev);
  return backend;
}
