// The providers' exported helpers with junk arguments (what the public-API fuzzer found).
import assert from 'node:assert/strict';
import { createDmaEngine, describeKernelDma, listChannels, readKernelDmaSummary, registerPlainDevice, registerSoftDevice } from '../lib/index';

describe('providers: arguments of the exported helpers', () => {
  for (const [name, register] of [['registerPlainDevice', registerPlainDevice], ['registerSoftDevice', registerSoftDevice]] as const) {
    it(`${name}: an engine that is not a DmaEngine is named, and no device is made or registered`, () => {
      const before = listChannels().length;
      for (const bad of [{}, 5, Symbol('e'), new Proxy({}, {})]) {
        assert.throws(() => register({}, bad as never), { name: 'TypeError', message: /"engine"/ });
      }
      assert.equal(listChannels().length, before, 'nothing registered on the default instance');
      const eng = createDmaEngine({ cpus: 1 });
      const dev = register({ channels: 1 }, eng);
      assert.equal(eng.listChannels().length, 1);
      eng.dmaAsyncDeviceUnregister(dev);
    });
  }

  it('describeKernelDma names the view or its field', () => {
    assert.throws(() => describeKernelDma(undefined as never), { name: 'TypeError', message: /"view"/ });
    assert.throws(() => describeKernelDma({ present: true, root: '/x', channels: 3, controllers: [] } as never),
      { name: 'TypeError', message: /"view\.channels"/ });
    assert.equal(describeKernelDma({ present: false, root: '/x', channels: [], controllers: [] }), '/x: not present (kernel without CONFIG_DMA_ENGINE, or no sysfs)');
  });

  it('readKernelDmaSummary takes a path string only: a number is not read as a file descriptor', () => {
    for (const bad of [0, 1, '', new Uint8Array(4), Symbol('f')]) {
      assert.throws(() => readKernelDmaSummary(bad as never), { name: 'TypeError', message: /"file"/ });
    }
    assert.equal(readKernelDmaSummary('/nonexistent/dmaengine-test'), null);
  });
});
