// GF(2^8) tables against an independent, table-free reference (shift-and-add multiply
// modulo 0x11d), plus known answers.
#include <cstdint>

#include "kernels/gf256.h"
#include "kernels/kernels.h"
#include "tests/check.h"
#include "tests/gf_reference.h"

namespace {
// vgf2p8affineqb on one byte, from Intel's definition: bit i of the result is the parity of
// (byte 7-i of the matrix) & x.
uint8_t affineByte(uint64_t m, uint8_t x) {
  unsigned r = 0;
  for (int i = 0; i < 8; i++) {
    const unsigned row = static_cast<unsigned>(m >> (8 * (7 - i))) & 0xff;
    r |= static_cast<unsigned>(__builtin_parity(row & x)) << i;
  }
  return static_cast<uint8_t>(r);
}
}  // namespace

int main() {
  using dmae_test::slowMul;
  using namespace dmae::kernels;
  bool all = true;
  for (int a = 0; a < 256; a++)
    for (int b = 0; b < 256; b++)
      if (gfMul(a, b) != slowMul(a, b)) all = false;
  CHECK(all);
  for (int a = 1; a < 256; a++) CHECK(slowMul(a, gfInv(a)) == 1);
  // Known answers: {02}^8 = 0x1d under 0x11d; the generator has order 255.
  CHECK(gfExp(0) == 1);
  CHECK(gfExp(1) == 2);
  CHECK(gfExp(8) == 0x1d);
  CHECK(gfExp(255) == 1);
  CHECK(slowMul(0x80, 0x02) == 0x1d);
  CHECK(gfMul(0x53, 0xca) == slowMul(0x53, 0xca));
  // The GFNI matrices multiply by their constant, checked against the table-free multiply.
  bool affineOk = true;
  for (int c = 0; c < 256; c++)
    for (int x = 0; x < 256; x++)
      if (affineByte(gf256().affine[c], x) != slowMul(c, x)) affineOk = false;
  CHECK(affineOk);
  return dmae_test::summary("kernels_gf256");
}
