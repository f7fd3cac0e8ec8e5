/**
 * Fixtures for the dmaengine core's tests: plain TypeScript devices with call logs, a bare
 * device literal for registration checks, and helpers to wait for the event loop.
 */
import { DmaCap, DmaCapMask } from '../../lib/dmaengine/caps';
import { DmaChan } from '../../lib/dmaengine/channel';
import { dmaCookieStatus } from '../../lib/dmaengine/cookie';
import type { DmaDevice } from '../../lib/dmaengine/device';
import { DmaAsyncTxDescriptor } from '../../lib/dmaengine/descriptor';
import { createPlainDevice, type PlainDevice, type PlainDeviceOptions } from '../../lib/providers/plain';

/** Every async op type: the core sets ASYNC_TX on a device with all of them. */
export const ALL_ASYNC = [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT];

/** A plain device whose alloc/free calls are logged in `log`. */
export function loggedDevice(options: PlainDeviceOptions, log: string[] = []): PlainDevice & { log: string[] } {
  const dev = createPlainDevice(options) as PlainDevice & { log: string[] };
  dev.log = log;
  const alloc = dev.deviceAllocChanResources.bind(dev);
  const free = dev.deviceFreeChanResources.bind(dev);
  dev.deviceAllocChanResources = (chan) => { log.push(`alloc ${chan.name}`); return alloc(chan); };
  dev.deviceFreeChanResources = (chan) => { log.push(`free ${chan.name}`); free(chan); };
  return dev;
}

/** A device literal with the two required callbacks and nothing else. */
export function bareDevice(caps: DmaCap[], channels = 1, dev = 'bare'): DmaDevice {
  return {
    dev,
    capMask: new DmaCapMask(...caps),
    channels: Array.from({ length: channels }, () => new DmaChan()),
    deviceTxStatus: (chan, cookie, state) => dmaCookieStatus(chan, cookie, state),
    deviceIssuePending: () => undefined,
  };
}

/** A no-op descriptor for a bare device's prep callbacks. */
export function nopDesc(chan: DmaChan): DmaAsyncTxDescriptor {
  return new DmaAsyncTxDescriptor(chan, 0);
}

/** Resolve after the current turn's setImmediate callbacks ran. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Turns of the event loop until `cond()` holds or `ms` passed (completions of a provider with
 * worker threads arrive when the workers got the CPU, not after a fixed number of turns).
 */
export async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  for (let i = 0; !cond() && Date.now() < deadline; i++) {
    await (i < 100 ? tick() : new Promise<void>((r) => setTimeout(r, 1)));
  }
}

/** Deterministic bytes (xorshift32). */
export function randomBytes(len: number, seed: number): Uint8Array {
  const out = new Uint8Array(len);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
