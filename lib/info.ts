/**
 * What this machine gives the library: CPU features, the kernel variant chosen for each
 * operation with the figures that chose it, and the channels on offer. Backs `dmaengine info`.
 */
import * as os from 'os';
import { nativeAddonLocation } from './native';
import { type KernelOpSelection, type KernelVariantFigure, cpuFeatures, kernelSelection } from './kernels';
import { invalidType } from './validate';

/**
 * What {@link machineInfo} reports about this machine and this package's native side: the CPU
 * features the addon detected, the software kernel variant picked per operation, the CPU count,
 * and which addon file is loaded.
 */
export interface MachineInfo {
  /** The CPU features the addon detected and may use, as the addon names them. */
  cpuFeatures: string[];
  /** Per software operation (memcpy, xor, pq_gen, …), the variant picked and the figures measured to pick it. */
  kernels: KernelOpSelection[];
  /** CPUs available to this process (`os.availableParallelism()`). */
  cpus: number;
  /** The addon file loaded: the prebuilt shipped in the package, the source build, or DMAENGINE_ADDON's. */
  addon: {
    /** `env` (the DMAENGINE_ADDON variable), `build` (built from source) or `prebuilt` (shipped). */
    kind: 'env' | 'build' | 'prebuilt';
    /** Path of the loaded `.node` file. */
    path: string;
  };
}

/** Runs the kernel selection (≤ 50 ms the first time) and returns what it found. */
export function machineInfo(): MachineInfo {
  return {
    cpuFeatures: cpuFeatures(),
    kernels: kernelSelection(),
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    addon: { kind: nativeAddonLocation().kind, path: nativeAddonLocation().path },
  };
}

/** The function each operation's figure measures, as lib/raid6 and crypto/xor name them. */
const FN: Record<string, string> = {
  memcpy: 'copy()', memset: 'fill()', xor: 'gen()', xor_check: 'check()',
  pq_gen: 'gen()', pq_check: 'check()', recov: 'recov()', pq_coef: 'gen()', pq_coef_check: 'check()',
};

const ADDON_KIND = { env: 'DMAENGINE_ADDON', build: 'built from source', prebuilt: 'prebuilt' } as const;

/**
 * The boot-log lines of lib/raid6's style, one per measured variant and one for the choice:
 * `pq_gen: avx512   gen()  85573 MB/s` … `pq_gen: using algorithm avx512 gen() 85573 MB/s`.
 */
export function formatKernelLines(infoArg: MachineInfo): string[] {
  const info = checkMachineInfo(infoArg);
  const lines: string[] = [];
  lines.push(`dmaengine: addon: ${info.addon.path} (${ADDON_KIND[info.addon.kind]})`);
  lines.push(`dmaengine: cpu features: ${info.cpuFeatures.join(' ') || '(none)'}`);
  let ms = 0;
  for (const sel of info.kernels) {
    const fn = FN[sel.op] ?? '()';
    ms += sel.measureMs ?? 0;
    for (const v of sel.variants) {
      if (!v.supported) continue;
      const figure = v.mbPerSec > 0 ? `${Math.round(v.mbPerSec).toString().padStart(6)} MB/s` : 'not measured';
      lines.push(`${sel.op}: ${v.name.padEnd(8)} ${fn.padEnd(8)} ${figure}`);
    }
    const chosen = sel.variants.find((v) => v.name === sel.chosen);
    const figure = sel.overridden ? '(set by environment)' : `${Math.round(chosen?.mbPerSec ?? 0)} MB/s`;
    lines.push(`${sel.op}: using algorithm ${sel.chosen} ${fn} ${figure}`);
  }
  lines.push(`dmaengine: kernel selection took ${ms.toFixed(1)} ms`);
  return lines;
}

// What formatKernelLines reads, each field once and checked: a caller may pass any object.
function field<T>(v: unknown, ok: (x: unknown) => boolean, what: string, name: string): T {
  if (!ok(v)) throw invalidType(what, name, v);
  return v as T;
}
const isObj = (x: unknown): boolean => x !== null && typeof x === 'object';
const isStr = (x: unknown): boolean => typeof x === 'string';
const isNum = (x: unknown): boolean => typeof x === 'number';
const isArr = (x: unknown): boolean => Array.isArray(x);

function checkMachineInfo(v: unknown): MachineInfo {
  const info = field<Partial<MachineInfo>>(v, isObj, 'a MachineInfo (machineInfo())', 'info');
  const addon = field<Partial<MachineInfo['addon']>>(info.addon, isObj, 'an object', 'info.addon');
  const kind = field<MachineInfo['addon']['kind']>(addon.kind, (x) => isStr(x) && Object.hasOwn(ADDON_KIND, x as string),
    "'env', 'build' or 'prebuilt'", 'info.addon.kind');
  const features = field<unknown[]>(info.cpuFeatures, isArr, 'an Array of strings', 'info.cpuFeatures');
  const kernels = field<unknown[]>(info.kernels, isArr, 'an Array', 'info.kernels');
  return {
    addon: { kind, path: field<string>(addon.path, isStr, 'a string', 'info.addon.path') },
    cpuFeatures: [...features].map((f, i) => field<string>(f, isStr, 'a string', `info.cpuFeatures[${i}]`)),
    cpus: 0,
    kernels: [...kernels].map((k, i) => checkSelection(k, `info.kernels[${i}]`)),
  };
}

function checkSelection(v: unknown, name: string): KernelOpSelection {
  const sel = field<Partial<KernelOpSelection>>(v, isObj, 'a KernelOpSelection', name);
  const measureMs = sel.measureMs;
  const variants = field<unknown[]>(sel.variants, isArr, 'an Array', `${name}.variants`);
  return {
    op: field<string>(sel.op, isStr, 'a string', `${name}.op`),
    chosen: field<string>(sel.chosen, isStr, 'a string', `${name}.chosen`),
    overridden: sel.overridden === true,
    measureMs: measureMs === undefined ? 0 : field<number>(measureMs, isNum, 'a number', `${name}.measureMs`),
    variants: [...variants].map((x, i): KernelVariantFigure => {
      const n = `${name}.variants[${i}]`;
      const fig = field<Partial<KernelVariantFigure>>(x, isObj, 'a KernelVariantFigure', n);
      return {
        name: field<string>(fig.name, isStr, 'a string', `${n}.name`),
        mbPerSec: field<number>(fig.mbPerSec, isNum, 'a number', `${n}.mbPerSec`),
        supported: fig.supported === true,
      };
    }),
  };
}

/** What else the machine offers: software channels, kernel DMA channels, dma-buf sources. */
export function formatChannelLines(info: MachineInfo): string[] {
  // Loaded on demand: `info` for kernels alone never reads sysfs or probes dma-buf sources.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { describeKernelDma, readKernelDma } = require('./providers/kernel') as typeof import('./providers/kernel');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { availableSources } = require('./dmabuf/alloc') as typeof import('./dmabuf/alloc');
  const src = availableSources();
  const bufs = [...src.heaps.map((h) => `heap:${h}`), ...(src.udmabuf ? ['udmabuf'] : []), 'memfd'];
  return [
    `dmaengine: software channels: ${info.cpus} available (one native worker thread per CPU: registerSoftDevice() or \`dmaengine dmatest\` creates them)`,
    `dmaengine: kernel DMA: ${describeKernelDma(readKernelDma())}`,
    `dmaengine: dma-buf sources: ${bufs.join(', ')}`,
  ];
}
