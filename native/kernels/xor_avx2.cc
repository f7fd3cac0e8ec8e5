// xor gen and xor check for AVX2 (bodies in xor_body.h).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/gf256.h"
#include "kernels/variants.h"

// After every #include: nothing from a header may be compiled for this instruction set.
// (clang ignores `#pragma GCC target`; its equivalent is an attribute pushed over the file.)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC target("avx2")
#endif

#include "kernels/simd_avx2.h"
#include "kernels/simd_loop.h"
#include "kernels/xor_body.h"

namespace dmae {
namespace kernels {

void xorGen_avx2(uint8_t* dst, const uint8_t* const* srcs, int nsrc, size_t len, bool zeroDst) {
  xorGenImpl<Avx2, 8>(dst, srcs, nsrc, len, zeroDst);
}

bool xorIsZero_avx2(const uint8_t* const* srcs, int nsrc, size_t len) {
  return xorIsZeroImpl<Avx2, 8>(srcs, nsrc, len);
}

}  // namespace kernels
}  // namespace dmae

#if defined(__clang__)
#pragma clang attribute pop
#endif
