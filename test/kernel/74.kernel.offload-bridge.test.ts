// The Promise API on bridged channels (lib/offload/bridge.ts): openDma({ engine: 'bridge' })
// over dmae_soft through /dev/dmaengine_bridge. Every operation on udmabuf blocks gives the
// soft engine's bytes and runs on the bridged channels (dma.placement, the bridge's count of
// operations submitted to the kernel); Node-allocated blocks still give the right bytes, on the soft fallback, and are
// counted there; 'auto' takes the bridge; close() lets dmae_soft go (rmmod succeeds); the
// bench's bridge column produces figures; no oops, WARN or BUG.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runBench } from '../../lib/bench';
import { allocDmaBuf, type DmaBuf } from '../../lib/dmabuf';
import { type Dma, openDma } from '../../lib/offload';
import { bridgeDevicesOf } from '../../lib/offload/bridge';
import { insmod, kmsgMark, kmsgSince, moduleDir, moduleLoaded, requireGuest, rmmod } from './lane';

const LEN = 65536;
const laneSoftParams = () => (process.env.LANE_SOFT_PARAMS ?? '').split(/\s+/).filter(Boolean);

function seededBytes(seed: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; b[i] = x & 0xff; }
  return b;
}

/** Blocks of one kind: udmabuf dma-bufs, or Node memory. */
class Blocks {
  readonly bufs: DmaBuf[] = [];
  constructor(readonly kind: 'udmabuf' | 'node') {}
  get(n: number): Uint8Array {
    if (this.kind === 'node') return new Uint8Array(n);
    const b = allocDmaBuf(n, { source: 'udmabuf' });
    this.bufs.push(b);
    return b.bytes.subarray(0, n);
  }
  free(): void {
    for (const b of this.bufs.splice(0)) b.close();
  }
}

