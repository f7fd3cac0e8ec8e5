/**
 * The channel (`struct dma_chan`).
 *
 * Model: a provider creates its channels (`new DmaChan()`, or a subclass carrying its own
 * state) and lists them in `DmaDevice.channels`; registration fills in `device`, `chanId` and
 * `name` (`dma<devId>chan<chanId>`). The core owns `clientCount` and `tableCount`; the
 * provider owns the cookies and the counters.
 *
 * Cookies live in a two-slot `Int32Array` cell (`[0]` last assigned, `[1]` last completed).
 * By default the channel makes its own; a provider backed by native workers passes a view on
 * memory its engine writes, so that status queries cost no native call.
 *
 * Threading: fields are read and written on the JavaScript thread, except the cookie cell,
 * whose completed slot a native engine may advance from its workers (an aligned 32-bit store).
 */
import type { DmaDevice } from './device';
import { invalidRange, invalidType, isRealInstance } from '../validate';
import { DMA_MIN_COOKIE } from './status';

/** Options of `new DmaChan()`. */
export interface DmaChanOptions {
  /** A custom sysfs name instead of `dma<dev>chan<chan>` (the modern kernel allows one). */
  name?: string;
  /** The cookie cell: `[0]` last assigned cookie, `[1]` last completed cookie. Left as given. */
  cookies?: Int32Array;
  /** The kernel's `chan->private`: provider or filter data. */
  privateData?: unknown;
}

/** `struct dma_chan`. */
export class DmaChan {
  /** `dma<devId>chan<chanId>` (or the custom name), set at registration. */
  name = '';
  /** Index within the device, set at registration (lowest free per device). */
  chanId = -1;
  /** The device, set at registration. */
  device: DmaDevice | null = null;
  /** References held on this channel (sysfs `in_use`). Owned by the core. */
  clientCount = 0;
  /** How many (capability, CPU) table slots point here. Owned by the core. */
  tableCount = 0;
  /** sysfs `memcpy_count`: copies the provider counted on this channel. */
  memcpyCount = 0;
  /** sysfs `bytes_transferred`: bytes the provider counted on this channel. */
  bytesTransferred = 0;
  /** The kernel's `chan->private`. */
  privateData: unknown;
  /** The cookie cell (see the file header). */
  readonly cookies: Int32Array;
  /** @internal the name the provider asked for */
  readonly customName: string | undefined;
  /** @internal set while held through dmaRequestChannel */
  exclusive = false;
  /** @internal set once its device was unregistered: every later use throws ENODEV */
  removed = false;

  /** @param options custom name, cookie cell, private data */
  constructor(options: DmaChanOptions = {}) {
    if (options === null || typeof options !== 'object') throw invalidType('an object', 'options', options);
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw invalidType('a non-empty string', 'options.name', options.name);
    }
    if (options.cookies !== undefined) {
      if (!(options.cookies instanceof Int32Array)) throw invalidType('an Int32Array', 'options.cookies', options.cookies);
      if (options.cookies.length < 2) throw invalidRange('options.cookies', 'at least 2 elements long', options.cookies.length);
      this.cookies = options.cookies;
    } else {
      this.cookies = new Int32Array([DMA_MIN_COOKIE, DMA_MIN_COOKIE]);
    }
    this.customName = options.name;
    this.privateData = options.privateData;
  }

  /** Last cookie assigned (`chan->cookie`). */
  get cookie(): number {
    return this.cookies[0]!;
  }

  set cookie(v: number) {
    this.cookies[0] = v;
  }

  /** Last cookie completed (`chan->completed_cookie`). */
  get completedCookie(): number {
    return this.cookies[1]!;
  }

  set completedCookie(v: number) {
    this.cookies[1] = v;
  }
}

/** `dma_chan_name(chan)` */
export function dmaChanName(chan: DmaChan): string {
  if (!isRealInstance(chan, DmaChan)) throw invalidType('a DmaChan', 'chan', chan);
  return chan.name;
}
