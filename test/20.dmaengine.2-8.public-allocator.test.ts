import assert from 'node:assert/strict';
import { DmaCap, DmaCapMask } from '../lib/dmaengine/caps';
import type { DmaChan } from '../lib/dmaengine/channel';
import { createDmaEngine } from '../lib/dmaengine/instance';
import * as core from '../lib/dmaengine/index';
import { createPlainDevice, type PlainDevice } from '../lib/providers/plain';
import { machineCpuToNode, parseCpuList } from '../lib/dmaengine/topology';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

function names(eng: ReturnType<typeof createDmaEngine>, cap: DmaCap): (string | null)[] {
  return Array.from({ length: eng.cpus }, (_, cpu) => eng.dmaFindChannel(cap, cpu)?.name ?? null);
}

/** A(MEMCPY+XOR, 1 chan), B(XOR, 1 chan), C(XOR, 1 chan): where nth_chan and min_chan differ. */
function threeDevices(eng: ReturnType<typeof createDmaEngine>): PlainDevice[] {
  const devs = [
    createPlainDevice({ name: 'A', caps: [DmaCap.MEMCPY, DmaCap.XOR] }),
    createPlainDevice({ name: 'B', caps: [DmaCap.XOR] }),
    createPlainDevice({ name: 'C', caps: [DmaCap.XOR] }),
  ];
  for (const d of devs) eng.dmaAsyncDeviceRegister(d);
  return devs;
}

