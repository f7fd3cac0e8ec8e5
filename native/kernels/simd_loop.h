// The column walk shared by every SIMD kernel body.
//
// Model: a kernel works on columns: byte offset i of every block at once. forColumns() hands
// the body blocks of U vectors (the unrolled main loop), then single vectors, then one partial
// vector of the last len % kW bytes through a masked (AVX-512) or bounced (AVX2) load/store, so
// any length and any alignment work and nothing outside [0, len) is touched. The body returns
// false to stop early (the check kernels' fused exit).
//
// Included after the ISA pragma; includes nothing; internal linkage only.
//
// Threading: pure functions.
#pragma once

namespace dmae {
namespace kernels {
namespace {

template <int N>
struct Cols {
  static constexpr int n = N;
};

template <class W>
struct FullMem {
  using V = typename W::V;
  inline V ld(const uint8_t* p) const { return W::load(p); }
  inline V ldR(const uint8_t* p) const { return W::loadR(p); }
  inline void st(uint8_t* p, V v) const { W::store(p, v); }
};

// Full vectors with streaming stores (the destination must be kW-aligned).
template <class W>
struct StreamMem {
  using V = typename W::V;
  inline V ld(const uint8_t* p) const { return W::load(p); }
  inline V ldR(const uint8_t* p) const { return W::loadR(p); }
  inline void st(uint8_t* p, V v) const { W::stream(p, v); }
};

template <class W>
struct PartMem {
  using V = typename W::V;
  size_t n;
  inline V ld(const uint8_t* p) const { return W::loadN(p, n); }
  inline V ldR(const uint8_t* p) const { return W::loadN(p, n); }
  inline void st(uint8_t* p, V v) const { W::storeN(p, v, n); }
};

// Calls body(offset, Cols<U or 1>{}, mem) over [0, len); returns false if the body stopped.
template <class W, int U, class F, class Full = FullMem<W>>
inline bool forColumns(size_t len, F&& body, Full full = Full{}) {
  constexpr size_t kBlock = U * W::kW;
  size_t i = 0;
  for (; i + kBlock <= len; i += kBlock) {
    if (!body(i, Cols<U>{}, full)) return false;
  }
  for (; i + W::kW <= len; i += W::kW) {
    if (!body(i, Cols<1>{}, full)) return false;
  }
  if (i < len) return body(i, Cols<1>{}, PartMem<W>{len - i});
  return true;
}

// Whether the C vectors v[] computed for column i differ from the stored bytes at ref + i
// (the check kernels' compare: ORed differences, one zero test).
template <class W, int C, class M>
inline bool columnsDiffer(const typename W::V* v, const uint8_t* ref, size_t i, const M& m) {
  typename W::V diff = W::x(v[0], m.ld(ref + i));
  for (int u = 1; u < C; u++) diff = W::o(diff, W::x(v[u], m.ld(ref + i + u * W::kW)));
  return !W::isZero(diff);
}

}  // namespace
}  // namespace kernels
}  // namespace dmae
