// memcpy and memset variants: every length 0..600 at every misalignment pair class, random
// lengths beyond 1 MiB, and one copy above the streaming-store threshold; guard bytes
// around every destination.
#include <cstring>
#include <random>
#include <vector>

#include "kernels/variants.h"
#include "tests/check.h"
#include "tests/kernels_guard.h"

using namespace dmae::kernels;
using dmae_test::Guarded;

namespace {

bool copyOnce(const KernelSet& ks, size_t len, size_t ms, size_t md, std::mt19937_64& rng) {
  Guarded src(len, ms), dst(len, md);
  src.randomize(rng);
  dst.randomize(rng);
  ks.copy(dst.data(), src.data(), len);
  return !std::memcmp(dst.data(), src.data(), len) && dst.guardsIntact() && src.guardsIntact();
}

bool fillOnce(const KernelSet& ks, size_t len, size_t md, std::mt19937_64& rng) {
  Guarded dst(len, md);
  dst.randomize(rng);
  const uint8_t v = static_cast<uint8_t>(rng());
  ks.fill(dst.data(), v, len);
  for (size_t i = 0; i < len; i++)
    if (dst.data()[i] != v) return false;
  return dst.guardsIntact();
}

}  // namespace

int main() {
  size_t n = 0;
  const KernelSet* sets = kernelSets(&n);
  std::mt19937_64 rng(0x5eed0004);
  for (size_t i = 0; i < n; i++) {
    const KernelSet& ks = sets[i];
    if (!ks.copy) continue;
    if (!ks.supported()) {
      std::printf("kernels_mem: skipping %s: this CPU cannot run it\n", ks.name);
      continue;
    }
    bool all = true;
    for (size_t len = 1; len <= 600; len++) {
      all = copyOnce(ks, len, rng() % 64, rng() % 64, rng) && all;
      all = fillOnce(ks, len, rng() % 64, rng) && all;
    }
    CHECK(all);
    for (int r = 0; r < 40; r++) {
      const size_t len = dmae_test::randomLength(rng, r % 4 == 0);
      CHECK(copyOnce(ks, len, rng() % 64, rng() % 64, rng));
      CHECK(fillOnce(ks, len, rng() % 64, rng));
    }
    const size_t big = (size_t{17} << 20) + 45;  // streaming stores
    CHECK(copyOnce(ks, big, 3, 61, rng));
    CHECK(fillOnce(ks, big, 17, rng));
    std::printf("kernels_mem: %s checked\n", ks.name);
  }
  return dmae_test::summary("kernels_mem");
}
