// dmaengine bench (lib/bench, lib/cli/bench.ts): argument parsing, the output shapes (JSON,
// CSV, SVG parsed as XML), verification that refuses wrong results, and a tiny sweep through
// every engine available. No timing is asserted: figures need only be finite and positive.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseSize, resolveBenchOptions } from '../lib/cli/bench';
import {
  BENCH_OPS, CSV_COLUMNS, type BenchResult, benchDefaults, formatBenchCsv, formatBenchJson, formatBenchSvg, formatBenchTable,
  parseKernelsBench, runBench,
} from '../lib/bench';
import { benchOpDef } from '../lib/bench/ops';
import { syncContender } from '../lib/bench/runners';
import { Workload } from '../lib/bench/workload';
import { PACKAGE_ROOT } from '../lib/bench/native-baseline';
import { findAll, parseXml } from './helpers/xml-check';

describe('dmaengine bench: options', () => {
  it('rejects bad values by option name', () => {
    assert.throws(() => resolveBenchOptions({ rounds: '0' }), { name: 'RangeError', message: /"--rounds" to be an integer from 1/ });
    assert.throws(() => resolveBenchOptions({ rounds: '2.5' }), { name: 'RangeError', message: /"--rounds"/ });
    assert.throws(() => resolveBenchOptions({ depth: '64,x' }), { name: 'RangeError', message: /"--depth".*"x"/ });
    assert.throws(() => resolveBenchOptions({ channels: '0' }), { name: 'RangeError', message: /"--channels"/ });
    assert.throws(() => resolveBenchOptions({ ops: 'xor,memmove' }), { name: 'RangeError', message: /"--ops".*"memmove"/ });
    assert.throws(() => resolveBenchOptions({ engines: 'dsa' }), { name: 'RangeError', message: /"--engines"/ });
    assert.throws(() => resolveBenchOptions({ sizes: '4Q' }), { name: 'RangeError', message: /"--sizes".*"4Q"/ });
    assert.throws(() => resolveBenchOptions({ sizes: '0' }), { name: 'RangeError', message: /"--sizes"/ });
    assert.throws(() => resolveBenchOptions({ json: true, csv: true }), { name: 'RangeError', message: /"--json" and "--csv"/ });
  });

  it('full run and --quick: every op, 64 MiB only in the full run, fewer rounds when quick', () => {
    const full = resolveBenchOptions({});
    const quick = resolveBenchOptions({ quick: true });
    assert.deepEqual(full.ops, [...BENCH_OPS]);
    assert.deepEqual(full.sizes, [4096, 65536, 1 << 20, 64 << 20]);
    assert.deepEqual(quick.sizes, [4096, 65536, 1 << 20]);
    assert.ok(quick.rounds < full.rounds);
    assert.deepEqual(full.depths, [64]);
    assert.deepEqual(full.channels, [1, 2]);
    assert.deepEqual(full.engines, ['inline', 'soft', 'bridge']);
    assert.equal(full.native, true);
  });

  it('parses lists and sizes; --no-native and --no-extras switch those parts off', () => {
    assert.equal(parseSize('4K'), 4096);
    assert.equal(parseSize('64KiB'), 65536);
    assert.equal(parseSize('1m'), 1 << 20);
    assert.equal(parseSize('512'), 512);
    const o = resolveBenchOptions({ quick: true, ops: 'pq, xor,pq', sizes: '1M,4K', rounds: '2', depth: '1,64', channels: '2', engines: 'soft',
      native: false, extras: false, sampleMs: '3' });
    assert.deepEqual(o.ops, ['pq', 'xor']);
    assert.deepEqual(o.sizes, [4096, 1 << 20]);
    assert.equal(o.rounds, 2);
    assert.deepEqual(o.depths, [1, 64]);
    assert.deepEqual(o.channels, [2]);
    assert.deepEqual(o.engines, ['soft']);
    assert.equal(o.native, false);
    assert.equal(o.extras, false);
    assert.equal(o.sampleMs, 3);
  });
});

