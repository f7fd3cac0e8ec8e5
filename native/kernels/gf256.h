// GF(2^8) arithmetic for RAID-6: polynomial 0x11d, generator {02}, as lib/raid6.
// Tables are built once at static-initialisation time from the polynomial (no hard-coded
// table), so they are shared by the base kernels and by the SIMD variants that need
// per-coefficient nibble tables.
#pragma once

#include <cstdint>

namespace dmae {
namespace kernels {

struct Gf256Tables {
  uint8_t exp[512];        // exp[i] = g^i, doubled so exp[log a + log b] needs no mod
  uint8_t log[256];        // log[0] unused
  uint8_t inv[256];        // inv[0] = 0
  uint8_t mul[256][256];   // mul[a][b] = a·b
  // Nibble tables for split multiplies (pshufb / vpshufb): for coefficient c,
  // lo[c][x] = c·x and hi[c][x] = c·(x<<4), x in 0..15.
  uint8_t lo[256][16];
  uint8_t hi[256][16];
  // GFNI: affine[c] is the 8×8 bit matrix of "multiply by c" in vgf2p8affineqb's layout
  // (row i, the bits k where bit i of c·2^k is set, in byte 7-i). See simd_gfni.h.
  uint64_t affine[256];
};

const Gf256Tables& gf256();

}  // namespace kernels
}  // namespace dmae
