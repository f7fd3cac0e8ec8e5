// The `soft` provider's lifetime rules: a buffer referenced only by an in-flight descriptor
// stays alive until its completion; a process with soft channels (or a dmatest run on the
// default soft channels) exits by itself as soon as its work is done.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DmaCap } from '../lib/dmaengine/caps';
import { createDmaEngine } from '../lib/dmaengine/instance';
import { dmaAddr } from '../lib/dmaengine/status';
import { registerSoftDevice } from '../lib/providers/soft';
import { tick, until } from './helpers/dmaengine-fixtures';

function setup() {
  const eng = createDmaEngine({ cpus: 1 });
  const dev = registerSoftDevice({ channels: 1, caps: [DmaCap.MEMCPY] }, eng);
  eng.dmaengineGet();
  return { eng, dev, chan: dev.channels[0]! };
}

describe('providers: soft lifetime', function () {
  this.timeout(30000);

  it('a buffer referenced only by an in-flight descriptor stays alive until its completion', async function () {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const { eng, dev, chan } = setup();
    const seen: number[] = [];
    // the only reference to the 8 MiB source is the descriptor (and through it the engine)
    (() => {
      const src = new Uint8Array(8 << 20).fill(0x3c);
      const dst = new Uint8Array(8 << 20);
      const tx = dev.devicePrepDmaMemcpy(chan, dmaAddr(dst), dmaAddr(src), src.length, 0)!;
      tx.callback = () => seen.push(dst[dst.length - 1]!);
      eng.dmaengineSubmit(tx);
    })();
    for (let i = 0; i < 3; i++) gc();
    eng.dmaAsyncIssuePending(chan);
    for (let i = 0; i < 3; i++) { gc(); await tick(); }
    await until(() => seen.length === 1, 5000);
    assert.deepEqual(seen, [0x3c]);
  });

  it('a process with soft channels exits by itself once its work is done', () => {
    const code = `
      const { registerSoftDevice, createDmaEngine, DmaCap, DmaCapMask, dmaAddr } = require('./lib/index');
      const eng = createDmaEngine({ cpus: 1 });
      const dev = registerSoftDevice({ channels: 4, caps: [DmaCap.MEMCPY] }, eng);
      const chan = eng.dmaRequestChannel(DmaCapMask.of(DmaCap.MEMCPY));
      const dst = new Uint8Array(1 << 20), src = new Uint8Array(1 << 20).fill(9);
      const tx = dev.devicePrepDmaMemcpy(chan, dmaAddr(dst), dmaAddr(src), src.length, 0);
      tx.callback = () => console.log('done', dst[12345]);
      eng.dmaengineSubmit(tx);
      eng.dmaAsyncIssuePending(chan);`;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', code], { cwd: path.join(__dirname, '..'), timeout: 20000, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'done 9');
    assert.ok(Date.now() - t0 < 15000, 'no hang');
  });

  it('a dmatest run on the default soft channels exits as soon as it is done (no 3 s timer left behind)', () => {
    const code = `
      const { runDmatest, defaultDmaEngine } = require('./lib/index');
      require('./lib/dmatest/default-channels').ensureDmatestChannels(defaultDmaEngine());
      const t0 = Date.now();
      runDmatest({ iterations: 5, test_buf_size: 1024 }).then((r) => { console.log(r.tests, r.failures); globalThis.t0 = t0; });
      process.on('exit', () => console.log('ms', Date.now() - t0));`;
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', code], { cwd: path.join(__dirname, '..'), timeout: 20000, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const [counts, ms] = r.stdout.trim().split('\n');
    assert.match(counts!, /^\d+ 0$/);
    assert.ok(Number(ms!.split(' ')[1]) < 2500, `exited ${ms} after the start (dmatest's timeout is 3000 ms)`);
  });
});
