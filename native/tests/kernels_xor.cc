// Every xor variant against the base: random lengths (1 B to beyond 1 MiB), misalignments,
// 1..255 sources with null slots, zeroDst or accumulate, a source aliasing dst; xor check on
// zero and non-zero sums; guard bytes around every buffer.
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "kernels/variants.h"
#include "tests/check.h"
#include "tests/kernels_guard.h"

using namespace dmae::kernels;
using dmae_test::Guarded;

namespace {

int randomSources(std::mt19937_64& rng, size_t len) {
  if (len > 65536) return 2 + rng() % 7;
  switch (rng() % 4) {
    case 0: return 1 + rng() % 255;
    case 1: return 9 + rng() % 8;
    default: return 1 + rng() % 8;
  }
}

void testXorGen(const KernelSet& ks, std::mt19937_64& rng, int rounds) {
  for (int r = 0; r < rounds; r++) {
    const size_t len = dmae_test::randomLength(rng, r % 10 == 0);
    const int n = randomSources(rng, len);
    const bool zeroDst = rng() & 1;
    std::vector<std::unique_ptr<Guarded>> srcs;
    std::vector<const uint8_t*> p(n);
    for (int s = 0; s < n; s++) {
      srcs.emplace_back(new Guarded(len, rng()));
      srcs.back()->randomize(rng);
      p[s] = (rng() % 6 == 0) ? nullptr : srcs.back()->data();
    }
    Guarded got(len, rng()), want(len, 0);
    got.randomize(rng);
    std::memcpy(want.data(), got.data(), len);
    // Sometimes one source is dst itself (async_xor's running result fed back).
    const int alias = (rng() % 4 == 0) ? static_cast<int>(rng() % n) : -1;
    std::vector<const uint8_t*> pw = p;
    if (alias >= 0) {
      p[alias] = got.data();
      pw[alias] = want.data();
    }
    xorGen_base(want.data(), pw.data(), n, len, zeroDst);
    ks.xorGen(got.data(), p.data(), n, len, zeroDst);
    const bool same = std::memcmp(got.data(), want.data(), len) == 0;
    CHECK(same);
    CHECK(got.guardsIntact());
    bool srcGuards = true;
    for (auto& s : srcs) srcGuards = srcGuards && s->guardsIntact();
    CHECK(srcGuards);
    if (!same) std::fprintf(stderr, "  %s xorGen len=%zu n=%d zeroDst=%d alias=%d\n", ks.name, len, n, zeroDst, alias);
  }
}

void testXorCheck(const KernelSet& ks, std::mt19937_64& rng, int rounds) {
  for (int r = 0; r < rounds; r++) {
    const size_t len = dmae_test::randomLength(rng, r % 10 == 0);
    const int n = 2 + randomSources(rng, len) % 254;
    std::vector<std::unique_ptr<Guarded>> srcs;
    std::vector<const uint8_t*> p(n);
    for (int s = 0; s < n; s++) {
      srcs.emplace_back(new Guarded(len, rng()));
      srcs.back()->randomize(rng);
      p[s] = (s > 0 && rng() % 6 == 0) ? nullptr : srcs.back()->data();
    }
    // Make the sum zero: source 0 = ⊕ of the others.
    xorGen_base(srcs[0]->data(), p.data() + 1, n - 1, len, true);
    CHECK(ks.xorIsZero(p.data(), n, len));
    // One flipped bit anywhere, in any live source, must be seen.
    int s = static_cast<int>(rng() % n);
    while (!p[s]) s = static_cast<int>(rng() % n);
    const size_t at = rng() % len;
    srcs[s]->data()[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
    const bool zero = ks.xorIsZero(p.data(), n, len);
    CHECK(!zero);
    CHECK(xorIsZero_base(p.data(), n, len) == zero);
    if (zero) std::fprintf(stderr, "  %s xorIsZero missed len=%zu n=%d at=%zu\n", ks.name, len, n, at);
    bool guards = true;
    for (auto& g : srcs) guards = guards && g->guardsIntact();
    CHECK(guards);
  }
}

// Every length 1..300 with 3 sources: every head/tail shape of both vector widths.
void testAllShortLengths(const KernelSet& ks, std::mt19937_64& rng) {
  bool all = true;
  for (size_t len = 1; len <= 300; len++) {
    Guarded a(len, len), b(len, len + 7), c(len, len + 13), got(len, len + 29), want(len, 0);
    a.randomize(rng); b.randomize(rng); c.randomize(rng); got.randomize(rng);
    std::memcpy(want.data(), got.data(), len);
    const uint8_t* p[3] = {a.data(), b.data(), c.data()};
    xorGen_base(want.data(), p, 3, len, false);
    ks.xorGen(got.data(), p, 3, len, false);
    all = all && !std::memcmp(got.data(), want.data(), len) && got.guardsIntact();
  }
  CHECK(all);
}

}  // namespace

int main() {
  size_t n = 0;
  const KernelSet* sets = kernelSets(&n);
  std::mt19937_64 rng(0x5eed0001);
  for (size_t i = 0; i < n; i++) {
    const KernelSet& ks = sets[i];
    if (!ks.xorGen) continue;
    if (!ks.supported()) {
      std::printf("kernels_xor: skipping %s: this CPU cannot run it\n", ks.name);
      continue;
    }
    const int rounds = std::strcmp(ks.name, "base") ? 300 : 20;
    testXorGen(ks, rng, rounds);
    testXorCheck(ks, rng, rounds);
    testAllShortLengths(ks, rng);
    std::printf("kernels_xor: %s checked\n", ks.name);
  }
  return dmae_test::summary("kernels_xor");
}
