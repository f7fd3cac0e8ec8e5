/**
 * One dmatest thread (dmatest_func, spec §4.4), as an async loop on the event loop: it never
 * blocks; the channel's engine does the work on its own threads and the completion callback
 * resolves the wait.
 *
 * Per test: pick len and offsets (rounded to the alignment), fill the patterns, prep with
 * DMA_CTRL_ACK (+ DMA_PREP_INTERRUPT unless polled), set the callback, submit, issue pending,
 * wait up to `timeout` ms, read the status, verify the six regions. Fill and verify time are
 * left out of the runtime, as the kernel leaves them out of iops and KB/s.
 */
import type { DmaChan } from '../dmaengine/channel';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import type { DmaEngine } from '../dmaengine/instance';
import { DmaCtrlFlags, DmaStatus, DmaTransResult, dmaAddr } from '../dmaengine/status';
import { dmaSubmitError } from '../dmaengine/cookie';
import { dmaMaxpq } from '../dmaengine/device';
import type { DmatestParams } from './params';
import { xorSourcesFor, pqSourcesFor } from './params';
import { initDsts, initSrcs, verifyAll } from './pattern';
import { resultLine, summaryLine, type DmatestResultMessage } from './log-format';
import type { DmatestOp } from './result';

export interface ThreadContext {
  engine: DmaEngine;
  chan: DmaChan;
  op: DmatestOp;
  name: string;
  params: DmatestParams;
  log: (line: string) => void;
  /** Set when the run is stopped (iterations 0, or `run=0`). */
  stopped: () => boolean;
  /** Seed of this thread's random lengths and offsets. */
  seed: number;
  /** Told the thread's running totals before each test and once at the end. */
  onTest?: (tests: number, failures: number) => void;
  /** Allocates a test buffer (default a plain Uint8Array). */
  alloc?: (size: number, chan: DmaChan) => Uint8Array;
}

const ENOMEM = -12;

