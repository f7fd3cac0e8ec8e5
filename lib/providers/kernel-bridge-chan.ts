/**
 * The kernel bridge provider's channel and descriptor records, and how a descriptor ends.
 *
 * Model: a {@link KernelBridgeChan} is one kernel channel held through the bridge (its handle
 * and what its driver registered). Cookies are assigned in JavaScript at submit (the kernel's
 * dma_cookie_assign), completed when the ring entry is delivered. A descriptor moves
 * submitted (`pending`) → issued (`backlog`, until the ring has room) → in the kernel (the
 * session's tag table) → done.
 *
 * Threading: JavaScript thread only.
 */
import type { BridgeOperand } from '../bridge/batch';
import type { BridgeChanInfo } from '../bridge/kernel-bridge';
import { DmaChan } from '../dmaengine/channel';
import { dmaCookieComplete } from '../dmaengine/cookie';
import { DmaAsyncTxDescriptor } from '../dmaengine/descriptor';
import { DmaTransResult } from '../dmaengine/status';
import { FailedCookies, finishStep, recordOutcome } from './outcome';

/** One bridge operation's length, value and operands (a descriptor is one or more of them). */
export interface BridgePiece {
  readonly len: number;
  readonly value: number;
  readonly operands: BridgeOperand[];
}

/**
 * One prepared descriptor: one bridge operation, or several (a slave scatterlist: one per
 * entry, `extra` after the first) that complete as one.
 */
export class KernelBridgeDesc extends DmaAsyncTxDescriptor implements BridgePiece {
  /** @internal the cookie it was given (kept after `cookie` is cleared) */
  submitted = 0;
  /** @internal the operations after the first (slave scatterlist entries) */
  extra: BridgePiece[] = [];
  /** @internal operations sent to the kernel and not ended yet */
  owed = 0;
  /** @internal the first failure among its operations, the bytes they left, their val bits */
  endResult = 0;
  endResidue = 0;
  endVal = 0;

  /**
   * @param opcode DMABRIDGE_OP_*
   * @param opFlags DMABRIDGE_F_* (COMPLETION is added at submit)
   * @param operands buffer handles and offsets, in the opcode's order
   * @param keep the operands' views, held until completion (their mappings stay mapped)
   * @param memcpyLen bytes counted in `bytesTransferred` (-1: not a copy)
   * @param finishVal stores a validate result at completion
   */
  constructor(chan: KernelBridgeChan, flags: number, readonly opcode: number, readonly opFlags: number,
    readonly len: number, readonly value: number, readonly operands: BridgeOperand[], readonly keep: Uint8Array[],
    readonly memcpyLen = -1, readonly finishVal: ((val: number) => void) | null = null) {
    super(chan, flags);
  }

  /** Bytes over all its operations. */
  get total(): number {
    let n = this.len;
    for (const p of this.extra) n += p.len;
    return n;
  }
}

/** A kernel channel reached through the bridge. */
export class KernelBridgeChan extends DmaChan {
  /** @internal submitted, not yet issued */
  pending: KernelBridgeDesc[] = [];
  /** @internal issued, waiting for ring room */
  backlog: KernelBridgeDesc[] = [];
  /** @internal first live entry of `backlog` */
  backlogHead = 0;
  /** @internal cookies that did not end well */
  failed = new FailedCookies();
  /** @internal in the kernel or backlog, not completed */
  inflight = 0;
  /** @internal the configured slave direction (DMABRIDGE_SLAVE_*), 0 before deviceConfig */
  slaveDir = 0;

  /** @param info the channel as the bridge reported it at request time */
  constructor(readonly info: BridgeChanInfo) {
    super();
  }
}

/** One descriptor's end (the session calls it for every completion, abort or refusal). */
export function finishBridgeDesc(d: KernelBridgeDesc, res: DmaTransResult, residue: number, val: number, errors: unknown[]): void {
  const c = d.chan as KernelBridgeChan;
  c.inflight--;
  const result = recordOutcome(c, d, d.submitted, res, d.finishVal, val, d.memcpyLen, errors);
  if (d.cookie > 0) dmaCookieComplete(d);
  finishStep(d, { result, residue: result === DmaTransResult.NOERROR ? 0 : residue }, errors);
}
