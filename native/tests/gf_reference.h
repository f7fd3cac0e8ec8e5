// The tests' own GF(2^8) multiply: shift-and-add modulo 0x11d, no tables, so it is an
// independent oracle for the kernels' table-driven and GFNI arithmetic.
#pragma once

#include <cstdint>

namespace dmae_test {
inline uint8_t slowMul(uint8_t a, uint8_t b) {
  unsigned r = 0, x = a;
  for (int i = 0; i < 8; i++) {
    if (b & (1 << i)) r ^= x;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  return static_cast<uint8_t>(r);
}
}  // namespace dmae_test
