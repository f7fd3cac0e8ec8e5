/**
 * Child process for the lifetime tests (test/11.engine.lifetime.test.ts). argv[2] picks the
 * scenario; the child prints one JSON line per fact the parent checks.
 */
import { readFileSync } from 'node:fs';
import { SoftEngine } from '../../lib/engine';

const say = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
const scenario = process.argv[2];
const eng = new SoftEngine({ channels: 2, spinMicros: 20 });
let delivered = 0;
eng.onComplete = (b) => { delivered += b.count; };

if (scenario === 'exit-in-flight') {
  // ~6 GB of copies queued on two channels, then exit as soon as the first batch lands.
  const src = Buffer.alloc(16 << 20, 1);
  const dst = Buffer.alloc(16 << 20);
  for (let i = 0; i < 400; i++) eng.submit(i & 1, { op: 'memcpy', dst, src, len: src.length });
  eng.issuePending(0);
  eng.issuePending(1);
  eng.onComplete = (b) => {
    delivered += b.count;
    say({ exiting: true, delivered, outstanding: eng.outstanding });
    process.exit(0);
  };
} else if (scenario === 'unissued') {
  // Submitted, never issued, never closed: nothing can complete, so nothing keeps the loop.
  const dst = Buffer.alloc(1 << 20);
  for (let i = 0; i < 100; i++) eng.submit(0, { op: 'memset', dst, value: 1, len: dst.length });
  process.on('exit', () => say({ exited: true, delivered }));
} else if (scenario === 'natural') {
  // Issued work keeps the loop alive until every completion is delivered, then it ends.
  const dst = Buffer.alloc(1 << 20);
  for (let i = 0; i < 300; i++) eng.submit(i % 2, { op: 'memset', dst, value: i & 0xff, len: dst.length });
  eng.issuePending(0);
  eng.issuePending(1);
  process.on('exit', () => say({ exited: true, delivered }));
} else if (scenario === 'close-queued-gc') {
  // A completion delivered by poll() while its wake-up call is still queued on the tsfn,
  // then close() and a collection of the engine in the same turn: the queued call runs after
  // the wrapper is gone unless something keeps it (the use-after-free ASan found).
  const gc = (globalThis as { gc?: () => void }).gc!;
  eng.close();
  const dst = Buffer.alloc(4096);
  let rounds = 0;
  const once = (): void => {
    const e = new SoftEngine({ channels: 1, spinMicros: 0 });
    e.onComplete = (b) => { delivered += b.count; };
    const cookie = e.submit(0, { op: 'memset', dst, value: rounds & 0xff, len: dst.length });
    e.issuePending(0);
    const nap = new Int32Array(new SharedArrayBuffer(4));
    while (!e.isComplete(0, cookie)) Atomics.wait(nap, 0, 0, 1);
    e.poll();
    e.close();
  };
  const round = (): void => {
    once();
    gc(); // the engine is unreachable now, its wake-up call still queued
    if (++rounds < 300) setImmediate(round);
    else setImmediate(() => say({ rounds, delivered }));
  };
  round();
} else if (scenario === 'keepalive') {
  // The only reference to each source is the engine's: collected early, the copies would
  // read freed memory (and, with large buffers, garbage).
  const gc = (globalThis as { gc?: () => void }).gc!;
  const dsts: Buffer[] = [];
  for (let i = 0; i < 8; i++) {
    const dst = Buffer.alloc(4 << 20);
    dsts.push(dst);
    eng.submit(0, { op: 'memcpy', dst, src: Buffer.alloc(4 << 20, i + 1), len: 4 << 20 });
  }
  gc();
  for (let i = 0; i < 8; i++) Buffer.alloc(4 << 20, 0xee);  // reuse what was freed, if any
  gc();
  eng.issuePending(0);
  eng.onComplete = (b) => {
    delivered += b.count;
    if (delivered < 8) return;
    say({ ok: dsts.every((d, i) => d[0] === i + 1 && d[d.length - 1] === i + 1) });
    eng.close();
    shared();
  };
  // Two descriptors share one source (one cached reference): when the first completes, the
  // second must still hold it, however long it waits (here: for a cookie of a third channel
  // issued only after several collections).
  const shared = () => {
    const e3 = new SoftEngine({ channels: 3, spinMicros: 0 });
    const d1 = Buffer.alloc(4 << 20);
    const d2 = Buffer.alloc(4 << 20);
    ((src: Buffer) => {
      e3.submit(0, { op: 'memcpy', dst: d1, src, len: src.length });
      const gate = e3.submit(2, { op: 'interrupt' });
      e3.submit(1, { op: 'memcpy', dst: d2, src, len: src.length, waitFor: { channel: 2, cookie: gate } });
    })(Buffer.alloc(4 << 20, 0x42));
    e3.issuePending(1);
    e3.issuePending(0);
    let n = 0;
    e3.onComplete = (b) => {
      for (let i = 0; i < b.count; i++) {
        n++;
        if (b.channel(i) === 0) {
          gc();
          for (let k = 0; k < 8; k++) Buffer.alloc(4 << 20, 0xee);
          gc();
          e3.issuePending(2);
        }
      }
      if (n === 3) {
        say({ shared: d1[0] === 0x42 && d2[0] === 0x42 && d2[d2.length - 1] === 0x42 });
        e3.close();
      }
    };
  };
} else if (scenario === 'throwing') {
  // A throwing handler is an uncaught exception; the engine goes on delivering.
  const dst = Buffer.alloc(64);
  let batches = 0;
  process.on('uncaughtException', (e) => say({ uncaught: e.message }));
  eng.onComplete = (b) => {
    delivered += b.count;
    if (++batches === 1) {
      eng.submit(0, { op: 'memset', dst, value: 2, len: 64 });
      eng.issuePending(0);
      throw new Error('handler failed');
    }
    say({ delivered, dst: dst[0] });
    eng.close();
  };
  eng.submit(0, { op: 'memset', dst, value: 1, len: 64 });
  eng.issuePending(0);
} else if (scenario === 'collect') {
  // Forgotten idle engines (never closed; one with an unissued descriptor) are collected and
  // their worker threads stopped.
  eng.close();
  const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
  const gc = (globalThis as { gc?: () => void }).gc!;
  const before = threads();
  (() => {
    for (let i = 0; i < 5; i++) {
      const e = new SoftEngine({ channels: 4 });
      e.onComplete = () => {};
      e.submit(0, { op: 'interrupt' });
    }
  })();
  const created = threads() - before;
  void (async () => {
    for (let i = 0; i < 20 && threads() > before; i++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
    say({ created, left: threads() - before });
  })();
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
