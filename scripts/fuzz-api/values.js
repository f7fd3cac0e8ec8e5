'use strict';
/**
 * The fuzzer's inputs: a seeded generator, guarded pages (a view with guard bytes on both sides
 * inside a larger ArrayBuffer, so a write outside the view is seen), and hostile values
 * (wrong types, edge numbers, Proxies, frozen and lying objects, detached views, getters that
 * throw or, in the detach mode, detach a page of the same call while the library reads them).
 *
 * Threading: one child process, JavaScript thread only.
 */

/** xorshift32, seeded: the same seed gives the same cases. */
function rng(seed) {
  let x = (seed >>> 0) || 0x9e3779b9;
  const next = () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (a) => a[Math.floor(next() * a.length)],
    chance: (p) => next() < p,
  };
}

/** The seed of case `i` of run `seed`: each case can be replayed alone. */
function caseSeed(seed, i) {
  let h = (seed ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/** Thrown by the fuzzer's own getters and traps: an error the library must let through. */
class FuzzTrapError extends Error {
  constructor(what) { super(`fuzz trap: ${what}`); this.name = 'FuzzTrapError'; }
}

const GUARD = 32;
const GUARD_BYTE = 0xa5;

/**
 * The pages of one case. Each page is a Uint8Array of `len` bytes at offset GUARD of an
 * ArrayBuffer of len + 2·GUARD bytes whose guards hold GUARD_BYTE.
 */
class PageSet {
  constructor(r) { this.r = r; this.pages = []; }
  page(len) {
    const ab = new ArrayBuffer(len + 2 * GUARD);
    const all = new Uint8Array(ab);
    all.fill(GUARD_BYTE, 0, GUARD);
    all.fill(GUARD_BYTE, GUARD + len);
    const v = new Uint8Array(ab, GUARD, len);
    for (let i = 0; i < len; i += 1 + this.r.int(7)) v[i] = this.r.int(256);
    this.pages.push({ ab, all, v, len });
    return v;
  }
  /** Guard bytes intact on every attached page: the name of the first broken one, else null. */
  guardsBroken() {
    for (const [k, p] of this.pages.entries()) {
      if (p.ab.byteLength === 0) continue; // detached by a case: nothing left to read
      for (let i = 0; i < GUARD; i++) if (p.all[i] !== GUARD_BYTE) return `page ${k} guard before, byte ${i}`;
      for (let i = GUARD + p.len; i < p.all.length; i++) if (p.all[i] !== GUARD_BYTE) return `page ${k} guard after, byte ${i - GUARD - p.len}`;
    }
    return null;
  }
  // Read through a fresh view of the ArrayBuffer: the case may have made `v` lie about itself.
  bytesOf(p) { return Buffer.from(p.ab, GUARD, p.len); }
  snapshot() { return this.pages.map((p) => (p.ab.byteLength === 0 ? null : Buffer.from(this.bytesOf(p)))); }
  /** The first page whose bytes differ from `snap`, or -1. */
  changedSince(snap) {
    for (const [k, p] of this.pages.entries()) {
      if (snap[k] === null || p.ab.byteLength === 0) continue;
      if (!this.bytesOf(p).equals(snap[k])) return k;
    }
    return -1;
  }
  detachOne() {
    const live = this.pages.filter((p) => p.ab.byteLength > 0);
    if (live.length === 0) return;
    const p = this.r.pick(live);
    structuredClone(p.ab, { transfer: [p.ab] });
  }
}

const EDGE_NUMBERS = [0, 1, -1, 2, 3, 4, 7, 8, 15, 16, 63, 64, 255, 256, 4095, 4096, 4097, 65536, 1.5, -0.5, NaN, Infinity, -Infinity,
  -0, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 4096, 2 ** 46, 2 ** 53, Number.MAX_SAFE_INTEGER, -(2 ** 31), 1e308];

/**
 * A hostile value. `pages` makes any views (so their guards are checked); `opts.detach` allows
 * getters that detach a page of the case.
 */
function hostile(r, pages, opts, depth = 0) {
  const k = r.int(depth > 1 ? 14 : 24);
  switch (k) {
    case 0: return undefined;
    case 1: return null;
    case 2: return r.pick(EDGE_NUMBERS);
    case 3: return r.int(70);
    case 4: return r.pick([true, false]);
    case 5: return r.pick(['', 'a', 'memfd', 'auto', 'heap:system', 'udmabuf', 'x'.repeat(40), 'a\0b', '4096', 'dma0chan0', '__proto__']);
    case 6: return r.pick([0n, 1n, -1n, 2n ** 64n]);
    case 7: return Symbol('fuzz');
    case 8: return pages.page(r.pick([0, 1, 16, 64, 4096]));
    case 9: return new (r.pick([Uint16Array, Int8Array, Float64Array, Uint8ClampedArray]))(r.pick([0, 4, 512]));
    case 10: return new DataView(new ArrayBuffer(64));
    case 11: return new ArrayBuffer(r.pick([0, 64]));
    case 12: return () => {};
    case 13: return {};
    case 14: return new Uint8Array(new SharedArrayBuffer(r.pick([0, 64])));
    case 15: { // a detached view
      const ab = new ArrayBuffer(64);
      const v = new Uint8Array(ab);
      structuredClone(ab, { transfer: [ab] });
      return v;
    }
    case 16: return new Proxy(pages.page(64), {});
    case 17: { // a revoked Proxy
      const { proxy, revoke } = Proxy.revocable(r.chance(0.5) ? {} : [], {});
      revoke();
      return proxy;
    }
    case 18: { // a view whose own byteLength, byteOffset, length and methods lie
      const v = pages.page(64);
      Object.defineProperty(v, 'byteLength', { value: r.pick([0, 16, 1 << 20]) });
      Object.defineProperty(v, 'length', { value: r.pick([0, 16, 1 << 20]) });
      Object.defineProperty(v, 'byteOffset', { value: r.pick([0, 8, 1 << 20]) });
      v.fill = () => { throw new FuzzTrapError('own fill'); };
      v.subarray = () => pages.page(1 << 12);
      return v;
    }
    case 19: return Object.freeze(r.chance(0.5) ? {} : { flags: 0, dependTx: null, cbFn: null, cbParam: null, scribble: null });
    case 20: return Object.create(Buffer.prototype);
    case 21: // an array of hostile values
      return Array.from({ length: r.int(6) }, () => hostile(r, pages, opts, depth + 1));
    case 22: { // an object whose getters throw, or (detach mode) detach a page
      const o = {};
      for (const key of ['flags', 'dependTx', 'cbFn', 'cbParam', 'scribble', 'buf', 'off', 'value', 'size', 'source', 'name', 'memfd', 'offset', 'disks', 'length', '0', '1']) {
        if (!r.chance(0.3)) continue;
        Object.defineProperty(o, key, {
          enumerable: true,
          get: () => {
            if (opts.detach && r.chance(0.5)) { pages.detachOne(); return 0; }
            throw new FuzzTrapError(`getter ${key}`);
          },
        });
      }
      return o;
    }
    default: { // a Proxy whose traps throw or (detach mode) detach a page
      return new Proxy(r.chance(0.5) ? [pages.page(64), pages.page(64)] : {}, {
        get(t, key) {
          if (opts.detach && r.chance(0.3)) pages.detachOne();
          if (r.chance(0.2)) throw new FuzzTrapError(`proxy get ${String(key)}`);
          return Reflect.get(t, key);
        },
        getPrototypeOf(t) { return r.chance(0.3) ? Uint8Array.prototype : Reflect.getPrototypeOf(t); },
      });
    }
  }
}

module.exports = { rng, caseSeed, hostile, PageSet, FuzzTrapError, GUARD };
