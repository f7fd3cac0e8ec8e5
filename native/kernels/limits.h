// The kernels' limits and check bits: the one definition of each. The engine's ABI
// (engine/abi.h) takes its source limits and P/Q check bits from here, and every fixed array
// of the kernels is sized by them, so none of these numbers is written a second time.
//
// Model: the kernel's raid6 and async_tx limits (a 255-block P+Q stripe, one source list of a
// xor) and enum sum_check_flags.
#pragma once

namespace dmae {
namespace kernels {

// Result bits of the checks (the kernel's enum sum_check_flags: SUM_CHECK_P/Q_RESULT).
enum : unsigned { kPMismatch = 1u << 0, kQMismatch = 1u << 1 };

constexpr int kMaxXorSources = 255;           // xorGen / xorIsZero
constexpr int kMaxDisks = 255;                // pq*: at most 253 data + P + Q
constexpr int kMaxPqSources = kMaxDisks - 2;  // data slots of one P+Q stripe (pqGenCoef's nsrc)
// The longest list of block pointers any kernel takes: the size of their stack copies.
constexpr int kMaxBlocks = kMaxXorSources > kMaxDisks ? kMaxXorSources : kMaxDisks;

}  // namespace kernels
}  // namespace dmae
