/**
 * The addon's `constants` export (native/addon/abi_binding.cc): the engine's ABI as
 * native/engine/abi.h defines it, in nested frozen groups (as Node's `os.constants`).
 *
 * TypeScript code takes these values from lib/dmaengine/abi.ts, which loads without the addon;
 * test/11.engine.abi.test.ts checks that the two agree on every value.
 */
export interface AbiConstants {
  /** `enum dmaengine_tx_result`. */
  readonly txResult: { readonly NOERROR: number; readonly READ_FAILED: number; readonly WRITE_FAILED: number; readonly ABORTED: number };
  /** `enum sum_check_flags`. */
  readonly sumCheck: { readonly P_RESULT: number; readonly Q_RESULT: number };
  /** Cookie bounds and the status block's cookie cell. */
  readonly cookie: {
    readonly MIN: number; readonly MAX: number; readonly USED: number; readonly COMPLETED: number;
    readonly CELL_WORDS: number; readonly CELL_STRIDE: number;
  };
  /** Descriptor flags. */
  readonly flags: { readonly FENCE: number; readonly ZERO_DST: number; readonly PQ_XOR_DST: number; readonly ACCUMULATE: number };
  /** Completion batch layout: words per completion and each field's word. */
  readonly completion: {
    readonly STRIDE: number; readonly CHANNEL: number; readonly COOKIE: number; readonly RESULT: number;
    readonly VAL_RESULT: number;
  };
  /** Limits. */
  readonly limits: {
    readonly MAX_CHANNELS: number; readonly MAX_XOR_SOURCES: number; readonly MAX_DISKS: number;
    readonly MAX_PQ_SOURCES: number; readonly MAX_LEN: number; readonly MAX_WAIT_MICROS: number;
    readonly MAX_WORKER_NICE: number;
  };
  /** Engine option defaults. */
  readonly defaults: {
    readonly SPIN_MICROS: number; readonly COALESCE_MICROS: number; readonly WORKER_NICE: number;
    readonly WORKER_POLICY: number;
  };
  /** The worker threads' scheduling policies. */
  readonly workerPolicy: { readonly NORMAL: number; readonly BATCH: number; readonly IDLE: number };
}

export interface AbiAddon {
  /** The engine's ABI constants, frozen. */
  readonly constants: AbiConstants;
}
