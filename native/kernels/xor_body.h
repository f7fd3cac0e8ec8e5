// xor gen and xor check, written once over a vector type W (simd_avx2.h, simd_avx512.h).
//
// Model: null sources are dropped up front; 1..8 sources run a version with the count fixed at
// compile time (pointers in registers, fully unrolled), more run the generic loop. Every
// source of a column block is read before the block of dst is written, so a source equal to
// dst (async_xor feeding back its running result) reads the old bytes. Three-way xors pair
// sources (one vpternlogq on AVX-512). The check ORs the column xors and leaves at the first
// non-zero block.
//
// Realigned sources (AVX-512, 1..8 sources, from kRealignFrom bytes): when the sources start
// at different offsets in their lines (Node's 64 KiB Buffers: consecutive malloc chunks, so
// 16, 32, 48, 0, …), no head peeled off makes them all aligned, and every 64-byte load of a
// misaligned source spans two lines. Measured on Zen 5 (8 × 64 KiB, cache-hot from L2), xor
// gen took 1.4× the aligned time with line-split loads and 1.05× with split stores only
// (docs/kernels.md, "The boundary"). So each source is read in aligned lines and each vector
// is two consecutive lines joined (one vpermt2d): the same loads as the aligned case. Only for
// offsets that are multiples of 4 (every malloc'd buffer); others take the plain path.
//
// Included after the ISA pragma; includes nothing; internal linkage only.
//
// Threading: reentrant.
#pragma once

namespace dmae {
namespace kernels {
namespace {

template <class W, int N, int U>
struct XorKernel {
  using V = typename W::V;

  // acc[u] = ⊕ s[k][i + u·kW] (optionally ⊕ dst).
  template <int C, bool Group, class M>
  static inline void column(const uint8_t* const* s, int nrt, size_t i, const M& m, V* a) {
    const int n = N ? N : nrt;
    for (int u = 0; u < C; u++) a[u] = m.ld(s[0] + i + u * W::kW);
    int k = 1;
    for (; k + 1 < n; k += 2) {
      if constexpr (Group) {
        // One slot's whole block first, then the other's: longer runs per stream, measured
        // faster from L3; for xor gen with 256-bit loads it costs more at 4 KiB than it gains
        // (W::kGroupLoads), for the check it is always worth it.
        V b[C];
        for (int u = 0; u < C; u++) b[u] = m.ldR(s[k] + i + u * W::kW);
        for (int u = 0; u < C; u++) a[u] = W::x3(a[u], b[u], m.ld(s[k + 1] + i + u * W::kW));
      } else {
        for (int u = 0; u < C; u++) {
          a[u] = W::x3(a[u], m.ld(s[k] + i + u * W::kW), m.ld(s[k + 1] + i + u * W::kW));
        }
      }
    }
    if (k < n) {
      for (int u = 0; u < C; u++) a[u] = W::x(a[u], m.ld(s[k] + i + u * W::kW));
    }
  }

  // Out of line: inlined three times into gen() it pushed GCC past its inlining budget and
  // the column loop was left as calls (a third slower at 4 KiB).
  template <class Full = FullMem<W>>
  __attribute__((noinline)) static void genRange(uint8_t* dst, const uint8_t* const* s, int nrt, size_t len, bool zeroDst) {
    forColumns<W, U>(len, [&](size_t i, auto cols, auto m) {
      constexpr int C = decltype(cols)::n;
      V a[C];
      column<C, W::kGroupLoads>(s, nrt, i, m, a);
      if (!zeroDst) {
        for (int u = 0; u < C; u++) a[u] = W::x(a[u], m.ld(dst + i + u * W::kW));
      }
      for (int u = 0; u < C; u++) m.st(dst + i + u * W::kW, a[u]);
      return true;
    }, Full{});
  }

  // From kStreamFrom bytes, the destination is written with streaming stores: the result is
  // bound for a device or a disk, and skipping the read-for-ownership of every destination line
  // frees a ninth of the memory traffic of an 8-source xor. The head up to dst's alignment and
  // the tail go through the ordinary path.
  static constexpr size_t kStreamFrom = size_t{512} << 10;
  static void gen(uint8_t* dst, const uint8_t* const* s, int nrt, size_t len, bool zeroDst) {
    if (len < kStreamFrom) {
      if (!realignable(s, nrt, len)) return genRange(dst, s, nrt, len, zeroDst);
      const size_t done = genRealigned(dst, s, len, zeroDst);
      const uint8_t* t[kMaxXorSources];
      for (int k = 0; k < nrt; k++) t[k] = s[k] + done;
      return genRange(dst + done, t, nrt, len - done, zeroDst);
    }
    const int n = N ? N : nrt;
    const size_t head = (W::kW - (reinterpret_cast<uintptr_t>(dst) & (W::kW - 1))) & (W::kW - 1);
    if (head) genRange(dst, s, nrt, head, zeroDst);
    const uint8_t* t[kMaxXorSources];
    for (int k = 0; k < n; k++) t[k] = s[k] + head;
    const size_t body = (len - head) & ~(W::kW - 1);
    genRange<StreamMem<W>>(dst + head, t, nrt, body, zeroDst);
    _mm_sfence();
    if (head + body < len) {
      for (int k = 0; k < n; k++) t[k] = s[k] + head + body;
      genRange(dst + head + body, t, nrt, len - head - body, zeroDst);
    }
  }

