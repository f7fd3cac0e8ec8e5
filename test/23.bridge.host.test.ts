// The dmaengine bridge's user-space half on a host without the module: kernelBridgeStatus's
// reasons, registerKernelDevices / KernelBridge refusing with a DmaEngineError that says what
// to do (ENOENT, EACCES, another file), the native handle's argument checks, the batch record
// layout the kernel reads, the dma-buf view registry, and the `dmaengine bridge` commands.
// The bridge for real is tested in the kernel lane (test/kernel/7x.kernel.bridge-*).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BridgeBatch } from '../lib/bridge/batch';
import { bridgeOpenError, KernelBridge } from '../lib/bridge/kernel-bridge';
import { BridgeOp, BridgeOpFlag, OP_SIZE, OPERAND_SIZE } from '../lib/bridge/uapi';
import { runCli } from '../lib/cli/index';
import { allocDmaBuf, dmaBufOfView, pageSize } from '../lib/dmabuf';
import { DmaEngineError } from '../lib/dmaengine/errors';
import { registerKernelDevices, kernelBridgeStatus, describeKernelBridge } from '../lib/index';
import { native } from '../lib/native';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dmaengine-bridge-'));
const errno = (code: string) => Object.assign(new Error(`open: ${code}`), { code, errno: 13, syscall: 'open' });

