import assert from 'node:assert/strict';
import { native } from '../lib/native';
import { machineInfo, formatKernelLines, formatChannelLines } from '../lib/info';

describe('native addon', () => {
  it('loads and reports the calling CPU', () => {
    const cpu = native().schedGetcpu();
    assert.ok(Number.isInteger(cpu) && cpu >= 0);
  });
  it('reports a kernel choice for every operation', () => {
    const info = machineInfo();
    const ops = info.kernels.map((k) => k.op);
    for (const op of ['memcpy', 'memset', 'xor', 'xor_check', 'pq_gen', 'pq_check', 'recov', 'pq_coef', 'pq_coef_check']) {
      assert.ok(ops.includes(op), `missing ${op}`);
    }
    for (const k of info.kernels) {
      assert.ok(k.variants.some((v) => v.name === k.chosen), `${k.op}: chosen variant ${k.chosen} not listed`);
    }
    const lines = formatKernelLines(info);
    assert.ok(lines.some((l) => /^xor: using algorithm \S+/.test(l)));
  });
  it('says which channels and buffers the machine offers', () => {
    const info = machineInfo();
    const lines = formatChannelLines(info);
    assert.match(lines[0], new RegExp(`^dmaengine: software channels: ${info.cpus} available`));
    assert.match(lines[1], /^dmaengine: kernel DMA: \/sys\/class\/dma/);
    assert.match(lines[2], /^dmaengine: dma-buf sources: .*memfd$/);
  });
});
