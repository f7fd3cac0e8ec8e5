/**
 * Contenders: one way of running an (op, size), behind one interface the sweep alternates.
 *
 * - synchronous contenders (the kernel via the binding, Buffer.copy/fill, the inline path of
 *   async_tx): a loop of n calls on the JavaScript thread;
 * - queued contenders (a queued engine through async_tx): n operations, at most `depth` in
 *   flight, each channel keeping its share (depth / channels) of them, each with a
 *   completion callback; the
 *   doorbell (`asyncTxIssuePendingAll`) rung once per batch of submissions, as a user would;
 *   the window refilled after the callbacks of a delivery (never from inside a callback,
 *   which async_tx forbids). A sample ends at the n-th callback delivered to JavaScript.
 *
 * `verify` is the check each configuration passes once before it is timed: outputs poisoned,
 * operations run through the same path, every output compared in full with the reference;
 * val operations must report "consistent", then "mismatch" once a source is corrupted.
 *
 * Threading: JavaScript thread only.
 */
import { AsyncTxFlags, initAsyncSubmit } from '../index';
import type { KernelsAddon } from '../native-types/kernels';
import type { EngineSession } from './engines';
import type { BenchOpDef } from './ops';
import { nowNs } from './stats';
import type { Workload } from './workload';

export interface Contender {
  /** Series id (column): "binding", "node", "inline", "soft-2ch-q64", … */
  readonly id: string;
  /** Fewest operations one sample may have. */
  readonly minOps: number;
  /** Runs n operations; resolves to the elapsed nanoseconds. */
  run(n: number): Promise<number>;
  /** Poisons, runs n operations, checks; throws Error('wrong result: …') on a mismatch. */
  verify(n: number): Promise<void>;
  /** Callbacks delivered to JavaScript so far (queued contenders), and operations submitted. */
  readonly counts: { submitted: number; callbacks: number };
}

const SCRIBBLE = Object.freeze({});

/** Checks the val operations' negative case: with a source corrupted, `run` must report a mismatch. */
async function verifyMismatch(def: BenchOpDef, sets: Workload[], run: () => Promise<unknown>): Promise<void> {
  if (!def.corrupt) return;
  for (const w of sets) { def.corrupt(w, true); def.poison(w); }
  try {
    await run();
    for (const w of sets) {
      if (w.result.value === 0 || w.result.value === -1) {
        throw new Error(`wrong result: ${def.op} reported ${w.result.value} for corrupted blocks (expected a mismatch)`);
      }
    }
  } finally {
    // Restored, and poisoned again: the inline xor_val left the corruption in srcList[0].
    for (const w of sets) { def.corrupt(w, false); def.poison(w); }
  }
}

/** A contender that runs `call` n times in a loop on the JavaScript thread. */
export function syncContender(id: string, def: BenchOpDef, w: Workload, call: (w: Workload) => void): Contender {
  const counts = { submitted: 0, callbacks: 0 };
  const run = (n: number): Promise<number> => {
    const t0 = nowNs();
    for (let i = 0; i < n; i++) call(w);
    const ns = nowNs() - t0;
    counts.submitted += n;
    return Promise.resolve(ns);
  };
  return {
    id, minOps: 1, counts, run,
    async verify(n: number): Promise<void> {
      def.poison(w);
      await run(n);
      def.check(w);
      await verifyMismatch(def, [w], () => run(1));
    },
  };
}

/** The inline path: async_tx on an engine with no device; a call returning a descriptor is an error. */
export function inlineContender(id: string, def: BenchOpDef, s: EngineSession, w: Workload): Contender {
  const flags = AsyncTxFlags.ACK | def.flags;
  const scribble = def.scribble ? SCRIBBLE : null;
  return syncContender(id, def, w, (x) => {
    if (def.call(s.api, x, initAsyncSubmit(flags, null, null, null, scribble)) !== null) {
      throw new Error(`the inline path queued ${def.op}: an engine with no device must run it before returning`);
    }
  });
}

/** The kernel through the binding, called directly. */
export function bindingContender(def: BenchOpDef, addon: KernelsAddon, w: Workload): Contender {
  return syncContender('binding', def, w, (x) => def.binding(addon, x));
}

/** A queued engine through async_tx: see the file header. `sets[i]` is channel i's blocks. */
export function queuedContender(id: string, def: BenchOpDef, s: EngineSession, sets: Workload[], depth: number): Contender {
  const flags = AsyncTxFlags.ACK | def.flags;
  const scribble = def.scribble ? SCRIBBLE : null;
  const counts = { submitted: 0, callbacks: 0 };
  // Each channel keeps its share of the window: ceil(depth / channels) in flight.
  const share = Math.ceil(depth / s.channels);
  const run = (n: number): Promise<number> => new Promise<number>((resolve, reject) => {
    let submitted = 0;
    let completed = 0;
    let refillQueued = false;
    let failed = false;
    const inflight = new Array<number>(s.channels).fill(0);
    let next = 0;
    const t0 = nowNs();
    const done = (ch: number): void => {
      counts.callbacks++;
      completed++;
      inflight[ch]!--;
      if (completed === n) resolve(nowNs() - t0);
      else if (!refillQueued && submitted < n) {
        refillQueued = true;
        queueMicrotask(refill);
      }
    };
    const cbs = inflight.map((_, ch) => (): void => done(ch));
    function refill(): void {
      refillQueued = false;
      if (failed) return;
      try {
        let batch = 0;
        // Round-robin over the channels that are below their share (every channel gets work
        // even when n is small), until n are submitted or every channel is full.
        for (let full = 0; submitted < n && full < s.channels; next = (next + 1) % s.channels) {
          const ch = next;
          if (inflight[ch]! >= share) {
            full++;
            continue;
          }
          full = 0;
          s.setChannel(ch);
          const tx = def.call(s.api, sets[ch]!, initAsyncSubmit(flags, null, cbs[ch]!, null, scribble));
          submitted++;
          inflight[ch]!++;
          counts.submitted++;
          batch++;
          if (tx === null) throw new Error(`${id}: ${def.op} of ${sets[ch]!.len} B ran inline: the queued path was not taken`);
        }
        if (batch > 0) s.api.asyncTxIssuePendingAll();
      } catch (err) {
        failed = true;
        reject(err);
      }
    }
    refill();
  });
  return {
    id, minOps: 2 * s.channels, counts, run,
    async verify(n: number): Promise<void> {
      for (const w of sets) def.poison(w);
      await run(Math.max(n, s.channels));
      for (const w of sets) def.check(w);
      await verifyMismatch(def, sets, () => run(s.channels));
      if (counts.callbacks !== counts.submitted) {
        throw new Error(`${id}: ${counts.submitted} operations submitted but ${counts.callbacks} callbacks delivered`);
      }
    },
  };
}
