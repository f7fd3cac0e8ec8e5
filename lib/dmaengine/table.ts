/**
 * The public allocator's per-CPU channel table (`channel_table`) and its rebalance.
 *
 * Model: for every table capability and every CPU the table names one channel (or none). It is
 * rebuilt, and only rebuilt, on the first `dmaengineGet` and on device register/unregister:
 * every slot and every `tableCount` is cleared; with no public client the table stays empty;
 * otherwise each (capability, CPU) pair, capabilities ascending then CPUs ascending, gets a
 * channel chosen by the policy among the eligible ones (a public device with the capability,
 * `clientCount > 0`, device-list order then channel order), and that channel's `tableCount`
 * goes up by one.
 *   - `min_chan` (modern): the least-used eligible channel local to the CPU's NUMA node (node
 *     -1 is local everywhere), else the least-used overall; ties go to the first.
 *   - `nth_chan` (2.6.29): one counter runs across all pairs (not reset per capability); pair
 *     number n takes the n-th eligible channel, or the least-used one when there are fewer
 *     than n+1. On a uniprocessor every pair takes the least-used one.
 *
 * Threading: JavaScript thread only.
 */
import { DmaCap, TABLE_CAPS } from './caps';
import type { DmaChan } from './channel';
import type { EngineState } from './state';

function eligible(state: EngineState, cap: DmaCap): DmaChan[] {
  const out: DmaChan[] = [];
  for (const dev of state.devices) {
    const bits = dev.capMask.bits;
    if ((bits & (1 << cap)) === 0 || (bits & (1 << DmaCap.PRIVATE)) !== 0) continue;
    for (const chan of dev.channels) if (chan.clientCount > 0) out.push(chan);
  }
  return out;
}

function leastUsed(chans: DmaChan[], accept: (c: DmaChan) => boolean): DmaChan | null {
  let best: DmaChan | null = null;
  for (const c of chans) {
    if (!accept(c)) continue;
    if (best === null || c.tableCount < best.tableCount) best = c;
  }
  return best;
}

/** `min_chan(cap, cpu)`: the choice of the modern kernel. */
function minChan(state: EngineState, chans: DmaChan[], cpu: number): DmaChan | null {
  const node = state.nodes[cpu] ?? 0;
  const local = leastUsed(chans, (c) => {
    const n = c.device?.numaNode ?? -1;
    return n === -1 || n === node;
  });
  return local ?? leastUsed(chans, () => true);
}

/** `nth_chan(cap, n)`: the choice of 2.6.29; n < 0 always gives the least used. */
function nthChan(chans: DmaChan[], n: number): DmaChan | null {
  if (n >= 0 && n < chans.length) return chans[n]!;
  return leastUsed(chans, () => true);
}

/** `dma_channel_rebalance()` */
export function rebalance(state: EngineState): void {
  state.rebalances++;
  state.table = new Map();
  state.tableCaps = 0;
  for (const cap of TABLE_CAPS) state.table.set(cap, new Array<DmaChan | null>(state.cpus).fill(null));
  for (const dev of state.devices) for (const chan of dev.channels) chan.tableCount = 0;
  if (state.refCount === 0) return;

  let n = 0;
  const uniprocessor = state.cpus === 1;
  for (const cap of TABLE_CAPS) {
    const chans = eligible(state, cap);
    const row = state.table.get(cap)!;
    for (let cpu = 0; cpu < state.cpus; cpu++) {
      let chan: DmaChan | null;
      if (state.policy === 'min_chan') chan = minChan(state, chans, cpu);
      else chan = nthChan(chans, uniprocessor ? -1 : n++);
      if (chan !== null) {
        chan.tableCount++;
        state.tableCaps |= 1 << cap;
      }
      row[cpu] = chan;
    }
  }
}

/** `dma_find_channel(cap)` for a given CPU (already range-checked). */
export function tableLookup(state: EngineState, cap: DmaCap, cpu: number): DmaChan | null {
  const row = state.table.get(cap);
  if (row === undefined) return null;
  return row[cpu] ?? null;
}
