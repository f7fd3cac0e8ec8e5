/**
 * What this machine gives the library: CPU features, the kernel variant chosen for each
 * operation with the figures that chose it, and the channels on offer. Backs `dmaengine info`.
 */
import { native } from './native';
import type { KernelOpSelection } from './native-types/kernels';

export interface MachineInfo {
  cpuFeatures: string[];
  kernels: KernelOpSelection[];
  cpus: number;
}

/** Runs the kernel selection (≤ 50 ms the first time) and returns what it found. */
export function machineInfo(): MachineInfo {
  const n = native();
  return {
    cpuFeatures: n.cpuFeatures(),
    kernels: n.kernelSelection(),
    cpus: require('os').availableParallelism?.() ?? require('os').cpus().length,
  };
}

/** The boot-log lines of lib/raid6's style: `raid6: avx512x2 gen() 73845 MB/s`. */
export function formatKernelLines(info: MachineInfo): string[] {
  const lines: string[] = [];
  lines.push(`dmaengine: cpu features: ${info.cpuFeatures.join(' ') || '(none)'}`);
  for (const sel of info.kernels) {
    for (const v of sel.variants) {
      if (!v.supported) continue;
      const figure = v.mbPerSec > 0 ? `${Math.round(v.mbPerSec)} MB/s` : 'not measured';
      lines.push(`${sel.op}: ${v.name} ${figure}`);
    }
    const how = sel.overridden ? ' (set by environment)' : '';
    lines.push(`${sel.op}: using algorithm ${sel.chosen}${how}`);
  }
  return lines;
}
