// The table of every kernel variant and the CPU check guarding each (see variants.h).
#include <cstring>

#include "kernels/variants.h"

namespace dmae {
namespace kernels {

namespace {
bool always() { return true; }
bool hasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
bool hasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl");
}
bool hasGfni() { return hasAvx512() && __builtin_cpu_supports("gfni"); }

const KernelSet kSets[] = {
    {"base", always, copy_base, fill_base, xorGen_base, xorIsZero_base, pqGen_base, pqGenXor_base,
     pqCheck_base, raid6_2dataRecov_base, raid6_datapRecov_base, pqGenCoef_base, pqCheckCoef_base},
    {"glibc", always, copy_glibc, fill_glibc, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
     nullptr, nullptr, nullptr},
    {"avx2", hasAvx2, copy_avx2, fill_avx2, xorGen_avx2, xorIsZero_avx2, pqGen_avx2, pqGenXor_avx2,
     pqCheck_avx2, raid6_2dataRecov_avx2, raid6_datapRecov_avx2, pqGenCoef_avx2, pqCheckCoef_avx2},
    {"avx512", hasAvx512, copy_avx512, fill_avx512, xorGen_avx512, xorIsZero_avx512, pqGen_avx512,
     pqGenXor_avx512, pqCheck_avx512, raid6_2dataRecov_avx512, raid6_datapRecov_avx512, pqGenCoef_avx512,
     pqCheckCoef_avx512},
    // GF multiplies only: xor and memcpy have nothing to gain from GFNI.
    {"gfni", hasGfni, nullptr, nullptr, nullptr, nullptr, pqGen_gfni, pqGenXor_gfni, pqCheck_gfni,
     raid6_2dataRecov_gfni, raid6_datapRecov_gfni, pqGenCoef_gfni, pqCheckCoef_gfni},
};
}  // namespace

const KernelSet* kernelSets(size_t* count) {
  *count = sizeof(kSets) / sizeof(kSets[0]);
  return kSets;
}

const KernelSet* findKernelSet(const char* name) {
  for (const KernelSet& s : kSets) {
    if (!std::strcmp(s.name, name)) return &s;
  }
  return nullptr;
}

}  // namespace kernels
}  // namespace dmae
