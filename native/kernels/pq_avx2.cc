// P+Q generate, read-modify-write and check for AVX2 (bodies in pq_body.h).
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
#include "kernels/pq_body.h"

namespace dmae {
namespace kernels {

void pqGen_avx2(int disks, size_t len, uint8_t* const* ptrs) { pqGenImpl<Avx2, 4>(disks, len, ptrs); }

void pqGenXor_avx2(int disks, int start, int stop, size_t len, uint8_t* const* ptrs) {
  pqGenXorImpl<Avx2, 4>(disks, start, stop, len, ptrs);
}

unsigned pqCheck_avx2(int disks, size_t len, const uint8_t* const* ptrs) {
  return pqCheckImpl<Avx2, 4>(disks, len, ptrs);
}

}  // namespace kernels
}  // namespace dmae

#if defined(__clang__)
#pragma clang attribute pop
#endif
