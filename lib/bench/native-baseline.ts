/**
 * The C++ columns of the bench: the kernels called directly from C++ ("kernel (C++)") and
 * ISA-L (Debian's libisal-dev) or glibc, from native/bench/kernels_bench.cc run with `--json`.
 *
 * Model: the program is built with CMake (`-DDMAENGINE_BENCH=ON`, Release) into `build-bench/`
 * of the package, or a folder under the temporary directory when the package is read-only;
 * configured on every run (cheap) so that an ISA-L installed since the last run is found. No
 * cmake or no C++ compiler (an installed package on a machine without a toolchain): the
 * columns are left out and the reason printed (a program built earlier is still used). The
 * program runs before the JavaScript part, in its own process, never at the same time as
 * another contender.
 *
 * Threading: JavaScript thread; the build and the program run as child processes.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchOp } from './sweep';

/** One figure of the program. */
export interface NativeRow {
  op: BenchOp;
  len: number;
  /** "ours" (the dispatcher's choice), "baseline" (ISA-L or glibc), "variant" (--variants). */
  role: 'ours' | 'baseline' | 'variant';
  /** The kernel variant ("avx512", …) or the baseline's name ("ISA-L pq_gen", "glibc memcpy"). */
  impl: string;
  gbps: number;
  rounds: number;
}

export interface NativeBaseline {
  /** null when the program ran; otherwise why the C++ columns are missing. */
  missing: string | null;
  /** null when ISA-L was linked; otherwise why not. */
  isalMissing: string | null;
  selection: Record<string, string>;
  rows: NativeRow[];
}

/** The program's operation names → the bench's. */
const OP_NAMES: Readonly<Record<string, BenchOp>> = {
  memcpy: 'memcpy', memset: 'memset', xor: 'xor', xor_check: 'xor_val', pq_gen: 'pq', pq_check: 'pq_val',
  recov: 'recov_2data', recov_datap: 'recov_datap',
};

/** The package root (this file is lib/bench/ or dist/bench/). */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

function buildDir(): string {
  try {
    fs.accessSync(PACKAGE_ROOT, fs.constants.W_OK);
    return path.join(PACKAGE_ROOT, 'build-bench');
  } catch {
    return path.join(os.tmpdir(), `dmaengine-build-bench-${process.getuid?.() ?? 'user'}`);
  }
}

/**
 * Builds the program when it can; returns its path, or why it cannot.
 * @param log progress lines (the build takes a minute the first time)
 */
export function buildKernelsBench(log: (line: string) => void): { bin: string } | { missing: string } {
  const src = path.join(PACKAGE_ROOT, 'native', 'bench', 'kernels_bench.cc');
  if (!fs.existsSync(src) || !fs.existsSync(path.join(PACKAGE_ROOT, 'CMakeLists.txt'))) {
    return { missing: `the C++ sources are not in this package (${src})` };
  }
  const dir = buildDir();
  const bin = path.join(dir, 'kernels_bench');
  const toolchain = !has('cmake', ['--version']) ? 'cmake not found (apt-get install cmake g++)'
    : !has('c++', ['--version']) && !has('g++', ['--version']) && !has('clang++', ['--version']) ? 'no C++ compiler found (apt-get install g++)'
      : null;
  if (toolchain !== null) {
    if (fs.existsSync(bin)) {
      log(`${toolchain}: running the kernel program built earlier (${bin})`);
      return { bin };
    }
    return { missing: toolchain };
  }
  const gen = has('ninja', ['--version']) ? ['-G', 'Ninja'] : [];
  log(`building the kernel program (native/bench/kernels_bench.cc) in ${dir}`);
  const configure = spawnSync('cmake', ['-S', PACKAGE_ROOT, '-B', dir, ...gen, '-DCMAKE_BUILD_TYPE=Release', '-DDMAENGINE_BENCH=ON'],
    { encoding: 'utf8' });
  if (configure.status !== 0) return { missing: `cmake configure failed: ${lastLines(configure.stderr || configure.stdout)}` };
  const build = spawnSync('cmake', ['--build', dir, '--target', 'kernels_bench', '--parallel', String(Math.max(1, os.cpus().length))],
    { encoding: 'utf8' });
  if (build.status !== 0) return { missing: `cmake build failed: ${lastLines(build.stdout + build.stderr)}` };
  return { bin };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' / ');
}

/** Parses the program's `--json` output (one object per line). */
export function parseKernelsBench(text: string): Omit<NativeBaseline, 'missing'> {
  let isal = false;
  let selection: Record<string, string> = {};
  const rows: NativeRow[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as Record<string, unknown>;
    if (o.type === 'info') {
      isal = o.isal === true;
      selection = (o.selection ?? {}) as Record<string, string>;
    } else if (o.type === 'row') {
      const op = OP_NAMES[String(o.op)];
      if (!op) throw new Error(`kernels_bench: unknown operation ${JSON.stringify(o.op)}`);
      rows.push({ op, len: Number(o.len), role: o.role as NativeRow['role'], impl: String(o.impl), gbps: Number(o.gbps), rounds: Number(o.rounds) });
    }
  }
  return {
    isalMissing: isal ? null : 'ISA-L not found when the program was built (no /usr/include/isa-l.h): apt-get install libisal-dev',
    selection, rows,
  };
}

/**
 * Builds (when needed) and runs the program for `ops` × `sizes`.
 * @param onRow called per figure as it arrives (progress)
 */
export async function runNativeBaseline(opts: {
  ops: BenchOp[]; sizes: number[]; rounds: number; log: (line: string) => void; onRow?: (row: NativeRow) => void;
}): Promise<NativeBaseline> {
  const built = buildKernelsBench(opts.log);
  if ('missing' in built) return { missing: built.missing, isalMissing: null, selection: {}, rows: [] };
  const names = Object.entries(OP_NAMES).filter(([, v]) => opts.ops.includes(v)).map(([k]) => k);
  const args = ['--json', '--rounds', String(opts.rounds), '--sizes', opts.sizes.join(','), '--ops', names.join(',')];
  const text = await new Promise<string>((resolve, reject) => {
    const child = spawn(built.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const l of lines) {
        if (l.includes('"type":"row"') && opts.onRow) opts.onRow(parseKernelsBench(l).rows[0]!);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${built.bin} exited with ${code}: ${lastLines(err)}`));
    });
  });
  return { missing: null, ...parseKernelsBench(text) };
}
