// RAID-6 two-data and data+P recovery for GFNI (bodies in recov_body.h).
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
#include "kernels/recov_body.h"

namespace dmae {
namespace kernels {

void raid6_2dataRecov_gfni(int disks, size_t len, int faila, int failb, uint8_t* const* ptrs) {
  recov2DataImpl<Gfni, 4>(disks, len, faila, failb, ptrs);
}

void raid6_datapRecov_gfni(int disks, size_t len, int faila, uint8_t* const* ptrs) {
  recovDataPImpl<Gfni, 4>(disks, len, faila, ptrs);
}

}  // namespace kernels
}  // namespace dmae

#if defined(__clang__)
#pragma clang attribute pop
#endif
