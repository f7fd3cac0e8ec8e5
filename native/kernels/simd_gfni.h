// GFNI primitives: Avx512 with GF(2^8) multiplies done by vgf2p8affineqb.
//
// Model: vgf2p8mulb multiplies modulo 0x11b (the AES polynomial), not RAID-6's 0x11d, so it
// cannot be used directly. Multiplying by a constant c is linear over GF(2), hence an 8×8 bit
// matrix, which vgf2p8affineqb applies to every byte in one instruction: output bit i is the
// parity of (row i & x), and row i sits in byte 7-i of the 64-bit matrix. Row i holds, in bit k,
// bit i of c·2^k (the image of input bit k). One multiply is then one instruction, cheap enough
// to multiply each data block by its own g^i instead of Horner's chain.
//
// Included AFTER simd_avx512.h in files under `#pragma GCC target("gfni,avx512f,...")`.
//
// Threading: pure functions.
#pragma once

namespace dmae {
namespace kernels {
namespace {

struct Gfni : Avx512 {
  static constexpr bool kCheapMul = true;
  using Coef = uint64_t;  // the affine matrix, broadcast at use (folds into an m64bcst operand)
  static inline Coef coef(uint8_t c) { return gf256().affine[c]; }
  static inline V mul(V v, Coef c) {
    return _mm512_gf2p8affine_epi64_epi8(v, _mm512_set1_epi64(static_cast<long long>(c)), 0);
  }
  static inline V mul2(V v) { return mul(v, coef(2)); }  // the direct path rarely needs it
};

}  // namespace
}  // namespace kernels
}  // namespace dmae
