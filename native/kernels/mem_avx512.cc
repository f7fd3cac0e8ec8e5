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

#include "kernels/mem_body.h"

}  // namespace

void copy_avx512(void* dst, const void* src, size_t len) { copyBody(dst, src, len); }

void fill_avx512(void* dst, uint8_t value, size_t len) { fillBody(dst, _mm512_set1_epi8(static_cast<char>(value)), len); }

}  // namespace kernels
}  // namespace dmae

#if defined(__clang__)
#pragma clang attribute pop
#endif
