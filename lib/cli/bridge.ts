/**
 * `dmaengine bridge build | load | unload | status`: the kernel module that gives this library
 * real DMA engines (native/kmod, shipped in the package). `build` runs kbuild against the
 * running kernel's headers (/lib/modules/$(uname -r)/build, or --kdir), in the package's
 * native/kmod or a copy of it (--out); `load` insmods the built .ko with its parameters
 * (gid=<group> opens the node to a group); `unload` rmmods it; `status` says whether this
 * process can use it and why not, and lists the channels it reaches.
 *
 * The system commands go through `BridgeCliHooks.exec`, so tests run the command in process.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { KernelBridge } from '../bridge/kernel-bridge';
import { DmaEngineError } from '../dmaengine/errors';
import { describeKernelBridge, KMOD_DIR, kernelBridgeStatus } from '../providers/kernel-bridge-status';
import { describeBridgeCaps } from '../providers/kernel-bridge-caps';
import type { CliIo } from './io';

/** How the command runs programs (tests replace it). Returns stdout; throws with stderr on failure. */
export const bridgeCliHooks = {
  exec(file: string, args: string[]): string {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  },
};

function failure(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return (err.stderr && err.stderr.trim()) || err.message || String(e);
}

/** Where the running kernel's build tree is expected. */
export function defaultKdir(): string {
  return `/lib/modules/${os.release()}/build`;
}

/** Builds the module; returns the .ko's path. */
export function buildBridgeModule(opts: { kdir?: string; out?: string } = {}): string {
  const kdir = opts.kdir ?? defaultKdir();
  if (!fs.existsSync(path.join(kdir, 'Makefile'))) {
    throw new DmaEngineError('ENOENT', `no kernel build tree at ${kdir}: install the headers of the running kernel ` +
      `(Debian/Ubuntu: \`apt install linux-headers-${os.release()}\`; Fedora: \`dnf install kernel-devel-${os.release()}\`), ` +
      'or name a tree with --kdir');
  }
  let dir = KMOD_DIR;
  if (opts.out !== undefined) {
    dir = path.resolve(opts.out);
    fs.mkdirSync(dir, { recursive: true });
    fs.cpSync(KMOD_DIR, dir, { recursive: true, filter: (src) => !/\.(o|ko|mod|mod\.c|cmd)$/.test(src) });
  } else {
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      throw new DmaEngineError('EACCES', `${dir} is not writable: build a copy with --out <dir>`);
    }
  }
  try {
    bridgeCliHooks.exec('make', ['-C', kdir, `M=${dir}`, 'modules']);
  } catch (e) {
    throw new DmaEngineError('EIO', `kbuild failed in ${dir} against ${kdir}:\n${failure(e)}`);
  }
  const ko = path.join(dir, 'dmaengine_bridge.ko');
  if (!fs.existsSync(ko)) throw new DmaEngineError('EIO', `kbuild ran but left no ${ko}`);
  return ko;
}

/** insmod of the built module with `params` ("gid=1000"). */
export function loadBridgeModule(opts: { ko?: string; params?: string[] } = {}): void {
  const ko = opts.ko ?? path.join(KMOD_DIR, 'dmaengine_bridge.ko');
  if (!fs.existsSync(ko)) throw new DmaEngineError('ENOENT', `${ko} does not exist: run \`dmaengine bridge build\` first`);
  for (const p of opts.params ?? []) {
    if (!/^[a-z_]+=[\w,-]+$/.test(p)) throw new DmaEngineError('EINVAL', `"${p}" is not a module parameter (name=value)`);
  }
  try {
    bridgeCliHooks.exec('insmod', [ko, ...(opts.params ?? [])]);
  } catch (e) {
    const text = failure(e);
    const hint = /File exists/.test(text) ? ' (already loaded: `dmaengine bridge unload` first)'
      : /Operation not permitted/.test(text) ? ' (root is needed)' : '';
    throw new DmaEngineError('EIO', `insmod ${ko} failed: ${text}${hint}`);
  }
}

/** rmmod dmaengine_bridge (refused by the kernel while an fd is open). */
export function unloadBridgeModule(): void {
  try {
    bridgeCliHooks.exec('rmmod', ['dmaengine_bridge']);
  } catch (e) {
    const text = failure(e);
    const hint = /in use/.test(text) ? ' (a process still has /dev/dmaengine_bridge open)' : '';
    throw new DmaEngineError('EIO', `rmmod dmaengine_bridge failed: ${text}${hint}`);
  }
}

/** The channels the bridge reaches, one line each (empty when it cannot be opened). */
export function bridgeChannelLines(node?: string): string[] {
  let b: KernelBridge;
  try {
    b = new KernelBridge({ path: node, ringEntries: 0 });
  } catch {
    return [];
  }
  try {
    return b.enumerate().map((c) => `  ${c.name.padEnd(13)} ${c.device} (driver ${c.driver}): ${describeBridgeCaps(c)}`);
  } finally {
    b.close();
  }
}

export function registerBridge(program: Command, io: CliIo): void {
  const cmd = program.command('bridge').description('build, load, unload or inspect the dmaengine bridge kernel module');
  cmd.command('build')
    .description("build dmaengine_bridge.ko against the running kernel's headers")
    .option('--kdir <dir>', 'kernel build tree (default /lib/modules/$(uname -r)/build)')
    .option('--out <dir>', "build a copy of the sources here instead of in the package's native/kmod")
    .action((o: { kdir?: string; out?: string }) => {
      const ko = buildBridgeModule(o);
      io.out(`built ${ko}\n`);
    });
  cmd.command('load')
    .description('insmod the built module (root); parameters as name=value, e.g. gid=1000')
    .argument('[params...]', 'module parameters')
    .option('--ko <file>', 'the module file (default the package\'s native/kmod/dmaengine_bridge.ko)')
    .action((params: string[], o: { ko?: string }) => {
      loadBridgeModule({ ko: o.ko, params });
      io.out(`loaded; ${describeKernelBridge(kernelBridgeStatus())}\n`);
    });
  cmd.command('unload')
    .description('rmmod dmaengine_bridge (root)')
    .action(() => {
      unloadBridgeModule();
      io.out('unloaded\n');
    });
  cmd.command('status')
    .description('whether this process can use the bridge, why not, and the channels it reaches')
    .option('--json', 'print the structured result')
    .option('--sys <dir>', 'sysfs root (default /sys)')
    .option('--dev <dir>', 'device directory (default /dev)')
    .action((o: { json?: boolean; sys?: string; dev?: string }) => {
      const s = kernelBridgeStatus({ sys: o.sys, dev: o.dev });
      const node = path.join(o.dev ?? '/dev', 'dmaengine_bridge');
      const channels = s.reason === null ? bridgeChannelLines(node) : [];
      if (o.json) {
        io.out(JSON.stringify({ ...s, channels: channels.map((l) => l.trim()) }, null, 2) + '\n');
        return;
      }
      io.out(`bridge: ${describeKernelBridge(s)}\n`);
      if (s.reason === null) io.out(channels.length ? `free channels:\n${channels.join('\n')}\n` : 'no free channel\n');
      if (s.reason !== null) io.exitCode = 1;
    });
}
