/**
 * The bridge to the kernel's dmatest module: drives /sys/module/dmatest/parameters/* in the
 * documented order (spec §4.6: parameters, then `channel` writes, `run=1`, `wait`), reads the
 * results from the kernel log starting after the run began, and returns the same result object
 * as the in-process runner.
 *
 * The sysfs root, the file I/O and the log source are injectable, so the unit tests drive a fake
 * module; the kernel lane drives the real one. Reads of `wait` block in the kernel until the
 * threads finish, so they go through promise-based I/O (libuv's threadpool), never blocking the
 * event loop.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DmaEngineError } from '../dmaengine/errors';
import { resolveDmatestParams, type DmatestParams } from './params';
import { runResultFromLog, type DmatestRunResult } from './result';
import { openKmsg, type KernelLogSource } from './kmsg';

/** File access the bridge needs; the default is node:fs/promises. */
export interface SysfsIo {
  readFile(file: string): Promise<string>;
  writeFile(file: string, data: string): Promise<void>;
  exists(file: string): boolean;
  readdir(dir: string): string[];
}

export const nodeSysfsIo: SysfsIo = {
  readFile: (f) => fs.promises.readFile(f, 'utf8'),
  // One write() per value, as `echo v > file` does: sysfs takes a store per write call.
  writeFile: async (f, data) => {
    const h = await fs.promises.open(f, 'w');
    try { await h.write(data); } finally { await h.close(); }
  },
  exists: (f) => fs.existsSync(f),
  readdir: (d) => (fs.existsSync(d) ? fs.readdirSync(d) : []),
};

/**
 * How {@link runKernelDmatest} drives the kernel's dmatest module: where its parameters and the dma
 * class live, how the kernel log is read, how long to run and which channels to add. The defaults
 * are the real sysfs and /dev/kmsg; tests point them at a fake tree.
 */
export interface KernelDmatestOptions {
  /** default /sys/module/dmatest/parameters */
  paramsDir?: string;
  /** default /sys/class/dma (used to explain why no channel was eligible) */
  dmaClassDir?: string;
  /**
   * File access for the parameter writes and directory reads (default: synchronous `fs` on the real
   * paths).
   */
  io?: SysfsIo;
  /** default: /dev/kmsg, opened non-blocking, positioned after the records already there */
  log?: () => KernelLogSource;
  /** With `iterations` 0 dmatest runs until stopped: stop it after this many ms (default 1000). */
  durationMs?: number;
  /** Channels to add, in order (each a `channel` write); none: every eligible channel. */
  channels?: readonly string[];
}

/** The order parameters are written in: everything a channel snapshots, before `channel`. */
const WRITE_ORDER: (keyof DmatestParams)[] = [
  'test_buf_size', 'device', 'threads_per_chan', 'max_channels', 'iterations', 'dmatest',
  'xor_sources', 'pq_sources', 'timeout', 'noverify', 'norandom', 'verbose', 'alignment',
  'transfer_size', 'polled',
];

function sysfsValue(v: DmatestParams[keyof DmatestParams]): string {
  if (typeof v === 'boolean') return v ? 'Y' : 'N';
  return String(v);
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Why no channel could be taken: public channels already held (in_use > 0), or none at all. */
function explainNoChannel(io: SysfsIo, dmaClassDir: string): string {
  const chans = io.readdir(dmaClassDir).filter((c) => /^dma\d+chan\d+$/.test(c) || io.exists(path.join(dmaClassDir, c, 'in_use')));
  if (chans.length === 0) return `no DMA channels exist (${dmaClassDir} is empty)`;
  const held = chans.filter((c) => {
    try { return Number(fs.readFileSync(path.join(dmaClassDir, c, 'in_use'), 'utf8').trim()) > 0; } catch { return false; }
  });
  if (held.length === chans.length) {
    return `every channel is in use (${held.join(', ')} have in_use > 0): public channels held by async_tx (dmaengine_get) cannot be requested exclusively`;
  }
  return `channels exist (${chans.join(', ')}) but none matched the channel/device filter or offered MEMCPY, MEMSET, XOR or PQ`;
}

/**
 * Runs the kernel's dmatest with `params` and returns its result.
 * @throws DmaEngineError EPERM (not root), ENOENT (module not loaded / not built), EBUSY (a
 * run in progress, or a channel already pending), EINVAL (no such channel), ENODEV (no eligible
 * channel, with the reason)
 */
export async function runKernelDmatest(input: Partial<DmatestParams> = {}, options: KernelDmatestOptions = {}): Promise<DmatestRunResult> {
  const params = resolveDmatestParams(input);
  const dir = options.paramsDir ?? '/sys/module/dmatest/parameters';
  const dmaClassDir = options.dmaClassDir ?? '/sys/class/dma';
  const io = options.io ?? nodeSysfsIo;
  const file = (name: string) => path.join(dir, name);
  const channels = options.channels ?? (params.channel ? [params.channel] : []);

  if (!io.exists(dir)) {
    throw new DmaEngineError('ENOENT',
      `dmatest is not loaded (${dir} is missing): run "modprobe dmatest"; if that fails, this kernel was built without CONFIG_DMATEST`);
  }
  const write = async (name: string, value: string) => {
    try {
      await io.writeFile(file(name), value);
    } catch (err) {
      const code = errnoOf(err);
      if (code === 'EACCES' || code === 'EPERM') {
        throw new DmaEngineError('EPERM', `cannot write ${file(name)}: driving dmatest needs root`);
      }
      if (code === 'EBUSY' && name === 'channel') {
        throw new DmaEngineError('EBUSY', `channel "${value}" is already pending for this run, or no channel could be added (dmatest answered EBUSY)`);
      }
      if (code === 'EINVAL' && name === 'channel') {
        throw new DmaEngineError('EINVAL', `no channel named "${value}" could be taken by dmatest (dmatest answered EINVAL)`);
      }
      throw err;
    }
  };

  if ((await io.readFile(file('run'))).trim() === 'Y') {
    throw new DmaEngineError('EBUSY', 'a dmatest run is already in progress (run reads Y)');
  }
  // Parameters first: each channel snapshots them when it is added.
  for (const name of WRITE_ORDER) await write(name, sysfsValue(params[name]));

  const log = (options.log ?? (() => openKmsg()))();
  try {
    for (const c of channels) await write('channel', c);
    await write('run', '1');
    if (params.iterations > 0) {
      await io.readFile(file('wait')); // blocks in the kernel until every thread finished
    } else {
      await new Promise((r) => setTimeout(r, options.durationMs ?? 1000));
      await write('run', '0');
    }
    // Reading `run` as N tears finished threads down; then release the channels.
    await io.readFile(file('run'));
    await write('run', '0');
    const lines = log.read().filter((l) => l.startsWith('dmatest: '));
    const result = runResultFromLog(lines, params, 'kernel');
    if (result.channels.length === 0) {
      const why = lines.some((l) => l.includes("Channel misconfigured"))
        ? 'dmatest says "Channel misconfigured, can\'t continue"'
        : explainNoChannel(io, dmaClassDir);
      throw new DmaEngineError('ENODEV', `dmatest ran no channel: ${why}`);
    }
    return result;
  } finally {
    log.close();
  }
}
