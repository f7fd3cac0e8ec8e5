'use strict';
/**
 * The fuzzer's child process: calls every exported function of the built package (dist/) with
 * seeded, mostly hostile arguments and checks, after each call:
 *   - it returned, or threw a TypeError/RangeError whose message names an argument ("…"), a
 *     DmaEngineError, a DmaBugError, or the fuzzer's own FuzzTrapError (from its getters);
 *   - guard bytes around every page are intact;
 *   - a call that threw wrote nothing into any page;
 *   - every callback of a call that returned runs exactly once (checked when the batch settles),
 *     and none of a call that threw ever runs;
 *   - promises settle the same way (checked when the batch settles).
 * The first violation is printed as one JSON line `{"finding": …}` and the child exits 1. A
 * crash is the parent's to see. Progress: `{"progress": case}` at every batch start (the replay
 * point: `--from` a batch start reruns the same cases).
 *
 * argv: --seed S --seconds N [--from K] [--cases M] [--detach] [--verbose] [--keep-going]
 *   [--only REGEX] (functions) [--all] (the KNOWN ones too, see known.js)
 *   [--mix | --no-mix] (dependencies: by default 30% of the shaped cases take the last
 *   descriptor of any engine, the rest one of their own engine; --mix: all of them take any
 *   engine's, --no-mix: none)
 * Threading: one JavaScript thread; soft devices run their own native worker threads.
 */
const path = require('node:path');
const { rng, caseSeed, hostile, PageSet, FuzzTrapError } = require('./values');
const { SHAPES, FIXED } = require('./shapes');

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const seed = Number(opt('seed', 1)) >>> 0;
const seconds = Number(opt('seconds', 20));
const from = Number(opt('from', 0));
const maxCases = Number(opt('cases', Infinity));
const detach = args.includes('--detach');
const crossShare = args.includes('--mix') ? 1 : args.includes('--no-mix') ? 0 : 0.3;
const verbose = args.includes('--verbose');
const BATCH = 64;

const mod = require(path.join(__dirname, '../../dist/index.js'));
const ALLOWED = new Set(['TypeError', 'RangeError', 'DmaEngineError', 'DmaBugError']);

// Devices the async_* methods can run on besides the software path of the free functions.
const CAPS = [mod.DmaCap.MEMCPY, mod.DmaCap.MEMSET, mod.DmaCap.XOR, mod.DmaCap.XOR_VAL, mod.DmaCap.PQ, mod.DmaCap.PQ_VAL, mod.DmaCap.INTERRUPT];
function engineWith(register) {
  const engine = mod.createDmaEngine({ cpus: 1 });
  register({ caps: CAPS, maxXor: 3, maxPq: 4, channels: 2 }, engine);
  return mod.createAsyncTx(engine);
}
const apis = [{ name: 'default', api: mod }, { name: 'plain', api: engineWith(mod.registerPlainDevice) },
  { name: 'soft', api: engineWith(mod.registerSoftDevice) }];

const only = opt('only', null) ? new RegExp(opt('only')) : null;
const all = args.includes('--all');
const { KNOWN } = require('./known');
const chosen = (name) => (!only || only.test(name)) && (all || !KNOWN[name]);
const isClass = (f) => /^class\b/.test(Function.prototype.toString.call(f));
const fns = Object.entries(mod).filter(([, v]) => typeof v === 'function').filter(([name]) => chosen(name)).map(([name, f]) => ({ name, f, cls: isClass(f) }));
const shaped = Object.keys(SHAPES).filter(chosen);
const asyncOps = new Set(Object.keys(SHAPES).filter((k) => typeof apis[1].api[k] === 'function'));

const stats = { calls: 0, returned: 0, deps: 0, crossDeps: 0, threw: {}, fns: new Set(), ms: {} };
let pending = []; // { what, promise }
let opened = []; // Dma handles from openDma, closed when the batch settles
let callbacks = []; // { what, calls, expect }
let txs = []; // descriptors returned, to be settled
let bufs = []; // DmaBufs made, to be closed
let devices = []; // devices registered on the default instance (registerPlainDevice, …), to be removed

const keepGoing = args.includes('--keep-going');
const seen = new Set();
let findings = 0;
function finding(kind, detail, c) {
  const key = `${kind}|${c.fnName}|${String(detail).replace(/\d+/g, 'N')}`;
  if (keepGoing && seen.has(key)) return;
  seen.add(key);
  findings++;
  process.stdout.write(`${JSON.stringify({ finding: kind, detail, seed, case: c.i, fn: c.fnName, target: c.target, args: c.desc })}\n`);
  if (!keepGoing) process.exit(1);
}

