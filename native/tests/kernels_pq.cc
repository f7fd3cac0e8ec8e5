// Every P+Q variant against the base: gen (null data slots, P or Q omitted), read-modify-write
// over random start..stop, check (consistent → 0; a flipped bit in P, Q or data → the right
// bits), random lengths 1 B to beyond 1 MiB, misalignments, 3..255 disks, guard bytes.
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/variants.h"
#include "tests/check.h"
#include "tests/kernels_guard.h"

using namespace dmae::kernels;
using dmae_test::Guarded;

namespace {

struct Array {
  std::vector<std::unique_ptr<Guarded>> bufs;
  std::vector<uint8_t*> ptrs;
  Array(int disks, size_t len, std::mt19937_64& rng, bool nullData) {
    for (int d = 0; d < disks; d++) {
      bufs.emplace_back(new Guarded(len, rng()));
      bufs.back()->randomize(rng);
      ptrs.push_back(bufs.back()->data());
      if (nullData && d < disks - 2 && rng() % 5 == 0) ptrs.back() = nullptr;
    }
  }
  bool guards() const {
    for (auto& b : bufs)
      if (!b->guardsIntact()) return false;
    return true;
  }
};

int randomDisks(std::mt19937_64& rng, size_t len, int min) {
  if (len > 65536) return min + rng() % 8;
  switch (rng() % 4) {
    case 0: return min + rng() % (256 - min);
    default: return min + rng() % 10;
  }
}

void testGen(const KernelSet& ks, std::mt19937_64& rng, int rounds) {
  for (int r = 0; r < rounds; r++) {
    const size_t len = dmae_test::randomLength(rng, r % 10 == 0);
    const int disks = randomDisks(rng, len, 3);
    Array a(disks, len, rng, true);
    const int omit = rng() % 4;  // 1: no P, 2: no Q
    if (omit == 1) a.ptrs[disks - 2] = nullptr;
    if (omit == 2) a.ptrs[disks - 1] = nullptr;
    Guarded wp(len, 0), wq(len, 0);
    std::vector<uint8_t*> w = a.ptrs;
    w[disks - 2] = a.ptrs[disks - 2] ? wp.data() : nullptr;
    w[disks - 1] = a.ptrs[disks - 1] ? wq.data() : nullptr;
    pqGen_base(disks, len, w.data());
    ks.pqGen(disks, len, a.ptrs.data());
    bool same = true;
    if (w[disks - 2]) same = same && !std::memcmp(wp.data(), a.ptrs[disks - 2], len);
    if (w[disks - 1]) same = same && !std::memcmp(wq.data(), a.ptrs[disks - 1], len);
    CHECK(same);
    CHECK(a.guards());
    if (!same) std::fprintf(stderr, "  %s pqGen len=%zu disks=%d omit=%d\n", ks.name, len, disks, omit);
  }
}

void testGenXor(const KernelSet& ks, std::mt19937_64& rng, int rounds) {
  for (int r = 0; r < rounds; r++) {
    const size_t len = dmae_test::randomLength(rng, r % 10 == 0);
    const int disks = randomDisks(rng, len, 3);
    Array a(disks, len, rng, true);
    const int start = rng() % (disks - 2);
    const int stop = start + rng() % (disks - 2 - start);
    if (rng() % 4 == 0) a.ptrs[disks - 1 - rng() % 2] = nullptr;
    Guarded wp(len, 0), wq(len, 0);
    std::vector<uint8_t*> w = a.ptrs;
    if (a.ptrs[disks - 2]) { std::memcpy(wp.data(), a.ptrs[disks - 2], len); w[disks - 2] = wp.data(); }
    if (a.ptrs[disks - 1]) { std::memcpy(wq.data(), a.ptrs[disks - 1], len); w[disks - 1] = wq.data(); }
    pqGenXor_base(disks, start, stop, len, w.data());
    ks.pqGenXor(disks, start, stop, len, a.ptrs.data());
    bool same = true;
    if (w[disks - 2]) same = same && !std::memcmp(wp.data(), a.ptrs[disks - 2], len);
    if (w[disks - 1]) same = same && !std::memcmp(wq.data(), a.ptrs[disks - 1], len);
    CHECK(same);
    CHECK(a.guards());
    if (!same) std::fprintf(stderr, "  %s pqGenXor len=%zu disks=%d %d..%d\n", ks.name, len, disks, start, stop);
  }
}

void testCheck(const KernelSet& ks, std::mt19937_64& rng, int rounds) {
  for (int r = 0; r < rounds; r++) {
    const size_t len = dmae_test::randomLength(rng, r % 10 == 0);
    const int disks = randomDisks(rng, len, 4);
    Array a(disks, len, rng, true);
    pqGen_base(disks, len, a.ptrs.data());
    const int omit = rng() % 4;
    if (omit == 1) a.ptrs[disks - 2] = nullptr;
    if (omit == 2) a.ptrs[disks - 1] = nullptr;
    const auto* cp = const_cast<const uint8_t* const*>(a.ptrs.data());
    CHECK(ks.pqCheck(disks, len, cp) == 0);
    // Corrupt one bit of P, of Q, or of a live data slot.
    int victim = rng() % disks;
    while (!a.ptrs[victim]) victim = rng() % disks;
    const size_t at = rng() % len;
    a.ptrs[victim][at] ^= static_cast<uint8_t>(1u << (rng() % 8));
    unsigned want = victim == disks - 2 ? kPMismatch
                    : victim == disks - 1 ? kQMismatch
                                          : kPMismatch | kQMismatch;
    if (omit == 1) want &= ~kPMismatch;
    if (omit == 2) want &= ~kQMismatch;
    const unsigned got = ks.pqCheck(disks, len, cp);
    CHECK(got == want);
    CHECK(pqCheck_base(disks, len, cp) == want);
    CHECK(a.guards());
    if (got != want) std::fprintf(stderr, "  %s pqCheck len=%zu disks=%d victim=%d got %u want %u\n", ks.name, len, disks, victim, got, want);
  }
}

}  // namespace

int main() {
  size_t n = 0;
  const KernelSet* sets = kernelSets(&n);
  std::mt19937_64 rng(0x5eed0002);
  for (size_t i = 0; i < n; i++) {
    const KernelSet& ks = sets[i];
    if (!ks.pqGen) continue;
    if (!ks.supported()) {
      std::printf("kernels_pq: skipping %s: this CPU cannot run it\n", ks.name);
      continue;
    }
    const int rounds = std::strcmp(ks.name, "base") ? 150 : 10;
    testGen(ks, rng, rounds);
    testGenXor(ks, rng, rounds);
    testCheck(ks, rng, rounds);
    std::printf("kernels_pq: %s checked\n", ks.name);
  }
  return dmae_test::summary("kernels_pq");
}
