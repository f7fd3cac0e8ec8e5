// The alignment peel (peel.h, through the dispatched entry points) and the realigned xor
// sources (xor_body.h, every variant) against the base kernels, around their thresholds:
// lengths just below and above kPeelFrom and kRealignFrom, every line offset 0..63 of the
// first block, the other blocks at the same offset, at offsets shifted by multiples of 4 (the
// realigned path) or at random ones; checks with one bit flipped in the head or in the body;
// guard bytes around every buffer.
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/peel.h"
#include "kernels/pq_coef.h"
#include "kernels/variants.h"
#include "tests/check.h"
#include "tests/kernels_guard.h"

using namespace dmae::kernels;
using dmae_test::Guarded;

namespace {

constexpr int kData = 6;
const size_t kLens[] = {kPeelFrom - 1, kPeelFrom, kPeelFrom + 1, kPeelFrom + 63, 2047, 2048, 2049, 2048 + 64 + 17, 5000};

// Line offset of block k when block 0 sits at `first`: same offset, a multiple of 4 apart, or
// anywhere.
size_t offsetOf(int mode, size_t first, int k, std::mt19937_64& rng) {
  switch (mode) {
    case 0: return first;
    case 1: return first + 4 * (rng() % 16);
    default: return rng() % 64;
  }
}

struct Blocks {
  std::vector<std::unique_ptr<Guarded>> b;
  std::vector<uint8_t*> p;
  Blocks(int n, size_t len, int mode, size_t first, std::mt19937_64& rng) {
    for (int k = 0; k < n; k++) {
      b.emplace_back(new Guarded(len, k == 0 ? first : offsetOf(mode, first, k, rng)));
      b.back()->randomize(rng);
      p.push_back(b.back()->data());
    }
  }
  bool guards() const {
    for (auto& g : b)
      if (!g->guardsIntact()) return false;
    return true;
  }
  const uint8_t* const* ro() const { return const_cast<const uint8_t* const*>(p.data()); }
};

// dst (block 0) = xor of blocks 1..n; dispatched and every variant, against the base.
void testXor(std::mt19937_64& rng, size_t len, int mode, size_t first) {
  size_t nsets = 0;
  const KernelSet* sets = kernelSets(&nsets);
  const int n = 1 + static_cast<int>(rng() % 8);
  Blocks x(n + 1, len, mode, first, rng);
  Guarded want(len, 0);
  const bool zeroDst = rng() & 1;
  std::memcpy(want.data(), x.p[0], len);
  const std::vector<uint8_t> before(x.p[0], x.p[0] + len);
  std::vector<const uint8_t*> ws(x.p.begin() + 1, x.p.end());
  xorGen_base(want.data(), ws.data(), n, len, zeroDst);
  for (size_t s = 0; s <= nsets; s++) {
    if (s < nsets && (!sets[s].xorGen || !sets[s].supported())) continue;
    std::memcpy(x.p[0], before.data(), len);
    if (s == nsets) xorGen(x.p[0], x.ro() + 1, n, len, zeroDst);
    else sets[s].xorGen(x.p[0], x.ro() + 1, n, len, zeroDst);
    const bool same = std::memcmp(x.p[0], want.data(), len) == 0;
    CHECK(same);
    CHECK(x.guards());
    if (!same) std::fprintf(stderr, "  xorGen %s len=%zu n=%d mode=%d first=%zu\n", s == nsets ? "dispatch" : sets[s].name, len, n, mode, first);
  }
  // A source that is dst itself, through the dispatcher.
  std::memcpy(x.p[0], before.data(), len);
  std::memcpy(want.data(), before.data(), len);
  std::vector<const uint8_t*> as(x.p.begin(), x.p.end()), aw(as);
  aw[0] = want.data();
  xorGen_base(want.data(), aw.data(), n + 1, len, true);
  xorGen(x.p[0], as.data(), n + 1, len, true);
  CHECK(std::memcmp(x.p[0], want.data(), len) == 0);
  // Check: blocks 0..n xor to zero after the generate; one flipped bit in the head or the body.
  xorGen_base(x.p[0], ws.data(), n, len, true);
  CHECK(xorIsZero(x.ro(), n + 1, len));
  for (size_t at : {size_t{0}, size_t{63} % len, len / 2, len - 1}) {
    const int k = static_cast<int>(rng() % (n + 1));
    x.p[k][at] ^= 0x10;
    CHECK(!xorIsZero(x.ro(), n + 1, len));
    x.p[k][at] ^= 0x10;
  }
  CHECK(x.guards());
}

// P+Q gen / rmw / check and both recoveries through the dispatcher, against the base.
void testPq(std::mt19937_64& rng, size_t len, int mode, size_t first) {
  const int disks = kData + 2;
  Blocks got(disks, len, mode, first, rng);
  std::vector<std::vector<uint8_t>> want(disks);
  std::vector<uint8_t*> wp(disks);
  for (int k = 0; k < disks; k++) {
    want[k].assign(got.p[k], got.p[k] + len);
    wp[k] = want[k].data();
  }
  if (rng() & 1) {
    pqGen_base(disks, len, wp.data());
    pqGen(disks, len, got.p.data());
  } else {
    pqGenXor_base(disks, 1, kData - 2, len, wp.data());
    pqGenXor(disks, 1, kData - 2, len, got.p.data());
  }
  for (int k = 0; k < disks; k++) CHECK(std::memcmp(got.p[k], wp[k], len) == 0);
  CHECK(got.guards());
  // Consistent now (gen), or make it so.
  pqGen(disks, len, got.p.data());
  CHECK(pqCheck(disks, len, got.ro()) == 0);
  for (size_t at : {size_t{1}, len - 2}) {
    got.p[disks - 1][at] ^= 1;
    CHECK(pqCheck(disks, len, got.ro()) == kQMismatch);
    got.p[disks - 1][at] ^= 1;
    got.p[0][at] ^= 4;
    CHECK(pqCheck(disks, len, got.ro()) == (kPMismatch | kQMismatch));
    got.p[0][at] ^= 4;
  }
  // Two data lost, then data + P lost: garbage in, the originals out.
  const std::vector<uint8_t> d1(got.p[1], got.p[1] + len), d4(got.p[4], got.p[4] + len), p(got.p[disks - 2], got.p[disks - 2] + len);
  std::memset(got.p[1], 0xee, len);
  std::memset(got.p[4], 0x11, len);
  raid6_2dataRecov(disks, len, 1, 4, got.p.data());
  CHECK(std::memcmp(got.p[1], d1.data(), len) == 0 && std::memcmp(got.p[4], d4.data(), len) == 0);
  std::memset(got.p[4], 0x33, len);
  std::memset(got.p[disks - 2], 0x44, len);
  raid6_datapRecov(disks, len, 4, got.p.data());
  CHECK(std::memcmp(got.p[4], d4.data(), len) == 0 && std::memcmp(got.p[disks - 2], p.data(), len) == 0);
  CHECK(got.guards());
}

// Explicit coefficients (the pq_coef kernels: coefficients that are not g^slot).
void testPqCoef(std::mt19937_64& rng, size_t len, int mode, size_t first) {
  const int n = kData;
  Blocks got(n + 2, len, mode, first, rng);
  uint8_t coefs[n];
  for (auto& c : coefs) c = static_cast<uint8_t>(2 + rng() % 250);
  coefs[0] = 7;
  coefs[1] = 7;  // repeated: never a g^slot layout
  uint8_t* P = got.p[n];
  uint8_t* Q = got.p[n + 1];
  std::vector<uint8_t> wp(P, P + len), wq(Q, Q + len);
  const bool acc = rng() & 1;
  KernelOp ran;
  pqGenCoef_base(got.ro(), coefs, n, len, wp.data(), wq.data(), acc);
  pqGenCoef(got.ro(), coefs, n, len, P, Q, acc, &ran);
  CHECK(ran == KernelOp::kPqCoef);
  CHECK(std::memcmp(P, wp.data(), len) == 0 && std::memcmp(Q, wq.data(), len) == 0);
  pqGenCoef(got.ro(), coefs, n, len, P, Q, false);
  CHECK(pqCheckCoef(got.ro(), coefs, n, len, P, Q) == 0);
  for (size_t at : {size_t{0}, len - 1}) {
    Q[at] ^= 2;
    CHECK(pqCheckCoef(got.ro(), coefs, n, len, P, Q) == kQMismatch);
    Q[at] ^= 2;
  }
  CHECK(got.guards());
}

}  // namespace

int main() {
  std::mt19937_64 rng(13);
  for (size_t len : kLens) {
    for (int mode = 0; mode < 3; mode++) {
      for (size_t first = 0; first < 64; first++) {
        testXor(rng, len, mode, first);
        testPq(rng, len, mode, first);
        testPqCoef(rng, len, mode, first);
      }
    }
  }
  // Longer blocks, a few offsets: the realigned walk over many lines, peel and tail together.
  for (size_t first : {size_t{0}, size_t{16}, size_t{36}, size_t{61}}) {
    for (int mode = 0; mode < 3; mode++) {
      testXor(rng, 65536 + 33, mode, first);
      testPq(rng, 65536 + 33, mode, first);
    }
  }
  return dmae_test::summary("kernels_peel");
}
