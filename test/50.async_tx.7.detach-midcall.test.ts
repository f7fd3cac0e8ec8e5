// A page detached after it was checked, by caller code the operation itself runs: a getter of
// the submit block, or the dependency's completion callback (run while the software path waits
// for it, in asyncTxQuiesce). The operation throws the TypeError naming the page, touches no
// byte, and does not run its callback (the fuzzer's seed 17 found asyncMemcpy throwing V8's
// unnamed "Cannot perform Construct on a detached ArrayBuffer" there).
import assert from 'node:assert/strict';
import { DmaCap } from '../lib/dmaengine/caps';
import { AsyncTxFlags, type AsyncSubmitCtl, initAsyncSubmit } from '../lib/async_tx/flags';
import type { AsyncTx } from '../lib/async_tx/api';
import type { DmaAsyncTxDescriptor } from '../lib/dmaengine/descriptor';
import { ASYNC_TEST_PROVIDERS, setupAsync } from './helpers/async-providers';

const LEN = 256;

function detach(u8: Uint8Array): void {
  structuredClone(u8.buffer, { transfer: [u8.buffer as ArrayBuffer] });
}

function filled(v: number): Buffer {
  return Buffer.alloc(LEN, v);
}

/** What a case sets before its call: the page a hook detaches, and the others. */
interface Hook {
  victim: Uint8Array | null;
  others: Uint8Array[];
}

/** An operation on fresh pages (each filled with one value), and the page a hook detaches. */
interface Case {
  op: string;
  name: string;
  run: (api: AsyncTx, submit: AsyncSubmitCtl, hook: Hook) => void;
}

function pqBlocks(disks: number): Buffer[] {
  return Array.from({ length: disks }, (_, i) => filled(i + 1));
}

function set(h: Hook, victim: Uint8Array, all: Uint8Array[]): void {
  h.victim = victim;
  h.others = all.filter((p) => p !== victim);
}

const cases: Case[] = [
  { op: 'asyncMemcpy', name: 'dest', run: (api, s, h) => { const d = filled(1); const x = filled(2); set(h, d, [d, x]); api.asyncMemcpy(d, x, 0, 0, LEN, s); } },
  { op: 'asyncMemcpy', name: 'src', run: (api, s, h) => { const d = filled(1); const x = filled(2); set(h, x, [d, x]); api.asyncMemcpy(d, x, 0, 0, LEN, s); } },
  { op: 'asyncMemset', name: 'dest', run: (api, s, h) => { const d = filled(1); set(h, d, [d]); api.asyncMemset(d, 9, 0, LEN, s); } },
  {
    op: 'asyncXor', name: 'srcList[2]', run: (api, s, h) => {
      const d = filled(5); const src = [filled(1), filled(2), filled(3)]; set(h, src[2]!, [d, ...src]);
      api.asyncXor(d, src, 0, 3, LEN, s);
    },
  },
  {
    op: 'asyncXor', name: 'dest', run: (api, s, h) => {
      const d = filled(5); const src = [filled(1), filled(2), filled(3)]; set(h, d, [d, ...src]);
      api.asyncXor(d, src, 0, 3, LEN, s);
    },
  },
  {
    op: 'asyncXorVal', name: 'srcList[1]', run: (api, s, h) => {
      const d = filled(5); const src = [d, filled(1), filled(2)]; set(h, src[1]!, src);
      api.asyncXorVal(d, src, 0, 3, LEN, { value: -1 }, s);
    },
  },
  {
    op: 'asyncGenSyndrome', name: 'blocks[1]', run: (api, s, h) => {
      const b = pqBlocks(6); set(h, b[1]!, b);
      api.asyncGenSyndrome(b, null, 6, LEN, s);
    },
  },
  {
    op: 'asyncSyndromeVal', name: 'blocks[5]', run: (api, s, h) => {
      const b = pqBlocks(6); const spare = filled(9); set(h, b[5]!, [...b, spare]);
      api.asyncSyndromeVal(b, null, 6, LEN, { value: -1 }, spare, 0, s);
    },
  },
  {
    op: 'asyncRaid6_2dataRecov', name: 'blocks[2]', run: (api, s, h) => {
      const b = pqBlocks(6); set(h, b[2]!, b);
      api.asyncRaid6_2dataRecov(6, LEN, 1, 3, b, null, s);
    },
  },
  {
    op: 'asyncRaid6DatapRecov', name: 'blocks[3]', run: (api, s, h) => {
      const b = pqBlocks(6); set(h, b[3]!, b);
      api.asyncRaid6DatapRecov(6, LEN, 0, b, [0, 0, 0, 0, 0, 0], s);
    },
  },
];

