// One descriptor's bytes: maps an engine operation onto the dispatched compute kernels, and
// says which of the dispatcher's operations ran it (the engine counts them per channel).
#include "engine/engine.h"
#include "kernels/kernels.h"
#include "kernels/pq_coef.h"

namespace dmae {
namespace engine {

uint32_t executeOp(const DescriptorSpec& d, int* ran) {
  namespace k = kernels;
  using KOp = k::KernelOp;
  const int n = static_cast<int>(d.ptrs.size());
  uint8_t* const* ptrs = d.ptrs.data();
  KOp op = KOp::kMemcpy;
  uint32_t val = 0;
  switch (d.op) {
    case OpCode::kMemcpy:
      k::copy(d.dst, d.src, d.len);
      break;
    case OpCode::kMemset:
      k::fill(d.dst, d.value, d.len);
      op = KOp::kMemset;
      break;
    case OpCode::kXor:
      k::xorGen(d.dst, ptrs, n, d.len, (d.flags & kZeroDst) != 0);
      op = KOp::kXor;
      break;
    case OpCode::kXorVal:
      val = k::xorIsZero(ptrs, n, d.len) ? 0u : kPResult;
      op = KOp::kXorCheck;
      break;
    case OpCode::kPq:
      if (d.flags & kPqXorDst) {
        k::pqGenXor(n, d.start, d.stop, d.len, ptrs);
      } else {
        k::pqGen(n, d.len, ptrs);
      }
      op = KOp::kPqGen;
      break;
    case OpCode::kPqVal:
      val = k::pqCheck(n, d.len, ptrs);
      op = KOp::kPqCheck;
      break;
    case OpCode::kRecov2Data:
      k::raid6_2dataRecov(n, d.len, d.faila, d.failb, ptrs);
      op = KOp::kRecov;
      break;
    case OpCode::kRecovDataP:
      k::raid6_datapRecov(n, d.len, d.faila, ptrs);
      op = KOp::kRecov;
      break;
    case OpCode::kInterrupt:
      *ran = -1;  // no bytes, no kernel
      return 0;
    case OpCode::kPqCoef:
      k::pqGenCoef(ptrs, d.coefs.data(), n - 2, d.len, ptrs[n - 2], ptrs[n - 1], (d.flags & kAccumulate) != 0, &op);
      break;
    case OpCode::kPqCoefVal:
      val = k::pqCheckCoef(ptrs, d.coefs.data(), n - 2, d.len, ptrs[n - 2], ptrs[n - 1], &op);
      break;
  }
  *ran = static_cast<int>(op);
  return val;
}

}  // namespace engine
}  // namespace dmae
