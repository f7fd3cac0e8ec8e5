/**
 * The benchmark behind `dmaengine bench` (lib/cli/bench.ts): the public API's paths (inline,
 * queued on each loaded engine) side by side with the kernels and CPU baselines, in one run.
 * See docs/bench.md.
 */
export { BENCH_OPS, BENCH_ENGINE_IDS, FULL_SIZES, QUICK_SIZES, OP_LABELS, benchDefaults, dataIn, sizeName } from './sweep';
export type { BenchOp, BenchEngineId, BenchOptions } from './sweep';
export { BENCH_ENGINES, benchEngine } from './engines';
export type { BenchEngine, EngineSession } from './engines';
export { runBench } from './run';
export type { BenchResult, BenchHooks, EngineStatus, MachineSummary } from './run';
export type { Figure, SeriesDef } from './series';
export type { TargetResult } from './targets';
export { formatBenchTable } from './format-table';
export { formatBenchJson, formatBenchCsv, CSV_COLUMNS } from './format-data';
export { formatBenchSvg } from './format-svg';
export { buildKernelsBench, parseKernelsBench, runNativeBaseline } from './native-baseline';
