/** docs/dmaengine.md's complete provider, extracted and run as written (guards against doc rot). */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

describe('§2.3 docs/dmaengine.md: the complete plain TypeScript provider', () => {
  it('runs and prints what the document says', () => {
    const md = fs.readFileSync(path.join(ROOT, 'docs/dmaengine.md'), 'utf8');
    const m = /<!-- provider-example:start -->\n```ts\n([\s\S]*?)```\n<!-- provider-example:end -->/.exec(md);
    assert.ok(m, 'the example block is in the document');
    const code = m[1]!.replace("from 'dmaengine'", `from ${JSON.stringify(path.join(ROOT, 'lib/index.ts'))}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dmaengine-doc-'));
    const file = path.join(dir, 'provider.ts');
    fs.writeFileSync(file, code);
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => { lines.push(args.join(' ')); };
    try {
      // The document's code is compiled by tsx's require hook, as a user's file would be.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    } finally {
      console.log = log;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(lines, ['copied: hello, dmaengine', 'status: COMPLETE, dma0chan0 in_use 1']);
    assert.match(md, /It prints `copied: hello, dmaengine` then `status: COMPLETE, dma0chan0 in_use 1`/);
  });
});
