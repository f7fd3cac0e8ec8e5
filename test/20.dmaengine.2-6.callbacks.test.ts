import assert from 'node:assert/strict';
import { DmaChan } from '../lib/dmaengine/channel';
import {
  DmaAsyncTxDescriptor, dmaAsyncTxDescriptorInit, dmaRunDependencies, dmaengineDescCallbackInvoke, dmaengineDescGetCallback,
} from '../lib/dmaengine/descriptor';
import { DmaTransResult, type DmaengineResult } from '../lib/dmaengine/status';

describe('§2.6 callbacks and §1.7 dma_run_dependencies', () => {
  it('callbackResult wins over callback, never both; NOERROR when the provider gives no result', () => {
    const calls: string[] = [];
    const tx = new DmaAsyncTxDescriptor();
    tx.callbackParam = 'p';
    tx.callback = (p) => calls.push(`cb ${String(p)}`);
    tx.callbackResult = (p, r: DmaengineResult) => calls.push(`res ${String(p)} ${r.result} ${r.residue}`);
    dmaengineDescCallbackInvoke(tx);
    dmaengineDescCallbackInvoke(tx, { result: DmaTransResult.ABORTED, residue: 7 });
    tx.callbackResult = null;
    dmaengineDescCallbackInvoke(dmaengineDescGetCallback(tx), { result: DmaTransResult.ABORTED, residue: 7 });
    assert.deepEqual(calls, ['res p 0 0', 'res p 3 7', 'cb p']);
  });

  it('result names and values', () => {
    assert.deepEqual([DmaTransResult.NOERROR, DmaTransResult.READ_FAILED, DmaTransResult.WRITE_FAILED, DmaTransResult.ABORTED], [0, 1, 2, 3]);
  });

  it('submits the children on the same channel in order, stops at a channel change, issues once', () => {
    const a = new DmaChan();
    const b = new DmaChan();
    const log: string[] = [];
    const issued: DmaChan[] = [];
    a.device = { deviceIssuePending: (c: DmaChan) => issued.push(c) } as never;
    const mk = (chan: DmaChan, name: string): DmaAsyncTxDescriptor => {
      const tx = new DmaAsyncTxDescriptor();
      dmaAsyncTxDescriptorInit(tx, chan);
      tx.txSubmit = () => { log.push(name); return 1; };
      return tx;
    };
    const root = mk(a, 'root');
    const c1 = mk(a, 'c1');
    const c2 = mk(a, 'c2');
    const c3 = mk(b, 'c3');
    root.next = c1; c1.parent = root;
    c1.next = c2; c2.parent = c1;
    c2.next = c3; c3.parent = c2;
    dmaRunDependencies(root);
    assert.deepEqual(log, ['c1', 'c2']);
    assert.equal(root.next, null);
    assert.equal(c1.next, null);
    assert.equal(c1.parent, null);
    assert.equal(c2.parent, null);
    assert.equal(c2.next, c3, 'the cross-channel child stays chained to its predecessor');
    assert.equal(c3.parent, c2);
    assert.deepEqual(issued, [a]);
    dmaRunDependencies(c1); // nothing chained: no-op
    assert.deepEqual(log, ['c1', 'c2']);
  });
});
