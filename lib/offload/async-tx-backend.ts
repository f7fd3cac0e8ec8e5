/**
 * A queued backend over devices registered on an isolated dmaengine instance, driven through
 * async_tx: the part the soft engine's backend and the kernel bridge's share.
 *
 * Spreading over channels: the instance is made with several CPUs and its per-CPU channel
 * table (the kernel's `channel_table`, `min_chan`) gives each CPU a channel per capability;
 * before each submission the backend says which "CPU" is asking (`setCpu`), choosing the one
 * whose channel for the job's main capability has the fewest bytes in flight (ties to the next
 * in turn). So channel choice stays the core's, async_tx's dependency rules (a dependant goes
 * to its dependency's channel) keep working, and one set of devices serves every channel.
 *
 * Failures: an operation may be several descriptors (RAID-6 recovery is a chain of up to
 * five). async_tx reports only to the last one's callback, and a kernel chain goes on after a
 * failed link; so every prep of the devices is watched while a job is submitted (the devices
 * are the backend's own, made for it: their prep methods are wrapped on the instance) and the
 * job's result is the first descriptor that did not end NOERROR.
 *
 * Refusals: a prep returning null, or a step async_tx did on its software path (no channel,
 * misaligned), is counted: the job ran (at least in part) on the calling thread. With
 * `strict` (a job whose async_tx software path is not usable: the validate operations) the
 * first refusal throws {@link PrepRefused} before anything of the job was submitted, so the
 * caller can send the job elsewhere.
 *
 * Threading: JavaScript thread only.
 */
import { createAsyncTx } from '../async_tx/api';
import { AsyncTxFlags, initAsyncSubmit } from '../async_tx/flags';
import type { DmaCap } from '../dmaengine/caps';
import type { DmaChan } from '../dmaengine/channel';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import type { DmaDevice } from '../dmaengine/device';
import type { DmaEngine } from '../dmaengine/instance';
import { DmaTransResult } from '../dmaengine/status';
import type { Place, QueuedBackend } from './backend';
import { type Job, SCRIBBLE } from './job';

type Desc = DmaAsyncTxDescriptor | null;

const PREPS = [
  'devicePrepDmaMemcpy', 'devicePrepDmaMemset', 'devicePrepDmaXor', 'devicePrepDmaXorVal', 'devicePrepDmaPq',
  'devicePrepDmaPqVal', 'devicePrepDmaInterrupt',
] as const;

/** Thrown out of a strict submission when a channel refused it (nothing of the job was submitted). */
export class PrepRefused extends Error {
  constructor() {
    super('the channel refused the operation');
    this.name = 'PrepRefused';
  }
}

/** What a submission saw of the devices' preps. */
interface Watch {
  recorded: DmaAsyncTxDescriptor[];
  refused: number;
  strict: boolean;
}

/** Wraps `dev`'s prep methods (on the instance) so that they report to the current watch. */
function watchPreps(dev: DmaDevice, current: () => Watch | null): void {
  const d = dev as unknown as Record<string, unknown>;
  for (const name of PREPS) {
    const orig = d[name];
    if (typeof orig !== 'function') continue;
    d[name] = (...args: unknown[]): Desc => {
      const got = (orig as (...a: unknown[]) => Desc).apply(dev, args);
      const w = current();
      if (w !== null) {
        if (got !== null) w.recorded.push(got);
        else if (w.strict) throw new PrepRefused();
        else w.refused++;
      }
      return got;
    };
  }
}

/** @internal a queued backend that also says where each job ran */
export interface AsyncTxBackend extends QueuedBackend {
  /** Whether `tx` is one of this backend's descriptors. */
  owns(tx: DmaAsyncTxDescriptor): boolean;
  /** The channel the table gives CPU 0 for `cap`, null when none. */
  channelFor(cap: DmaCap): DmaChan | null;
  /** Submit, throwing {@link PrepRefused} instead of running any step on the software path. */
  submitStrict(job: Job<unknown>, dep: DmaAsyncTxDescriptor | null, done: (result: DmaTransResult) => void): DmaAsyncTxDescriptor | null;
}

