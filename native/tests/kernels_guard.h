// Guarded test buffers: every buffer sits at a chosen misalignment between guard bytes of a
// known pattern, so a kernel that writes one byte outside its range is caught (ASan catches
// reads too, since the whole allocation is exact-size).
//
// Threading: test-only, single thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace dmae_test {

constexpr size_t kGuard = 80;  // more than one 512-bit vector on each side
constexpr uint8_t kGuardByte = 0xA5;

class Guarded {
 public:
  Guarded(size_t len, size_t misalign) : len_(len), mis_(misalign % 64) {
    // Base of the allocation aligned to 64 by over-allocating, so `misalign` is exact.
    raw_.assign(len + 2 * kGuard + 64 + mis_, kGuardByte);
    uintptr_t base = reinterpret_cast<uintptr_t>(raw_.data()) + kGuard;
    base = (base + 63) & ~uintptr_t{63};
    data_ = reinterpret_cast<uint8_t*>(base) + mis_;
  }
  uint8_t* data() { return data_; }
  size_t size() const { return len_; }
  void randomize(std::mt19937_64& rng) {
    for (size_t i = 0; i < len_; i++) data_[i] = static_cast<uint8_t>(rng());
  }
  // Every byte outside [data, data+len) still holds the guard pattern.
  bool guardsIntact() const {
    const uint8_t* lo = raw_.data();
    const uint8_t* hi = raw_.data() + raw_.size();
    for (const uint8_t* p = lo; p < data_; p++)
      if (*p != kGuardByte) return false;
    for (const uint8_t* p = data_ + len_; p < hi; p++)
      if (*p != kGuardByte) return false;
    return true;
  }

 private:
  size_t len_, mis_;
  std::vector<uint8_t> raw_;
  uint8_t* data_;
};

// A random length biased to the interesting ones: tails around vector multiples, small sizes,
// and now and then beyond 1 MiB.
inline size_t randomLength(std::mt19937_64& rng, bool allowHuge) {
  switch (rng() % 8) {
    case 0: return 1 + rng() % 63;
    case 1: return 64 * (1 + rng() % 16) + (rng() % 3) - 1;
    case 2: return allowHuge ? (size_t{1} << 20) + 1 + rng() % 4096 : 1 + rng() % 8192;
    default: return 1 + rng() % 3000;
  }
}

}  // namespace dmae_test
