// One engine ABI: the addon's `constants` (native/engine/abi.h, exported by
// native/addon/abi_binding.cc) and lib/dmaengine/abi.ts, TypeScript's copy, agree on every
// value; neither has one the other lacks, so any drift fails here.
import assert from 'node:assert/strict';
import * as abi from '../lib/dmaengine/abi';
import { native } from '../lib/native';
import type { AbiConstants } from '../lib/native-types/abi';

// "group.KEY" of native().constants → the name of its twin in abi.ts ("Enum.MEMBER" for an
// enum member).
const TWINS: Record<string, string> = {
  'txResult.NOERROR': 'DmaTransResult.NOERROR',
  'txResult.READ_FAILED': 'DmaTransResult.READ_FAILED',
  'txResult.WRITE_FAILED': 'DmaTransResult.WRITE_FAILED',
  'txResult.ABORTED': 'DmaTransResult.ABORTED',
  'sumCheck.P_RESULT': 'SumCheckFlags.P_RESULT',
  'sumCheck.Q_RESULT': 'SumCheckFlags.Q_RESULT',
  'cookie.MIN': 'DMA_MIN_COOKIE',
  'cookie.MAX': 'DMA_MAX_COOKIE',
  'cookie.USED': 'COOKIE_USED',
  'cookie.COMPLETED': 'COOKIE_COMPLETED',
  'cookie.CELL_WORDS': 'COOKIE_CELL_WORDS',
  'cookie.CELL_STRIDE': 'COOKIE_CELL_STRIDE',
  'flags.FENCE': 'ENGINE_FENCE',
  'flags.ZERO_DST': 'ENGINE_ZERO_DST',
  'flags.PQ_XOR_DST': 'ENGINE_PQ_XOR_DST',
  'flags.ACCUMULATE': 'ENGINE_ACCUMULATE',
  'completion.STRIDE': 'COMPLETION_STRIDE',
  'completion.CHANNEL': 'COMPLETION_CHANNEL',
  'completion.COOKIE': 'COMPLETION_COOKIE',
  'completion.RESULT': 'COMPLETION_RESULT',
  'completion.VAL_RESULT': 'COMPLETION_VAL_RESULT',
  'limits.MAX_CHANNELS': 'ENGINE_MAX_CHANNELS',
  'limits.MAX_XOR_SOURCES': 'MAX_XOR_SOURCES',
  'limits.MAX_DISKS': 'MAX_DISKS',
  'limits.MAX_PQ_SOURCES': 'MAX_PQ_SOURCES',
  'limits.MAX_LEN': 'DMA_MAX_LEN',
  'limits.MAX_WAIT_MICROS': 'ENGINE_MAX_WAIT_MICROS',
  'limits.MAX_WORKER_NICE': 'ENGINE_MAX_WORKER_NICE',
  'limits.MAX_STRIPE_BYTES': 'ENGINE_MAX_STRIPE_BYTES',
  'limits.MAX_STRIPE_THREADS': 'ENGINE_MAX_STRIPE_THREADS',
  'defaults.SPIN_MICROS': 'ENGINE_DEFAULT_SPIN_MICROS',
  'defaults.COALESCE_MICROS': 'ENGINE_DEFAULT_COALESCE_MICROS',
  'defaults.WORKER_NICE': 'ENGINE_DEFAULT_WORKER_NICE',
  'defaults.STRIPE_BYTES': 'ENGINE_DEFAULT_STRIPE_BYTES',
  'defaults.WORKER_POLICY': 'ENGINE_DEFAULT_WORKER_POLICY',
  'workerPolicy.NORMAL': 'EngineWorkerPolicy.NORMAL',
  'workerPolicy.BATCH': 'EngineWorkerPolicy.BATCH',
  'workerPolicy.IDLE': 'EngineWorkerPolicy.IDLE',
};

/** Every value abi.ts exports, by name: constants as NAME, enum members as Enum.MEMBER. */
function tsValues(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [name, v] of Object.entries(abi)) {
    if (typeof v === 'object' && v !== null) {
      // A numeric enum also maps values back to names: keep the name → value half.
      for (const [k, m] of Object.entries(v)) if (!/^\d+$/.test(k)) out.set(`${name}.${k}`, m);
    } else {
      out.set(name, v);
    }
  }
  return out;
}

/** Every leaf of the addon's constants, as group.KEY. */
function nativeValues(c: AbiConstants): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [group, o] of Object.entries(c)) {
    assert.equal(typeof o, 'object', `constants.${group} is a group`);
    for (const [k, v] of Object.entries(o as object)) out.set(`${group}.${k}`, v);
  }
  return out;
}

describe('engine ABI: the addon\'s constants and lib/dmaengine/abi.ts', () => {
  const c = native().constants;

  it('every native constant equals its twin in abi.ts', () => {
    const ts = tsValues();
    for (const [path, v] of nativeValues(c)) {
      const twin = TWINS[path];
      assert.ok(twin !== undefined, `constants.${path} (${String(v)}) has no twin listed in this test`);
      assert.ok(ts.has(twin), `constants.${path}'s twin ${twin} is not exported by abi.ts`);
      assert.equal(typeof v, 'number', `constants.${path}`);
      assert.equal(v, ts.get(twin), `constants.${path} = ${String(v)} but abi.ts ${twin} = ${String(ts.get(twin))}`);
    }
  });

  it('every value abi.ts exports has a native twin', () => {
    const natives = nativeValues(c);
    const covered = new Set(Object.values(TWINS));
    for (const name of tsValues().keys()) assert.ok(covered.has(name), `abi.ts ${name} has no native twin`);
    for (const [path, twin] of Object.entries(TWINS)) {
      assert.ok(natives.has(path), `${twin}'s twin constants.${path} is missing from the addon`);
    }
  });

  it('is frozen, groups included, and the same object on every read', () => {
    assert.ok(Object.isFrozen(c));
    for (const [group, o] of Object.entries(c)) assert.ok(Object.isFrozen(o), `constants.${group}`);
    assert.equal(Reflect.set(c.limits, 'MAX_CHANNELS', 1), false, 'a frozen group refuses a write');
    assert.equal(Reflect.set(c, 'limits', {}), false, 'the groups cannot be replaced');
    assert.equal(c.limits.MAX_CHANNELS, abi.ENGINE_MAX_CHANNELS);
    assert.equal(native().constants, c);
  });

  it('the engine enforces the exported limits', () => {
    const { SoftEngineHandle } = native();
    assert.throws(() => new SoftEngineHandle(c.limits.MAX_CHANNELS + 1, 0, () => {}),
      { name: 'RangeError', message: new RegExp(`"channels".*${c.limits.MAX_CHANNELS}`) });
    const h = new SoftEngineHandle(1, 0, () => {});
    try {
      const b = new Uint8Array(8);
      const srcs = new Array<Uint8Array>(c.limits.MAX_XOR_SOURCES + 1).fill(b);
      assert.throws(() => h.xorVal(0, 0, -1, 0, srcs, 0, 8),
        { name: 'RangeError', message: new RegExp(`"srcs".* ${c.limits.MAX_XOR_SOURCES} entries`) });
      assert.throws(() => h.memcpy(0, 0, -1, 0, b, 0, b, 0, c.limits.MAX_LEN + 1),
        { name: 'RangeError', message: new RegExp(`"len".*${c.limits.MAX_LEN}`) });
      assert.throws(() => h.interrupt(0, c.flags.ZERO_DST, -1, 0), { name: 'RangeError', message: /"flags"/ });
    } finally {
      h.close();
    }
  });
});