describe('§2.8 public allocator', () => {
  describe('invalid arguments', () => {
    it('createDmaEngine names bad options', () => {
      assert.throws(() => createDmaEngine({ policy: 'round_robin' as never }), { name: 'RangeError', message: /"options.policy"/ });
      assert.throws(() => createDmaEngine({ cpus: 0 }), { name: 'RangeError', message: /"options.cpus"/ });
      assert.throws(() => createDmaEngine({ cpus: 2, cpuToNode: 3 as never }), { name: 'TypeError', message: /"options.cpuToNode"/ });
      assert.throws(() => createDmaEngine({ cpus: 2, cpuToNode: () => -1 }), { name: 'RangeError', message: /cpuToNode\(0\)/ });
    });
    it('dmaFindChannel names a bad cpu', () => {
      const eng = createDmaEngine({ cpus: 2 });
      assert.throws(() => eng.dmaFindChannel(DmaCap.MEMCPY, 2), { name: 'RangeError', message: 'Expected "cpu" to be an integer between 0 and 1 but received 2' });
      assert.throws(() => eng.dmaFindChannel(DmaCap.MEMCPY, 0.5), { name: 'TypeError', message: /"cpu"/ });
    });
  });

  it('the table is empty with no public client and filled on the first dmaengineGet', () => {
    const eng = createDmaEngine({ cpus: 2 });
    const d = createPlainDevice({ channels: 2 });
    eng.dmaAsyncDeviceRegister(d);
    assert.deepEqual(names(eng, DmaCap.MEMCPY), [null, null]);
    eng.dmaengineGet();
    assert.deepEqual(names(eng, DmaCap.MEMCPY), ['dma0chan0', 'dma0chan1']);
    assert.equal(eng.dmaFindChannel(DmaCap.INTERRUPT, 0), null, 'no table for INTERRUPT');
    assert.equal(eng.dmaFindChannel(DmaCap.XOR, 0), null, 'no channel with the capability');
  });

  it('rebuilt only on the first get and on register/unregister', () => {
    const eng = createDmaEngine({ cpus: 2 });
    const a = createPlainDevice({ channels: 1 });
    const b = createPlainDevice({ channels: 1 });
    let n = eng.rebalances;
    eng.dmaAsyncDeviceRegister(a); assert.equal(eng.rebalances, ++n);
    eng.dmaengineGet(); assert.equal(eng.rebalances, ++n);
    eng.dmaengineGet(); assert.equal(eng.rebalances, n, 'second get');
    eng.dmaenginePut(); assert.equal(eng.rebalances, n, 'put');
    eng.dmaenginePut(); assert.equal(eng.rebalances, n, 'last put');
    assert.equal(eng.dmaFindChannel(DmaCap.MEMCPY, 0), a.channels[0], 'stale entry after the last put, as in the kernel');
    const c = eng.dmaRequestChannel(DmaCapMask.of(DmaCap.MEMCPY));
    assert.equal(eng.rebalances, n, 'request');
    eng.dmaReleaseChannel(c!); assert.equal(eng.rebalances, n, 'release');
    eng.dmaAsyncDeviceRegister(b); assert.equal(eng.rebalances, ++n);
    eng.dmaAsyncDeviceUnregister(b); assert.equal(eng.rebalances, ++n);
    eng.dmaengineGet(); assert.equal(eng.rebalances, n + 1, 'first get again');
  });

  it('min_chan: least-used channel, ties to list order, table_count counts slots', () => {
    const eng = createDmaEngine({ cpus: 2, policy: 'min_chan', cpuToNode: [0, 0] });
    const [a, b, c] = threeDevices(eng);
    eng.dmaengineGet();
    assert.deepEqual(names(eng, DmaCap.MEMCPY), ['dma0chan0', 'dma0chan0']);
    assert.deepEqual(names(eng, DmaCap.XOR), ['dma1chan0', 'dma2chan0']);
    assert.deepEqual([a, b, c].map((d) => d!.channels[0]!.tableCount), [2, 1, 1]);
  });

  it('min_chan: NUMA-local first (node -1 is local everywhere), else the global least-used', () => {
    const eng = createDmaEngine({ cpus: 4, cpuToNode: [0, 0, 1, 1] });
    const n1 = createPlainDevice({ name: 'n1', numaNode: 1 });
    const n0 = createPlainDevice({ name: 'n0', numaNode: 0 });
    eng.dmaAsyncDeviceRegister(n1);
    eng.dmaAsyncDeviceRegister(n0);
    eng.dmaengineGet();
    assert.deepEqual(names(eng, DmaCap.MEMCPY), ['dma1chan0', 'dma1chan0', 'dma0chan0', 'dma0chan0']);
    const far = createDmaEngine({ cpus: 2, cpuToNode: [0, 1] });
    const only = createPlainDevice({ numaNode: 1, channels: 1 });
    far.dmaAsyncDeviceRegister(only);
    far.dmaengineGet();
    assert.deepEqual(names(far, DmaCap.MEMCPY), ['dma0chan0', 'dma0chan0'], 'cpu0 has no local channel: global least-used');
    const any = createDmaEngine({ cpus: 2, cpuToNode: [0, 1] });
    const everywhere = createPlainDevice({ numaNode: -1, channels: 2 });
    any.dmaAsyncDeviceRegister(everywhere);
    any.dmaengineGet();
    assert.deepEqual(names(any, DmaCap.MEMCPY), ['dma0chan0', 'dma0chan1']);
  });

  it('nth_chan: one counter across every (cap, cpu) pair, least-used past the end', () => {
    const eng = createDmaEngine({ cpus: 2, policy: 'nth_chan' });
    const [a, b, c] = threeDevices(eng);
    eng.dmaengineGet();
    // pairs: (MEMCPY,0) n=0 → A; (MEMCPY,1) n=1 past the end → A; (XOR,0) n=2 → C; (XOR,1) n=3 → least-used B
    assert.deepEqual(names(eng, DmaCap.MEMCPY), ['dma0chan0', 'dma0chan0']);
    assert.deepEqual(names(eng, DmaCap.XOR), ['dma2chan0', 'dma1chan0']);
    assert.deepEqual([a, b, c].map((d) => d!.channels[0]!.tableCount), [2, 1, 1]);
  });

  it('nth_chan: the counter is not reset per capability', () => {
    const eng = createDmaEngine({ cpus: 2, policy: 'nth_chan' });
    const a = createPlainDevice({ name: 'A', channels: 2, caps: [DmaCap.MEMCPY, DmaCap.XOR] });
    const b = createPlainDevice({ name: 'B', channels: 1, caps: [DmaCap.MEMCPY, DmaCap.XOR] });
    eng.dmaAsyncDeviceRegister(a);
    eng.dmaAsyncDeviceRegister(b);
    eng.dmaengineGet();
    assert.deepEqual(names(eng, DmaCap.MEMCPY), ['dma0chan0', 'dma0chan1']);
    // reset per cap would give XOR = [dma0chan0, dma0chan1]; the kernel's counter is at 2 and 3
    assert.deepEqual(names(eng, DmaCap.XOR), ['dma1chan0', 'dma0chan0']);
  });

  it('nth_chan on a uniprocessor: always the least-used channel', () => {
    const mk = (cpus: number): (string | null)[] => {
      const eng = createDmaEngine({ cpus, policy: 'nth_chan' });
      eng.dmaAsyncDeviceRegister(createPlainDevice({ name: 'X', caps: [DmaCap.XOR] }));
      eng.dmaAsyncDeviceRegister(createPlainDevice({ name: 'B', channels: 2, caps: [DmaCap.MEMCPY, DmaCap.XOR] }));
      eng.dmaengineGet();
      return [eng.dmaFindChannel(DmaCap.MEMCPY, 0)!.name, eng.dmaFindChannel(DmaCap.XOR, 0)!.name];
    };
    // cpus=1: MEMCPY → B0 (least used); XOR → X (B0 already used once)
    assert.deepEqual(mk(1), ['dma1chan0', 'dma0chan0']);
    // cpus=2 for contrast: (XOR,0) is pair n=2 → the third eligible channel, B1
    assert.deepEqual(mk(2), ['dma1chan0', 'dma1chan1']);
  });

  it('dmaFindChannel without a CPU answers for the calling CPU', () => {
    const eng = createDmaEngine({ cpus: 1 });
    eng.dmaAsyncDeviceRegister(createPlainDevice({}));
    eng.dmaengineGet();
    assert.equal(eng.dmaFindChannel(DmaCap.MEMCPY)?.name, 'dma0chan0');
    let cpu = 37;
    const wide = createDmaEngine({ cpus: 64, currentCpu: () => cpu });
    const d = createPlainDevice({ channels: 64 });
    wide.dmaAsyncDeviceRegister(d);
    wide.dmaengineGet();
    assert.equal(wide.dmaFindChannel(DmaCap.MEMCPY), d.channels[37], 'the injected CPU');
    cpu = 64 + 5;
    assert.equal(wide.dmaFindChannel(DmaCap.MEMCPY), d.channels[5], 'folded into the table');
    cpu = -1;
    assert.throws(() => wide.dmaFindChannel(DmaCap.MEMCPY), /options\.currentCpu\(\)/);
    // Without a source the core reads no hardware: CPU 0.
    const bare = createDmaEngine({ cpus: 64 });
    bare.dmaAsyncDeviceRegister(createPlainDevice({ channels: 64 }));
    bare.dmaengineGet();
    assert.equal(bare.dmaFindChannel(DmaCap.MEMCPY)?.name, bare.devices[0]!.channels[0]!.name);
  });

  it('dmaIssuePendingAll rings every referenced public channel, not private or unreferenced ones', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const rung: string[] = [];
    const mk = (opts: object): PlainDevice => {
      const d = createPlainDevice(opts);
      d.deviceIssuePending = (ch: DmaChan) => { rung.push(ch.name); };
      eng.dmaAsyncDeviceRegister(d);
      return d;
    };
    mk({ channels: 2 });
    mk({ private: true });
    eng.dmaIssuePendingAll();
    assert.deepEqual(rung, []);
    eng.dmaengineGet();
    eng.dmaIssuePendingAll();
    assert.deepEqual(rung, ['dma0chan0', 'dma0chan1']);
  });

  it('topology: cpulists parse, and the CPU → node map is read from sysfs', () => {
    assert.deepEqual(parseCpuList('0-3,8,10-11\n'), [0, 1, 2, 3, 8, 10, 11]);
    assert.deepEqual(parseCpuList(''), []);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dmaengine-node-'));
    try {
      fs.mkdirSync(path.join(root, 'node0'));
      fs.mkdirSync(path.join(root, 'node1'));
      fs.writeFileSync(path.join(root, 'node0/cpulist'), '0-1\n');
      fs.writeFileSync(path.join(root, 'node1/cpulist'), '2-3\n');
      const toNode = machineCpuToNode(root);
      assert.deepEqual([0, 1, 2, 3, 4].map(toNode), [0, 0, 1, 1, 0]);
      assert.deepEqual([0, 5].map(machineCpuToNode(path.join(root, 'missing'))), [0, 0]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
    const eng = createDmaEngine();
    assert.equal(eng.cpus, os.availableParallelism());
    assert.equal(eng.nodes.length, eng.cpus);
  });

  it('the free functions act on one default instance', () => {
    const eng = core.defaultDmaEngine();
    assert.equal(core.defaultDmaEngine(), eng);
    assert.equal(eng.policy, 'min_chan');
    const d = createPlainDevice({});
    core.dmaAsyncDeviceRegister(d);
    try {
      core.dmaengineGet();
      assert.equal(core.dmaFindChannel(DmaCap.MEMCPY, 0), d.channels[0]);
      assert.ok(core.listChannels().some((c) => c.name === d.channels[0]!.name && c.in_use === 1));
      core.dmaenginePut();
    } finally {
      core.dmaAsyncDeviceUnregister(d);
    }
    assert.equal(eng.devices.length, 0);
  });
});
