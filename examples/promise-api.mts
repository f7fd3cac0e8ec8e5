// The Promise API, as the README shows it: `npx tsx examples/promise-api.mts`. The part
// between the markers is the README's block word for word, but for the import of the package:
// here its ES module entry as built in this checkout (dist/, `npm run build:ts`).
// test/70.offload.readme.test.ts checks that and runs this file. An ES module (.mts), for the
// top-level await a user's ESM program would have.
// README:begin
import { randomBytes } from 'node:crypto';
import { openDma } from '../dist/index.mjs';

const dma = await openDma();                              // the soft engine's worker threads here
const data = Array.from({ length: 8 }, () => randomBytes(64 * 1024));
const parity = Buffer.alloc(64 * 1024);
await dma.xor(parity, data);                              // 8 × 64 KiB, off the main thread

const p = Buffer.alloc(64 * 1024), q = Buffer.alloc(64 * 1024);
await dma.raid6.generate(data, p, q);                     // RAID-6 P+Q

const blocks = [...data, p, q];
const lost = [Buffer.from(blocks[2]), Buffer.from(blocks[5])];
blocks[2].fill(0); blocks[5].fill(0);                     // two disks lost
await dma.raid6.recover(blocks, [2, 5]);                  // rebuilt in place
await dma.close();
// README:end

console.log(`engine: ${dma.engine}, ${dma.channels} channel(s), inline below ${dma.inlineBelow} bytes`);
console.log(`xor: parity ${parity.equals(p) ? 'ok' : 'WRONG'}`);
console.log(`recover: ${blocks[2]!.equals(lost[0]!) && blocks[5]!.equals(lost[1]!) ? 'ok' : 'WRONG'}`);
