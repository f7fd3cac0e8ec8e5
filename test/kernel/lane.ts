/**
 * Helpers for the tests that run inside the kernel lane's guest (scripts/kernel-lane/run.sh):
 * whether we are in the guest, module loading through the host's static busybox, plain-fs
 * reads of /sys/class/dma, and /dev/kmsg read without blocking (O_NONBLOCK, stop at EAGAIN).
 * Not a test file. Threading: synchronous, JS thread only.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** True inside the lane's guest (the init sets KERNEL_LANE=1). */
export const IN_GUEST = process.env.KERNEL_LANE === '1';

/** In a mocha `before`: skips the suite, saying why, outside the guest. */
export function requireGuest(ctx: Mocha.Context): void {
  if (!IN_GUEST) {
    console.log('      (skipped: runs only inside the kernel lane guest: npm run test:kernel)');
    ctx.skip();
  }
}

function busybox(...args: string[]): string {
  const bb = process.env.LANE_BUSYBOX || '/bin/busybox';
  return execFileSync(bb, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Loads a module file with parameters ("name=value"); throws with the kernel's refusal. */
export function insmod(path: string, params: string[] = []): void {
  busybox('insmod', path, ...params);
}

/** Unloads a module by name. */
export function rmmod(name: string): void {
  busybox('rmmod', name);
}

/** True when /sys/module/<name> exists. */
export function moduleLoaded(name: string): boolean {
  return existsSync(`/sys/module/${name}`);
}

/** The directory holding dmatest.ko and dmae_soft.ko built for the lane kernel. */
export function moduleDir(): string {
  const d = process.env.LANE_MODDIR;
  if (!d) throw new Error('LANE_MODDIR is not set: run through npm run test:kernel');
  return d;
}

/** One /sys/class/dma entry, read with plain fs. */
export interface SysDmaChannel {
  name: string;
  inUse: number;
  memcpyCount: number;
  bytesTransferred: number;
  /** The controller's device name (basename of the `device` link), e.g. "dmae_soft". */
  device: string;
}

const readNum = (p: string): number => Number.parseInt(readFileSync(p, 'utf8').trim(), 10);

/** Every channel under /sys/class/dma, sorted by name. */
export function dmaChannels(): SysDmaChannel[] {
  const root = '/sys/class/dma';
  if (!existsSync(root)) return [];
  return readdirSync(root).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((name) => ({
    name,
    inUse: readNum(join(root, name, 'in_use')),
    memcpyCount: readNum(join(root, name, 'memcpy_count')),
    bytesTransferred: readNum(join(root, name, 'bytes_transferred')),
    device: basename(readlinkSync(join(root, name, 'device'))),
  }));
}

/** The soft module's channels. */
export function softChannels(): SysDmaChannel[] {
  return dmaChannels().filter((c) => c.device === 'dmae_soft');
}

/** One /dev/kmsg record. */
export interface KmsgRecord {
  seq: number;
  text: string;
}

/** Every record now in the kernel's log buffer; never blocks. */
export function readKmsg(): KmsgRecord[] {
  const fd = openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
  const out: KmsgRecord[] = [];
  const buf = Buffer.alloc(8192);
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break; // the end: a blocking read would wait here
        if (code === 'EPIPE') continue; // records overwritten while reading: go on
        throw e;
      }
      if (n === 0) break;
      const rec = buf.toString('utf8', 0, n);
      const semi = rec.indexOf(';');
      const seq = Number.parseInt(rec.split(',')[1] ?? '-1', 10);
      out.push({ seq, text: rec.slice(semi + 1).split('\n')[0] });
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/** The last sequence number in the log (a mark to read after). */
export function kmsgMark(): number {
  const all = readKmsg();
  return all.length ? all[all.length - 1].seq : -1;
}

/** Records after `mark`. */
export function kmsgSince(mark: number): string[] {
  return readKmsg().filter((r) => r.seq > mark).map((r) => r.text);
}

/** Reads/writes a module parameter under /sys/module/<mod>/parameters. */
export function param(mod: string, name: string, value?: string | number): string {
  const p = `/sys/module/${mod}/parameters/${name}`;
  if (value !== undefined) writeFileSync(p, `${value}\n`);
  return readFileSync(p, 'utf8').trim();
}
