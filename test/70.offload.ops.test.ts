import assert from 'node:assert/strict';
import { type Dma, openDma } from '../lib/index';
import { refPq, seeded } from './helpers/gf-reference';

const eq = (a: Uint8Array, b: Uint8Array, msg?: string): void => assert.ok(Buffer.from(a).equals(Buffer.from(b)), msg);
const xorRef = (srcs: Uint8Array[], len: number): Uint8Array => {
  const out = new Uint8Array(len);
  for (const s of srcs) for (let i = 0; i < len; i++) out[i]! ^= s[i]!;
  return out;
};

// Every method on each engine, byte-exact against the test's own reference. 'soft' runs with
// inlineBelow 0 (everything on the channels) and with the measured threshold at sizes on both
// sides of it.
const engines: { name: string; open: () => Promise<Dma> }[] = [
  { name: 'inline', open: () => openDma({ engine: 'inline' }) },
  { name: 'soft (all queued)', open: () => openDma({ engine: 'soft', channels: 2, inlineBelow: 0 }) },
  { name: 'soft (measured threshold)', open: () => openDma({ engine: 'soft', channels: 2 }) },
];

for (const e of engines) {
  describe(`Dma on ${e.name}`, () => {
    let dma: Dma;
    before(async () => { dma = await e.open(); });
    after(() => dma.close());

    for (const len of [0, 1, 4096, 40000, 200000]) {
      it(`copy, fill, xor, xorCheck at ${len} bytes`, async () => {
        const rand = seeded(len + 1);
        const src = rand(len);
        const dst = new Uint8Array(len + 8).fill(0x5a);
        await dma.copy(dst, src);
        eq(dst.subarray(0, len), src);
        assert.ok(dst.subarray(len).every((b) => b === 0x5a), 'copy wrote past src.byteLength');
        const f = new Uint8Array(len);
        await dma.fill(f, 0xa5);
        assert.ok(f.every((b) => b === 0xa5));
        const srcs = Array.from({ length: 8 }, () => rand(len));
        const parity = rand(len);
        await dma.xor(parity, srcs);
        eq(parity, xorRef(srcs, len));
        const before = [parity, ...srcs].map((b) => Buffer.from(b));
        assert.equal(await dma.xorCheck([parity, ...srcs]), true);
        [parity, ...srcs].forEach((b, i) => eq(b, before[i]!, `xorCheck wrote block ${i}`));
        if (len > 0) {
          parity[len - 1]! ^= 1;
          assert.equal(await dma.xorCheck([parity, ...srcs]), false);
          parity[len - 1]! ^= 1;
        }
      });
    }

    it('takes any ArrayBufferView: typed arrays, DataView, Buffer slices', async () => {
      const rand = seeded(7);
      const bytes = rand(4096);
      const src = new Uint32Array(bytes.buffer.slice(0));
      const dst = new DataView(new ArrayBuffer(4096 + 16), 16, 4096);
      await dma.copy(dst, src);
      eq(new Uint8Array(dst.buffer, 16, 4096), bytes);
      const big = Buffer.alloc(8192);
      await dma.fill(big.subarray(100, 200), 7);
      assert.equal(big[99], 0);
      assert.equal(big[100], 7);
      assert.equal(big[199], 7);
      assert.equal(big[200], 0);
    });

    it('raid6.generate (P+Q, P only, Q only) and raid6.check (writes nothing)', async () => {
      for (const len of [512, 70000]) {
        const rand = seeded(len);
        const data = Array.from({ length: 6 }, () => rand(len));
        const ref = refPq(data, len);
        const p = rand(len);
        const q = rand(len);
        await dma.raid6.generate(data, p, q);
        eq(p, ref.p);
        eq(q, ref.q);
        const p2 = rand(len);
        await dma.raid6.generate(data, p2, null);
        eq(p2, ref.p);
        const q2 = rand(len);
        await dma.raid6.generate(data, null, q2);
        eq(q2, ref.q);
        const snap = [...data, p, q].map((b) => Buffer.from(b));
        assert.deepEqual(await dma.raid6.check(data, p, q), { p: true, q: true });
        [...data, p, q].forEach((b, i) => eq(b, snap[i]!, `check wrote block ${i}`));
        q[3]! ^= 0x10;
        assert.deepEqual(await dma.raid6.check(data, p, q), { p: true, q: false });
        p[0]! ^= 1;
        assert.deepEqual(await dma.raid6.check(data, p, q), { p: false, q: false });
      }
    });

    it('raid6.recover: every single block and every pair, 4 to 8 disks', async function () {
      this.timeout(60000);
      const len = e.name.includes('threshold') ? 40000 : 1024;
      let cases = 0;
      for (let disks = 4; disks <= 8; disks++) {
        const rand = seeded(disks * 31);
        const data = Array.from({ length: disks - 2 }, () => rand(len));
        const { p, q } = refPq(data, len);
        const good = [...data, p, q];
        const lost: number[][] = [];
        for (let a = 0; a < disks; a++) {
          lost.push([a]);
          for (let b = a + 1; b < disks; b++) lost.push([b, a]); // any order
        }
        for (const failed of lost) {
          const blocks: Uint8Array[] = good.map((b) => Uint8Array.from(b));
          for (const f of failed) blocks[f] = rand(len); // garbage where the lost blocks were
          await dma.raid6.recover(blocks, failed);
          blocks.forEach((b, i) => eq(b, good[i]!, `disks ${disks}, failed [${failed}]: block ${i}`));
          cases++;
        }
      }
      assert.equal(cases, [4, 5, 6, 7, 8].reduce((n, d) => n + d + (d * (d - 1)) / 2, 0));
    });
  });
}
