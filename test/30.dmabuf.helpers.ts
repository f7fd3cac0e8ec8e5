/**
 * Shared by the dma-buf tests on the host (test/30.dmabuf.*) and in the kernel lane's guest
 * (test/kernel/*): counting fds and buffer mappings before and after, with a forced GC so the
 * mappings owned by collected ArrayBuffers are really gone. Not a test file itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gcFn = runInNewContext('gc') as () => void;

/** Open fds of this process. */
export function fdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Mappings of memfds and dma-bufs in this process (lines of /proc/self/maps). */
export function bufferMapCount(): number {
  return readFileSync('/proc/self/maps', 'utf8').split('\n')
    .filter((l) => /\/memfd:|\/dmabuf:/.test(l)).length;
}

/** Forces full GCs and lets N-API finalizers (which run from the event loop) finish. */
export async function collect(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    gcFn();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Runs `body`, collects, and returns the fd and mapping deltas. */
export async function leakDelta(body: () => void | Promise<void>): Promise<{ fds: number; maps: number }> {
  await collect();
  const fd0 = fdCount();
  const map0 = bufferMapCount();
  await body();
  await collect();
  return { fds: fdCount() - fd0, maps: bufferMapCount() - map0 };
}

/** Deterministic bytes (xorshift32, fixed seed) for data checks. */
export function pattern(n: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
