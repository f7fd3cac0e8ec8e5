// memcpy and memset with AVX2 vectors, to measure against glibc (mem_glibc.cc).
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
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC target("avx2")
#endif

namespace dmae {
namespace kernels {
namespace {

using V = __m256i;
constexpr size_t kW = 32;
constexpr size_t kStreamBytes = size_t{16} << 20;

inline V ld(const uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
inline void st(uint8_t* p, V v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
inline void stA(uint8_t* p, V v) { _mm256_store_si256(reinterpret_cast<__m256i*>(p), v); }
inline void stNt(uint8_t* p, V v) { _mm256_stream_si256(reinterpret_cast<__m256i*>(p), v); }

// Below one vector: overlapping scalar moves.
inline void copySmall(uint8_t* d, const uint8_t* s, size_t n) {
  if (n >= 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), a);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + n - 16), b);
  } else if (n >= 8) {
    uint64_t a, b;
    __builtin_memcpy(&a, s, 8);
    __builtin_memcpy(&b, s + n - 8, 8);
    __builtin_memcpy(d, &a, 8);
    __builtin_memcpy(d + n - 8, &b, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    __builtin_memcpy(&a, s, 4);
    __builtin_memcpy(&b, s + n - 4, 4);
    __builtin_memcpy(d, &a, 4);
    __builtin_memcpy(d + n - 4, &b, 4);
  } else if (n) {
    const uint8_t a = s[0], b = s[n / 2], c = s[n - 1];
    d[0] = a;
    d[n / 2] = b;
    d[n - 1] = c;
  }
}
inline void fillSmall(uint8_t* d, V v, size_t n) {
  const __m128i x = _mm256_castsi256_si128(v);
  if (n >= 16) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), x);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + n - 16), x);
  } else if (n >= 8) {
    const uint64_t a = static_cast<uint64_t>(_mm_cvtsi128_si64(x));
    __builtin_memcpy(d, &a, 8);
    __builtin_memcpy(d + n - 8, &a, 8);
  } else if (n >= 4) {
    const uint32_t a = static_cast<uint32_t>(_mm_cvtsi128_si32(x));
    __builtin_memcpy(d, &a, 4);
    __builtin_memcpy(d + n - 4, &a, 4);
  } else if (n) {
    const uint8_t a = static_cast<uint8_t>(_mm_cvtsi128_si32(x));
    d[0] = a;
    d[n / 2] = a;
    d[n - 1] = a;
  }
}

#include "kernels/mem_body.h"

}  // namespace

void copy_avx2(void* dst, const void* src, size_t len) { copyBody(dst, src, len); }

void fill_avx2(void* dst, uint8_t value, size_t len) { fillBody(dst, _mm256_set1_epi8(static_cast<char>(value)), len); }

}  // namespace kernels
}  // namespace dmae

#if defined(__clang__)
#pragma clang attribute pop
#endif