function describe(v) {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 20));
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol' || typeof v === 'function') return typeof v;
  try {
    if (require('node:util').types.isProxy(v)) return 'Proxy';
    if (ArrayBuffer.isView(v)) return `${Object.prototype.toString.call(v).slice(8, -1)}(${Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'byteLength').get.call(v)})`;
    if (Array.isArray(v)) return `[${v.map(describe).join(',')}]`;
  } catch { return 'object(?)'; }
  return 'object';
}

// The caller's own object failing (the fuzzer's getters, a Proxy it revoked): its error passes through.
const callersOwn = (e) => e instanceof FuzzTrapError || (e instanceof TypeError && /on a proxy that has been revoked/.test(e.message));

function judge(e, c) {
  if (callersOwn(e)) return;
  const name = e && e.name;
  if (process.env.FUZZ_DEBUG) console.error(e);
  if (!ALLOWED.has(name)) finding('unexpected error', `${name}: ${e && e.message}`, c);
  if ((name === 'TypeError' || name === 'RangeError') && !/"[^"]+"/.test(e.message)) finding('message names no argument', `${name}: ${e.message}`, c);
  stats.threw[name] = (stats.threw[name] || 0) + 1;
}

function makeCase(i) {
  const r = rng(caseSeed(seed, i));
  const pages = new PageSet(r);
  const c = { i, r, pages, mod, lastTx: null, cbs: [] };
  c.counted = () => {
    const rec = { what: `case ${i}`, calls: 0, expect: null };
    c.cbs.push(rec);
    return () => { rec.calls++; };
  };
  // Half the cases exercise the byte-touching functions with shapes; the rest any export.
  let fn;
  if (shaped.length > 0 && (fns.length === 0 || r.chance(0.6))) {
    const name = r.pick(shaped);
    const t = asyncOps.has(name) ? r.pick(apis) : apis[0];
    fn = { name, f: t.api[name], cls: false, self: t.api };
    c.target = t.name;
    c.api = t.api;
    // A dependency from the same engine, or (crossShare of the cases) from any engine: the
    // completion path of one instance's provider must run another instance's dependants.
    const cross = r.chance(crossShare);
    let own = txs.filter((x) => cross || x.api === t.api);
    // Half of them one that may still take a child (not acked, no child yet): the latest one
    // has often been acked or taken already, which only reaches the DmaBugErrors.
    if (r.chance(0.5)) own = own.filter((x) => x.tx.next === null && (x.tx.flags & mod.DmaCtrlFlags.CTRL_ACK) === 0);
    c.lastTx = own.length ? own[own.length - 1].tx : null;
    c.crossDep = own.length > 0 && own[own.length - 1].api !== t.api;
  } else {
    fn = r.pick(fns);
    c.target = 'export';
    c.api = apis[0].api;
  }
  c.fnName = fn.name;
  let argv;
  if (SHAPES[fn.name] && !r.chance(0.1)) {
    argv = SHAPES[fn.name](c);
    const fixed = FIXED[fn.name] || [];
    for (let k = 0; k < argv.length; k++) if (!fixed.includes(k) && r.chance(0.2)) argv[k] = hostile(r, pages, { detach });
  } else {
    argv = Array.from({ length: r.int(7) }, () => hostile(r, pages, { detach }));
    const fixed = FIXED[fn.name];
    if (fixed) argv = SHAPES[fn.name](c);
  }
  // A tracked callback counts only if its control block is still an argument of the call.
  if (!argv.includes(c.submitObj)) c.cbs = [];
  c.desc = argv.map(describe).join(', ');
  return { c, fn, argv };
}

