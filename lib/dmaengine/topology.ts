/**
 * Machine topology for the allocator: the number of CPUs and each CPU's NUMA node, read once
 * from sysfs (`/sys/devices/system/node/node<N>/cpulist`), with a single node 0 as the answer
 * where sysfs says nothing. The calling CPU is not read here: it is injected
 * (`DmaEngineOptions.currentCpu`), so the core stays pure TypeScript.
 *
 * Threading: JavaScript thread only.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Parse a kernel cpulist (`0-3,8,10-11`). */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let c = a; c <= b; c++) out.push(c);
  }
  return out;
}

/** The machine's CPU count (`os.availableParallelism`, at least 1). */
export function machineCpus(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, n);
}

/**
 * The machine's CPU → node map, from `<root>/node<N>/cpulist`; CPUs sysfs does not list map
 * to node 0.
 */
export function machineCpuToNode(root = '/sys/devices/system/node'): (cpu: number) => number {
  const map = new Map<number, number>();
  try {
    for (const entry of fs.readdirSync(root)) {
      const m = /^node(\d+)$/.exec(entry);
      if (!m) continue;
      try {
        for (const cpu of parseCpuList(fs.readFileSync(path.join(root, entry, 'cpulist'), 'utf8'))) {
          map.set(cpu, Number(m[1]));
        }
      } catch { /* a node without cpulist holds no CPU */ }
    }
  } catch { /* no NUMA information: everything on node 0 */ }
  return (cpu: number) => map.get(cpu) ?? 0;
}
