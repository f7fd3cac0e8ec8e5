// Every explicit-coefficient P+Q variant against pqGenCoef_base / pqCheckCoef_base: random
// lengths (1 B to beyond 1 MiB), misalignments, 1..253 sources, coefficients with 0 and 1
// among them, P or Q omitted, fresh and accumulate, a source that is P or Q itself, checks
// with one flipped bit; 80 guard bytes around every buffer.
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

struct Case {
  std::vector<std::unique_ptr<Guarded>> bufs;  // sources, then P, then Q
  std::vector<const uint8_t*> srcs;
  std::vector<uint8_t> coefs;
  size_t len;
  Case(std::mt19937_64& rng, size_t n) : len(n) {
    const int nsrc = len > 65536 ? 1 + rng() % 6 : rng() % 4 == 0 ? 1 + rng() % 253 : 1 + rng() % 10;
    for (int s = 0; s < nsrc + 2; s++) {
      bufs.emplace_back(new Guarded(len, rng()));
      bufs.back()->randomize(rng);
    }
    for (int s = 0; s < nsrc; s++) {
      srcs.push_back(bufs[s]->data());
      const unsigned pick = rng() % 8;
      coefs.push_back(pick == 0 ? 0 : pick == 1 ? 1 : static_cast<uint8_t>(rng()));
    }
  }
  int nsrc() const { return static_cast<int>(srcs.size()); }
  uint8_t* p() { return bufs[srcs.size()]->data(); }
  uint8_t* q() { return bufs[srcs.size() + 1]->data(); }
  bool guards() const {
    for (auto& b : bufs)
      if (!b->guardsIntact()) return false;
    return true;
  }
};

void testGen(const KernelSet& ks, std::mt19937_64& rng, int rounds) {
  for (int r = 0; r < rounds; r++) {
    Case c(rng, dmae_test::randomLength(rng, r % 10 == 0));
    const bool acc = rng() & 1;
    const int omit = rng() % 4;  // 1: no P, 2: no Q
    uint8_t* P = omit == 1 ? nullptr : c.p();
    uint8_t* Q = omit == 2 ? nullptr : c.q();
    // A continuation feeds the running P (or Q) back in as a source.
    const int alias = rng() % 6;
    if (alias == 0 && P) c.srcs[rng() % c.nsrc()] = P;
    if (alias == 1 && Q) c.srcs[rng() % c.nsrc()] = Q;
    Guarded wp(c.len, 0), wq(c.len, 0);
    std::memcpy(wp.data(), c.p(), c.len);
    std::memcpy(wq.data(), c.q(), c.len);
    // The reference reads the same sources, with an aliased one redirected to its copy.
    std::vector<const uint8_t*> ws = c.srcs;
    for (auto& s : ws) {
      if (s == c.p()) s = wp.data();
      if (s == c.q()) s = wq.data();
    }
    pqGenCoef_base(ws.data(), c.coefs.data(), c.nsrc(), c.len, P ? wp.data() : nullptr, Q ? wq.data() : nullptr,
                   acc);
    ks.pqGenCoef(c.srcs.data(), c.coefs.data(), c.nsrc(), c.len, P, Q, acc);
    const bool same = !std::memcmp(wp.data(), c.p(), c.len) && !std::memcmp(wq.data(), c.q(), c.len);
    CHECK(same);
    CHECK(c.guards());
    CHECK(wp.guardsIntact() && wq.guardsIntact());
    if (!same) {
      std::fprintf(stderr, "  %s pqGenCoef len=%zu nsrc=%d acc=%d omit=%d alias=%d\n", ks.name, c.len, c.nsrc(), acc,
                   omit, alias);
    }
  }
}

void testCheck(const KernelSet& ks, std::mt19937_64& rng, int rounds) {
  for (int r = 0; r < rounds; r++) {
    Case c(rng, dmae_test::randomLength(rng, r % 10 == 0));
    pqGenCoef_base(c.srcs.data(), c.coefs.data(), c.nsrc(), c.len, c.p(), c.q(), false);
    const int omit = rng() % 4;
    const uint8_t* P = omit == 1 ? nullptr : c.p();
    const uint8_t* Q = omit == 2 ? nullptr : c.q();
    CHECK(ks.pqCheckCoef(c.srcs.data(), c.coefs.data(), c.nsrc(), c.len, P, Q) == 0);
    // One flipped bit in P, in Q, or in a source (seen by P always, by Q unless its coefficient is 0).
    const int victim = rng() % (c.nsrc() + 2);
    const size_t at = rng() % c.len;
    c.bufs[victim]->data()[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
    unsigned want = victim == c.nsrc()       ? kPMismatch
                    : victim == c.nsrc() + 1 ? kQMismatch
                                             : kPMismatch | (c.coefs[victim] ? kQMismatch : 0u);
    if (!P) want &= ~kPMismatch;
    if (!Q) want &= ~kQMismatch;
    const unsigned got = ks.pqCheckCoef(c.srcs.data(), c.coefs.data(), c.nsrc(), c.len, P, Q);
    CHECK(got == want);
    CHECK(pqCheckCoef_base(c.srcs.data(), c.coefs.data(), c.nsrc(), c.len, P, Q) == want);
    CHECK(c.guards());
    if (got != want) {
      std::fprintf(stderr, "  %s pqCheckCoef len=%zu nsrc=%d victim=%d got %u want %u\n", ks.name, c.len, c.nsrc(),
                   victim, got, want);
    }
  }
}

}  // namespace

int main() {
  size_t n = 0;
  const KernelSet* sets = kernelSets(&n);
  std::mt19937_64 rng(0x5eed0007);
  int checked = 0;
  for (size_t i = 0; i < n; i++) {
    const KernelSet& ks = sets[i];
    if (!ks.pqGenCoef) continue;
    if (!ks.supported()) {
      std::printf("kernels_pq_coef_variants: skipping %s: this CPU cannot run it\n", ks.name);
      continue;
    }
    const int rounds = std::strcmp(ks.name, "base") ? 150 : 10;
    testGen(ks, rng, rounds);
    testCheck(ks, rng, rounds);
    checked++;
    std::printf("kernels_pq_coef_variants: %s checked\n", ks.name);
  }
  CHECK(checked >= 1);
  return dmae_test::summary("kernels_pq_coef_variants");
}
