/**
 * Slave transfers on the bridge's exclusive slave channels: `deviceConfig` (the kernel's
 * `dmaengine_slave_config` through DMABRIDGE_IOC_SLAVE_CONFIG) and `devicePrepSlaveSg` (one
 * DMABRIDGE_OP_SLAVE operation per scatterlist entry, completing as one descriptor).
 *
 * Model: the kernel takes one direction per configuration and refuses a transfer in the other
 * one; so does this prep, before anything is queued, with a DmaEngineError saying what to do.
 * The core does not check slave preps (prep.ts covers the async_tx ops), so every argument is
 * checked here. Memory must be dma-buf bytes the device can reach; other memory makes the prep
 * return null (as for the memory-to-memory ops; there is no software fallback for a
 * peripheral).
 *
 * Threading: JavaScript thread only.
 */
import type { BridgeOperand } from '../bridge/batch';
import { BridgeCap, MAX_BATCH, SLAVE_DEV_TO_MEM, SLAVE_MEM_TO_DEV } from '../bridge/uapi';
import { DMA_MAX_LEN } from '../dmaengine/abi';
import { DmaEngineError } from '../dmaengine/errors';
import { type DmaSgEntry, type DmaSlaveConfig, DmaTransferDirection } from '../dmaengine/slave';
import { DMA_CTRL_FLAGS_ALL } from '../dmaengine/status';
import { checkBytes, checkInt, checkRange, invalidRange, invalidType } from '../validate';
import { subView } from '../views';
import type { BridgePiece, KernelBridgeChan } from './kernel-bridge-chan';
import type { BridgeSession } from './kernel-bridge-session';

const WIDTHS = [1, 2, 4, 8];

/** The bridge's direction value for a core direction (the same numbers: enum dma_transfer_direction). */
function bridgeDir(d: unknown, name: string): number {
  if (d !== DmaTransferDirection.MEM_TO_DEV && d !== DmaTransferDirection.DEV_TO_MEM) {
    throw invalidRange(name, 'DmaTransferDirection.MEM_TO_DEV or DEV_TO_MEM', d);
  }
  return d === DmaTransferDirection.MEM_TO_DEV ? SLAVE_MEM_TO_DEV : SLAVE_DEV_TO_MEM;
}

/** Whether the channel can take slave transfers (exclusive, its device has DMA_SLAVE). */
export function checkSlaveChan(c: KernelBridgeChan, model: 'exclusive' | 'shared'): void {
  if (model !== 'exclusive' || (c.info.capMask & BridgeCap.SLAVE) === 0) {
    throw new DmaEngineError('EOPNOTSUPP', `${c.info.name} (${c.info.device}) is not an exclusive slave channel: ` +
      "slave transfers need a DMA_SLAVE channel registered with registerKernelDevices({ model: 'exclusive' })");
  }
}

function devAddr(v: unknown, name: string): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'bigint') {
    if (v < 0n || v >= 1n << 64n) throw invalidRange(name, 'a bus address from 0 to 2^64-1', v);
    return v;
  }
  return BigInt(checkInt(v, name, 0, Number.MAX_SAFE_INTEGER));
}

/**
 * `device_config`: the device side of the next transfers (for DEV_TO_MEM the `src*` fields,
 * for MEM_TO_DEV the `dst*` ones). Refused while transfers on the channel are not complete.
 */
export function bridgeSlaveConfig(session: BridgeSession, c: KernelBridgeChan, model: 'exclusive' | 'shared',
  config: DmaSlaveConfig): number {
  if (config === null || typeof config !== 'object') throw invalidType('a DmaSlaveConfig object', 'config', config);
  const dir = bridgeDir(config.direction, 'config.direction');
  const side = dir === SLAVE_DEV_TO_MEM ? 'src' : 'dst';
  const addr = devAddr(config[`${side}Addr`], `config.${side}Addr`);
  const width: unknown = config[`${side}AddrWidth`];
  if (!WIDTHS.includes(width as number)) throw invalidRange(`config.${side}AddrWidth`, 'a bus width of 1, 2, 4 or 8 bytes', width);
  const burst = config[`${side}Maxburst`] === undefined ? 0 : checkInt(config[`${side}Maxburst`], `config.${side}Maxburst`, 0, 65536);
  checkSlaveChan(c, model);
  if ((c.info.directions & (1 << dir)) === 0) {
    throw new DmaEngineError('EINVAL', `${c.info.name} does not move data ${DmaTransferDirection[dir]} (its directions: 0x${c.info.directions.toString(16)})`);
  }
  if (c.inflight > 0) {
    throw new DmaEngineError('EBUSY', `${c.info.name} has ${c.inflight} transfer(s) not complete: configure it once they are`);
  }
  c.slaveDir = 0;
  session.bridge.slaveConfig(c.info.handle, dir, width as number, burst, addr);
  c.slaveDir = dir;
  return 0;
}

/**
 * `device_prep_slave_sg`: the first `sgLen` entries of `sgl`, each one bridge operation; the
 * descriptor completes when all have.
 * @returns the pieces and the views they keep mapped, or null when an entry is not memory
 *   the device can reach
 */
export function bridgeSlavePieces(session: BridgeSession, c: KernelBridgeChan, model: 'exclusive' | 'shared',
  sgl: DmaSgEntry[], sgLen: number, direction: DmaTransferDirection, flags: number): { pieces: BridgePiece[]; keep: Uint8Array[] } | null {
  if (!Array.isArray(sgl)) throw invalidType('an Array of { buf, off, len }', 'sgl', sgl);
  const most = Math.min(sgl.length, MAX_BATCH, session.bridge.ringEntries);
  checkInt(sgLen, 'sgLen', 1, Math.max(1, most));
  if (sgLen > sgl.length) throw invalidRange('sgLen', `at most sgl.length (${sgl.length})`, sgLen);
  const dir = bridgeDir(direction, 'direction');
  checkInt(flags, 'flags', 0, DMA_CTRL_FLAGS_ALL);
  const entries: DmaSgEntry[] = [];
  for (let i = 0; i < sgLen; i++) {
    const e: unknown = sgl[i];
    if (e === null || typeof e !== 'object') throw invalidType('a scatterlist entry ({ buf, off, len })', `sgl[${i}]`, e);
    const { buf: b, off: o, len: l } = e as DmaSgEntry; // each field read once
    const buf = checkBytes(b, `sgl[${i}].buf`);
    const len = checkInt(l, `sgl[${i}].len`, 1, DMA_MAX_LEN);
    const off = checkRange(buf, `sgl[${i}].buf`, o, `sgl[${i}].off`, len, `sgl[${i}].len`);
    entries.push({ buf, off, len });
  }
  checkSlaveChan(c, model);
  if (c.slaveDir === 0) {
    throw new DmaEngineError('EINVAL', `${c.info.name} has no slave configuration: call dmaengineSlaveConfig (deviceConfig) first`);
  }
  if (c.slaveDir !== dir) {
    throw new DmaEngineError('EINVAL', `${c.info.name} is configured for ${DmaTransferDirection[c.slaveDir]}, ` +
      `this transfer is ${DmaTransferDirection[dir]}: configure the channel for it first`);
  }
  const pieces: BridgePiece[] = [];
  const keep: Uint8Array[] = [];
  for (const e of entries) {
    const od: BridgeOperand | null = session.operand(c, e.buf, e.off);
    if (od === null) return null;
    pieces.push({ len: e.len, value: dir, operands: [od] });
    keep.push(subView(e.buf, e.off, e.off + e.len));
  }
  return { pieces, keep };
}
