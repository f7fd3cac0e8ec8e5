/**
 * What this machine gives the library: CPU features, the kernel variant chosen for each
 * operation with the figures that chose it, and the channels on offer. Backs `dmaengine info`.
 */
import * as os from 'os';
import { nativeAddonLocation } from './native';
import { type KernelOpSelection, cpuFeatures, kernelSelection } from './kernels';

export interface MachineInfo {
  cpuFeatures: string[];
  kernels: KernelOpSelection[];
  cpus: number;
  /** The addon file loaded: the prebuilt shipped in the package, the source build, or DMAENGINE_ADDON's. */
  addon: { kind: 'env' | 'build' | 'prebuilt'; path: string };
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
export function formatKernelLines(info: MachineInfo): string[] {
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
