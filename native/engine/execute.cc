// One descriptor's bytes: maps an engine operation onto the dispatched compute kernels, and
// says which of the dispatcher's operations ran it (the engine counts them per channel).
// executeRange runs one byte range of it (a stripe, stripe.h): every block at the same offset.
#include "engine/engine.h"
#include "engine/stripe.h"
#include "kernels/kernels.h"
#include "kernels/pq_coef.h"

namespace dmae {
namespace engine {

namespace {
constexpr int kMaxPtrs = 256;  // xor ≤ 255 sources, P+Q ≤ 255 blocks (checked at the boundary)
}

size_t bytesTouched(const DescriptorSpec& d) {
  switch (d.op) {
    case OpCode::kMemcpy: return d.len * 2;
    case OpCode::kMemset: return d.len;
    case OpCode::kXor: return d.len * (d.ptrs.size() + 1);
    case OpCode::kInterrupt: return 0;
    default: return d.len * d.ptrs.size();
  }
}

uint32_t executeRange(const DescriptorSpec& d, size_t off, size_t len, int* ran) {
  namespace k = kernels;
  using KOp = k::KernelOp;
  const int n = static_cast<int>(d.ptrs.size());
  if (n > kMaxPtrs) {
    *ran = -1;  // unreachable: the boundary refuses more blocks
    return 0;
  }
  uint8_t* shifted[kMaxPtrs];
  uint8_t* const* ptrs = d.ptrs.data();
  if (off != 0) {
    for (int i = 0; i < n; i++) shifted[i] = d.ptrs[i] ? d.ptrs[i] + off : nullptr;
    ptrs = shifted;
  }
  KOp op = KOp::kMemcpy;
  uint32_t val = 0;
  switch (d.op) {
    case OpCode::kMemcpy:
      k::copy(d.dst + off, d.src + off, len);
      break;
    case OpCode::kMemset:
      k::fill(d.dst + off, d.value, len);
      op = KOp::kMemset;
      break;
    case OpCode::kXor:
      k::xorGen(d.dst + off, ptrs, n, len, (d.flags & kZeroDst) != 0);
      op = KOp::kXor;
      break;
    case OpCode::kXorVal:
      val = k::xorIsZero(ptrs, n, len) ? 0u : kPResult;
      op = KOp::kXorCheck;
      break;
    case OpCode::kPq:
      if (d.flags & kPqXorDst) {
        k::pqGenXor(n, d.start, d.stop, len, ptrs);
      } else {
        k::pqGen(n, len, ptrs);
      }
      op = KOp::kPqGen;
      break;
    case OpCode::kPqVal:
      val = k::pqCheck(n, len, ptrs);
      op = KOp::kPqCheck;
      break;
    case OpCode::kRecov2Data:
      k::raid6_2dataRecov(n, len, d.faila, d.failb, ptrs);
      op = KOp::kRecov;
      break;
    case OpCode::kRecovDataP:
      k::raid6_datapRecov(n, len, d.faila, ptrs);
      op = KOp::kRecov;
      break;
    case OpCode::kInterrupt:
      *ran = -1;  // no bytes, no kernel
      return 0;
    case OpCode::kPqCoef:
      k::pqGenCoef(ptrs, d.coefs.data(), n - 2, len, ptrs[n - 2], ptrs[n - 1],
                   (d.flags & kAccumulate) != 0, &op);
      break;
    case OpCode::kPqCoefVal:
      val = k::pqCheckCoef(ptrs, d.coefs.data(), n - 2, len, ptrs[n - 2], ptrs[n - 1], &op);
      break;
  }
  *ran = static_cast<int>(op);
  return val;
}

uint32_t executeOp(const DescriptorSpec& d, int* ran) { return executeRange(d, 0, d.len, ran); }

}  // namespace engine
}  // namespace dmae
