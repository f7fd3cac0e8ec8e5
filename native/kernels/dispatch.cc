// One dispatcher for every operation. For now only the base variants exist; the SIMD variants
// and the load-time micro-benchmark hang off the same table.
#include <mutex>

#include "kernels/kernels.h"
#include "kernels/variants.h"

namespace dmae {
namespace kernels {

void copy(void* dst, const void* src, size_t len) { copy_base(dst, src, len); }
void fill(void* dst, uint8_t value, size_t len) { fill_base(dst, value, len); }
void xorGen(uint8_t* dst, const uint8_t* const* srcs, int nsrc, size_t len, bool zeroDst) {
  xorGen_base(dst, srcs, nsrc, len, zeroDst);
}
bool xorIsZero(const uint8_t* const* srcs, int nsrc, size_t len) {
  return xorIsZero_base(srcs, nsrc, len);
}
void pqGen(int disks, size_t len, uint8_t* const* ptrs) { pqGen_base(disks, len, ptrs); }
void pqGenXor(int disks, int start, int stop, size_t len, uint8_t* const* ptrs) {
  pqGenXor_base(disks, start, stop, len, ptrs);
}
unsigned pqCheck(int disks, size_t len, const uint8_t* const* ptrs) {
  return pqCheck_base(disks, len, ptrs);
}
void raid6_2dataRecov(int disks, size_t len, int faila, int failb, uint8_t* const* ptrs) {
  raid6_2dataRecov_base(disks, len, faila, failb, ptrs);
}
void raid6_datapRecov(int disks, size_t len, int faila, uint8_t* const* ptrs) {
  raid6_datapRecov_base(disks, len, faila, ptrs);
}

std::vector<OpSelection> kernelSelection() {
  std::vector<OpSelection> out;
  for (const char* op : {"memcpy", "memset", "xor", "xor_check", "pq_gen", "pq_check", "recov"}) {
    out.push_back(OpSelection{op, "base", false, {VariantFigure{"base", 0.0, true}}});
  }
  return out;
}

std::vector<std::string> cpuFeatures() {
  std::vector<std::string> f;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("sse2")) f.push_back("sse2");
  if (__builtin_cpu_supports("ssse3")) f.push_back("ssse3");
  if (__builtin_cpu_supports("avx2")) f.push_back("avx2");
  if (__builtin_cpu_supports("avx512f")) f.push_back("avx512f");
  if (__builtin_cpu_supports("avx512bw")) f.push_back("avx512bw");
  if (__builtin_cpu_supports("avx512vl")) f.push_back("avx512vl");
  if (__builtin_cpu_supports("gfni")) f.push_back("gfni");
  return f;
}

}  // namespace kernels
}  // namespace dmae