function runCase(i) {
  const { c, fn, argv } = makeCase(i);
  if (verbose) process.stderr.write(`case ${i}: ${c.target}.${fn.name}(${c.desc})\n`);
  if (verbose && process.env.FUZZ_DEBUG) console.error(argv);
  const snap = c.pages.snapshot();
  stats.calls++;
  stats.fns.add(fn.name);
  let result;
  let threw = null;
  const t0 = process.hrtime.bigint();
  try {
    result = fn.cls ? new fn.f(...argv) : fn.f.apply(fn.self, argv);
  } catch (e) {
    threw = e;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  stats.ms[fn.name] = (stats.ms[fn.name] || 0) + ms;
  const broken = c.pages.guardsBroken();
  if (broken) finding('guard bytes overwritten', broken, c);
  if (threw) {
    judge(threw, c);
    const k = c.pages.changedSince(snap);
    if (k >= 0) finding('a call that threw wrote into a page', `page ${k}`, c);
    for (const cb of c.cbs) cb.expect = 0;
  } else {
    stats.returned++;
    // returned with a dependency on another engine's descriptor, inside the submit block given
    if (c.submitDep && argv.includes(c.submitObj)) {
      stats.deps++;
      if (c.crossDep) stats.crossDeps++;
    }
    for (const cb of c.cbs) cb.expect = 1;
    if (result instanceof mod.DmaAsyncTxDescriptor) txs.push({ tx: result, api: c.api, c });
    if (result instanceof mod.DmaBuf) bufs.push(result);
    if (/^register(Plain|Soft)Device$/.test(fn.name)) devices.push({ dev: result, c });
    // Handled now (an unhandled rejection would end the process), judged when the batch settles.
    // An opened Promise-API handle (openDma) is closed when the batch settles: its engine's
    // worker threads would otherwise pile up like registered devices.
    if (result instanceof Promise) {
      pending.push({ c, promise: result.then((v) => { if (v instanceof mod.Dma) opened.push({ d: v, c }); return null; }, (e) => ({ e })) });
    }
  }
  callbacks.push(...c.cbs.map((cb) => ({ ...cb, rec: cb, c })));
}

// Waits for what a batch started: its descriptors (each bounded by waitForAsyncTx's own
// timeout) and its promises (bounded as a whole: `waitForAsyncTx(tx, 0)` may rightly never settle).
async function settleBatch() {
  // The default instance too: a case may have registered a device there (registerPlainDevice).
  for (const { api } of apis) api.asyncTxIssuePendingAll();
  const waits = txs.filter((t) => typeof t.api.waitForAsyncTx === 'function')
    .map((t) => t.api.waitForAsyncTx(t.tx, 500).then(() => null, (e) => judge(e, t.c)));
  const outs = pending.map((p) => p.promise.then((out) => { if (out) judge(out.e, p.c); }));
  let timer;
  await Promise.race([Promise.all([...waits, ...outs]), new Promise((r) => { timer = setTimeout(r, 600); })]);
  clearTimeout(timer);
  await new Promise((r) => setImmediate(r));
  for (const cb of callbacks) {
    if (cb.rec.calls !== cb.rec.expect) finding('callback count', `ran ${cb.rec.calls} times, expected ${cb.rec.expect}`, cb.c);
  }
  for (const b of bufs) b.close();
  for (const { d, c } of opened) {
    try { await d.close(); } catch (e) { finding('close() of an opened Dma failed', `${e && e.name}: ${e && e.message}`, c); }
  }
  opened = [];
  // Left registered, they would pile up on the default instance (a soft device starts its
  // worker threads on first use) and every later runDmatest would test them all.
  for (const { dev, c } of devices) {
    try {
      mod.dmaAsyncDeviceUnregister(dev, { force: true });
    } catch (e) {
      finding('forced unregistration failed', `${e && e.name}: ${e && e.message}`, c);
    }
  }
  pending = []; callbacks = []; txs = []; bufs = []; devices = [];
}

async function main() {
  const deadline = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  let i = from;
  while (Date.now() < deadline && i - from < maxCases) {
    process.stdout.write(`${JSON.stringify({ progress: i })}\n`);
    for (let k = 0; k < BATCH && i - from < maxCases; k++, i++) runCase(i);
    await settleBatch();
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(`${JSON.stringify({ done: true, seed, from, cases: i - from, seconds: +secs.toFixed(1),
    callsPerSecond: Math.round((i - from) / secs), returned: stats.returned, threw: stats.threw,
    functions: stats.fns.size, exported: fns.length, detach, crossShare, deps: stats.deps, crossDeps: stats.crossDeps, findings,
    slowest: Object.entries(stats.ms).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${Math.round(v)} ms`) })}\n`);
  process.exit(findings > 0 ? 1 : 0);
}

main().catch((e) => {
  process.stdout.write(`${JSON.stringify({ finding: 'fuzzer error', detail: String(e && e.stack) })}\n`);
  process.exit(1);
});