/** Every operation of the Promise API once, on `mem`'s blocks; what each wrote or answered. */
async function everyOp(dma: Dma, mem: Blocks): Promise<{ out: Uint8Array[]; answers: unknown[]; ops: number; where: string[] }> {
  const where: string[] = [];
  let seen = dma.placement;
  /** notes where the operation just awaited ran (the counter that moved) */
  const note = (op: string): void => {
    const now = dma.placement;
    const moved = (Object.keys(now) as (keyof typeof now)[]).filter((k) => now[k] !== seen[k]);
    where.push(`${op} → ${moved.join('+') || 'nowhere'}`);
    seen = now;
  };
  const data = [0, 1, 2, 3].map((i) => {
    const b = mem.get(LEN);
    b.set(seededBytes(100 + i, LEN));
    return b;
  });
  const copy = mem.get(LEN);
  const filled = mem.get(LEN);
  const parity = mem.get(LEN);
  await dma.copy(copy, data[0]!);
  note('copy');
  await dma.fill(filled, 0xa5);
  note('fill');
  await dma.xor(parity, data);
  note('xor');
  const answers: unknown[] = [];
  answers.push(await dma.xorCheck([parity, ...data]));
  note('xorCheck');
  // three data blocks + P + Q: within dmae_soft's P+Q limit (8), with or without continuation
  const d3 = data.slice(0, 3);
  const p = mem.get(LEN);
  const q = mem.get(LEN);
  await dma.raid6.generate(d3, p, q);
  note('generate');
  answers.push(await dma.raid6.check(d3, p, q));
  note('check');
  q[77] ^= 0x10;
  answers.push(await dma.raid6.check(d3, p, q));
  note('check');
  q[77] ^= 0x10;
  const out = [copy, filled, parity, p, q];
  let ops = 7;
  // every recovery path: lose blocks, rebuild, keep what came back
  for (const failed of [[1], [3], [4], [0, 2], [1, 3], [2, 4], [3, 4]]) {
    const blocks = [...d3, p, q].map((b) => {
      const c = mem.get(LEN);
      c.set(b);
      return c;
    });
    for (const f of failed) blocks[f]!.fill(0xee);
    await dma.raid6.recover(blocks, failed);
    note(`recover [${failed}]`);
    out.push(...failed.map((f) => blocks[f]!));
    ops++;
  }
  parity[9] ^= 1;
  answers.push(await dma.xorCheck([parity, ...data]));
  note('xorCheck');
  parity[9] ^= 1;
  ops += 1;
  return { out, answers, ops, where };
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe('openDma on bridged channels (guest)', function () {
  this.timeout(600000);
  let mark = -1;
  let reference: { out: Uint8Array[]; answers: unknown[] };
  before(async function () {
    requireGuest(this);
    if (!moduleLoaded('dmae_soft')) insmod(join(moduleDir(), 'dmae_soft.ko'), laneSoftParams());
    if (!moduleLoaded('dmaengine_bridge')) insmod(join(moduleDir(), 'dmaengine_bridge.ko'));
    mark = kmsgMark();
    const soft = await openDma({ engine: 'soft', channels: 2, inlineBelow: 0 });
    const mem = new Blocks('node');
    try {
      reference = await everyOp(soft, mem);
    } finally {
      await soft.close();
    }
    assert.deepEqual(reference.answers, [true, { p: true, q: true }, { p: true, q: false }, false]);
  });

  it("'bridge' on udmabuf blocks: copy, fill, xor, xorCheck, raid6 generate/check/recover equal the soft engine's, all on the bridged channels", async () => {
    const dma = await openDma({ engine: 'bridge', inlineBelow: 0 });
    const mem = new Blocks('udmabuf');
    const devs = bridgeDevicesOf.get(dma)!;
    assert.ok(devs.length >= 1 && devs.every((d) => d.driver === 'dmae_soft'), 'the Dma\'s bridged devices are dmae_soft\'s');
    const before = devs[0]!.bridgeStats().opsSubmitted;
    try {
      assert.equal(dma.engine, 'bridge');
      assert.equal(dma.fallbackReason, null);
      assert.ok(dma.channels >= 1, `channels ${dma.channels}`);
      const got = await everyOp(dma, mem);
      assert.deepEqual(got.answers, reference.answers);
      assert.equal(got.out.length, reference.out.length);
      got.out.forEach((b, i) => assert.ok(same(b, reference.out[i]!), `output ${i} differs from the soft engine's`));
      assert.deepEqual(dma.placement, { inline: 0, soft: 0, bridge: got.ops, software: 0 }, `where each ran: ${got.where.join(', ')}`);
      const sent = devs[0]!.bridgeStats().opsSubmitted - before;
      assert.ok(sent >= got.ops, `the kernel got the work: ${sent} bridge operations for ${got.ops} Promise API operations`);
    } finally {
      await dma.close();
      mem.free();
    }
  });

  it("'bridge' on Node memory (and mixed): right bytes on the soft fallback, counted as soft", async () => {
    const dma = await openDma({ engine: 'bridge', inlineBelow: 0, channels: 1 });
    const node = new Blocks('node');
    const udma = new Blocks('udmabuf');
    try {
      const got = await everyOp(dma, node);
      assert.deepEqual(got.answers, reference.answers);
      got.out.forEach((b, i) => assert.ok(same(b, reference.out[i]!), `output ${i} differs from the soft engine's`));
      assert.deepEqual(dma.placement, { inline: 0, soft: got.ops, bridge: 0, software: 0 }, `where each ran: ${got.where.join(', ')}`);
      // one operand dma-buf, the other not: the soft engine again
      const src = udma.get(LEN);
      src.set(seededBytes(7, LEN));
      const dst = new Uint8Array(LEN);
      await dma.copy(dst, src);
      assert.ok(same(dst, src));
      // and both dma-buf: the bridge
      const dst2 = udma.get(LEN);
      await dma.copy(dst2, src);
      assert.ok(same(dst2, src));
      assert.deepEqual(dma.placement, { inline: 0, soft: got.ops + 1, bridge: 1, software: 0 });
    } finally {
      await dma.close();
      udma.free();
    }
  });

  it("'auto' takes the bridge when loaded, measuring its threshold on the bridge's own buffers", async () => {
    const dma = await openDma();
    try {
      assert.equal(dma.engine, 'bridge');
      assert.equal(dma.fallbackReason, null);
      assert.ok(dma.calibration !== null && dma.calibration.sizes.length >= 1);
      assert.ok(dma.inlineBelow > 0);
    } finally {
      await dma.close();
    }
  });

  it('close() releases the channels: dmae_soft cannot be removed while a Dma is open, can after', async () => {
    const dma = await openDma({ engine: 'bridge', inlineBelow: 0 });
    const mem = new Blocks('udmabuf');
    try {
      const a = mem.get(LEN);
      const b = mem.get(LEN);
      a.fill(3);
      await dma.copy(b, a);
      assert.ok(b.every((x) => x === 3));
      assert.throws(() => rmmod('dmae_soft'), 'a Dma holds the channels');
    } finally {
      await dma.close();
      mem.free();
    }
    rmmod('dmae_soft');
    assert.equal(moduleLoaded('dmae_soft'), false);
    insmod(join(moduleDir(), 'dmae_soft.ko'), laneSoftParams());
    const again = await openDma({ engine: 'bridge', inlineBelow: 0 });
    assert.equal(again.engine, 'bridge', 'the bridge serves the reloaded module');
    await again.close();
  });

  it("the bench's bridge column: figures for what the bridged device takes, the rest said why", async () => {
    const r = await runBench({
      ops: ['memcpy', 'memset', 'xor', 'xor_val', 'pq', 'pq_val', 'recov_2data', 'recov_datap'], sizes: [65536], rounds: 1,
      depths: [8], channels: [1], engines: ['inline', 'bridge'], native: false, extras: false, sampleMs: 2, quick: true,
    });
    assert.deepEqual(r.engines.map((e) => [e.id, e.loaded]), [['inline', true], ['bridge', true]]);
    const bridge = r.figures.filter((f) => f.series === 'bridge-1ch-q8');
    for (const f of bridge) assert.ok(Number.isFinite(f.gbps) && f.gbps > 0, `${f.op}: ${f.gbps}`);
    const measured = new Set<string>(bridge.map((f) => f.op));
    const said = `series ${r.series.map((x) => x.id).join(', ')}; omitted ${r.omitted.map((o) => `${o.series}: ${o.reason}`).join('; ')}`;
    for (const op of ['memcpy', 'memset', 'xor', 'pq', 'recov_2data', 'recov_datap']) assert.ok(measured.has(op), `${op} measured (${said})`);
    for (const op of ['xor_val', 'pq_val']) {
      assert.ok(measured.has(op) || r.omitted.some((o) => o.series === `bridge ${op}`), `${op}: measured or said why`);
    }
    console.log(`      bridge column: ${bridge.map((f) => `${f.op} ${f.gbps.toFixed(2)} GB/s`).join(', ')}`);
    for (const o of r.omitted) console.log(`      omitted: ${o.series}: ${o.reason}`);
  });

  it('left no oops, WARN or BUG in the kernel log', () => {
    const bad = kmsgSince(mark).filter((l) => /Oops|WARNING:|BUG[: ]|refcount_t|Call Trace/.test(l));
    assert.deepEqual(bad, []);
  });
});
