/**
 * Statistics of the bench: every figure is the median of several rounds, with the spread kept
 * so that a reader can judge the noise (min and max of the same samples).
 */

/** Summary of one contender's samples (each in the unit given, e.g. GB/s). */
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** The median (the upper one of an even count, as the C++ bench). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

export function summarize(xs: readonly number[]): Summary {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Nanoseconds since an arbitrary origin, as a double. */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}
