// RAID-6 recovery round trips for every variant: on small arrays (4..10 disks) every pair of
// failed data slots and every single data slot with P, at random lengths and misalignments,
// with null data slots elsewhere; then a few wide arrays and lengths beyond 1 MiB. The lost
// buffers start as garbage: recovery must not read them. Guard bytes around every buffer.
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

struct Array {
  std::vector<std::unique_ptr<Guarded>> bufs;
  std::vector<uint8_t*> ptrs;
  std::vector<std::vector<uint8_t>> orig;
  Array(int disks, size_t len, std::mt19937_64& rng, int protect1, int protect2) {
    for (int d = 0; d < disks; d++) {
      bufs.emplace_back(new Guarded(len, rng()));
      bufs.back()->randomize(rng);
      ptrs.push_back(bufs.back()->data());
      const bool isData = d < disks - 2;
      if (isData && d != protect1 && d != protect2 && rng() % 6 == 0) ptrs.back() = nullptr;
    }
    pqGen_base(disks, len, ptrs.data());
    for (int d = 0; d < disks; d++) orig.emplace_back(bufs[d]->data(), bufs[d]->data() + len);
  }
  bool intact(int d) const { return !std::memcmp(bufs[d]->data(), orig[d].data(), orig[d].size()); }
  bool guards() const {
    for (auto& b : bufs)
      if (!b->guardsIntact()) return false;
    return true;
  }
};

bool roundTrip2(const KernelSet& ks, int disks, size_t len, int a, int b, std::mt19937_64& rng) {
  Array arr(disks, len, rng, a, b);
  arr.bufs[a]->randomize(rng);  // lost: garbage
  arr.bufs[b]->randomize(rng);
  ks.recov2Data(disks, len, a, b, arr.ptrs.data());
  bool ok = arr.guards();
  for (int d = 0; d < disks; d++) ok = ok && arr.intact(d);
  if (!ok) std::fprintf(stderr, "  %s 2data disks=%d len=%zu fail %d,%d\n", ks.name, disks, len, a, b);
  return ok;
}

bool roundTripP(const KernelSet& ks, int disks, size_t len, int a, std::mt19937_64& rng) {
  Array arr(disks, len, rng, a, -1);
  arr.bufs[a]->randomize(rng);
  arr.bufs[disks - 2]->randomize(rng);
  ks.recovDataP(disks, len, a, arr.ptrs.data());
  bool ok = arr.guards();
  for (int d = 0; d < disks; d++) ok = ok && arr.intact(d);
  if (!ok) std::fprintf(stderr, "  %s datap disks=%d len=%zu fail %d\n", ks.name, disks, len, a);
  return ok;
}

}  // namespace

int main() {
  size_t n = 0;
  const KernelSet* sets = kernelSets(&n);
  std::mt19937_64 rng(0x5eed0003);
  for (size_t i = 0; i < n; i++) {
    const KernelSet& ks = sets[i];
    if (!ks.recov2Data) continue;
    if (!ks.supported()) {
      std::printf("kernels_recov: skipping %s: this CPU cannot run it\n", ks.name);
      continue;
    }
    bool all = true;
    for (int disks = 4; disks <= 10; disks++) {
      for (int a = 0; a < disks - 2; a++) {
        for (int b = a + 1; b < disks - 2; b++) {
          all = roundTrip2(ks, disks, 1 + rng() % 700, a, b, rng) && all;
        }
        all = roundTripP(ks, disks, 1 + rng() % 700, a, rng) && all;
      }
    }
    CHECK(all);
    // Wide arrays and long blocks.
    const int wide = std::strcmp(ks.name, "base") ? 20 : 3;
    for (int r = 0; r < wide; r++) {
      const int disks = 4 + rng() % 252;
      const int a = rng() % (disks - 2);
      int b = rng() % (disks - 2);
      if (b == a) b = (a + 1) % (disks - 2);
      if (disks == 4) b = 1 - a;
      CHECK(roundTrip2(ks, disks, 1 + rng() % 5000, a < b ? a : b, a < b ? b : a, rng));
      CHECK(roundTripP(ks, disks, 1 + rng() % 5000, a, rng));
    }
    CHECK(roundTrip2(ks, 10, (size_t{1} << 20) + 77, 2, 7, rng));
    CHECK(roundTripP(ks, 10, (size_t{1} << 20) + 33, 5, rng));
    std::printf("kernels_recov: %s checked\n", ks.name);
  }
  return dmae_test::summary("kernels_recov");
}
