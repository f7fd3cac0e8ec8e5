// P+Q generate, read-modify-write and check for GFNI (bodies in pq_body.h).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/gf256.h"
#include "kernels/kernels.h"
#include "kernels/variants.h"

// After every #include: nothing from a header may be compiled for this instruction set.
// (clang ignores `#pragma GCC target`; its equivalent is an attribute pushed over the file.)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("gfni,avx512f,avx512bw,avx512vl"))), apply_to = function)
#else
#pragma GCC target("gfni,avx512f,avx512bw,avx512vl")
#endif

#include "kernels/simd_avx512.h"
#include "kernels/simd_gfni.h"
#include "kernels/simd_loop.h"
#include "kernels/pq_body.h"

namespace dmae {
namespace kernels {

namespace {
// Measured on Zen 4 (bench/kernels_bench.cc --variants): from L1/L2 the direct GFNI form wins
// P+Q generation by 20-30%, but once the blocks stream from L3 or DRAM the Horner form of
// avx512 is ~10% faster (the affine-heavy loop loses there; the check does not show it). So
// the gfni variant switches to Horner for blocks this large.
constexpr size_t kHornerFrom = size_t{512} << 10;
}  // namespace

void pqGen_gfni(int disks, size_t len, uint8_t* const* ptrs) {
  if (len >= kHornerFrom) return pqGenImpl<Avx512, 4>(disks, len, ptrs);
  pqGenImpl<Gfni, 4>(disks, len, ptrs);
}

void pqGenXor_gfni(int disks, int start, int stop, size_t len, uint8_t* const* ptrs) {
  pqGenXorImpl<Gfni, 4>(disks, start, stop, len, ptrs);
}

unsigned pqCheck_gfni(int disks, size_t len, const uint8_t* const* ptrs) {
  return pqCheckImpl<Gfni, 4>(disks, len, ptrs);
}

}  // namespace kernels
}  // namespace dmae

#if defined(__clang__)
#pragma clang attribute pop
#endif
