// The dmaengine bridge (native/kmod, /dev/dmaengine_bridge) on dmae_soft channels, driven by
// the C++ test program built on the host (test/kernel/bridge, native/bridge): operations
// against a CPU reference on udmabuf, heap and bridge-allocated buffers, faults, terminate,
// close with 10^4 operations in flight, the DMA driver pinned, both channel models, the
// alignment refusals, slave transfers both ways, the node's permissions and a 10^5-call ioctl fuzzer; afterwards the
// kernel log must hold no oops, WARN or BUG.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { requireGuest, insmod, rmmod, moduleDir, moduleLoaded, kmsgMark, kmsgSince } from './lane';

const laneSoftParams = () => (process.env.LANE_SOFT_PARAMS ?? '').split(/\s+/).filter(Boolean);
const bin = () => join(moduleDir(), 'dmabridge_test');

/** Runs one subcommand; prints its lines; throws with its output when it fails. */
function run(args: string[], opts: { uid?: number; gid?: number } = {}): { status: number; out: string } {
  try {
    const out = execFileSync(bin(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    process.stdout.write(out.split('\n').filter(Boolean).map((l) => `      ${l}\n`).join(''));
    return { status: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout?: string; stderr?: string };
    return { status: err.status ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

function ok(args: string[]): string {
  const r = run(args);
  assert.equal(r.status, 0, `dmabridge_test ${args.join(' ')} failed:\n${r.out}`);
  assert.match(r.out, new RegExp(`^ok ${args[0]}$`, 'm'));
  return r.out;
}

function reloadSoft(extra: string[]): void {
  if (moduleLoaded('dmae_soft')) rmmod('dmae_soft');
  insmod(join(moduleDir(), 'dmae_soft.ko'), [...laneSoftParams(), ...extra]);
}

function reloadBridge(params: string[]): void {
  if (moduleLoaded('dmaengine_bridge')) rmmod('dmaengine_bridge');
  insmod(join(moduleDir(), 'dmaengine_bridge.ko'), params);
}

describe('dmaengine bridge (guest)', function () {
  let mark = -1;
  before(function () {
    requireGuest(this);
    assert.ok(existsSync(bin()), `${bin()} missing: scripts/kernel-lane/build-modules.sh builds it`);
    assert.ok(existsSync('/dev/dmaengine_bridge'), 'the lane loads dmaengine_bridge.ko');
    mark = kmsgMark();
  });
  after(function () {
    if (process.env.KERNEL_LANE !== '1') return;
    reloadSoft([]);
    if (!moduleLoaded('dmaengine_bridge')) reloadBridge([]);
  });

  it('enumerates channels, requests them exclusively (by name, device, caps) and shared', () => {
    ok(['models']);
  });

  it('runs memcpy/memset/xor/xor_val/pq/pq_val on an exclusive channel, matching the CPU, on udmabuf, heap and bridge buffers', () => {
    ok(['ops', 'exclusive', 'udmabuf', 'heap', 'alloc', 'alloc-contig']);
  });

  it('runs the same on a shared (dmaengine_get) channel', () => {
    ok(['ops', 'shared', 'udmabuf', 'alloc']);
  });

  it('reports injected engine faults per operation (-EIO, result, residue)', () => {
    ok(['faults']);
  });

  it('terminates mid-flight: every operation ends, ran or cancelled; the channel works after', () => {
    ok(['terminate']);
  });

  it('closes an fd with 10^4 operations in flight (exclusive: terminate; shared: wait)', () => {
    ok(['close', 'exclusive']);
    ok(['close', 'shared']);
  });

  it('keeps dmae_soft loaded while a channel is held (rmmod refused), lets it go after release', () => {
    ok(['rmmod']);
    assert.ok(moduleLoaded('dmae_soft'));
  });

  it('cannot be unloaded while an fd is open', () => {
    assert.ok(moduleLoaded('dmaengine_bridge'));
    // The test program holds the fd while rmmod runs: "models" is short, so use a shell.
    const sh = `exec 3<>/dev/dmaengine_bridge && ! ${process.env.LANE_BUSYBOX} rmmod dmaengine_bridge && exec 3>&- && ${process.env.LANE_BUSYBOX} rmmod dmaengine_bridge`;
    execFileSync('/bin/sh', ['-c', sh], { stdio: 'ignore' });
    assert.equal(moduleLoaded('dmaengine_bridge'), false);
    reloadBridge([]);
  });

  it('refuses per operation (EINVAL) what the device alignment forbids', () => {
    reloadSoft(['align=3']);
    try {
      ok(['align']);
    } finally {
      reloadSoft([]);
    }
  });

  it('moves data device-to-memory and memory-to-device on an exclusive slave channel', () => {
    reloadSoft(['slave_channels=1']);
    try {
      ok(['slave']);
    } finally {
      reloadSoft([]);
    }
  });

  it('is root-only by default; gid= opens it to a group', () => {
    let st = statSync('/dev/dmaengine_bridge');
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(run(['access'], { uid: 65534, gid: 65534 }).status, 3, 'EACCES for nobody');
    reloadBridge(['gid=65534']);
    try {
      st = statSync('/dev/dmaengine_bridge');
      assert.equal(st.mode & 0o777, 0o660);
      assert.equal(st.gid, 65534);
      assert.equal(run(['access'], { uid: 65534, gid: 65534 }).status, 0, 'group member opens it');
    } finally {
      reloadBridge([]);
    }
  });

  it('survives 10^5 random ioctls', () => {
    ok(['fuzz', '100000', '4242']);
  });

  it('left no oops, WARN or BUG in the kernel log', () => {
    const bad = kmsgSince(mark).filter((l) => /Oops|WARNING|BUG|Call Trace|general protection|KASAN|refcount_t/.test(l));
    assert.deepEqual(bad, []);
  });
});
