/**
 * Capabilities (`enum dma_transaction_type`) and capability masks (`dma_cap_mask_t`).
 *
 * Model: a device describes what it can do with a mask of capability bits; a client asks for a
 * mask and a device satisfies it when every requested bit is present (subset test). The numeric
 * values are the modern kernel's and, as in the kernel, must never be persisted: they shifted
 * between versions.
 *
 * Threading: plain objects, JavaScript thread only.
 */
import { checkInt, invalidType, isRealInstance } from '../validate';

/** `enum dma_transaction_type` (modern values, `DMA_` prefix dropped). */
export enum DmaCap {
  MEMCPY = 0,
  XOR = 1,
  PQ = 2,
  XOR_VAL = 3,
  PQ_VAL = 4,
  MEMSET = 5,
  MEMSET_SG = 6,
  INTERRUPT = 7,
  PRIVATE = 8,
  ASYNC_TX = 9,
  SLAVE = 10,
  CYCLIC = 11,
  INTERLEAVE = 12,
}

/** `DMA_TX_TYPE_END`: one past the last capability. */
export const DMA_TX_TYPE_END = 13;

/** Every capability, ascending (the kernel's `for_each_dma_cap_mask` order). */
export const ALL_DMA_CAPS: readonly DmaCap[] = Array.from({ length: DMA_TX_TYPE_END }, (_, i) => i as DmaCap);

/**
 * The capabilities that own a per-CPU channel table: all but INTERRUPT, PRIVATE and SLAVE
 * (the kernel's `dma_cap_mask_all`).
 */
export const TABLE_CAPS: readonly DmaCap[] = ALL_DMA_CAPS.filter(
  (c) => c !== DmaCap.INTERRUPT && c !== DmaCap.PRIVATE && c !== DmaCap.SLAVE);

/** The kernel's spelling of a capability: `DMA_MEMCPY`, `DMA_XOR_VAL`, … */
export function dmaCapName(cap: DmaCap): string {
  checkInt(cap, 'cap', 0, 0x7fffffff);
  const n = DmaCap[cap];
  return n === undefined ? `DMA_CAP_${cap}` : `DMA_${n}`;
}

/** `dma_cap_mask_t`: a bitmap of {@link DMA_TX_TYPE_END} bits. */
export class DmaCapMask {
  /** The bits, bit `n` for capability `n`. */
  bits: number;

  /** @param caps capabilities to set initially */
  constructor(...caps: DmaCap[]) {
    this.bits = 0;
    for (const c of caps) dmaCapSet(c, this);
  }

  /** A new mask with the given capabilities. */
  static of(...caps: DmaCap[]): DmaCapMask {
    return new DmaCapMask(...caps);
  }

  /** A copy of this mask. */
  clone(): DmaCapMask {
    const m = new DmaCapMask();
    m.bits = this.bits;
    return m;
  }

  /** The capabilities set, ascending (`for_each_dma_cap_mask`). */
  caps(): DmaCap[] {
    return ALL_DMA_CAPS.filter((c) => (this.bits & (1 << c)) !== 0);
  }

  /** `DMA_MEMCPY DMA_XOR …` */
  toString(): string {
    return this.caps().map(dmaCapName).join(' ');
  }
}

function checkCap(cap: unknown, name: string): DmaCap {
  return checkInt(cap, name, 0, DMA_TX_TYPE_END - 1) as DmaCap;
}

/** @internal shared by every function taking a mask */
export function checkMask(mask: unknown, name: string): DmaCapMask {
  if (!isRealInstance(mask, DmaCapMask)) throw invalidType('a DmaCapMask', name, mask);
  const bits: unknown = mask.bits; // a public field: a caller may have put anything there
  if (typeof bits !== 'number' || !Number.isInteger(bits)) throw invalidType('an integer', `${name}.bits`, bits);
  return mask;
}

/** `dma_cap_zero(mask)`: clear every bit. */
export function dmaCapZero(mask: DmaCapMask): void {
  checkMask(mask, 'mask').bits = 0;
}

/** `dma_cap_set(cap, mask)` */
export function dmaCapSet(cap: DmaCap, mask: DmaCapMask): void {
  const c = checkCap(cap, 'cap');
  checkMask(mask, 'mask').bits |= 1 << c;
}

/** `dma_cap_clear(cap, mask)` */
export function dmaCapClear(cap: DmaCap, mask: DmaCapMask): void {
  const c = checkCap(cap, 'cap');
  checkMask(mask, 'mask').bits &= ~(1 << c);
}

/** `dma_has_cap(cap, mask)` */
export function dmaHasCap(cap: DmaCap, mask: DmaCapMask): boolean {
  const c = checkCap(cap, 'cap');
  return (checkMask(mask, 'mask').bits & (1 << c)) !== 0;
}

/** `__dma_device_satisfies_mask`: every bit of `want` is in `have`. */
export function dmaMaskSatisfies(have: DmaCapMask, want: DmaCapMask): boolean {
  checkMask(have, 'have');
  checkMask(want, 'want');
  return (have.bits & want.bits) === want.bits;
}
