import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DmaCap, DmaCapMask } from '../lib/dmaengine/caps';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { dmaAddr } from '../lib/dmaengine/status';
import { describeKernelDma, readKernelDma, readKernelDmaSummary } from '../lib/providers/kernel';
import { createPlainDevice } from '../lib/providers/plain';

/** A fake /sys: devices/pci0000:00/0000:00:04.{0,1}/dma/dma<N>chan<M>, class/dma links, drivers. */
function fakeSysfs(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dmaengine-sysfs-'));
  const drv = path.join(root, 'bus/pci/drivers/ioatdma');
  fs.mkdirSync(drv, { recursive: true });
  const cls = path.join(root, 'class/dma');
  fs.mkdirSync(cls, { recursive: true });
  const chans: Array<[string, string, number, number, number]> = [
    ['0000:00:04.0', 'dma0chan0', 2, 10, 40960],
    ['0000:00:04.0', 'dma0chan1', 0, 0, 0],
    ['0000:00:04.1', 'dma1chan0', 1, 0, 0],
    ['0000:00:04.0', 'dma0chan10', 0, 0, 0],
  ];
  for (const [dev, name, inUse, count, bytes] of chans) {
    const devDir = path.join(root, 'devices/pci0000:00', dev);
    const chanDir = path.join(devDir, 'dma', name);
    fs.mkdirSync(chanDir, { recursive: true });
    if (!fs.existsSync(path.join(devDir, 'driver'))) fs.symlinkSync(drv, path.join(devDir, 'driver'));
    fs.symlinkSync(devDir, path.join(chanDir, 'device'));
    fs.writeFileSync(path.join(chanDir, 'in_use'), `${inUse}\n`);
    fs.writeFileSync(path.join(chanDir, 'memcpy_count'), `${count}\n`);
    fs.writeFileSync(path.join(chanDir, 'bytes_transferred'), `${bytes}\n`);
    fs.symlinkSync(chanDir, path.join(cls, name));
  }
  // a channel being torn down: attribute unreadable (here: missing)
  fs.unlinkSync(path.join(root, 'devices/pci0000:00/0000:00:04.1/dma/dma1chan0/memcpy_count'));
  fs.writeFileSync(path.join(root, 'summary'), 'dma0 (0000:00:04.0): number of channels: 3\n dma0chan0    | in-use\n');
  return root;
}

describe('§3 /sys/class/dma and the debugfs summary', () => {
  describe('invalid arguments', () => {
    it('readKernelDma names a bad root', () => {
      assert.throws(() => readKernelDma(5 as never), { name: 'TypeError', message: /"root"/ });
    });
  });

  it('listChannels: in_use, memcpy_count, bytes_transferred and the device, per channel', async () => {
    const eng = createDmaEngine({ cpus: 1 });
    const a = createPlainDevice({ name: '0000:00:04.0', channels: 2 });
    const b = createPlainDevice({ name: 'idxd/dsa0', private: true });
    eng.dmaAsyncDeviceRegister(a);
    eng.dmaAsyncDeviceRegister(b);
    eng.dmaengineGet();
    eng.dmaengineGet();
    const held = eng.dmaRequestChannel(DmaCapMask.of(DmaCap.MEMCPY))!;
    const src = new Uint8Array(1000);
    const cookie = eng.dmaengineSubmit(a.devicePrepDmaMemcpy(a.channels[1]!, dmaAddr(new Uint8Array(1000)), dmaAddr(src), 1000, 0)!);
    eng.dmaSyncWait(a.channels[1]!, cookie);
    const rows = eng.listChannels().map((c) => [c.name, c.in_use, c.memcpy_count, c.bytes_transferred, c.device, c.exclusive]);
    assert.deepEqual(rows, [
      ['dma0chan0', 2, 0, 0, '0000:00:04.0', false],
      ['dma0chan1', 2, 1, 1000, '0000:00:04.0', false],
      ['dma1chan0', 1, 0, 0, 'idxd/dsa0', true],
    ]);
    assert.equal(held.name, 'dma1chan0');
  });

  it('summary(): the debugfs text, in-use channels only, blank line between devices', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const a = createPlainDevice({ name: '0000:00:04.0', channels: 2 });
    const b = createPlainDevice({ name: 'idxd/dsa0', channels: 3, private: true });
    eng.dmaAsyncDeviceRegister(a);
    eng.dmaAsyncDeviceRegister(b);
    assert.equal(eng.summary(), 'dma0 (0000:00:04.0): number of channels: 2\n\ndma1 (idxd/dsa0): number of channels: 3\n');
    eng.dmaengineGet();
    eng.dmaRequestChannel(DmaCapMask.of(DmaCap.MEMCPY), (c) => c.chanId === 1);
    assert.equal(eng.summary(),
      'dma0 (0000:00:04.0): number of channels: 2\n' +
      ' dma0chan0    | in-use\n' +
      ' dma0chan1    | in-use\n' +
      '\n' +
      'dma1 (idxd/dsa0): number of channels: 3\n' +
      ' dma1chan1    | in-use\n');
  });

  it('kernel provider on a fake tree: names, counters, controller and driver', () => {
    const root = fakeSysfs();
    try {
      const view = readKernelDma(path.join(root, 'class/dma'));
      assert.equal(view.present, true);
      assert.deepEqual(view.channels.map((c) => [c.name, c.in_use, c.memcpy_count, c.bytes_transferred, c.device, c.driver]), [
        ['dma0chan0', 2, 10, 40960, '0000:00:04.0', 'ioatdma'],
        ['dma0chan1', 0, 0, 0, '0000:00:04.0', 'ioatdma'],
        ['dma0chan10', 0, 0, 0, '0000:00:04.0', 'ioatdma'],
        ['dma1chan0', 1, null, 0, '0000:00:04.1', 'ioatdma'],
      ]);
      assert.deepEqual(view.controllers.map((c) => [c.device, c.driver, c.channels]), [
        ['0000:00:04.0', 'ioatdma', ['dma0chan0', 'dma0chan1', 'dma0chan10']],
        ['0000:00:04.1', 'ioatdma', ['dma1chan0']],
      ]);
      assert.equal(describeKernelDma(view), `${path.join(root, 'class/dma')}: 4 channel(s) on 2 controller(s)`);
      assert.match(readKernelDmaSummary(path.join(root, 'summary'))!, /^dma0 \(0000:00:04.0\)/);
      assert.equal(readKernelDmaSummary(path.join(root, 'nope')), null);
      const missing = readKernelDma(path.join(root, 'class/none'));
      assert.equal(missing.present, false);
      assert.match(describeKernelDma(missing), /not present/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('kernel provider on this machine\'s real /sys/class/dma', function () {
    const view = readKernelDma();
    // Always say what was found: an empty class directory is the common case on VMs.
    console.log(`      this machine: ${describeKernelDma(view)}`);
    if (!view.present) {
      assert.equal(view.channels.length, 0);
      return;
    }
    for (const c of view.channels) {
      assert.match(c.name, /^\S+$/);
      assert.ok(c.in_use === null || (Number.isInteger(c.in_use) && c.in_use >= 0));
      console.log(`      ${c.name}: in_use ${c.in_use}, controller ${c.device}, driver ${c.driver}`);
    }
    assert.equal(view.channels.length, fs.readdirSync('/sys/class/dma').length);
  });
});
