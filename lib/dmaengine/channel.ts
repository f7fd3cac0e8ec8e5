/**
 * The channel (`struct dma_chan`).
 *
 * Model: a provider creates its channels (`new DmaChan()`, or a subclass carrying its own
 * state) and lists them in `DmaDevice.channels`; registration fills in `device`, `chanId` and
 * `name` (`dma<devId>chan<chanId>`). The core owns `clientCount` and `tableCount`; the
 * provider owns the cookies and the counters.
 *
 * Cookies live in a cookie cell: an `Int32Array` whose word `COOKIE_USED` is the last cookie
 * assigned and `COOKIE_COMPLETED` the last completed (abi.ts; the native engine's status
 * block is one such cell per channel). By default the channel makes its own; a provider whose
 * engine publishes cookies in memory hands the channel a view on it (`dmaChanSetCookies`, again
 * whenever its engine restarts), so status queries cost no native call. Every reader goes
 * through the accessors below, and no provider overrides them: one layout, one reading.
 *
 * Threading: fields are read and written on the JavaScript thread, except the cookie cell,
 * whose completed slot a native engine may advance from its workers (an aligned 32-bit store).
 */
import type { DmaDevice } from './device';
import { invalidRange, invalidType, isRealInstance } from '../validate';
import { COOKIE_CELL_WORDS, COOKIE_COMPLETED, COOKIE_USED, DMA_MIN_COOKIE } from './abi';

/** Options of `new DmaChan()`. */
export interface DmaChanOptions {
  /** A custom sysfs name instead of `dma<dev>chan<chan>` (the modern kernel allows one). */
  name?: string;
  /** The cookie cell (`COOKIE_USED`, `COOKIE_COMPLETED`; abi.ts). Left as given. */
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
  /** The cookie cell (see the file header); replaced only through {@link dmaChanSetCookies}. */
  cookies: Int32Array;
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
    this.cookies = options.cookies !== undefined ? checkCookieCell(options.cookies, 'options.cookies') : newCookieCell();
    this.customName = options.name;
    this.privateData = options.privateData;
  }

  /** Last cookie assigned (`chan->cookie`). */
  get cookie(): number {
    return this.cookies[COOKIE_USED]!;
  }

  /**
   * Write the last assigned cookie (`chan->cookie`); providers do this through `dmaCookieAssign`.
   */
  set cookie(v: number) {
    this.cookies[COOKIE_USED] = v;
  }

  /** Last cookie completed (`chan->completed_cookie`); an engine's workers may advance it. */
  get completedCookie(): number {
    return Atomics.load(this.cookies, COOKIE_COMPLETED);
  }

  /**
   * Publish the last completed cookie (an atomic store, visible to other threads sharing the cell).
   */
  set completedCookie(v: number) {
    Atomics.store(this.cookies, COOKIE_COMPLETED, v);
  }
}

function checkCookieCell(cell: unknown, name: string): Int32Array {
  if (!(cell instanceof Int32Array)) throw invalidType('an Int32Array', name, cell);
  if (cell.length < COOKIE_CELL_WORDS) throw invalidRange(name, `at least ${COOKIE_CELL_WORDS} elements long`, cell.length);
  return cell;
}

/** A cookie cell of its own: both cookies at {@link DMA_MIN_COOKIE} (`dma_cookie_init`). */
export function newCookieCell(): Int32Array {
  const cell = new Int32Array(COOKIE_CELL_WORDS);
  cell[COOKIE_USED] = DMA_MIN_COOKIE;
  cell[COOKIE_COMPLETED] = DMA_MIN_COOKIE;
  return cell;
}

/**
 * Points `chan` at another cookie cell (layout in abi.ts), for a provider whose engine
 * publishes its cookies in memory it owns and may replace (a restarted engine). The values
 * are the cell's; nothing is copied.
 * @throws TypeError/RangeError naming `cell` when it is not an Int32Array of at least 2 words
 */
export function dmaChanSetCookies(chan: DmaChan, cell: Int32Array): void {
  chan.cookies = checkCookieCell(cell, 'cell');
}

/**
 * `dma_chan_name(chan)`: the channel's name, set at registration (`dma<devId>chan<chanId>`, or the
 * provider's custom name); empty before.
 * @throws TypeError for a non-channel
 */
export function dmaChanName(chan: DmaChan): string {
  if (!isRealInstance(chan, DmaChan)) throw invalidType('a DmaChan', 'chan', chan);
  return chan.name;
}
