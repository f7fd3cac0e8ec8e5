// The bridge's slave transfers from Node and `dmaengine list` over the bridge, on dmae_soft
// (lib/providers/kernel-bridge-slave.ts, kernel-bridge-reach.ts): `dmaengine list` in a fresh
// process names every dmae_soft channel with the caps the module was loaded with and holds
// nothing afterwards (rmmod dmae_soft succeeds); with `slave_channels=1`, an exclusive
// registration carries DMA_SLAVE and the directions, dmaengineSlaveConfig +
// dmaenginePrepSlaveSg move data both ways (the pattern source read back byte for byte, the
// FNV-1a sink's count and hash), and an unconfigured or wrong-direction prep is refused.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ListReport } from '../../lib/cli/list';
import { allocDmaBuf, type DmaBuf } from '../../lib/dmabuf';
import { DmaCap, DmaCapMask } from '../../lib/dmaengine/caps';
import { dmaengineSubmit, dmaengineTxStatus } from '../../lib/dmaengine/client';
import type { DmaAsyncTxDescriptor } from '../../lib/dmaengine/descriptor';
import { DmaEngineError } from '../../lib/dmaengine/errors';
import { createDmaEngine } from '../../lib/dmaengine/instance';
import {
  DmaTransferDirection, dmaenginePrepSlaveSg, dmaenginePrepSlaveSingle, dmaengineSlaveConfig,
} from '../../lib/dmaengine/slave';
import { DmaStatus } from '../../lib/dmaengine/status';
import { registerKernelDevices, unregisterKernelDevices } from '../../lib/providers/kernel';
import { insmod, kmsgMark, kmsgSince, moduleDir, moduleLoaded, requireGuest, rmmod, softChannels } from './lane';

const ROOT = resolve(__dirname, '..', '..');
const laneSoftParams = () => (process.env.LANE_SOFT_PARAMS ?? '').split(/\s+/).filter(Boolean);
const param = (name: string) => BigInt(readFileSync(`/sys/module/dmae_soft/parameters/${name}`, 'utf8').trim());

function reloadSoft(params: string[]): void {
  if (moduleLoaded('dmae_soft')) rmmod('dmae_soft');
  insmod(join(moduleDir(), 'dmae_soft.ko'), params);
}

/** `dmaengine list --json` in a fresh process. */
function listJson(): ListReport {
  const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'lib/cli/index.ts'), 'list', '--json'],
    { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as ListReport;
}

const pattern = (p: number) => ((p * 7) ^ (p >>> 7)) & 0xff;

function fnv(bytes: Uint8Array): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h;
}

