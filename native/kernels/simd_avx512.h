// 512-bit vector primitives for the AVX-512BW (and GFNI) kernel files.
//
// Model: W for the kernel body templates, as simd_avx2.h, with byte-masked loads and stores
// for tails (masked-off bytes are never touched, so any length needs no bounce buffer) and
// vpternlogq for three-way xors. Included AFTER the file's `#pragma GCC target` and its
// #includes; includes nothing; internal linkage only.
//
// Threading: pure functions.
#pragma once

namespace dmae {
namespace kernels {
namespace {

struct Avx512 {
  using V = __m512i;
  static constexpr size_t kW = 64;
  static constexpr bool kCheapMul = false;
  static constexpr bool kGroupLoads = true;  // xor_body.h: load order of source pairs
  static constexpr bool kRealign = true;     // xor_body.h: realigned sources (below)

  static inline __mmask64 maskN(size_t n) { return n >= 64 ? ~0ULL : ((1ULL << n) - 1); }
  static inline V load(const uint8_t* p) { return _mm512_loadu_si512(p); }
  static inline void store(uint8_t* p, V v) { _mm512_storeu_si512(p, v); }
  // p 64-byte aligned; bypasses the caches.
  static inline void stream(uint8_t* p, V v) { _mm512_stream_si512(reinterpret_cast<V*>(p), v); }
  // A load kept in a register: GCC otherwise folds the same load into each instruction that
  // uses the value, so a block used twice (P and Q) is read twice and the load ports saturate.
  static inline V loadR(const uint8_t* p) {
    V v = load(p);
    __asm__("" : "+v"(v));
    return v;
  }
  static inline V loadN(const uint8_t* p, size_t n) { return _mm512_maskz_loadu_epi8(maskN(n), p); }
  static inline void storeN(uint8_t* p, V v, size_t n) { _mm512_mask_storeu_epi8(p, maskN(n), v); }
  // Realigning a source that starts `o` bytes past a line (o a multiple of 4): the vector at
  // the source's byte i is two aligned lines joined and shifted by o, one vpermt2d; see
  // xor_body.h for why. lineFrom() loads the source's first line without its bytes before o.
  static inline V line(const uint8_t* p) { return _mm512_load_si512(p); }
  static inline V lineFrom(const uint8_t* p, unsigned o) { return _mm512_maskz_loadu_epi8(~0ULL << o, p); }
  static inline V shiftIndex(unsigned o) {
    return _mm512_add_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                            _mm512_set1_epi32(static_cast<int>(o / 4)));
  }
  static inline V join(V lo, V idx, V hi) { return _mm512_permutex2var_epi32(lo, idx, hi); }
  static inline V zero() { return _mm512_setzero_si512(); }
  static inline V x(V a, V b) { return _mm512_xor_si512(a, b); }
  static inline V x3(V a, V b, V c) { return _mm512_ternarylogic_epi64(a, b, c, 0x96); }
  static inline V o(V a, V b) { return _mm512_or_si512(a, b); }
  static inline bool isZero(V v) { return _mm512_test_epi64_mask(v, v) == 0; }
  static inline V mul2(V v) {
    const V fold = _mm512_maskz_mov_epi8(_mm512_movepi8_mask(v), _mm512_set1_epi8(0x1d));
    return _mm512_xor_si512(_mm512_add_epi8(v, v), fold);
  }
  // q·{02} ⊕ d with one three-way xor.
  static inline V mul2x(V q, V d) {
    const V fold = _mm512_maskz_mov_epi8(_mm512_movepi8_mask(q), _mm512_set1_epi8(0x1d));
    return _mm512_ternarylogic_epi64(_mm512_add_epi8(q, q), fold, d, 0x96);
  }
  struct Coef {
    V lo, hi;
  };
  static inline Coef coef(uint8_t c) {
    const Gf256Tables& t = gf256();
    Coef k;
    k.lo = _mm512_maskz_broadcast_i32x4(0xffff, _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.lo[c])));
    k.hi = _mm512_maskz_broadcast_i32x4(0xffff, _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.hi[c])));
    return k;
  }
  static inline V mul(V v, const Coef& c) {
    const V m = _mm512_set1_epi8(0x0f);
    const V lo = _mm512_shuffle_epi8(c.lo, _mm512_and_si512(v, m));
    const V hi = _mm512_shuffle_epi8(c.hi, _mm512_and_si512(_mm512_srli_epi16(v, 4), m));
    return _mm512_xor_si512(lo, hi);
  }
};

}  // namespace
}  // namespace kernels
}  // namespace dmae
