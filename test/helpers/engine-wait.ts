/** Test helpers: collect a SoftEngine's completions until a count arrives (with a timeout). */
import type { EngineCompletion, SoftEngine } from '../../lib/engine';

export interface Collected {
  all: EngineCompletion[];
  batchSizes: number[];
}

/** Installs an onComplete that records everything; `until(n)` resolves once n arrived. */
export function collect(eng: SoftEngine): Collected & { until(n: number, ms?: number): Promise<EngineCompletion[]> } {
  const c: Collected = { all: [], batchSizes: [] };
  let waiter: { n: number; resolve: () => void } | null = null;
  eng.onComplete = (batch) => {
    c.batchSizes.push(batch.count);
    c.all.push(...batch.toArray());
    if (waiter && c.all.length >= waiter.n) { const w = waiter; waiter = null; w.resolve(); }
  };
  return Object.assign(c, {
    until(n: number, ms = 10000): Promise<EngineCompletion[]> {
      if (c.all.length >= n) return Promise.resolve(c.all);
      return new Promise<EngineCompletion[]>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out with ${c.all.length} of ${n} completions`)), ms);
        waiter = { n, resolve: () => { clearTimeout(t); resolve(c.all); } };
      });
    },
  });
}
