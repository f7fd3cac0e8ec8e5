/**
 * The options every provider of this library takes to model a controller (channels,
 * capabilities, limits, alignments, node, private, name), checked and turned into the
 * `struct dma_device` fields once, so the plain and soft providers cannot read them differently:
 * both device classes extend {@link ModelledDevice}.
 */
import { DmaCap, DmaCapMask } from '../dmaengine/caps';
import { DMA_HAS_PQ_CONTINUE } from '../dmaengine/device';
import { checkInt, invalidType } from '../validate';

/** The options of the providers that model a controller (`plain`, `soft`). */
export interface ModelledDeviceOptions {
  /** number of channels (default 1) */
  channels?: number;
  /** capabilities (default `[DmaCap.MEMCPY]`) */
  caps?: DmaCap[];
  /** default 16 when XOR or XOR_VAL is claimed */
  maxXor?: number;
  /** default 16 when PQ or PQ_VAL is claimed */
  maxPq?: number;
  /** the engine continues P+Q natively (sets DMA_HAS_PQ_CONTINUE) */
  pqContinue?: boolean;
  /**
   * log2 of the alignment memcpy needs of offsets and length (default 0 = any); clients see it
   * through `isDmaCopyAligned`.
   */
  copyAlign?: number;
  /** log2 of the alignment xor needs (default 0 = any). */
  xorAlign?: number;
  /** log2 of the alignment pq needs (default 0 = any). */
  pqAlign?: number;
  /** log2 of the alignment memset needs (default 0 = any). */
  fillAlign?: number;
  /**
   * NUMA node of the modelled controller (default -1: local to every CPU), used by the per-CPU
   * channel table.
   */
  numaNode?: number;
  /** register with DMA_PRIVATE (never public) */
  private?: boolean;
  /** the controller's name (default `<driver><N>`) */
  name?: string;
}

/** The `DmaDevice` fields the options decide. */
export interface ResolvedDeviceOptions {
  /** Number of channels to create. */
  channels: number;
  /** The capabilities claimed. */
  capMask: DmaCapMask;
  /** Largest xor source count (`max_xor`). */
  maxXor: number;
  /**
   * Largest pq source count (`max_pq`), with `DMA_HAS_PQ_CONTINUE` set when the engine continues
   * natively.
   */
  maxPq: number;
  /** log2 of the alignment memcpy needs (0 = any). */
  copyAlign: number;
  /** log2 of the alignment xor needs (0 = any). */
  xorAlign: number;
  /** log2 of the alignment pq needs (0 = any). */
  pqAlign: number;
  /** log2 of the alignment memset needs (0 = any). */
  fillAlign: number;
  /** NUMA node of the controller, -1 = local to every CPU. */
  numaNode: number;
  /** the controller's name, or null to let the provider number it */
  name: string | null;
}

/** What a provider can do at most. */
export interface DeviceOptionLimits {
  channels: number;
  maxXor: number;
  maxPq: number;
}

/**
 * Defaults (one MEMCPY channel; maxXor/maxPq 16 when XOR/PQ is claimed) applied and every value
 * checked: TypeError/RangeError naming `options.<field>`.
 */
export function resolveDeviceOptions(options: ModelledDeviceOptions | undefined, limits: DeviceOptionLimits): ResolvedDeviceOptions {
  const o = options === undefined ? {} : options;
  if (o === null || typeof o !== 'object') throw invalidType('an object', 'options', o);
  const channels = o.channels === undefined ? 1 : checkInt(o.channels, 'options.channels', 1, limits.channels);
  const caps = o.caps ?? [DmaCap.MEMCPY];
  if (!Array.isArray(caps)) throw invalidType('an Array of DmaCap', 'options.caps', caps);
  const capMask = new DmaCapMask(...caps);
  if (o.private === true) capMask.bits |= 1 << DmaCap.PRIVATE;
  const has = (c: DmaCap): boolean => (capMask.bits & (1 << c)) !== 0;
  const maxXor = checkInt(o.maxXor ?? (has(DmaCap.XOR) || has(DmaCap.XOR_VAL) ? 16 : 0), 'options.maxXor', 0, limits.maxXor);
  const maxPq = checkInt(o.maxPq ?? (has(DmaCap.PQ) || has(DmaCap.PQ_VAL) ? 16 : 0), 'options.maxPq', 0, limits.maxPq);
  return {
    channels,
    capMask,
    maxXor,
    maxPq: maxPq | (o.pqContinue === true ? DMA_HAS_PQ_CONTINUE : 0),
    copyAlign: o.copyAlign ?? 0,
    xorAlign: o.xorAlign ?? 0,
    pqAlign: o.pqAlign ?? 0,
    fillAlign: o.fillAlign ?? 0,
    numaNode: o.numaNode ?? -1,
    name: o.name ?? null,
  };
}

/**
 * The `struct dma_device` fields a modelled controller carries, filled from its options. A
 * provider's device class extends it and adds its channels and callbacks.
 */
// The option-derived fields, typed once (declaration merging with the class below).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface ModelledDevice extends Omit<ResolvedDeviceOptions, 'channels' | 'name'> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class ModelledDevice {
  dev: string;
  devId?: number;
  chancnt?: number;
  privatecnt?: number;
  /** How many channels the options asked for (the subclass makes them). */
  protected readonly channelCount: number;

  /**
   * @param options the provider's options
   * @param limits what the provider can do at most
   * @param defaultName the controller's name when the options give none
   */
  protected constructor(options: ModelledDeviceOptions | undefined, limits: DeviceOptionLimits, defaultName: () => string) {
    const { channels, name, ...fields } = resolveDeviceOptions(options, limits);
    Object.assign(this, fields);
    this.dev = name ?? defaultName();
    this.channelCount = channels;
  }
}