describe('dmaengine bench: verification', () => {
  it('a path that writes nothing is a wrong result', async () => {
    const w = new Workload(4096);
    const c = syncContender('noop', benchOpDef('pq'), w, () => undefined);
    await assert.rejects(c.verify(1), /wrong result: P differs from the reference at byte 0/);
  });

  it('a path that writes one wrong byte is a wrong result, at that byte', async () => {
    const w = new Workload(70000);
    const def = benchOpDef('memcpy');
    const c = syncContender('off-by-one', def, w, (x) => { x.data[0]!.copy(x.dst); x.dst[69999] ^= 1; });
    await assert.rejects(c.verify(1), /memcpy destination differs from the reference at byte 69999 of 70000/);
  });

  it('a val operation that always says "consistent" fails the corrupted-source check', async () => {
    const w = new Workload(4096);
    const c = syncContender('yes-man', benchOpDef('pq_val'), w, (x) => { x.result.value = 0; });
    await assert.rejects(c.verify(1), /reported 0 for corrupted blocks \(expected a mismatch\)/);
  });
});

describe('dmaengine bench: a tiny sweep', function () {
  this.timeout(120000);
  let r: BenchResult;

  before(async () => {
    r = await runBench({ ...benchDefaults(true), sizes: [4096], rounds: 2, depths: [8], sampleMs: 1, native: false, extras: false });
  });

  it('runs every op through every engine available, with finite positive figures', () => {
    assert.deepEqual(r.engines.map((e) => [e.id, e.loaded]), [['inline', true], ['soft', true], ['bridge', false]]);
    assert.match(r.engines[2]!.reason!, /^not loaded: /, 'the bridge column says why it is empty');
    assert.ok(r.omitted.some((o) => o.series === 'bridge' && /not loaded/.test(o.reason)));
    const ids = r.series.map((s) => s.id);
    assert.deepEqual(ids, ['binding', 'inline', 'soft-1ch-q8', 'soft-2ch-q8', 'node']);
    for (const op of BENCH_OPS) {
      const want = ['binding', 'inline', 'soft-1ch-q8', 'soft-2ch-q8', ...(op === 'memcpy' || op === 'memset' ? ['node'] : [])];
      const got = r.figures.filter((f) => f.op === op).map((f) => f.series).sort();
      assert.deepEqual(got, [...want].sort(), op);
    }
    for (const f of r.figures) {
      for (const v of [f.gbps, f.nsPerOp, f.minGbps, f.maxGbps]) assert.ok(Number.isFinite(v) && v > 0, `${f.op} ${f.series}: ${v}`);
      assert.equal(f.rounds, 2);
      assert.ok(f.ratioToInline !== null && f.ratioToInline > 0);
    }
    assert.ok(r.queued.submitted > 0);
    assert.equal(r.queued.callbacks, r.queued.submitted);
  });

  it('--json: the whole result, parseable', () => {
    const j = JSON.parse(formatBenchJson(r));
    for (const k of ['machine', 'options', 'engines', 'series', 'figures', 'omitted', 'targets', 'queued']) assert.ok(k in j, k);
    assert.equal(j.figures.length, r.figures.length);
    assert.equal(typeof j.machine.cpu, 'string');
    assert.ok(Array.isArray(j.targets) && j.targets.every((t: { goal: string }) => /^[≥≤] /.test(t.goal)));
  });

  it('--csv: a header and one row per figure, every row as wide as the header', () => {
    const lines = formatBenchCsv(r).trimEnd().split('\n');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    assert.equal(lines.length, 1 + r.figures.length);
    for (const l of lines.slice(1)) assert.equal(l.split(',').length, CSV_COLUMNS.length, l);
    assert.match(lines.find((l) => l.startsWith('pq,4096,soft-2ch-q8,'))!, /^pq,4096,soft-2ch-q8,soft,2,8,[\d.e+-]+,/);
  });

  it('--svg: well-formed XML, one panel per op with one path per series, axis labels, legend, title', () => {
    const svg = parseXml(formatBenchSvg(r));
    assert.equal(svg.name, 'svg');
    assert.equal(svg.attrs.xmlns, 'http://www.w3.org/2000/svg');
    assert.match(findAll(svg, (e) => e.attrs.class === 'title')[0]!.text, /throughput against block size/);
    const panels = findAll(svg, (e) => e.name === 'g' && e.attrs.class === 'panel');
    assert.deepEqual(panels.map((p) => p.attrs['data-op']), [...BENCH_OPS]);
    for (const p of panels) {
      const op = p.attrs['data-op'];
      const paths = findAll(p, (e) => e.name === 'path' && e.attrs.class === 'series');
      const series = new Set(r.figures.filter((f) => f.op === op).map((f) => f.series));
      assert.deepEqual(paths.map((x) => x.attrs['data-series']).sort(), [...series].sort(), op);
      for (const x of paths) assert.match(x.attrs.d!, /^M[\d.]+,[\d.]+/);
      const labels = findAll(p, (e) => e.attrs.class === 'axis-label').map((e) => e.text);
      assert.deepEqual(labels, ['block size (log scale)', 'GB/s']);
    }
    const legend = findAll(svg, (e) => e.attrs.class === 'legend-entry').map((e) => e.attrs['data-series']);
    assert.deepEqual(legend, r.series.map((s) => s.id));
  });

  it('the table names the machine, every column and the omitted engine', () => {
    const text = formatBenchTable(r).join('\n');
    assert.match(text, /^dmaengine bench: .+, \d+ CPUs, Node v/m);
    assert.match(text, /\| op +\| size +\| +kernel via binding +\| +inline +\| +soft 1ch q8 +\| +soft 2ch q8 +\| +Buffer\.copy\/fill +\|/);
    assert.match(text, /bridge \(not loaded: /);
    assert.match(text, /^\| P\+Q 8\+2 +\| 4 KiB +\|/m);
  });
});

describe('dmaengine bench: the C++ program (kernel and ISA-L columns)', () => {
  it('parses its --json lines into the bench\'s operations', () => {
    const p = parseKernelsBench([
      '{"type":"info","isal":false,"selection":{"xor":"avx2"}}',
      '{"type":"row","op":"xor_check","len":4096,"role":"ours","impl":"avx2","gbps":12.5,"rounds":3}',
      '{"type":"row","op":"recov","len":4096,"role":"baseline","impl":"ISA-L ec_encode_data 8→2","gbps":2,"rounds":3}',
    ].join('\n'));
    assert.match(p.isalMissing!, /libisal-dev/);
    assert.deepEqual(p.selection, { xor: 'avx2' });
    assert.deepEqual(p.rows.map((x) => [x.op, x.role, x.gbps]), [['xor_val', 'ours', 12.5], ['recov_2data', 'baseline', 2]]);
    assert.throws(() => parseKernelsBench('{"type":"row","op":"memmove","len":1}'), /unknown operation "memmove"/);
  });

  it('runs when already built (build-bench/kernels_bench) and reports every requested figure', function () {
    const bin = path.join(PACKAGE_ROOT, 'build-bench', 'kernels_bench');
    if (!fs.existsSync(bin)) {
      console.log(`      skipped: ${bin} not built (npm run bench builds it; the test does not build it)`);
      this.skip();
    }
    const out = execFileSync(bin, ['--json', '--rounds', '1', '--sizes', '4096', '--ops', 'memcpy,recov_datap'], { encoding: 'utf8' });
    const p = parseKernelsBench(out);
    const ours = p.rows.filter((x) => x.role === 'ours');
    assert.deepEqual(ours.map((x) => x.op), ['memcpy', 'recov_datap']);
    for (const x of p.rows) assert.ok(Number.isFinite(x.gbps) && x.gbps > 0);
    assert.ok(p.rows.some((x) => x.role === 'baseline' && x.impl === 'glibc memcpy'));
  });
});

describe('dmaengine bench (CLI)', function () {
  this.timeout(60000);
  it('--csv through the command: a header and rows, nothing else on stdout', () => {
    const cli = path.join(__dirname, '..', 'lib', 'cli', 'index.ts');
    const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
    const out = execFileSync(tsx, [cli, 'bench', '--ops', 'memset', '--sizes', '4K', '--rounds', '2', '--sample-ms', '1', '--no-native',
      '--no-extras', '--channels', '1', '--depth', '4', '--csv'], { encoding: 'utf8' });
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[2]).sort(), ['binding', 'inline', 'node', 'soft-1ch-q4']);
  });
});
