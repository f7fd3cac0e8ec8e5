/**
 * The providers the async_tx tests run their device-backed cases on, and setups built from
 * them. Each entry registers a device with the same options as the plain provider's
 * (`channels`, `caps`, `maxXor`, `maxPq`, `pqContinue`, `*Align`, `name`, …) on an isolated
 * engine: the plain TypeScript provider and the native-engine `soft` one.
 */
import { DmaCap } from '../../lib/dmaengine/caps';
import type { DmaDevice } from '../../lib/dmaengine/device';
import { type DmaEngine, createDmaEngine } from '../../lib/dmaengine/instance';
import { type PlainDeviceOptions, registerPlainDevice } from '../../lib/providers/plain';
import { registerSoftDevice } from '../../lib/providers/soft';
import { type AsyncTx, createAsyncTx } from '../../lib/async_tx/api';

/** A provider: registers one device with `options` on `engine`. */
export interface AsyncTestProvider {
  name: string;
  register: (options: PlainDeviceOptions, engine: DmaEngine) => DmaDevice;
}

export const ASYNC_TEST_PROVIDERS: AsyncTestProvider[] = [
  { name: 'plain', register: (o, e) => registerPlainDevice(o, e) },
  { name: 'soft', register: (o, e) => registerSoftDevice(o, e) },
];

/** Every capability async_tx uses, INTERRUPT and MEMSET included. */
export const ASYNC_CAPS = [DmaCap.MEMCPY, DmaCap.MEMSET, DmaCap.XOR, DmaCap.XOR_VAL, DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT];

/** An engine of one CPU with the given devices, and its async_tx binding. */
export function setupAsync(provider: AsyncTestProvider | null, devices: PlainDeviceOptions[] = []): { engine: DmaEngine; api: AsyncTx; devs: DmaDevice[] } {
  const engine = createDmaEngine({ cpus: 1 });
  const devs = provider ? devices.map((o) => provider.register(o, engine)) : [];
  return { engine, api: createAsyncTx(engine), devs };
}

/** The setups every "both paths" test runs on: software, one channel, several channels. */
export function pathSetups(): { label: string; make: () => ReturnType<typeof setupAsync> }[] {
  const out: { label: string; make: () => ReturnType<typeof setupAsync> }[] = [
    { label: 'software path', make: () => setupAsync(null) },
  ];
  for (const p of ASYNC_TEST_PROVIDERS) {
    out.push({ label: `${p.name}: one channel`, make: () => setupAsync(p, [{ channels: 1, caps: ASYNC_CAPS, maxXor: 3, maxPq: 4 }]) });
    out.push({
      label: `${p.name}: several channels`,
      make: () => setupAsync(p, [
        { channels: 1, caps: [DmaCap.MEMCPY, DmaCap.MEMSET, DmaCap.INTERRUPT] },
        { channels: 1, caps: [DmaCap.XOR, DmaCap.XOR_VAL], maxXor: 2 },
        { channels: 1, caps: [DmaCap.PQ, DmaCap.PQ_VAL, DmaCap.INTERRUPT], maxPq: 5, pqContinue: true },
      ]),
    });
  }
  return out;
}

/** Wait for `tx` (null = done) and assert it completed. */
export async function settle(api: AsyncTx, tx: Parameters<AsyncTx['waitForAsyncTx']>[0]): Promise<void> {
  api.asyncTxIssuePendingAll();
  const st = await api.waitForAsyncTx(tx, 5000);
  if (st !== 0) throw new Error(`descriptor ended with DmaStatus ${st}`);
}
