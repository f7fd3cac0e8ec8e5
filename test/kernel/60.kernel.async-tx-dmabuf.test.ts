// async_tx operations on dma-buf pages from a real kernel: udmabuf and the system dma-heap give
// the bytes; xor, P+Q generate/validate and two-data recovery run on them on the software path
// and on device channels (every provider of test/helpers/async-providers.ts), with the CPU
// access bracketed by the DMA_BUF_IOCTL_SYNC calls a real device would need.
import assert from 'node:assert/strict';
import { allocDmaBuf, type DmaBuf } from '../../lib/dmabuf';
import { initAsyncSubmit, AsyncTxFlags } from '../../lib/async_tx/flags';
import { pathSetups, settle } from '../helpers/async-providers';
import { requireGuest } from './lane';

const LEN = 4096;

function pages(source: 'udmabuf' | 'heap:system', n: number): { bufs: DmaBuf[]; bytes: Uint8Array[] } {
  const bufs = Array.from({ length: n }, () => allocDmaBuf(LEN, { source }));
  return { bufs, bytes: bufs.map((b) => b.bytes) };
}

function fillRandom(b: Uint8Array, seed: number): void {
  let x = seed >>> 0 || 1;
  for (let i = 0; i < b.length; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; b[i] = x & 0xff; }
}

describe('async_tx on dma-buf pages (guest)', function () {
  before(function () { requireGuest(this); });

  for (const source of ['udmabuf', 'heap:system'] as const) {
    for (const setup of pathSetups()) {
      it(`${source}, ${setup.label}: xor, P+Q gen + validate, two-data recovery`, async () => {
        const { api } = setup.make();
        const disks = 6; // 4 data + P + Q
        const { bufs, bytes } = pages(source, disks + 1);
        try {
          for (const b of bufs) b.syncStart('write');
          for (let i = 0; i < disks - 2; i++) fillRandom(bytes[i], 1000 + i);
          for (const b of bufs) b.syncEnd('write');

          // xor of the data blocks into the spare page, checked against a JS reference.
          const spare = bytes[disks];
          let tx = api.asyncXor(spare, bytes.slice(0, disks - 2), 0, disks - 2, LEN,
            initAsyncSubmit(AsyncTxFlags.XOR_ZERO_DST, null, null, null, null));
          await settle(api, tx);
          for (let i = 0; i < LEN; i += 97) {
            assert.equal(spare[i], bytes[0][i] ^ bytes[1][i] ^ bytes[2][i] ^ bytes[3][i], `xor byte ${i}`);
          }

          // P+Q over the data; validation says both consistent.
          const blocks = bytes.slice(0, disks);
          tx = api.asyncGenSyndrome(blocks, null, disks, LEN, initAsyncSubmit(0, null, null, null, null));
          await settle(api, tx);
          assert.deepEqual(Buffer.from(blocks[disks - 2]), Buffer.from(spare), 'P equals the xor of the data');
          const res = { value: -1 };
          tx = api.asyncSyndromeVal(blocks, null, disks, LEN, res, new Uint8Array(LEN), 0,
            initAsyncSubmit(0, null, null, null, new Array(disks)));
          await settle(api, tx);
          assert.equal(res.value, 0);

          // Lose data blocks 1 and 3, rebuild them, compare.
          const want1 = Buffer.from(bytes[1]); const want3 = Buffer.from(bytes[3]);
          bytes[1].fill(0); bytes[3].fill(0xee);
          tx = api.asyncRaid6_2dataRecov(disks, LEN, 1, 3, blocks, null, initAsyncSubmit(0, null, null, null, new Array(disks)));
          await settle(api, tx);
          for (const b of bufs) b.syncStart('read');
          assert.deepEqual(Buffer.from(bytes[1]), want1);
          assert.deepEqual(Buffer.from(bytes[3]), want3);
          for (const b of bufs) b.syncEnd('read');
        } finally {
          for (const b of bufs) b.close();
        }
      });
    }
  }
});
