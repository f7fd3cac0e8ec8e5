#include "kernels/gf256.h"

#include "kernels/kernels.h"

namespace dmae {
namespace kernels {

namespace {
Gf256Tables build() {
  Gf256Tables t{};
  unsigned x = 1;
  for (int i = 0; i < 255; i++) {
    t.exp[i] = static_cast<uint8_t>(x);
    t.log[x] = static_cast<uint8_t>(i);
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (int i = 255; i < 512; i++) t.exp[i] = t.exp[i - 255];
  for (int a = 0; a < 256; a++) {
    for (int b = 0; b < 256; b++) {
      t.mul[a][b] = (a && b) ? t.exp[t.log[a] + t.log[b]] : 0;
    }
    t.inv[a] = a ? t.exp[255 - t.log[a]] : 0;
    for (int n = 0; n < 16; n++) {
      t.lo[a][n] = t.mul[a][n];
      t.hi[a][n] = t.mul[a][n << 4];
    }
    uint64_t m = 0;
    for (int i = 0; i < 8; i++) {
      unsigned row = 0;
      for (int k = 0; k < 8; k++) row |= ((t.mul[a][1u << k] >> i) & 1u) << k;
      m |= static_cast<uint64_t>(row) << (8 * (7 - i));
    }
    t.affine[a] = m;
  }
  return t;
}
}  // namespace

const Gf256Tables& gf256() {
  static const Gf256Tables tables = build();
  return tables;
}

uint8_t gfMul(uint8_t a, uint8_t b) { return gf256().mul[a][b]; }
uint8_t gfInv(uint8_t a) { return gf256().inv[a]; }
uint8_t gfExp(int i) {
  i %= 255;
  if (i < 0) i += 255;
  return gf256().exp[i];
}

}  // namespace kernels
}  // namespace dmae
