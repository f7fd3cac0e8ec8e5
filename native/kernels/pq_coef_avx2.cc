// Explicit-coefficient P+Q generate and check for AVX2 (bodies in pq_coef_body.h).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/gf256.h"
#include "kernels/kernels.h"
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
#include "kernels/pq_coef_body.h"

namespace dmae {
namespace kernels {

void pqGenCoef_avx2(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, uint8_t* p, uint8_t* q,
                    bool accumulate) {
  pqGenCoefImpl<Avx2, 4>(srcs, coefs, nsrc, len, p, q, accumulate);
}

unsigned pqCheckCoef_avx2(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, const uint8_t* p,
                          const uint8_t* q) {
  return pqCheckCoefImpl<Avx2, 4>(srcs, coefs, nsrc, len, p, q);
}

}  // namespace kernels
}  // namespace dmae

#if defined(__clang__)
#pragma clang attribute pop
#endif
