// parseDmatestLog, formatKernelLines and formatRaid6Failure with junk arguments (what the
// public-API fuzzer found): named TypeErrors, where V8's "is not iterable" or "Cannot read
// properties of undefined" came out before.
import assert from 'node:assert/strict';
import { formatKernelLines, formatRaid6Failure, machineInfo, parseDmatestLog } from '../lib/index';

describe('dmatest and info: arguments of the formatters and the log parser', () => {
  it('parseDmatestLog takes a string or an Array of strings', () => {
    assert.throws(() => parseDmatestLog(5 as never), { name: 'TypeError', message: /"input"/ });
    assert.throws(() => parseDmatestLog(new Uint8Array(4) as never), { name: 'TypeError', message: /"input"/ });
    assert.throws(() => parseDmatestLog(['ok', null] as never), { name: 'TypeError', message: /"input\[1\]"/ });
    assert.equal(parseDmatestLog(['dmatest: something new']).unknown.length, 1);
  });

  it('formatKernelLines names the field of a MachineInfo that is wrong', () => {
    const info = machineInfo();
    assert.ok(formatKernelLines(info).length > 2);
    assert.throws(() => formatKernelLines(undefined as never), { name: 'TypeError', message: /"info"/ });
    assert.throws(() => formatKernelLines({ ...info, addon: { kind: 'x', path: '/a' } } as never), { name: 'TypeError', message: /"info\.addon\.kind"/ });
    assert.throws(() => formatKernelLines({ ...info, cpuFeatures: [1] } as never), { name: 'TypeError', message: /"info\.cpuFeatures\[0\]"/ });
    const kernels = [{ ...info.kernels[0]!, variants: [{ name: 'base', mbPerSec: Symbol('n'), supported: true }] }];
    assert.throws(() => formatKernelLines({ ...info, kernels } as never), { name: 'TypeError', message: /"info\.kernels\[0\]\.variants\[0\]\.mbPerSec"/ });
  });

  it('formatRaid6Failure names the field of the record that is wrong', () => {
    const f = { disks: 6, faila: 1, failb: 2, kind: 'validation' as const, result: 3 };
    assert.match(formatRaid6Failure(f), /validation failure! sum_check_flags: 3/);
    assert.throws(() => formatRaid6Failure(undefined as never), { name: 'TypeError', message: /"failure"/ });
    assert.throws(() => formatRaid6Failure({ ...f, faila: 1n } as never), { name: 'TypeError', message: /"failure\.faila"/ });
    assert.throws(() => formatRaid6Failure({ ...f, kind: 'other' } as never), { name: 'TypeError', message: /"failure\.kind"/ });
  });
});
