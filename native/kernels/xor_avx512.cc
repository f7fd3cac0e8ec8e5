// xor gen and xor check for AVX512 (bodies in xor_body.h).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/gf256.h"
#include "kernels/variants.h"

// After every #include: nothing from a header may be compiled for this instruction set.
// (clang ignores `#pragma GCC target`; its equivalent is an attribute pushed over the file.)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl"))), apply_to = function)
#else
#pragma GCC target("avx512f,avx512bw,avx512vl")
#endif

#include "kernels/simd_avx512.h"
#include "kernels/simd_loop.h"
#include "kernels/xor_body.h"

namespace dmae {
namespace kernels {

void xorGen_avx512(uint8_t* dst, const uint8_t* const* srcs, int nsrc, size_t len, bool zeroDst) {
  xorGenImpl<Avx512, 4>(dst, srcs, nsrc, len, zeroDst);
}

bool xorIsZero_avx512(const uint8_t* const* srcs, int nsrc, size_t len) {
  return xorIsZeroImpl<Avx512, 4>(srcs, nsrc, len);
}

}  // namespace kernels
}  // namespace dmae

#if defined(__clang__)
#pragma clang attribute pop
#endif
