/**
 * How the Promise API's operations fail (lib/offload): the errors it rejects with, and the
 * reason an AbortSignal carries.
 *
 * Model: a transfer that ended badly rejects with {@link DmaTransferError} (a DmaEngineError
 * carrying the transfer result); a timeout rejects with a DmaEngineError `ETIMEDOUT`, never
 * with a transfer result, because the operation may still complete later; an abort rejects
 * with the signal's own reason; an operation asked of a closed Dma, or cut off by `close()`
 * before it started, rejects with `ESHUTDOWN` / `ECANCELED`. Bad arguments never reach here:
 * they throw TypeError/RangeError synchronously.
 *
 * Threading: plain objects, JavaScript thread only.
 */
import { DmaEngineError } from '../dmaengine/errors';
import { DmaTransResult } from '../dmaengine/status';
import { checkInt, invalidType } from '../validate';

/**
 * A transfer that the engine ended with a result other than `NOERROR`: `code` is `'EIO'` for
 * `READ_FAILED`/`WRITE_FAILED` and `'ECANCELED'` for `ABORTED`; `result` says which.
 * @example
 * try { await dma.copy(dst, src); } catch (e) {
 *   if (e instanceof DmaTransferError && e.result === DmaTransResult.READ_FAILED) retry();
 * }
 */
export class DmaTransferError extends DmaEngineError {
  /** The engine's transfer result (`READ_FAILED`, `WRITE_FAILED` or `ABORTED`). */
  readonly result: DmaTransResult;
  /** The operation that failed: `'copy'`, `'xor'`, `'raid6.recover'`, … */
  readonly op: string;

  /**
   * @param op the operation's name
   * @param result the transfer result it ended with (not NOERROR)
   */
  constructor(op: string, result: DmaTransResult) {
    if (typeof op !== 'string') throw invalidType('a string', 'op', op);
    checkInt(result, 'result', DmaTransResult.READ_FAILED, DmaTransResult.ABORTED);
    const name = DmaTransResult[result] ?? String(result);
    super(result === DmaTransResult.ABORTED ? 'ECANCELED' : 'EIO', `${op}: the transfer ended ${name}`);
    this.name = 'DmaTransferError';
    this.result = result;
    this.op = op;
  }
}

/** @internal `ETIMEDOUT`: the operation did not complete within `ms`. */
export function timeoutError(op: string, ms: number): DmaEngineError {
  return new DmaEngineError('ETIMEDOUT', `${op}: not complete after ${ms} ms (it may still complete and write its destination)`);
}

/** @internal an operation asked of a Dma that was closed */
export function closedError(op: string): DmaEngineError {
  return new DmaEngineError('ESHUTDOWN', `${op}: the Dma was closed`);
}

/** @internal an operation that close() found still waiting for its `after` dependencies */
export function cancelledByClose(op: string): DmaEngineError {
  return new DmaEngineError('ECANCELED', `${op}: the Dma was closed before the operation started`);
}

/** @internal what an aborted operation rejects with: the signal's reason (an AbortError DOMException by default) */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
