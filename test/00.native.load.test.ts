import assert from 'node:assert/strict';
import { native } from '../lib/native';
import { machineInfo, formatKernelLines } from '../lib/info';

describe('native addon', () => {
  it('loads and reports the calling CPU', () => {
    const cpu = native().schedGetcpu();
    assert.ok(Number.isInteger(cpu) && cpu >= 0);
  });
  it('reports a kernel choice for every operation', () => {
    const info = machineInfo();
    const ops = info.kernels.map((k) => k.op);
    for (const op of ['memcpy', 'memset', 'xor', 'xor_check', 'pq_gen', 'pq_check', 'recov']) {
      assert.ok(ops.includes(op), `missing ${op}`);
    }
    for (const k of info.kernels) {
      assert.ok(k.variants.some((v) => v.name === k.chosen), `${k.op}: chosen variant ${k.chosen} not listed`);
    }
    const lines = formatKernelLines(info);
    assert.ok(lines.some((l) => /^xor: using algorithm \S+/.test(l)));
  });
});