  // The realigned walk over [0, body): body is a multiple of kW, at least kW short of len, so
  // the line after each column's last byte is still inside every source (a source's line
  // holds bytes of at most two columns, both read before the first of them is written, so a
  // source that is dst itself reads old bytes as the plain path does). The first line of each
  // source is loaded without the bytes before the source.
  static constexpr size_t kRealignFrom = 2048;
  static bool realignable(const uint8_t* const* s, int nrt, size_t len) {
    if constexpr (!W::kRealign || N == 0) {
      return false;
    } else {
      if (len < kRealignFrom) return false;
      unsigned any = 0;
      for (int k = 0; k < N; k++) {
        const unsigned o = reinterpret_cast<uintptr_t>(s[k]) & (W::kW - 1);
        if (o & 3) return false;
        any |= o;
      }
      return any != 0;
    }
  }
  __attribute__((noinline)) static size_t genRealigned(uint8_t* dst, const uint8_t* const* s, size_t len, bool zeroDst) {
    if constexpr (!W::kRealign || N == 0) {
      return 0;
    } else {
      const size_t body = (len - W::kW) & ~(W::kW - 1);
      const uint8_t* line[N];
      V idx[N], prev[N];
      for (int k = 0; k < N; k++) {
        const unsigned o = reinterpret_cast<uintptr_t>(s[k]) & (W::kW - 1);
        line[k] = s[k] - o;
        idx[k] = W::shiftIndex(o);
        prev[k] = W::lineFrom(line[k], o);
      }
      for (size_t i = 0; i < body; i += W::kW) {
        V v[N];
        for (int k = 0; k < N; k++) {
          const V next = W::line(line[k] + i + W::kW);
          v[k] = W::join(prev[k], idx[k], next);
          prev[k] = next;
        }
        V a = v[0];
        int k = 1;
        for (; k + 1 < N; k += 2) a = W::x3(a, v[k], v[k + 1]);
        if (k < N) a = W::x(a, v[k]);
        if (!zeroDst) a = W::x(a, W::load(dst + i));
        W::store(dst + i, a);
      }
      return body;
    }
  }

  // The OR of the column xors accumulates across blocks and is tested every kTestEvery
  // blocks (1–2 KiB): one test and branch per 256 bytes cost more than early exit saves.
  static bool isZero(const uint8_t* const* s, int nrt, size_t len) {
    constexpr int kTestEvery = 4;
    V run = W::zero();
    int k = 0;
    const bool clean = forColumns<W, U>(len, [&](size_t i, auto cols, auto m) {
      constexpr int C = decltype(cols)::n;
      V a[C];
      column<C, true>(s, nrt, i, m, a);
      for (int u = 0; u < C; u++) run = W::o(run, a[u]);
      if (++k < kTestEvery) return true;
      k = 0;
      return W::isZero(run);
    });
    return clean && W::isZero(run);
  }
};

// Drops null sources into `out`; returns how many remain.
inline int compactSources(const uint8_t* const* srcs, int nsrc, const uint8_t** out) {
  int n = 0;
  for (int i = 0; i < nsrc; i++) {
    if (srcs[i]) out[n++] = srcs[i];
  }
  return n;
}

template <class W, int U>
void xorGenImpl(uint8_t* dst, const uint8_t* const* srcs, int nsrc, size_t len, bool zeroDst) {
  const uint8_t* s[kMaxXorSources];
  const int n = compactSources(srcs, nsrc, s);
  if (n == 0) {
    if (zeroDst) __builtin_memset(dst, 0, len);
    return;
  }
  switch (n) {
    case 1: XorKernel<W, 1, U>::gen(dst, s, n, len, zeroDst); break;
    case 2: XorKernel<W, 2, U>::gen(dst, s, n, len, zeroDst); break;
    case 3: XorKernel<W, 3, U>::gen(dst, s, n, len, zeroDst); break;
    case 4: XorKernel<W, 4, U>::gen(dst, s, n, len, zeroDst); break;
    case 5: XorKernel<W, 5, U>::gen(dst, s, n, len, zeroDst); break;
    case 6: XorKernel<W, 6, U>::gen(dst, s, n, len, zeroDst); break;
    case 7: XorKernel<W, 7, U>::gen(dst, s, n, len, zeroDst); break;
    case 8: XorKernel<W, 8, U>::gen(dst, s, n, len, zeroDst); break;
    default: XorKernel<W, 0, U>::gen(dst, s, n, len, zeroDst); break;
  }
}

template <class W, int U>
bool xorIsZeroImpl(const uint8_t* const* srcs, int nsrc, size_t len) {
  const uint8_t* s[kMaxXorSources];
  const int n = compactSources(srcs, nsrc, s);
  if (n == 0) return true;
  switch (n) {
    case 1: return XorKernel<W, 1, U>::isZero(s, n, len);
    case 2: return XorKernel<W, 2, U>::isZero(s, n, len);
    case 3: return XorKernel<W, 3, U>::isZero(s, n, len);
    case 4: return XorKernel<W, 4, U>::isZero(s, n, len);
    case 5: return XorKernel<W, 5, U>::isZero(s, n, len);
    case 6: return XorKernel<W, 6, U>::isZero(s, n, len);
    case 7: return XorKernel<W, 7, U>::isZero(s, n, len);
    case 8: return XorKernel<W, 8, U>::isZero(s, n, len);
    default: return XorKernel<W, 0, U>::isZero(s, n, len);
  }
}

}  // namespace
}  // namespace kernels
}  // namespace dmae
