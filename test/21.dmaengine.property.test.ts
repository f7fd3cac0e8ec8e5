/**
 * Property test: random sequences of register, unregister, get, put, request and release keep
 * the allocator's invariants, checked against a small reference model of who holds what.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DmaCap, DmaCapMask, TABLE_CAPS } from '../lib/dmaengine/caps';
import type { DmaChan } from '../lib/dmaengine/channel';
import { DmaBugError, DmaEngineError, ERRNO } from '../lib/dmaengine/errors';
import { type DmaEngine, createDmaEngine } from '../lib/dmaengine/instance';
import { DmaStateClient } from '../lib/dmaengine/status';
import { createPlainDevice, type PlainDevice } from '../lib/providers/plain';

const CAPS = [DmaCap.MEMCPY, DmaCap.XOR, DmaCap.MEMSET];

type Cmd =
  | { t: 'register'; caps: DmaCap[]; n: number; priv: boolean; node: number; broken: boolean }
  | { t: 'unregister'; i: number; force: boolean }
  | { t: 'get' }
  | { t: 'put' }
  | { t: 'request'; cap: DmaCap; filter: 0 | 1 | 2 }
  | { t: 'release'; i: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('register' as const), caps: fc.subarray(CAPS, { minLength: 1 }),
    n: fc.integer({ min: 1, max: 3 }), priv: fc.boolean(), node: fc.integer({ min: -1, max: 1 }),
    broken: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('unregister' as const), i: fc.nat(), force: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ t: 'get' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'put' as const }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('request' as const), cap: fc.constantFrom(...CAPS),
    filter: fc.constantFrom(0 as const, 1 as const, 2 as const) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('release' as const), i: fc.nat() }) },
);

const FILTERS = [
  null,
  (c: DmaChan) => c.chanId === 1,
  (c: DmaChan) => (c.chanId % 2 === 0 ? DmaStateClient.ACK : DmaStateClient.NAK),
];

/** The reference model: who should hold what. */
class Model {
  devices: { dev: PlainDevice; caps: DmaCap[]; born: boolean; held: number }[] = [];
  refCount = 0;
  held = new Set<DmaChan>();
  stale = new Set<DmaChan>(); // public channels left without references by a release
  broken = new Set<DmaChan>(); // channels whose resources can never be allocated

  isPrivate(d: Model['devices'][number]): boolean { return d.born || d.held > 0; }
  owner(c: DmaChan): Model['devices'][number] { return this.devices.find((d) => d.dev.channels.includes(c as never))!; }
  expected(c: DmaChan): number {
    if (this.broken.has(c)) return 0;
    if (this.held.has(c)) return 1;
    if (this.isPrivate(this.owner(c))) return 0;
    return this.stale.has(c) ? 0 : this.refCount;
  }
  wouldRequest(cap: DmaCap, filter: number): DmaChan | null {
    for (const d of this.devices) {
      if (!d.caps.includes(cap)) continue;
      const chans = d.dev.channels as DmaChan[];
      if (chans.length > 1 && !this.isPrivate(d) && chans.some((c) => this.expected(c) > 0)) continue;
      for (const c of chans) {
        if (this.expected(c) > 0) continue;
        const f = FILTERS[filter];
        const ok = f === null || f === undefined ? true : ((a) => a === true || a === DmaStateClient.ACK)(f(c));
        if (!ok) continue;
        if (this.broken.has(c)) break; // the allocation fails: undone, the next device is tried
        return c;
      }
    }
    return null;
  }
}

function snapshot(eng: DmaEngine): string {
  return JSON.stringify({
    ref: eng.dmaengineRefCount,
    rb: eng.rebalances,
    table: eng.channelTable(),
    devs: eng.devices.map((d) => [d.devId, d.capMask.bits, d.privatecnt,
      d.channels.map((c) => [c.name, c.clientCount, c.tableCount, c.exclusive])]),
  });
}

function checkInvariants(eng: DmaEngine, m: Model, rebuilt: boolean): void {
  const chans = m.devices.flatMap((d) => d.dev.channels as DmaChan[]);
  // 1. clientCount equals the references held
  for (const c of chans) assert.equal(c.clientCount, m.expected(c), `${c.name} clientCount`);
  const table = new Map<DmaCap, (DmaChan | null)[]>();
  for (const cap of TABLE_CAPS) table.set(cap, Array.from({ length: eng.cpus }, (_, cpu) => eng.dmaFindChannel(cap, cpu)));
  if (m.refCount > 0) {
    for (const [cap, row] of table) {
      for (const c of row) {
        if (c === null) continue;
        // 2. no channel both exclusively held and in the table; entries are live public channels
        assert.ok(!m.held.has(c), `${c.name} is exclusively held and in the table`);
        assert.ok(chans.includes(c), `${c.name} in the table is not registered`);
        const d = m.owner(c);
        assert.ok(!m.isPrivate(d) && d.caps.includes(cap) && c.clientCount > 0, `${c.name} is not eligible for cap ${cap}`);
      }
    }
  }
  if (rebuilt) {
    // 3. right after a rebuild: every capability with an eligible channel has an entry for every CPU
    let slots = 0;
    for (const [cap, row] of table) {
      const eligible = m.refCount > 0 && chans.some((c) => !m.isPrivate(m.owner(c)) && m.owner(c).caps.includes(cap) && c.clientCount > 0);
      for (const c of row) {
        assert.equal(c !== null, eligible, `cap ${cap}: entry ${c?.name ?? 'null'} vs eligible ${eligible}`);
        if (c !== null) slots++;
      }
    }
    assert.equal(chans.reduce((s, c) => s + c.tableCount, 0), slots, 'tableCount sums to the slots filled');
  }
}

