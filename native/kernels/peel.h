// The alignment peel: the dispatcher's split of one call into a head and an aligned body.
//
// Model: every operation here is bytewise, so [0, len) may be cut anywhere and run as two
// calls. From kPeelFrom bytes, the dispatcher runs [0, h) first and then [h, len) with every
// pointer advanced by h, where h brings the most common line offset among the call's blocks
// to 0 (ties: the first block the caller lists, the output). Blocks that start at the same
// offset in their lines (Node's Buffers from 128 KiB: one mapping each, 16 bytes past a page)
// are then all aligned and no load or store of the body spans two lines; a check's result is
// the head's combined with the body's. Measured cost of lines split: docs/kernels.md,
// "The boundary".
//
// Internal to the kernels; includes nothing of the project.
//
// Threading: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dmae {
namespace kernels {

// Below this the split costs more than it saves (one more call into the kernel).
constexpr size_t kPeelFrom = 1024;
constexpr size_t kLine = 64;

// Counts the line offsets of the blocks of one call; head() is h (0 when nothing to peel).
class LineVote {
 public:
  void add(const void* p) {
    if (!p) return;
    const unsigned o = reinterpret_cast<uintptr_t>(p) & (kLine - 1);
    if (++count_[o] > count_[best_] || first_) best_ = o;
    first_ = false;
  }
  size_t head(size_t len) const {
    if (len < kPeelFrom || first_) return 0;
    return (kLine - best_) & (kLine - 1);
  }

 private:
  uint16_t count_[kLine] = {};  // up to 257 blocks per call
  unsigned best_ = 0;
  bool first_ = true;
};

// out[i] = ptrs[i] + h, null slots kept null.
template <class T>
inline void advance(T* const* ptrs, int n, size_t h, T** out) {
  for (int i = 0; i < n; i++) out[i] = ptrs[i] ? ptrs[i] + h : nullptr;
}

}  // namespace kernels
}  // namespace dmae