/** What {@link openAsyncTxBackend} drives. */
export interface AsyncTxBackendSetup {
  kind: 'soft' | 'bridge';
  /** the isolated instance, made with `cpus` CPUs and `currentCpu` reading what `setCpu` set */
  engine: DmaEngine;
  cpus: number;
  setCpu: (cpu: number) => void;
  /** the devices registered on `engine` for this backend */
  devices: readonly DmaDevice[];
  /** channels operations spread over (reported) */
  channels: number;
  /** unregister the devices (after every channel was terminated) */
  release: () => void;
}

/** @internal a backend over `s.devices` */
export function openAsyncTxBackend(s: AsyncTxBackendSetup): AsyncTxBackend {
  const { engine, cpus } = s;
  let watch: Watch | null = null;
  for (const d of s.devices) watchPreps(d, () => watch);
  const api = createAsyncTx(engine);
  // a public client from the start, so the channel table is filled before the first operation
  // (routing reads it; async_tx itself takes its reference on first use)
  engine.dmaengineGet();
  const load = new Map<DmaChan, number>();
  const mine = new Set<DmaChan>(s.devices.flatMap((d) => d.channels));
  let turn = 0;
  let lastPlace: Place = s.kind;

  const loadOf = (c: DmaChan | null): number => (c === null ? 0 : load.get(c) ?? 0);
  const leastLoaded = (cap: DmaCap | undefined): number => {
    let best = turn;
    if (cap !== undefined) {
      let bestLoad = loadOf(engine.dmaFindChannel(cap, best));
      for (let k = 1; k < cpus; k++) {
        const c = (turn + k) % cpus;
        const l = loadOf(engine.dmaFindChannel(cap, c));
        if (l < bestLoad) { best = c; bestLoad = l; }
      }
    }
    turn = (best + 1) % cpus;
    return best;
  };

  const submit = (job: Job<unknown>, dep: Desc, done: (result: DmaTransResult) => void, strict: boolean): Desc => {
    s.setCpu(leastLoaded(job.caps[0]));
    const w: Watch = { recorded: [], refused: 0, strict };
    let settled = false;
    let charged: DmaChan | null = null;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      if (charged !== null) load.set(charged, loadOf(charged) - job.bytes);
      const bad = w.recorded.find((d) => d.txResult !== null && d.txResult.result !== DmaTransResult.NOERROR);
      done(bad ? bad.txResult!.result : DmaTransResult.NOERROR);
    };
    // never complete on the caller's stack: the software path calls back inline
    const cb = (): void => queueMicrotask(finish);
    let tail: Desc = dep;
    let software = 0;
    watch = w;
    try {
      job.steps.forEach((step, i) => {
        const last = i === job.steps.length - 1;
        tail = step(api, (flags) => initAsyncSubmit(flags | (last ? 0 : AsyncTxFlags.FENCE), tail, last ? cb : null, null, SCRIBBLE));
        if (tail === null) software++;
      });
    } finally {
      watch = null;
    }
    lastPlace = software > 0 || w.refused > 0 ? 'software' : s.kind;
    charged = w.recorded[0]?.chan ?? null;
    if (charged !== null) load.set(charged, loadOf(charged) + job.bytes);
    return tail;
  };

  return {
    kind: s.kind,
    channels: s.channels,
    get lastPlace() { return lastPlace; },
    owns: (tx) => tx.chan !== null && mine.has(tx.chan),
    channelFor: (cap) => engine.dmaFindChannel(cap, 0),
    submit: (job, dep, done) => submit(job, dep, done, false),
    submitStrict: (job, dep, done) => submit(job, dep, done, true),
    issue() {
      api.asyncTxIssuePendingAll();
    },
    close() {
      for (const chan of mine) engine.dmaengineTerminateSync(chan);
      api.exit();
      engine.dmaenginePut();
      s.release();
    },
  };
}