const seen: Record<string, number> = {};
function saw(what: string): void { seen[what] = (seen[what] ?? 0) + 1; }

function step(eng: DmaEngine, m: Model, c: Cmd): void {
  const before = snapshot(eng);
  const rb = eng.rebalances;
  const unchanged = (): void => assert.equal(snapshot(eng), before, `${c.t} must change nothing`);
  switch (c.t) {
    case 'register': {
      const dev = createPlainDevice({ caps: c.caps, channels: c.n, private: c.priv, numaNode: c.node });
      if (c.broken) {
        const alloc = dev.deviceAllocChanResources.bind(dev);
        dev.deviceAllocChanResources = (ch) => (ch === dev.channels[0] ? -ERRNO.ENOMEM : alloc(ch));
        m.broken.add(dev.channels[0]!);
      }
      eng.dmaAsyncDeviceRegister(dev);
      m.devices.push({ dev, caps: c.caps, born: c.priv, held: 0 });
      break;
    }
    case 'unregister': {
      if (m.devices.length === 0) return;
      const d = m.devices[c.i % m.devices.length]!;
      const busy = (d.dev.channels as DmaChan[]).some((x) => x.clientCount > 0);
      if (busy && !c.force) {
        assert.throws(() => eng.dmaAsyncDeviceUnregister(d.dev), (e: unknown) => e instanceof DmaEngineError && e.code === 'EBUSY');
        saw('unregister refused (EBUSY)');
        unchanged();
        return;
      }
      eng.dmaAsyncDeviceUnregister(d.dev, { force: c.force });
      saw(busy ? 'forced unregister in use' : 'unregister');
      for (const x of d.dev.channels) { m.held.delete(x); m.stale.delete(x); }
      m.devices = m.devices.filter((e) => e !== d);
      break;
    }
    case 'get':
      eng.dmaengineGet();
      m.refCount++;
      m.stale.clear();
      break;
    case 'put':
      if (m.refCount === 0) {
        assert.throws(() => eng.dmaenginePut(), DmaBugError);
        unchanged();
        return;
      }
      eng.dmaenginePut();
      m.refCount--;
      if (m.refCount === 0) m.stale.clear();
      break;
    case 'request': {
      const want = m.wouldRequest(c.cap, c.filter);
      const got = eng.dmaRequestChannel(DmaCapMask.of(c.cap), FILTERS[c.filter]);
      assert.equal(got?.name ?? null, want?.name ?? null, 'request chose the model\'s channel');
      if (got === null) { saw('request: none'); unchanged(); return; }
      saw('request: got one');
      m.held.add(got);
      m.owner(got).held++;
      break;
    }
    case 'release': {
      const held = [...m.held];
      if (held.length === 0) {
        const any = m.devices.flatMap((d) => d.dev.channels as DmaChan[]);
        if (any.length === 0) return;
        assert.throws(() => eng.dmaReleaseChannel(any[c.i % any.length]!), DmaBugError);
        unchanged();
        return;
      }
      const chan = held[c.i % held.length]!;
      eng.dmaReleaseChannel(chan);
      m.held.delete(chan);
      const d = m.owner(chan);
      d.held--;
      if (!m.isPrivate(d) && m.refCount > 0) { saw('release into the RFC caveat'); for (const x of d.dev.channels) m.stale.add(x); }
      saw('release');
      break;
    }
  }
  checkInvariants(eng, m, eng.rebalances !== rb);
}

describe('dmaengine allocator properties (fast-check)', () => {
  for (const policy of ['min_chan', 'nth_chan'] as const) {
    it(`${policy}: random register/unregister/get/put/request/release keep the invariants`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 4, maxLength: 4 }),
          fc.array(cmd, { minLength: 10, maxLength: 60 }), (cpus, nodes, cmds) => {
            const eng = createDmaEngine({ policy, cpus, cpuToNode: nodes });
            const m = new Model();
            for (const c of cmds) step(eng, m, c);
          }),
        { seed: 20081021, numRuns: 300 },
      );
      // say what the runs exercised, so a generator that stops reaching a path is noticed
      console.log(`      exercised: ${Object.entries(seen).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      for (const path of ['unregister refused (EBUSY)', 'forced unregister in use', 'request: got one', 'release into the RFC caveat']) {
        assert.ok((seen[path] ?? 0) > 0, `the random sequences never reached "${path}"`);
      }
      for (const k of Object.keys(seen)) delete seen[k];
    });
  }
});
