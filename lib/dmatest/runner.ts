/**
 * dmatest, in process: the kernel's test client run over any channel this library can
 * allocate (the soft engine's, a plain TypeScript provider's, …), with the module's parameters
 * and byte-exact log lines, returning the same result object as the kernel bridge.
 *
 * Call order, as the module's: channels are taken (`Added N threads using <chan>`), then every
 * thread starts (`Started N threads using <chan>`) and runs in parallel with the others on the
 * event loop, then the channels are released. Nothing blocks the loop.
 */
import { DmaEngineError } from '../dmaengine/errors';
import type { DmaEngine } from '../dmaengine/instance';
import { defaultDmaEngine } from '../dmaengine/index';
import { resolveDmatestParams, type DmatestParams } from './params';
import { requestDmatestChannels, type DmatestChannelPlan } from './channels';
import { addedLine, startedLine, threadName, NO_CHANNELS_LINE } from './log-format';
import { runResultFromLog, type DmatestRunResult } from './result';
import { runDmatestThread } from './thread';
import type { DmaChan } from '../dmaengine/channel';

/**
 * How {@link runDmatest} runs the in-process dmatest: which engine and channels, how long, where
 * the log lines go, and how test buffers are allocated.
 */
export interface DmatestRunOptions {
  /** The dmaengine instance whose channels are tested (default: the default instance). */
  engine?: DmaEngine;
  /** Channels to add, in order, as successive writes to `channel` (default: `params.channel`). */
  channels?: readonly string[];
  /** Each log line as it is printed (the kernel log's order). */
  log?: (line: string) => void;
  /** With `iterations` 0 the threads run until stopped: stop after this many ms (default 1000). */
  durationMs?: number;
  /** Stops the run early (like writing 0 to `run`). */
  signal?: AbortSignal;
  /** Seed of the random lengths and offsets (default: fixed, so runs repeat). */
  seed?: number;
  /** Called after each finished test of any thread, with the running totals. */
  onProgress?: (done: number, failed: number) => void;
  /** Called once every thread has started, with the number of threads (all channels). */
  onStart?: (threads: number) => void;
  /**
   * Allocates one test buffer (default `new Uint8Array(size)`): a provider that can reach only
   * some memory (the kernel bridge: dma-bufs) is tested on memory it can reach.
   */
  alloc?: (size: number, chan: DmaChan) => Uint8Array;
}

/**
 * Runs dmatest in process.
 * @throws TypeError/RangeError for bad parameters; DmaEngineError EINVAL when a named channel
 * cannot be taken, ENODEV when no channel at all can be
 * @example
 * const r = await runDmatest({ iterations: 100 }, { channels: ['dma0chan0'] });
 * console.log(r.tests, r.failures);
 */
export async function runDmatest(input: Partial<DmatestParams> = {}, options: DmatestRunOptions = {}): Promise<DmatestRunResult> {
  const params = resolveDmatestParams(input);
  const engine = options.engine ?? defaultDmaEngine();
  const lines: string[] = [];
  const log = (line: string) => { lines.push(line); options.log?.(line); };

  // Add channels: each named channel as its own `channel` write (parameters snapshotted then).
  const plans: (DmatestChannelPlan & { params: DmatestParams })[] = [];
  const names = options.channels ?? (params.channel ? [params.channel] : []);
  const add = (p: DmatestParams) => {
    const got = requestDmatestChannels(engine, p, plans.length);
    for (const plan of got) {
      plans.push({ ...plan, params: p });
      log(addedLine(plan.threads.length, plan.chan.name));
    }
    return got.length;
  };
  try {
    for (const name of names) {
      if (plans.some((p) => p.chan.name === name)) {
        throw new DmaEngineError('EBUSY', `channel "${name}" is already pending for this run`);
      }
      if (add({ ...params, channel: name }) === 0) {
        throw new DmaEngineError('EINVAL', `no channel named "${name}" could be taken (it does not exist, is in use, or lacks MEMCPY, MEMSET, XOR and PQ)`);
      }
    }
    if (names.length === 0) {
      log(NO_CHANNELS_LINE);
      add(params);
    }
    if (plans.length === 0) {
      throw new DmaEngineError('ENODEV', 'no eligible channel: none registered, or every channel is held (public channels held by async_tx cannot be requested exclusively)');
    }
  } catch (err) {
    for (const p of plans) engine.dmaReleaseChannel(p.chan);
    throw err;
  }

  let stopped = false;
  const stop = () => { stopped = true; };
  options.signal?.addEventListener('abort', stop, { once: true });
  const timer = params.iterations === 0 ? setTimeout(stop, options.durationMs ?? 1000) : null;
  const progress = new Map<string, [number, number]>();
  const report = () => {
    let t = 0; let f = 0;
    for (const [a, b] of progress.values()) { t += a; f += b; }
    options.onProgress?.(t, f);
  };
  try {
    for (const p of plans) log(startedLine(p.threads.length, p.chan.name));
    options.onStart?.(plans.reduce((n, p) => n + p.threads.length, 0));
    const threads: Promise<unknown>[] = [];
    let seed = options.seed ?? 0x5eed;
    for (const p of plans) {
      const index: Record<string, number> = {};
      for (const op of p.threads) {
        const i = index[op] ?? 0;
        index[op] = i + 1;
        const name = threadName(p.chan.name, op, i);
        threads.push(runDmatestThread({
          engine, chan: p.chan, op, name, params: p.params, seed: seed++,
          stopped: () => stopped,
          log,
          onTest: (tests, failures) => { progress.set(name, [tests, failures]); report(); },
          alloc: options.alloc,
        }));
      }
    }
    await Promise.all(threads);
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
    for (const p of plans) engine.dmaReleaseChannel(p.chan);
  }
  return runResultFromLog(lines, params, 'in-process');
}
