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
  /** `DMA_MEMCPY`: memory-to-memory copy (`devicePrepDmaMemcpy`). */
  MEMCPY = 0,
  /** `DMA_XOR`: xor of several sources into a destination (`devicePrepDmaXor`). */
  XOR = 1,
  /** `DMA_PQ`: RAID6 P and Q syndrome generation (`devicePrepDmaPq`). */
  PQ = 2,
  /** `DMA_XOR_VAL`: check that sources xor to zero (`devicePrepDmaXorVal`). */
  XOR_VAL = 3,
  /** `DMA_PQ_VAL`: check a stripe's P and Q against its data (`devicePrepDmaPqVal`). */
  PQ_VAL = 4,
  /** `DMA_MEMSET`: fill memory with a byte value (`devicePrepDmaMemset`). */
  MEMSET = 5,
  /** `DMA_MEMSET_SG`: fill a scatter list with a value (`devicePrepDmaMemsetSg`). */
  MEMSET_SG = 6,
  /** `DMA_INTERRUPT`: a descriptor that only runs a callback (`devicePrepDmaInterrupt`). */
  INTERRUPT = 7,
  /**
   * `DMA_PRIVATE`: the device's channels are never handed out by the public allocator, only by
   * `dmaRequestChannel`.
   */
  PRIVATE = 8,
  /**
   * `DMA_ASYNC_TX`: the device serves async_tx; the core sets it when the device has every async_tx
   * operation.
   */
  ASYNC_TX = 9,
  /** `DMA_SLAVE`: device-to-memory and memory-to-device transfers (`devicePrepSlaveSg`). */
  SLAVE = 10,
  /** `DMA_CYCLIC`: a ring of periods that repeats until terminated (`devicePrepDmaCyclic`). */
  CYCLIC = 11,
  /** `DMA_INTERLEAVE`: strided transfers from a template (`devicePrepInterleavedDma`). */
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

/**
 * `dma_cap_set(cap, mask)`: set the capability's bit in `mask`.
 * @throws TypeError or RangeError for a capability outside {@link DmaCap}, or a non-mask
 */
export function dmaCapSet(cap: DmaCap, mask: DmaCapMask): void {
  const c = checkCap(cap, 'cap');
  checkMask(mask, 'mask').bits |= 1 << c;
}

/**
 * `dma_cap_clear(cap, mask)`: clear the capability's bit in `mask`.
 * @throws TypeError or RangeError for a capability outside {@link DmaCap}, or a non-mask
 */
export function dmaCapClear(cap: DmaCap, mask: DmaCapMask): void {
  const c = checkCap(cap, 'cap');
  checkMask(mask, 'mask').bits &= ~(1 << c);
}

/**
 * `dma_has_cap(cap, mask)`: whether the capability's bit is set in `mask`.
 * @throws TypeError or RangeError for a capability outside {@link DmaCap}, or a non-mask
 */
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
