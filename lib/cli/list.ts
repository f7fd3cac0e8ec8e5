/**
 * `dmaengine list`: the devices, channels, capabilities, `in_use` counts and per-CPU channel
 * table of this process's default dmaengine instance, then the machine's real channels from
 * `/sys/class/dma` (the `kernel` provider), the kernel bridge's state and, when this process
 * can use it, the kernel channels it reaches per dma_device (kernel-bridge-reach.ts: queried on
 * a fresh fd, nothing held afterwards) or why not. `--json` prints the
 * same as one object. `--demo` first registers two soft devices (native worker-thread channels)
 * and takes a public reference, to show a filled table; they are unregistered afterwards.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { DmaCap } from '../dmaengine/caps';
import { defaultDmaEngine } from '../dmaengine/index';
import { DmaEngine } from '../dmaengine/instance';
import type { DmaChannelInfo } from '../dmaengine/introspect';
import { describeKernelDma, readKernelDma, type KernelDmaView } from '../providers/kernel';
import { registerSoftDevice } from '../providers/soft';
import {
  describeKernelBridge, kernelBridgeStatus, type KernelBridgeStatus, type KernelBridgeStatusOptions,
} from '../providers/kernel-bridge-status';
import { type BridgeReach, formatBridgeReach, kernelBridgeReach } from '../providers/kernel-bridge-reach';
import type { CliIo } from './io';

/** What `dmaengine list --json` prints. */
export interface ListReport {
  engine: { policy: string; cpus: number; nodes: readonly number[]; publicClients: number; rebalances: number };
  devices: { name: string; devId: number; driver: string | null; capabilities: string[]; numaNode: number;
    maxXor: number; maxPq: number; privatecnt: number; channels: DmaChannelInfo[] }[];
  table: Record<string, (string | null)[]>;
  summary: string;
  kernel: KernelDmaView & { description: string };
  /** the module's state and, when this process can use it, the kernel channels it reaches */
  bridge: KernelBridgeStatus & BridgeReach;
}

/** The bridge's state, and what it reaches when usable (nothing is held afterwards). */
function bridgeReport(options: KernelBridgeStatusOptions = {}): KernelBridgeStatus & BridgeReach {
  const s = kernelBridgeStatus(options);
  if (s.reason !== null) return { ...s, devices: [], error: null };
  try {
    return { ...s, ...kernelBridgeReach(path.join(options.dev ?? '/dev', 'dmaengine_bridge')) };
  } catch (e) {
    return { ...s, devices: [], error: e instanceof Error ? e.message : String(e) };
  }
}

/** Collect the report for `engine`, the sysfs tree at `sysfsRoot` and the bridge (at `bridge`'s roots). */
export function buildListReport(engine: DmaEngine, sysfsRoot?: string, bridge?: KernelBridgeStatusOptions): ListReport {
  const chans = engine.listChannels();
  const kernel = readKernelDma(sysfsRoot);
  return {
    engine: { policy: engine.policy, cpus: engine.cpus, nodes: engine.nodes, publicClients: engine.dmaengineRefCount,
      rebalances: engine.rebalances },
    devices: engine.devices.map((d) => ({
      name: d.dev,
      devId: d.devId!,
      driver: d.driver ?? null,
      capabilities: d.capMask.caps().map((c) => `DMA_${DmaCap[c]}`),
      numaNode: d.numaNode ?? -1,
      maxXor: d.maxXor ?? 0,
      maxPq: d.maxPq ?? 0,
      privatecnt: d.privatecnt ?? 0,
      channels: chans.filter((c) => c.devId === d.devId),
    })),
    table: engine.channelTable(),
    summary: engine.summary(),
    kernel: { ...kernel, description: describeKernelDma(kernel) },
    bridge: bridgeReport(bridge),
  };
}

