import assert from 'node:assert/strict';
import { runXorCopyXor } from '../examples/xor-copy-xor';
import { pathSetups } from './helpers/async-providers';
import { randomBytes, tick, until } from './helpers/dmaengine-fixtures';

describe("the seed RFC's example: examples/xor-copy-xor.ts (run_xor_copy_xor)", () => {
  for (const s of pathSetups()) {
    it(`${s.label}: xor, dependent copy, held xor, asyncTriggerCallback: one callback after the whole chain, bytes right`, async () => {
      const { api } = s.make();
      const len = 256;
      const dest = randomBytes(len, 1);
      const orig = Uint8Array.from(dest);
      const srcs = [dest, ...Array.from({ length: 5 }, (_, i) => randomBytes(len, 10 + i))];
      const copy = new Uint8Array(len);
      const seen: { copy: Buffer; dest: Buffer }[] = [];
      // the copy reads xor_dest: it must see the first XOR's result, not the second's
      const tx = runXorCopyXor(srcs, srcs.length, dest, len, dest, copy, len, () => {
        seen.push({ copy: Buffer.from(copy), dest: Buffer.from(dest) });
      }, api);
      if (tx !== null) {
        assert.equal(seen.length, 0, 'not on the caller stack');
        await until(() => seen.length > 0);
      }
      for (let i = 0; i < 5; i++) await tick();
      assert.equal(seen.length, 1, 'exactly one callback');
      const once = Uint8Array.from(orig);
      for (const sNext of srcs.slice(1)) for (let i = 0; i < len; i++) once[i]! ^= sNext[i]!;
      assert.ok(seen[0]!.copy.equals(Buffer.from(once)), 'the copy saw dest after the first XOR');
      assert.ok(seen[0]!.dest.equals(Buffer.from(orig)), 'the second XOR undid the first before the callback');
    });
  }
});