describe('kernelBridgeStatus()', () => {
  let root = '';
  beforeEach(() => { root = tmp(); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('not built, then built but not loaded, naming the command to run', () => {
    const o = { sys: root, dev: root, kmodDir: root };
    const s = kernelBridgeStatus(o);
    assert.equal(s.loaded, false);
    assert.equal(s.version, null);
    assert.match(s.reason!, /^not built and not loaded \(no .*dmaengine_bridge\): `dmaengine bridge build`/);
    fs.writeFileSync(path.join(root, 'dmaengine_bridge.ko'), '');
    assert.match(kernelBridgeStatus(o).reason!, /^not loaded .*built at .*dmaengine_bridge\.ko; load it with `sudo dmaengine bridge load`/);
    assert.equal(describeKernelBridge(kernelBridgeStatus(o)), kernelBridgeStatus(o).reason);
  });

  it('module loaded without its node; a node without permission; a usable node with its ABI version', () => {
    fs.mkdirSync(path.join(root, 'module', 'dmaengine_bridge'), { recursive: true });
    const o = { sys: root, dev: root, kmodDir: root };
    assert.deepEqual(kernelBridgeStatus(o), { loaded: true, version: null, reason: `module loaded but no ${path.join(root, 'dmaengine_bridge')} (no devtmpfs or udev?)` });
    fs.writeFileSync(path.join(root, 'dmaengine_bridge'), '');
    const denied = kernelBridgeStatus({ ...o, probe: () => { throw bridgeOpenError(errno('EACCES'), 'x'); } });
    assert.equal(denied.loaded, true);
    assert.match(denied.reason!, /^no permission on .*dmaengine_bridge \(EACCES\): run as root, or load with gid=<group>/);
    const ok = kernelBridgeStatus({ ...o, probe: (node) => { assert.equal(node, path.join(root, 'dmaengine_bridge')); return 1; } });
    assert.deepEqual(ok, { loaded: true, version: '1', reason: null });
    assert.equal(describeKernelBridge(ok), 'loaded (ABI version 1)');
  });

  it('the default probe opens the node: a file that is not the bridge is not usable (ENOTTY)', () => {
    fs.mkdirSync(path.join(root, 'module', 'dmaengine_bridge'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dmaengine_bridge'), '');
    const s = kernelBridgeStatus({ sys: root, dev: root, kmodDir: root });
    assert.equal(s.version, null);
    assert.match(s.reason!, /not usable: .*ENOTTY|not usable: .*ioctl/);
  });
});

describe('opening the bridge without the module', () => {
  it('registerKernelDevices() and new KernelBridge() throw DmaEngineError ENOENT saying how to load it', () => {
    const check = (e: unknown) => e instanceof DmaEngineError && e.code === 'ENOENT' &&
      /the dmaengine bridge is not loaded: \/nonexistent\/dmaengine_bridge does not exist .*dmaengine bridge build/.test(e.message);
    assert.throws(() => registerKernelDevices({ path: '/nonexistent/dmaengine_bridge' }), check);
    assert.throws(() => new KernelBridge({ path: '/nonexistent/dmaengine_bridge' }), check);
    if (!fs.existsSync('/dev/dmaengine_bridge')) {
      assert.throws(() => registerKernelDevices(), (e: unknown) => e instanceof DmaEngineError && e.code === 'ENOENT');
    }
  });

  it('EACCES and EPERM name the remedy; a file that is not the bridge is refused (ENOTTY), the fd closed', () => {
    for (const code of ['EACCES', 'EPERM']) {
      const e = bridgeOpenError(errno(code), '/dev/dmaengine_bridge');
      assert.ok(e instanceof DmaEngineError);
      assert.equal(e.code, code);
      assert.match(e.message, /permission denied opening \/dev\/dmaengine_bridge: run as root, or load the module with `gid=<group>`/);
    }
    assert.match(bridgeOpenError(errno('EPROTO'), '/dev/x').message, /another ABI/);
    assert.throws(() => new KernelBridge({ path: '/dev/null' }), (e: unknown) => e instanceof DmaEngineError && e.code === 'ENOTTY');
  });

  it('checks its arguments before opening anything', () => {
    assert.throws(() => registerKernelDevices({ model: 'both' as never }), { name: 'RangeError', message: /"options.model"/ });
    assert.throws(() => registerKernelDevices({ channels: ['dma0chan0'] }), { name: 'RangeError', message: /"options.channels"/ });
    assert.throws(() => registerKernelDevices({ devices: 'x' as never }), { name: 'TypeError', message: /"options.devices"/ });
    assert.throws(() => registerKernelDevices({ ringEntries: 8 }), { name: 'RangeError', message: /"options.ringEntries"/ });
    const H = native().KernelBridgeHandle;
    assert.throws(() => new H(5 as never, 0, null), { name: 'TypeError', message: /"path"/ });
    assert.throws(() => new H('/dev/null', 17, () => {}), { name: 'RangeError', message: /"ringEntries"/ });
    assert.throws(() => new H('/dev/null', 16, null), { name: 'TypeError', message: /"onBatch"/ });
    assert.throws(() => new H('/dev/null', 1 << 20, () => {}), { name: 'RangeError', message: /"ringEntries"/ });
  });
});

describe('bridge batch records', () => {
  it('lays out struct dmabridge_op (40 bytes) and dmabridge_operand (16 bytes) as the UAPI header does', () => {
    const b = new BridgeBatch();
    b.add(7, BridgeOp.MEMCPY, BridgeOpFlag.COMPLETION, 4096, 0, [{ buf: 3, offset: 64 }, { buf: 4, offset: 2 ** 33 + 5 }]);
    b.add(0xfffffffe, BridgeOp.PQ, BridgeOpFlag.PQ_DISABLE_Q, 2 ** 32 + 1, 0,
      [{ buf: 5, offset: 0 }, { buf: 0, offset: 0 }, { buf: 6, offset: 8, coef: 0x8e }]);
    assert.equal(b.nops, 2);
    assert.equal(b.noperands, 5);
    const op = new DataView(b.ops.buffer, OP_SIZE);
    assert.equal(op.getUint32(0, true), 0xfffffffe);
    assert.equal(op.getBigUint64(8, true), 2n ** 32n + 1n);
    assert.deepEqual([16, 20, 24, 28, 32, 36].map((o) => op.getUint32(o, true)), [BridgeOp.PQ, BridgeOpFlag.PQ_DISABLE_Q, 2, 3, 0, 0]);
    const od = new DataView(b.operands.buffer);
    assert.equal(od.getBigUint64(OPERAND_SIZE + 0, true), 2n ** 33n + 5n);
    assert.equal(od.getUint32(OPERAND_SIZE + 8, true), 4);
    assert.equal(od.getUint8(4 * OPERAND_SIZE + 12), 0x8e);
    assert.deepEqual([13, 14, 15].map((i) => od.getUint8(4 * OPERAND_SIZE + i)), [0, 0, 0]);
    for (let i = 0; i < 2000; i++) b.add(i, BridgeOp.INTERRUPT, 0, 0, 0, []);
    assert.equal(b.fits(0), false, 'more than 1024 operations do not fit one submit');
  });
});

describe('dma-buf view registry', () => {
  it('finds the DmaBuf and offset of a view into a mapping, and nothing for other memory', () => {
    const PAGE = pageSize();
    const d = allocDmaBuf(2 * PAGE, { source: 'memfd' });
    try {
      const v = d.bytes.subarray(PAGE + 3, PAGE + 10);
      const got = dmaBufOfView(v)!;
      assert.equal(got.dmabuf, d);
      assert.equal(got.offset, PAGE + 3);
      assert.equal(dmaBufOfView(new Uint8Array(16)), null);
      assert.equal(dmaBufOfView(Buffer.from(d.bytes.subarray(0, 8))), null, 'a copy is not the mapping');
    } finally {
      d.close();
    }
  });
});

describe('dmaengine bridge (CLI)', () => {
  it('status says why the bridge is not usable and exits 1; --json has the same fields', async () => {
    const root = tmp();
    try {
      const r = await runCli(['bridge', 'status', '--sys', root, '--dev', root]);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^bridge: not (built and not )?loaded/);
      const j = await runCli(['bridge', 'status', '--json', '--sys', root, '--dev', root]);
      const parsed = JSON.parse(j.stdout) as Record<string, unknown>;
      assert.deepEqual(Object.keys(parsed).sort(), ['channels', 'loaded', 'reason', 'version']);
      assert.equal(parsed.loaded, false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('build without kernel headers, load without a built module: a clear message, status 1', async () => {
    const b = await runCli(['bridge', 'build', '--kdir', '/nonexistent/build']);
    assert.equal(b.status, 1);
    assert.match(b.stderr, /no kernel build tree at \/nonexistent\/build: install the headers of the running kernel/);
    const l = await runCli(['bridge', 'load', '--ko', '/nonexistent/dmaengine_bridge.ko']);
    assert.equal(l.status, 1);
    assert.match(l.stderr, /\/nonexistent\/dmaengine_bridge\.ko does not exist: run `dmaengine bridge build` first/);
    const p = await runCli(['bridge', 'load', '--ko', __filename, 'gid=1;rm']);
    assert.match(p.stderr, /"gid=1;rm" is not a module parameter/);
  });
});