/** xorshift32: a small seeded generator standing in for the kernel's get_random_bytes. */
function rng(seed: number): () => number {
  let x = (seed >>> 0) || 0x9e3779b9;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

function alignFor(ctx: ThreadContext): number {
  if (ctx.params.alignment >= 0) return ctx.params.alignment;
  const d = ctx.chan.device!;
  switch (ctx.op) {
    case 'copy': return d.copyAlign ?? 0;
    case 'set': return d.fillAlign ?? 0;
    case 'xor': return d.xorAlign ?? 0;
    default: return d.pqAlign ?? 0;
  }
}

function counts(ctx: ThreadContext): { srcCnt: number; dstCnt: number } {
  const d = ctx.chan.device!;
  if (ctx.op === 'xor') return { srcCnt: xorSourcesFor(ctx.params, d.maxXor ?? 0), dstCnt: 1 };
  if (ctx.op === 'pq') return { srcCnt: pqSourcesFor(ctx.params, dmaMaxpq(d, 0)), dstCnt: 2 };
  return { srcCnt: 1, dstCnt: 1 };
}

function prep(ctx: ThreadContext, srcs: Uint8Array[], dsts: Uint8Array[], srcOff: number, dstOff: number,
  len: number, flags: number, coefs: Uint8Array): DmaAsyncTxDescriptor | null {
  const d = ctx.chan.device!;
  const c = ctx.chan;
  switch (ctx.op) {
    case 'copy': return d.devicePrepDmaMemcpy!(c, dmaAddr(dsts[0], dstOff), dmaAddr(srcs[0], srcOff), len, flags);
    case 'set': return d.devicePrepDmaMemset!(c, dmaAddr(dsts[0], dstOff), srcs[0][srcOff], len, flags);
    case 'xor': return d.devicePrepDmaXor!(c, dmaAddr(dsts[0], dstOff), srcs.map((s) => dmaAddr(s, srcOff)), srcs.length, len, flags);
    default: return d.devicePrepDmaPq!(c, dsts.map((s) => dmaAddr(s, dstOff)), srcs.map((s) => dmaAddr(s, srcOff)), srcs.length, coefs, len, flags);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const now = () => process.hrtime.bigint();

/** Runs the thread to completion; every line goes through ctx.log. */
export async function runDmatestThread(ctx: ThreadContext): Promise<{ tests: number; failures: number }> {
  const { params, name, log } = ctx;
  const bufSize = params.test_buf_size;
  const align = alignFor(ctx);
  const { srcCnt, dstCnt } = counts(ctx);
  const random = rng(ctx.seed);
  let total = 0;
  let failed = 0;
  let totalLen = 0n;
  let ret = 0;
  let fillTime = 0n;
  let compareTime = 0n;
  const t0 = now();
  const summary = () => {
    const runtimeUs = (now() - t0 - fillTime - compareTime) / 1000n;
    log(summaryLine(name, total, failed, runtimeUs, totalLen, ret));
    return { tests: total, failures: failed };
  };

  if (1 << align > bufSize) {
    log(`dmatest: ${bufSize}-byte buffer too small for ${1 << align}-byte alignment`);
    ret = ENOMEM;
    return summary();
  }
  if (srcCnt + dstCnt >= 255) {
    log('dmatest: too many buffers');
    ret = ENOMEM;
    return summary();
  }
  const mk = ctx.alloc ?? ((size: number) => new Uint8Array(size));
  const srcs = Array.from({ length: srcCnt }, () => mk(bufSize, ctx.chan));
  const dsts = Array.from({ length: dstCnt }, () => mk(bufSize, ctx.chan));
  const coefs = new Uint8Array(srcCnt).fill(1);
  const isMemset = ctx.op === 'set';
  const result = (msg: DmatestResultMessage, srcOff: number, dstOff: number, len: number, data: number) =>
    log(resultLine(name, total, msg, srcOff, dstOff, len, data));

  while (!ctx.stopped() && !(params.iterations && total >= params.iterations)) {
    ctx.onTest?.(total, failed);
    total++;
    let len: number;
    if (params.transfer_size) {
      if (params.transfer_size >= bufSize) {
        log(`dmatest: ${params.transfer_size}-byte transfer size must be lower than ${bufSize}-buffer size`);
        total--;
        break;
      }
      len = params.transfer_size;
    } else if (params.norandom) {
      len = bufSize;
    } else {
      len = (random() % bufSize) + 1;
    }
    if (!params.transfer_size) {
      len = (len >> align) << align;
      if (!len) len = 1 << align;
    }
    totalLen += BigInt(len);
    let srcOff = 0;
    let dstOff = 0;
    if (!params.norandom) {
      srcOff = ((random() % (bufSize - len + 1)) >> align) << align;
      dstOff = ((random() % (bufSize - len + 1)) >> align) << align;
    }
    if (!params.noverify) {
      const f0 = now();
      initSrcs(srcs, srcOff, len, bufSize, isMemset);
      initDsts(dsts, dstOff, len, bufSize, isMemset);
      fillTime += now() - f0;
    }

    const flags = DmaCtrlFlags.CTRL_ACK | (params.polled ? 0 : DmaCtrlFlags.PREP_INTERRUPT);
    const tx = prep(ctx, srcs, dsts, srcOff, dstOff, len, flags, coefs);
    if (!tx) {
      result('prep error', srcOff, dstOff, len, ret);
      await sleep(100);
      failed++;
      continue;
    }
    let done = false;
    let wake: (() => void) | null = null;
    if (!params.polled) {
      tx.callback = () => { done = true; wake?.(); };
      tx.callbackParam = null;
    }
    const cookie = ctx.engine.dmaengineSubmit(tx);
    if (dmaSubmitError(cookie)) {
      result('submit error', srcOff, dstOff, len, ret);
      await sleep(100);
      failed++;
      continue;
    }
    let status: DmaStatus;
    if (params.polled) {
      status = await pollUntilDone(ctx, cookie);
      ctx.engine.dmaengineTerminateSync(ctx.chan);
      if (status === DmaStatus.COMPLETE) done = true;
    } else {
      ctx.engine.dmaAsyncIssuePending(ctx.chan);
      if (!done) {
        await new Promise<void>((resolve) => {
          // the timer goes with the wake-up: a pending 3 s timer would keep the process alive
          const timer = params.timeout >= 0 ? setTimeout(resolve, params.timeout) : null;
          wake = () => { if (timer !== null) clearTimeout(timer); resolve(); };
        });
      }
      wake = null;
      status = ctx.engine.dmaAsyncIsTxComplete(ctx.chan, cookie, null, null);
    }
    // the outcome recorded on the descriptor outlives its cookie's failure record (kept only
    // while the descriptor is reachable): reading it here also keeps it reachable until now
    if (status === DmaStatus.COMPLETE && tx.txResult !== null && tx.txResult.result !== DmaTransResult.NOERROR) {
      status = DmaStatus.ERROR;
    }
    if (!done) {
      result('test timed out', srcOff, dstOff, len, 0);
      failed++;
      continue;
    }
    if (status !== DmaStatus.COMPLETE) {
      result(status === DmaStatus.ERROR ? 'completion error status' : 'completion busy status', srcOff, dstOff, len, ret);
      failed++;
      continue;
    }
    if (params.noverify) {
      if (params.verbose) result('test passed', srcOff, dstOff, len, 0);
      continue;
    }
    const c0 = now();
    const errors = verifyAll(srcs, dsts, srcOff, dstOff, len, bufSize, isMemset, name, log);
    compareTime += now() - c0;
    if (errors) {
      result('data error', srcOff, dstOff, len, errors);
      failed++;
    } else if (params.verbose) {
      result('test passed', srcOff, dstOff, len, 0);
    }
  }
  ctx.onTest?.(total, failed);
  const out = summary();
  // A failing thread terminates the channel's transfers, as the kernel's does.
  if (ret || failed) ctx.engine.dmaengineTerminateSync(ctx.chan);
  return out;
}

/** dma_sync_wait without blocking the loop: poll the cookie once per turn, up to the timeout. */
async function pollUntilDone(ctx: ThreadContext, cookie: number): Promise<DmaStatus> {
  const deadline = Date.now() + 5000;
  ctx.engine.dmaAsyncIssuePending(ctx.chan);
  for (;;) {
    const st = ctx.engine.dmaAsyncIsTxComplete(ctx.chan, cookie, null, null);
    if (st !== DmaStatus.IN_PROGRESS) return st;
    if (Date.now() > deadline) return DmaStatus.ERROR;
    await new Promise((r) => setImmediate(r));
  }
}