/** The human-readable form. */
export function formatListReport(r: ListReport): string {
  const out: string[] = [];
  const e = r.engine;
  out.push(`dmaengine in this process: policy ${e.policy}, ${e.cpus} CPU(s), ${e.publicClients} public client(s), table rebuilt ${e.rebalances} time(s)`);
  if (r.devices.length === 0) {
    out.push('  no device registered in this process (`dmaengine list --demo` registers two soft devices and lists them)');
  }
  for (const d of r.devices) {
    out.push(`dma${d.devId} (${d.name}${d.driver ? `, driver ${d.driver}` : ''}): ${d.channels.length} channel(s), node ${d.numaNode}` +
      `${d.privatecnt > 0 ? `, private (privatecnt ${d.privatecnt})` : ''}`);
    out.push(`  capabilities: ${d.capabilities.join(' ') || '(none)'}${d.maxXor ? `; max_xor ${d.maxXor}` : ''}` +
      `${d.maxPq ? `; max_pq ${d.maxPq & 0x7fff}${d.maxPq & 0x8000 ? ' (continue)' : ''}` : ''}`);
    for (const c of d.channels) {
      out.push(`  ${c.name.padEnd(13)} in_use ${c.in_use}  memcpy_count ${c.memcpy_count}  bytes_transferred ${c.bytes_transferred}` +
        `  table_count ${c.tableCount}${c.exclusive ? '  exclusive' : ''}`);
    }
  }
  const rows = Object.entries(r.table).filter(([, row]) => row.some((c) => c !== null));
  if (rows.length > 0) {
    out.push('per-CPU channel table:');
    for (const [cap, row] of rows) {
      out.push(`  ${cap.padEnd(15)} ${row.map((c, cpu) => `cpu${cpu}:${c ?? '-'}`).join('  ')}`);
    }
  } else {
    out.push('per-CPU channel table: empty (no public client, or no public channel)');
  }
  out.push('');
  out.push(`kernel: ${r.kernel.description}`);
  for (const ctl of r.kernel.controllers) {
    out.push(`  ${ctl.device}${ctl.driver ? ` (driver ${ctl.driver})` : ''}`);
    for (const name of ctl.channels) {
      const c = r.kernel.channels.find((x) => x.name === name)!;
      out.push(`    ${name.padEnd(13)} in_use ${c.in_use ?? '?'}  memcpy_count ${c.memcpy_count ?? '?'}  bytes_transferred ${c.bytes_transferred ?? '?'}` +
        `${c.slave ? `  slave ${c.slave}` : ''}`);
    }
  }
  out.push(`bridge: ${describeKernelBridge(r.bridge)}`);
  if (r.bridge.reason === null) out.push(...formatBridgeReach(r.bridge));
  return out.join('\n');
}

/** The devices `--demo` registers: one for memcpy/memset, one for RAID (xor, P+Q). */
export const LIST_DEMO_DEVICES = [
  { name: 'demo-memcpy', channels: 2, caps: [DmaCap.MEMCPY, DmaCap.MEMSET] },
  { name: 'demo-raid', channels: 2, caps: [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT],
    maxXor: 8, maxPq: 8, pqContinue: true },
] as const;

/** Register the `list` subcommand. */
export function registerList(program: Command, io: CliIo): void {
  program
    .command('list')
    .description('devices, channels, capabilities, in_use and the per-CPU table; the kernel\'s /sys/class/dma and the bridge')
    .option('--json', 'print the structured result')
    .option('--demo', 'register two soft devices and one public client first (removed again after listing)')
    .option('--sysfs <dir>', 'read this directory instead of /sys/class/dma')
    .action((opts: { json?: boolean; demo?: boolean; sysfs?: string }) => {
      const engine = defaultDmaEngine();
      const demo = opts.demo ? LIST_DEMO_DEVICES.map((d) => registerSoftDevice({ ...d, caps: [...d.caps] }, engine)) : [];
      if (opts.demo) engine.dmaengineGet();
      try {
        const report = buildListReport(engine, opts.sysfs);
        io.out(opts.json ? JSON.stringify(report, null, 2) + '\n' : formatListReport(report) + '\n');
      } finally {
        if (opts.demo) {
          engine.dmaenginePut();
          for (const d of demo) engine.dmaAsyncDeviceUnregister(d);
        }
      }
    });
}
