// One descriptor's bytes: maps an engine operation onto the compute kernels.
#include "engine/engine.h"
#include "kernels/kernels.h"
#include "kernels/pq_coef.h"

namespace dmae {
namespace engine {

uint32_t executeOp(const DescriptorSpec& d) {
  namespace k = kernels;
  const int n = static_cast<int>(d.ptrs.size());
  uint8_t* const* ptrs = d.ptrs.data();
  switch (d.op) {
    case OpCode::kMemcpy:
      k::copy(d.dst, d.src, d.len);
      return 0;
    case OpCode::kMemset:
      k::fill(d.dst, d.value, d.len);
      return 0;
    case OpCode::kXor:
      k::xorGen(d.dst, ptrs, n, d.len, (d.flags & kZeroDst) != 0);
      return 0;
    case OpCode::kXorVal:
      return k::xorIsZero(ptrs, n, d.len) ? 0u : kPResult;
    case OpCode::kPq:
      if (d.flags & kPqXorDst) {
        k::pqGenXor(n, d.start, d.stop, d.len, ptrs);
      } else {
        k::pqGen(n, d.len, ptrs);
      }
      return 0;
    case OpCode::kPqVal:
      return k::pqCheck(n, d.len, ptrs);
    case OpCode::kRecov2Data:
      k::raid6_2dataRecov(n, d.len, d.faila, d.failb, ptrs);
      return 0;
    case OpCode::kRecovDataP:
      k::raid6_datapRecov(n, d.len, d.faila, ptrs);
      return 0;
    case OpCode::kInterrupt:
      return 0;
    case OpCode::kPqCoef:
      k::pqGenCoef(ptrs, d.coefs.data(), n - 2, d.len, ptrs[n - 2], ptrs[n - 1], (d.flags & kAccumulate) != 0);
      return 0;
    case OpCode::kPqCoefVal:
      return k::pqCheckCoef(ptrs, d.coefs.data(), n - 2, d.len, ptrs[n - 2], ptrs[n - 1]);
  }
  return 0;
}

}  // namespace engine
}  // namespace dmae
