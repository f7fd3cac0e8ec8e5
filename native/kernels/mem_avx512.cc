// memcpy and memset with AVX512 vectors, to measure against glibc (mem_glibc.cc).
//
// Shape: small sizes with a few possibly overlapping vectors, no loop; larger ones store the
// first vector unaligned, run an aligned, 4-way unrolled loop, and finish with one unaligned
// vector ending exactly at the last byte (overlap is harmless: the regions do not overlap each
// other). Beyond kStreamBytes (more than the last-level cache can keep) stores bypass the cache.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/variants.h"

// After every #include: nothing from a header may be compiled for this instruction set.
// (clang ignores `#pragma GCC target`; its equivalent is an attribute pushed over the file.)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl"))), apply_to = function)
#else
#pragma GCC target("avx512f,avx512bw,avx512vl")
#endif

namespace dmae {
namespace kernels {
namespace {

using V = __m512i;
constexpr size_t kW = 64;
constexpr size_t kStreamBytes = size_t{16} << 20;

inline V ld(const uint8_t* p) { return _mm512_loadu_si512(p); }
inline void st(uint8_t* p, V v) { _mm512_storeu_si512(p, v); }
inline void stA(uint8_t* p, V v) { _mm512_store_si512(p, v); }
inline void stNt(uint8_t* p, V v) { _mm512_stream_si512(reinterpret_cast<__m512i*>(p), v); }

// Below one vector: overlapping scalar moves.
inline void copySmall(uint8_t* d, const uint8_t* s, size_t n) {
  const __mmask64 k = (1ULL << n) - 1;  // n < 64
  _mm512_mask_storeu_epi8(d, k, _mm512_maskz_loadu_epi8(k, s));
}
inline void fillSmall(uint8_t* d, V v, size_t n) { _mm512_mask_storeu_epi8(d, (1ULL << n) - 1, v); }

}  // namespace

void copy_avx512(void* dst, const void* src, size_t len) {
  auto* d = static_cast<uint8_t*>(dst);
  auto* s = static_cast<const uint8_t*>(src);
  if (len < kW) return copySmall(d, s, len);
  if (len <= 4 * kW) {
    // Up to four vectors from each end, overlapping in the middle.
    const V a = ld(s), b = ld(s + len - kW);
    if (len > 2 * kW) {
      const V c = ld(s + kW), e = ld(s + len - 2 * kW);
      st(d + kW, c);
      st(d + len - 2 * kW, e);
    }
    st(d, a);
    st(d + len - kW, b);
    return;
  }
  const V head = ld(s), tail = ld(s + len - kW);
  st(d, head);
  const size_t skip = kW - (reinterpret_cast<uintptr_t>(d) & (kW - 1));
  uint8_t* p = d + skip;
  const uint8_t* q = s + skip;
  uint8_t* const end = d + len - kW;  // the tail vector covers [end, d + len)
  if (len >= kStreamBytes) {
    for (; p + 4 * kW <= end; p += 4 * kW, q += 4 * kW) {
      const V a = ld(q), b = ld(q + kW), c = ld(q + 2 * kW), e = ld(q + 3 * kW);
      stNt(p, a);
      stNt(p + kW, b);
      stNt(p + 2 * kW, c);
      stNt(p + 3 * kW, e);
    }
    _mm_sfence();
  } else {
    for (; p + 4 * kW <= end; p += 4 * kW, q += 4 * kW) {
      const V a = ld(q), b = ld(q + kW), c = ld(q + 2 * kW), e = ld(q + 3 * kW);
      stA(p, a);
      stA(p + kW, b);
      stA(p + 2 * kW, c);
      stA(p + 3 * kW, e);
    }
  }
  for (; p < end; p += kW, q += kW) stA(p, ld(q));
  st(end, tail);
}

void fill_avx512(void* dst, uint8_t value, size_t len) {
  auto* d = static_cast<uint8_t*>(dst);
  const V v = _mm512_set1_epi8(static_cast<char>(value));
  if (len < kW) return fillSmall(d, v, len);
  if (len <= 4 * kW) {
    st(d, v);
    st(d + len - kW, v);
    if (len > 2 * kW) {
      st(d + kW, v);
      st(d + len - 2 * kW, v);
    }
    return;
  }
  st(d, v);
  uint8_t* p = d + kW - (reinterpret_cast<uintptr_t>(d) & (kW - 1));
  uint8_t* const end = d + len - kW;
  if (len >= kStreamBytes) {
    for (; p + 4 * kW <= end; p += 4 * kW) {
      stNt(p, v);
      stNt(p + kW, v);
      stNt(p + 2 * kW, v);
      stNt(p + 3 * kW, v);
    }
    _mm_sfence();
  } else {
    for (; p + 4 * kW <= end; p += 4 * kW) {
      stA(p, v);
      stA(p + kW, v);
      stA(p + 2 * kW, v);
      stA(p + 3 * kW, v);
    }
  }
  for (; p < end; p += kW) stA(p, v);
  st(end, v);
}

}  // namespace kernels
}  // namespace dmae

#if defined(__clang__)
#pragma clang attribute pop
#endif