type MakeSubmit = (hook: Hook, cb: () => void) => AsyncSubmitCtl;

/** Runs `c` expecting the TypeError naming the page, no callback, and every other page as it was filled. */
function expectRefused(c: Case, api: AsyncTx, makeSubmit: MakeSubmit): void {
  const hook: Hook = { victim: null, others: [] };
  let calls = 0;
  const submit = makeSubmit(hook, () => { calls++; });
  assert.throws(() => c.run(api, submit, hook), (e: unknown) => {
    assert.ok(e instanceof TypeError, `${c.op}: ${String(e)}`);
    assert.match(e.message, /^Expected an attached Uint8Array \(its ArrayBuffer is detached\) for "/);
    assert.ok(e.message.includes(`for "${c.name}"`), `${c.op}: ${e.message}`);
    return true;
  });
  assert.equal(calls, 0, `${c.op}: the callback ran`);
  assert.ok(hook.victim !== null && (hook.others.length > 0 || c.op === 'asyncMemset'));
  for (const p of hook.others) assert.ok(p.every((v) => v === p[0]), `${c.op}: a page was written`);
}

describe('async_tx: a page detached by caller code the operation runs', () => {
  describe('by a getter of the submit block (software path)', () => {
    for (const c of cases) {
      it(`${c.op}: detaching "${c.name}" is the TypeError naming it; no byte written, no callback`, () => {
        const { api } = setupAsync(null);
        const make: MakeSubmit = (hook, cb) => {
          let fired = false;
          return {
            get flags(): number {
              if (!fired && hook.victim) {
                fired = true;
                detach(hook.victim);
              }
              return c.op === 'asyncXor' ? AsyncTxFlags.XOR_ZERO_DST : 0;
            },
            dependTx: null, cbFn: cb, cbParam: null, scribble: [],
          } as AsyncSubmitCtl;
        };
        expectRefused(c, api, make);
      });
    }
  });

  for (const p of ASYNC_TEST_PROVIDERS) {
    describe(`by the dependency's callback, run while the software path waits for it (${p.name})`, () => {
      for (const c of cases) {
        it(`${c.op}: detaching "${c.name}" is the TypeError naming it; no byte written, no callback`, () => {
          // The device has one capability, not the operation's: the operation takes the
          // software path, which waits for the dependency (on the device) first.
          const cap = c.op === 'asyncMemset' ? DmaCap.MEMCPY : DmaCap.MEMSET;
          const { api } = setupAsync(p, [{ channels: 1, caps: [cap, DmaCap.INTERRUPT] }]);
          const scratch = Buffer.alloc(64);
          const make: MakeSubmit = (hook, cb) => {
            const depSubmit = initAsyncSubmit(0, null, () => { if (hook.victim) detach(hook.victim); }, null, null);
            const dep: DmaAsyncTxDescriptor | null = cap === DmaCap.MEMSET
              ? api.asyncMemset(scratch, 7, 0, 64, depSubmit)
              : api.asyncMemcpy(scratch, Buffer.alloc(64, 3), 0, 0, 64, depSubmit);
            assert.notEqual(dep, null, 'the dependency must be on the device');
            return initAsyncSubmit(c.op === 'asyncXor' ? AsyncTxFlags.XOR_ZERO_DST : 0, dep, cb, null, []);
          };
          expectRefused(c, api, make);
        });
      }
    });
  }

  it('pages the refused call did not detach are left as they were', () => {
    const { api } = setupAsync(null);
    const d = filled(1);
    const src = [filled(2), filled(3), filled(4)];
    const s = { get flags(): number { detach(src[1]!); return AsyncTxFlags.XOR_ZERO_DST; }, dependTx: null, cbFn: null, cbParam: null, scribble: null };
    assert.throws(() => api.asyncXor(d, src, 0, 3, LEN, s as AsyncSubmitCtl), /"srcList\[1\]"/);
    assert.deepEqual([d[0], d[LEN - 1], src[0]![0], src[2]![LEN - 1]], [1, 1, 2, 4]);
    const b = pqBlocks(6);
    const s2 = { get flags(): number { detach(b[0]!); return 0; }, dependTx: null, cbFn: null, cbParam: null, scribble: null };
    assert.throws(() => api.asyncGenSyndrome(b, null, 6, LEN, s2 as AsyncSubmitCtl), /"blocks\[0\]"/);
    assert.deepEqual(b.slice(1).map((x) => x[LEN - 1]), [2, 3, 4, 5, 6]);
  });
});