/** Issues and waits (polling the ring through the status query) for `tx`. */
async function complete(tx: DmaAsyncTxDescriptor): Promise<DmaStatus> {
  const chan = tx.chan!;
  const cookie = dmaengineSubmit(tx);
  chan.device!.deviceIssuePending!(chan);
  const deadline = Date.now() + 60000;
  for (;;) {
    const s = dmaengineTxStatus(chan, cookie);
    if (s !== DmaStatus.IN_PROGRESS || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('dmaengine bridge slave and list (guest)', function () {
  this.timeout(600000);
  let mark = -1;
  before(function () {
    requireGuest(this);
    mark = kmsgMark();
  });
  after(function () {
    if (process.env.KERNEL_LANE === '1') reloadSoft(laneSoftParams());
  });

  it('`dmaengine list` (fresh process) lists every dmae_soft channel with the caps it was loaded with; rmmod works after', () => {
    reloadSoft(['channels=3', 'max_xor=5', 'max_pq=6', 'align=2', 'slave_channels=1']);
    const sys = softChannels().map((c) => c.name);
    const r = listJson();
    assert.deepEqual([r.bridge.loaded, r.bridge.reason, r.bridge.error], [true, null, null]);
    const soft = r.bridge.devices.filter((d) => d.device === 'dmae_soft');
    assert.equal(soft.length, 2, JSON.stringify(r.bridge.devices));
    const [mem, slave] = soft[0]!.capabilities.includes('DMA_MEMCPY') ? [soft[0]!, soft[1]!] : [soft[1]!, soft[0]!];
    assert.deepEqual(soft.flatMap((d) => d.channels.map((c) => c.name)).sort(), [...sys].sort(), 'every channel /sys/class/dma has');
    assert.equal(mem.channels.length, 3);
    assert.deepEqual([mem.driver, mem.maxXor, mem.maxPq, mem.pqContinue, mem.align, mem.directions],
      ['dmae_soft', 5, 6, true, { copy: 2, xor: 2, pq: 2, fill: 2 }, []]);
    for (const c of ['DMA_MEMCPY', 'DMA_XOR', 'DMA_PQ', 'DMA_XOR_VAL', 'DMA_PQ_VAL', 'DMA_MEMSET', 'DMA_INTERRUPT']) {
      assert.ok(mem.capabilities.includes(c), c);
    }
    assert.ok(mem.channels.every((c) => c.reach.includes('free')), 'the public channels are free');
    assert.ok(mem.channels.some((c) => c.reach.includes('shared')), 'and the shared model reaches them');
    assert.deepEqual([slave.channels.length, slave.capabilities, slave.directions],
      [1, ['DMA_SLAVE'], ['MEM_TO_DEV', 'DEV_TO_MEM']]);
    assert.deepEqual(slave.channels[0]!.reach, ['free']);
    const text = execFileSync(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'lib/cli/index.ts'), 'list'], { cwd: ROOT, encoding: 'utf8' });
    assert.match(text, new RegExp(`^ {2}${mem.dmaDevice} on dmae_soft \\(driver dmae_soft\\): 3 channel\\(s\\), node -?\\d+$`, 'm'));
    assert.match(text, /^ {4}memcpy xor\(5\) pq\(6, continue\) .*; align copy\/xor\/pq\/fill 2\^2\/2\^2\/2\^2\/2\^2; node/m);
    assert.match(text, /^ {4}slave(; align [^;]*)?; directions MEM_TO_DEV DEV_TO_MEM; node/m);
    assert.ok(softChannels().every((c) => c.inUse === 0), 'no channel in use after the listing');
    rmmod('dmae_soft'); // throws if the listing left anything held
    assert.equal(moduleLoaded('dmae_soft'), false);
  });

  it('slave transfers from the DmaDevice API: exclusive registration with DMA_SLAVE, both directions, refusals', async () => {
    reloadSoft([...laneSoftParams(), 'slave_channels=1']);
    const eng = createDmaEngine({ cpus: 1 });
    const devs = registerKernelDevices({ model: 'exclusive', engine: eng });
    const bufs: DmaBuf[] = [];
    try {
      const slave = devs.find((d) => d.capMask.caps().includes(DmaCap.SLAVE));
      assert.ok(slave, `a slave device among ${devs.map((d) => `${d.dev}:${d.capMask.caps().join(',')}`).join(' ')}`);
      assert.ok(!devs.find((d) => d !== slave)!.capMask.caps().includes(DmaCap.SLAVE), 'only the slave dma_device has SLAVE');
      assert.equal(slave.directions, (1 << DmaTransferDirection.MEM_TO_DEV) | (1 << DmaTransferDirection.DEV_TO_MEM));
      const chan = eng.dmaRequestChannel(DmaCapMask.of(DmaCap.SLAVE))!; // dma_request_channel, as a kernel client
      assert.equal(chan, slave.channels[0]);
      const buf = allocDmaBuf(1 << 18, { source: 'udmabuf' });
      bufs.push(buf);
      const mem = buf.bytes;
      mem.fill(0);

      // unconfigured, then the wrong direction: refused before anything is queued
      assert.throws(() => dmaenginePrepSlaveSingle(chan, { buf: mem, off: 0 }, 16, DmaTransferDirection.DEV_TO_MEM, 0),
        (e: unknown) => e instanceof DmaEngineError && e.code === 'EINVAL' && /no slave configuration: call dmaengineSlaveConfig/.test(e.message));
      assert.equal(dmaengineSlaveConfig(chan, { direction: DmaTransferDirection.DEV_TO_MEM, srcAddr: 0x1000n, srcAddrWidth: 4, srcMaxburst: 16 }), 0);
      assert.throws(() => dmaenginePrepSlaveSingle(chan, { buf: mem, off: 0 }, 16, DmaTransferDirection.MEM_TO_DEV, 0),
        (e: unknown) => e instanceof DmaEngineError && e.code === 'EINVAL' && /configured for DEV_TO_MEM, this transfer is MEM_TO_DEV/.test(e.message));
      assert.throws(() => dmaengineSlaveConfig(chan, { direction: DmaTransferDirection.DEV_TO_MEM, srcAddrWidth: 3 }), RangeError);
      const memcpyChan = devs.find((d) => d !== slave)!.channels[0]!;
      assert.throws(() => dmaengineSlaveConfig(memcpyChan, { direction: DmaTransferDirection.DEV_TO_MEM, srcAddrWidth: 4 }),
        (e: unknown) => e instanceof DmaEngineError && e.code === 'EOPNOTSUPP');

      // device to memory: a three-entry scatterlist (odd offsets, page crossings), then a
      // single; the source's stream continues across them
      const sgl = [{ buf: mem, off: 3, len: 70001 }, { buf: mem, off: 80000, len: 5 }, { buf: mem, off: 90001, len: 40000 }];
      const tx1 = dmaenginePrepSlaveSg(chan, sgl, 3, DmaTransferDirection.DEV_TO_MEM, 0)!;
      assert.ok(tx1, 'a descriptor for dma-buf memory');
      let called = 0;
      tx1.callbackResult = (_p, r) => { called++; assert.deepEqual([r.result, r.residue], [0, 0]); };
      assert.equal(await complete(tx1), DmaStatus.COMPLETE);
      const tx2 = dmaenginePrepSlaveSingle(chan, { buf: mem, off: 200000 }, 1000, DmaTransferDirection.DEV_TO_MEM, 0)!;
      assert.equal(await complete(tx2), DmaStatus.COMPLETE);
      assert.equal(called, 1);
      let p = 0;
      for (const e of [...sgl, { off: 200000, len: 1000 }]) {
        for (let i = 0; i < e.len; i++, p++) assert.equal(mem[e.off + i], pattern(p), `byte ${p} at ${e.off + i}`);
      }
      assert.deepEqual([mem[0], mem[2], mem[70004], mem[79999], mem[80005], mem[200000 + 1000]], [0, 0, 0, 0, 0, 0], 'nothing outside the entries');

      // plain memory cannot reach the engine: no descriptor (there is no software peripheral)
      assert.equal(dmaenginePrepSlaveSingle(chan, { buf: new Uint8Array(64), off: 0 }, 64, DmaTransferDirection.DEV_TO_MEM, 0), null);

      // memory to device: the sink's count and hash are those of the bytes sent
      assert.equal(dmaengineSlaveConfig(chan, { direction: DmaTransferDirection.MEM_TO_DEV, dstAddr: 0x2000, dstAddrWidth: 8 }), 0);
      for (let i = 0; i < mem.length; i++) mem[i] = (i * 131 + 7) & 0xff;
      const out = [{ buf: mem, off: 4097, len: 100001 }, { buf: mem, off: 150000, len: 33333 }];
      const tx3 = dmaenginePrepSlaveSg(chan, out, 2, DmaTransferDirection.MEM_TO_DEV, 0)!;
      assert.equal(await complete(tx3), DmaStatus.COMPLETE);
      const sent = new Uint8Array([...mem.subarray(4097, 4097 + 100001), ...mem.subarray(150000, 150000 + 33333)]);
      assert.equal(param('sink_bytes'), BigInt(sent.length));
      assert.equal(param('sink_fnv'), fnv(sent));
      eng.dmaReleaseChannel(chan);
    } finally {
      unregisterKernelDevices(devs, eng);
      for (const b of bufs) b.close();
    }
    rmmod('dmae_soft'); // nothing held after unregistering
    reloadSoft(laneSoftParams());
  });

  it('left no oops, WARN or BUG in the kernel log', () => {
    const bad = kmsgSince(mark).filter((l) => /Oops|WARNING|BUG|Call Trace|general protection|KASAN|refcount_t/.test(l));
    assert.deepEqual(bad, []);
  });
});
