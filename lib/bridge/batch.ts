/**
 * A batch of bridge operations, encoded straight into the records the kernel reads
 * (`struct dmabridge_op`, 40 bytes; `struct dmabridge_operand`, 16 bytes; little-endian, the
 * only byte order Linux on x86/arm64 user space has here). One batch = one
 * DMABRIDGE_IOC_SUBMIT; the arrays grow and are reused across batches.
 *
 * Threading: JavaScript thread only; the arrays are copied by the native side at submit.
 */
import { MAX_BATCH, MAX_OPERANDS, OP_SIZE, OPERAND_SIZE } from './uapi';

/** One operand: buffer handle, byte offset, P+Q coefficient (0 elsewhere). */
export interface BridgeOperand {
  buf: number;
  offset: number;
  coef?: number;
}

export class BridgeBatch {
  /** operations in the batch */
  nops = 0;
  /** operands in the batch */
  noperands = 0;
  ops = new Uint8Array(OP_SIZE * 64);
  operands = new Uint8Array(OPERAND_SIZE * 256);
  private opView = new DataView(this.ops.buffer);
  private odView = new DataView(this.operands.buffer);

  /** Whether `ops` more operations (one by default) with `operands` operands in all still fit one submit. */
  fits(operands: number, ops = 1): boolean {
    return this.nops + ops <= MAX_BATCH && this.noperands + operands <= MAX_OPERANDS;
  }

  /** The length of operation `i` of the batch. */
  len(i: number): number {
    const o = i * OP_SIZE;
    return this.opView.getUint32(o + 8, true) + this.opView.getUint32(o + 12, true) * 0x100000000;
  }

  clear(): void {
    this.nops = 0;
    this.noperands = 0;
  }

  /**
   * Appends one operation. `tag` comes back in its completion entry (a u32 here).
   * @returns its index in the batch
   */
  add(tag: number, opcode: number, flags: number, len: number, value: number, operands: readonly BridgeOperand[]): number {
    const i = this.nops;
    if ((i + 1) * OP_SIZE > this.ops.length) {
      const n = new Uint8Array(this.ops.length * 2);
      n.set(this.ops);
      this.ops = n;
      this.opView = new DataView(n.buffer);
    }
    const first = this.noperands;
    const needOd = (first + operands.length) * OPERAND_SIZE;
    if (needOd > this.operands.length) {
      let size = this.operands.length * 2;
      while (size < needOd) size *= 2;
      const n = new Uint8Array(size);
      n.set(this.operands);
      this.operands = n;
      this.odView = new DataView(n.buffer);
    }
    const v = this.opView;
    const o = i * OP_SIZE;
    v.setUint32(o, tag >>> 0, true);
    v.setUint32(o + 4, 0, true);
    v.setUint32(o + 8, len >>> 0, true);
    v.setUint32(o + 12, Math.floor(len / 0x100000000), true);
    v.setUint32(o + 16, opcode, true);
    v.setUint32(o + 20, flags, true);
    v.setUint32(o + 24, first, true);
    v.setUint32(o + 28, operands.length, true);
    v.setUint32(o + 32, value, true);
    v.setUint32(o + 36, 0, true);
    const d = this.odView;
    for (let k = 0; k < operands.length; k++) {
      const od = operands[k]!;
      const p = (first + k) * OPERAND_SIZE;
      d.setUint32(p, od.offset >>> 0, true);
      d.setUint32(p + 4, Math.floor(od.offset / 0x100000000), true);
      d.setUint32(p + 8, od.buf, true);
      d.setUint32(p + 12, od.coef ?? 0, true); // coef in the low byte, reserved bytes zero
    }
    this.nops = i + 1;
    this.noperands = first + operands.length;
    return i;
  }
}
