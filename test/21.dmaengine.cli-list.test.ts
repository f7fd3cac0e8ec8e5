import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildListReport, formatListReport, type ListReport } from '../lib/cli/list';
import { DmaCap, DmaCapMask } from '../lib/dmaengine/caps';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { createPlainDevice } from '../lib/providers/plain';
import { runCli } from '../lib/cli/index';
import { defaultDmaEngine } from '../lib/dmaengine/index';

const ROOT = path.resolve(__dirname, '..');

function runCli1(args: string[]): string {
  return execFileSync(process.execPath, ['-r', 'tsx/cjs', path.join(ROOT, 'lib/cli/index.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('dmaengine list', () => {
  it('reports devices, channels, capabilities, in_use and the per-CPU table', () => {
    const eng = createDmaEngine({ cpus: 2 });
    eng.dmaAsyncDeviceRegister(createPlainDevice({ name: 'memcpy0', channels: 2 }));
    eng.dmaAsyncDeviceRegister(createPlainDevice({ name: 'xor0', caps: [DmaCap.XOR], maxXor: 8 }));
    eng.dmaengineGet();
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dmaengine-list-'));
    try {
      const r = buildListReport(eng, empty);
      assert.deepEqual(r.devices.map((d) => [d.name, d.devId, d.capabilities, d.channels.map((c) => [c.name, c.in_use])]), [
        ['memcpy0', 0, ['DMA_MEMCPY'], [['dma0chan0', 1], ['dma0chan1', 1]]],
        ['xor0', 1, ['DMA_XOR'], [['dma1chan0', 1]]],
      ]);
      assert.deepEqual(r.table.DMA_MEMCPY, ['dma0chan0', 'dma0chan1']);
      assert.deepEqual(r.table.DMA_XOR, ['dma1chan0', 'dma1chan0']);
      assert.match(r.kernel.description, /present but empty/);
      const text = formatListReport(r);
      assert.match(text, /^dma0 \(memcpy0, driver plain\): 2 channel\(s\), node -1$/m);
      assert.match(text, /^ {2}dma0chan1 +in_use 1 +memcpy_count 0 +bytes_transferred 0 +table_count 1$/m);
      assert.match(text, /^ {2}DMA_XOR +cpu0:dma1chan0 {2}cpu1:dma1chan0$/m);
      assert.match(text, /^kernel: .*present but empty/m);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('marks an exclusive channel and a private device', () => {
    const eng = createDmaEngine({ cpus: 1 });
    eng.dmaAsyncDeviceRegister(createPlainDevice({ name: 'p' }));
    eng.dmaRequestChannel(DmaCapMask.of(DmaCap.MEMCPY));
    const text = formatListReport(buildListReport(eng, '/nonexistent'));
    assert.match(text, /private \(privatecnt 1\)/);
    assert.match(text, /dma0chan0 .* exclusive$/m);
    assert.match(text, /kernel: \/nonexistent: not present/);
  });

  it('the command (in process): the machine\'s /sys/class/dma and the bridge; --demo lists soft channels and removes them', async function () {
    this.timeout(30000);
    const text = await runCli(['list']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /no device registered in this process \(`dmaengine list --demo`/);
    assert.match(text.stdout, /^kernel: \/sys\/class\/dma: /m);
    assert.match(text.stdout, /^bridge: (loaded|not loaded|not built|module loaded|no permission|.* not usable)/m);
    const demo = await runCli(['list', '--json', '--demo']);
    const json = JSON.parse(demo.stdout) as ListReport;
    assert.deepEqual(json.devices.map((d) => [d.name, d.driver, d.channels.length]), [['demo-memcpy', 'soft', 2], ['demo-raid', 'soft', 2]]);
    assert.equal(json.engine.publicClients, 1);
    assert.ok(json.table.DMA_MEMCPY!.every((c) => c !== null));
    assert.equal(json.kernel.root, '/sys/class/dma');
    assert.equal(typeof json.bridge.loaded, 'boolean');
    const eng = defaultDmaEngine();
    assert.deepEqual([eng.devices.length, eng.dmaengineRefCount], [0, 0], 'the demo devices and reference are gone again');
  });

  it('the command, spawned: a fresh process lists what it can see', function () {
    this.timeout(30000);
    const text = runCli1(['list', '--demo']);
    assert.match(text, /^dma0 \(demo-memcpy, driver soft\): 2 channel\(s\)/m);
    assert.match(text, /^bridge: /m);
  });

  it('without the bridge: the reason, no channels, in text and JSON', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dmaengine-list-bridge-'));
    try {
      const r = buildListReport(eng, '/nonexistent', { sys: tmp, dev: tmp, kmodDir: tmp });
      assert.deepEqual([r.bridge.loaded, r.bridge.devices, r.bridge.error], [false, [], null]);
      assert.match(r.bridge.reason!, /^not built and not loaded \(no .*dmaengine_bridge\)/);
      const text = formatListReport(r);
      const tail = text.slice(text.indexOf('\nbridge: ') + 1).split('\n');
      assert.equal(tail.length, 1, 'no channel lines under the reason');
      assert.match(tail[0]!, /^bridge: not built and not loaded .*`dmaengine bridge build`/);
      const json = JSON.parse(JSON.stringify(r)) as ListReport;
      assert.deepEqual(json.bridge.devices, []);
      assert.equal(json.bridge.reason, r.bridge.reason);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a bridge that answers the version but not the query: the failure is shown, not an empty list', () => {
    const eng = createDmaEngine({ cpus: 1 });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dmaengine-list-bridge-'));
    try {
      fs.writeFileSync(path.join(tmp, 'dmaengine_bridge'), ''); // a plain file: its ioctls fail
      const r = buildListReport(eng, '/nonexistent', { sys: tmp, dev: tmp, kmodDir: tmp, probe: () => 1 });
      assert.equal(r.bridge.reason, null);
      assert.deepEqual(r.bridge.devices, []);
      assert.match(r.bridge.error!, /dmaengine_bridge/);
      assert.match(formatListReport(r), /^bridge: loaded \(ABI version 1\)\n {2}query failed: /m);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
