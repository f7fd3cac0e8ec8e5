/**
 * `openDma(options)`: open an offload engine for the Promise API.
 *
 * Model: options checked (synchronously: TypeError/RangeError naming `options.<field>`), then
 * the engine chosen: `'auto'` takes the bridged kernel channels when the bridge is there, else
 * the soft engine; `'soft'` and `'bridge'` insist; `'inline'` runs everything on the calling
 * thread. The soft engine lives on its own dmaengine instance: the default instance, which the
 * kernel-style free functions (`asyncMemcpy`, `dmaRequestChannel`, …) use, is never touched.
 * Unless `inlineBelow` is given, the inline threshold is measured (lib/offload/threshold.ts).
 *
 * Threading: JavaScript thread only.
 */
import { DmaEngineError } from '../dmaengine/errors';
import { checkInt, invalidRange, invalidType } from '../validate';
import { isProxyObject } from '../views';
import { type InlineRunner, type QueuedBackend, createInlineRunner } from './backend';
import { bridgeDevicesOf, openBridgeBackend } from './bridge';
import { Dma, type DmaEngineName } from './dma';
import { Scheduler } from './scheduler';
import { defaultSoftChannels, openSoftBackend, softDeviceOf } from './soft-backend';
import { type InlineCalibration, measureInlineBelow } from './threshold';

/** Options of {@link openDma}. */
export interface OpenDmaOptions {
  /**
   * `'auto'` (default): bridged kernel channels when the bridge is loaded, else the soft
   * engine. `'soft'`: the soft engine (worker threads). `'bridge'`: kernel channels or fail.
   * `'inline'`: every operation on the calling thread.
   */
  engine?: 'auto' | 'soft' | 'bridge' | 'inline';
  /** Channels (worker threads of the soft engine), 1 to 64; default the cores beside this thread, 1 to 4. */
  channels?: number;
  /** Operations touching (reading plus writing) fewer bytes run inline; default measured at open. 0 = none inline. */
  inlineBelow?: number;
  /** Default timeout of each operation in ms once issued, 0 = none (the default). */
  timeout?: number;
}

interface Resolved {
  engine: 'auto' | 'soft' | 'bridge' | 'inline';
  channels: number;
  inlineBelow: number | null;
  timeout: number;
}

const ENGINES = ['auto', 'soft', 'bridge', 'inline'];

function resolveOptions(options: unknown): Resolved {
  const o = options === undefined ? {} : options;
  if (o === null || typeof o !== 'object' || isProxyObject(o)) throw invalidType('an options object', 'options', o);
  const { engine, channels, inlineBelow, timeout } = o as OpenDmaOptions;
  const e = engine ?? 'auto';
  if (typeof e !== 'string') throw invalidType('a string', 'options.engine', e);
  if (!ENGINES.includes(e)) throw invalidRange('options.engine', `one of ${ENGINES.join(', ')}`, e);
  return {
    engine: e as Resolved['engine'],
    channels: channels === undefined ? defaultSoftChannels() : checkInt(channels, 'options.channels', 1, 64),
    inlineBelow: inlineBelow === undefined ? null : checkInt(inlineBelow, 'options.inlineBelow', 0, Number.MAX_SAFE_INTEGER),
    timeout: timeout === undefined ? 0 : checkInt(timeout, 'options.timeout', 0, 0x7fffffff),
  };
}

async function setUp(r: Resolved): Promise<Dma> {
  const inline: InlineRunner = createInlineRunner();
  let backend: QueuedBackend | null = null;
  let engine: DmaEngineName = 'inline';
  let fallbackReason: string | null = null;
  if (r.engine === 'bridge' || r.engine === 'auto') {
    const b = openBridgeBackend(r.channels);
    if (typeof b !== 'string') {
      backend = b;
      engine = 'bridge';
    } else if (r.engine === 'bridge') {
      throw new DmaEngineError('ENODEV', `bridge not loaded: ${b}`);
    } else {
      fallbackReason = `bridge not loaded: ${b}`;
    }
  }
  if (backend === null && r.engine !== 'inline') {
    backend = openSoftBackend(r.channels);
    engine = 'soft';
  }
  let calibration: InlineCalibration | null = null;
  let inlineBelow = Infinity;
  if (backend !== null) {
    if (r.inlineBelow !== null) {
      inlineBelow = r.inlineBelow;
    } else {
      try {
        calibration = await measureInlineBelow(inline, backend);
      } catch (err) {
        backend.close();
        throw err;
      }
      inlineBelow = calibration.inlineBelow;
    }
  }
  const sched = new Scheduler(inline, backend, inlineBelow);
  const dma = new Dma({ sched, engine, channels: backend?.channels ?? 0, timeout: r.timeout, calibration, fallbackReason });
  // tests reach the devices through the Dma
  const dev = backend === null ? undefined : softDeviceOf.get(backend);
  if (dev !== undefined) softDeviceOf.set(dma, dev);
  const bridged = backend === null ? undefined : bridgeDevicesOf.get(backend);
  if (bridged !== undefined) bridgeDevicesOf.set(dma, bridged);
  return dma;
}

/**
 * Open an offload engine: the Promise API (`copy`, `fill`, `xor`, `xorCheck`, `raid6.*`).
 * @param options engine, channels, inlineBelow, timeout (see {@link OpenDmaOptions})
 * @returns a Promise of the opened {@link Dma}
 * @throws TypeError/RangeError (synchronously) for bad options; the Promise rejects with a
 *   DmaEngineError `ENODEV` "bridge not loaded: <reason>" when `engine: 'bridge'` has no bridge
 * @example
 * import { openDma } from 'dmaengine';
 * const dma = await openDma();
 * await dma.xor(parity, srcs);
 * await dma.close();
 */
export function openDma(options?: OpenDmaOptions): Promise<Dma> {
  const r = resolveOptions(options);
  return setUp(r);
}
