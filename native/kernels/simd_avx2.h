// 256-bit vector primitives for the AVX2 kernel files.
//
// Model: the kernel bodies (xor_body.h, pq_body.h, recov_body.h) are templates over a vector
// type W; this header is W for AVX2. It is included by <op>_avx2.cc AFTER that file's
// `#pragma GCC target("avx2")` and after all of its #includes, so it includes nothing itself
// (a std header compiled under the pragma could hand an AVX-compiled inline function to the
// base path). Everything here has internal linkage for the same reason.
//
// Threading: pure functions.
#pragma once

namespace dmae {
namespace kernels {
namespace {

struct Avx2 {
  using V = __m256i;
  static constexpr size_t kW = 32;
  static constexpr bool kCheapMul = false;    // a GF multiply costs 6 ops: use Horner for Q
  static constexpr bool kGroupLoads = false;  // xor_body.h: load order of source pairs
  static constexpr bool kRealign = false;     // no two-register cross-lane permute in AVX2

  static inline V load(const uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const V*>(p)); }
  static inline void store(uint8_t* p, V v) { _mm256_storeu_si256(reinterpret_cast<V*>(p), v); }
  // p 32-byte aligned; bypasses the caches.
  static inline void stream(uint8_t* p, V v) { _mm256_stream_si256(reinterpret_cast<V*>(p), v); }
  // No byte-masked loads in AVX2: bounce the last n < 32 bytes through the stack so that
  // nothing past the buffer is read or written.
  // A load kept in a register: GCC otherwise folds the same load into each instruction that
  // uses the value, so a block used twice (P and Q) is read twice and the load ports saturate.
  static inline V loadR(const uint8_t* p) {
    V v = load(p);
    __asm__("" : "+x"(v));
    return v;
  }
  static inline V loadN(const uint8_t* p, size_t n) {
    alignas(32) uint8_t b[32] = {};
    __builtin_memcpy(b, p, n);
    return _mm256_load_si256(reinterpret_cast<const V*>(b));
  }
  static inline void storeN(uint8_t* p, V v, size_t n) {
    alignas(32) uint8_t b[32];
    _mm256_store_si256(reinterpret_cast<V*>(b), v);
    __builtin_memcpy(p, b, n);
  }
  static inline V zero() { return _mm256_setzero_si256(); }
  static inline V x(V a, V b) { return _mm256_xor_si256(a, b); }
  static inline V x3(V a, V b, V c) { return _mm256_xor_si256(_mm256_xor_si256(a, b), c); }
  static inline V o(V a, V b) { return _mm256_or_si256(a, b); }
  static inline bool isZero(V v) { return _mm256_testz_si256(v, v) != 0; }
  // ·{02} in GF(2^8)/0x11d: shift left, fold the carried-out bit back as 0x1d.
  static inline V mul2(V v) {
    const V carry = _mm256_cmpgt_epi8(_mm256_setzero_si256(), v);
    return _mm256_xor_si256(_mm256_add_epi8(v, v), _mm256_and_si256(carry, _mm256_set1_epi8(0x1d)));
  }
  static inline V mul2x(V q, V d) { return _mm256_xor_si256(mul2(q), d); }
  // ·c by two 16-entry nibble tables (c·lo4 ⊕ c·hi4), one vpshufb each.
  struct Coef {
    V lo, hi;
  };
  static inline Coef coef(uint8_t c) {
    const Gf256Tables& t = gf256();
    Coef k;
    k.lo = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t.lo[c])));
    k.hi = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t.hi[c])));
    return k;
  }
  static inline V mul(V v, const Coef& c) {
    const V m = _mm256_set1_epi8(0x0f);
    const V lo = _mm256_shuffle_epi8(c.lo, _mm256_and_si256(v, m));
    const V hi = _mm256_shuffle_epi8(c.hi, _mm256_and_si256(_mm256_srli_epi16(v, 4), m));
    return _mm256_xor_si256(lo, hi);
  }
};

}  // namespace
}  // namespace kernels
}  // namespace dmae
