/** ARCHITECTURE.md's layer rules, checked on the source: the core is pure TypeScript. */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { DmaCap, createDmaEngine, createPlainDevice } from '../lib/index';
import { native } from '../lib/native';

const LIB = path.resolve(__dirname, '../lib');

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

describe('layers', () => {
  it('lib/dmaengine/ (the core) imports nothing native and nothing above it', () => {
    const dir = path.join(LIB, 'dmaengine');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      for (const spec of importsOf(path.join(dir, f))) {
        if (!spec.startsWith('.')) {
          assert.ok(['fs', 'os', 'path'].includes(spec.replace(/^node:/, '')), `${f} imports ${spec}`);
          continue;
        }
        const target = path.relative(LIB, path.resolve(dir, spec));
        assert.ok(target.startsWith('dmaengine') || target === 'validate' || target === 'gf256',
          `${f} imports ${spec} (${target}): the core may use only itself, validate and gf256`);
      }
    }
  });

  it("the package's createDmaEngine reads the calling CPU through the addon", () => {
    const eng = createDmaEngine({ cpus: 64 });
    const dev = createPlainDevice({ channels: 64 });
    eng.dmaAsyncDeviceRegister(dev);
    eng.dmaengineGet();
    const cpu = native().schedGetcpu();
    const got = eng.dmaFindChannel(DmaCap.MEMCPY);
    // The thread may migrate between the two reads: accept the channel of either CPU it saw.
    const after = native().schedGetcpu();
    assert.ok(got === dev.channels[cpu % 64] || got === dev.channels[after % 64], `channel ${got?.name} for CPU ${cpu}/${after}`);
  });
});
