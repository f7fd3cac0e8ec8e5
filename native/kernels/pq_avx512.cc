// P+Q generate, read-modify-write and check for AVX512 (bodies in pq_body.h).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/gf256.h"
#include "kernels/kernels.h"
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
#include "kernels/pq_body.h"

namespace dmae {
namespace kernels {

void pqGen_avx512(int disks, size_t len, uint8_t* const* ptrs) { pqGenImpl<Avx512, 4>(disks, len, ptrs); }

void pqGenXor_avx512(int disks, int start, int stop, size_t len, uint8_t* const* ptrs) {
  pqGenXorImpl<Avx512, 4>(disks, start, stop, len, ptrs);
}

unsigned pqCheck_avx512(int disks, size_t len, const uint8_t* const* ptrs) {
  return pqCheckImpl<Avx512, 4>(disks, len, ptrs);
}

}  // namespace kernels
}  // namespace dmae

#if defined(__clang__)
#pragma clang attribute pop
#endif
