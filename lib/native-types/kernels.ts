/** Kernel selection from native/addon/kernels_binding.cc. */
export interface KernelVariantFigure {
  name: string;
  /** Measured MB/s of data in; 0 when not measured. */
  mbPerSec: number;
  supported: boolean;
}
export interface KernelOpSelection {
  op: string;
  chosen: string;
  overridden: boolean;
  variants: KernelVariantFigure[];
}
export interface KernelsAddon {
  kernelSelection(): KernelOpSelection[];
  cpuFeatures(): string[];
}
