// The explicit-coefficient P+Q entry points against a byte-at-a-time reference with a
// table-free multiply, and their routing: async_gen_syndrome's coefficients (g^slot, slots
// increasing, few gaps) run on the P+Q kernels, any other on the explicit-coefficient ones.
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/pq_coef.h"
#include "tests/check.h"
#include "tests/gf_reference.h"

namespace {
// g^z by repeated ·{02}, independent of the kernels' tables.
uint8_t slowExp(int z) {
  uint8_t x = 1;
  for (int i = 0; i < z; i++) x = dmae_test::slowMul(x, 2);
  return x;
}
}  // namespace

int main() {
  using dmae_test::slowMul;
  using namespace dmae::kernels;
  std::mt19937 rng(20261125);
  int routed[2] = {0, 0};  // rounds run on the explicit-coefficient / the P+Q kernels
  for (int round = 0; round < 200; round++) {
    const int nsrc = 1 + rng() % 20;
    const size_t len = 1 + rng() % 5000;
    std::vector<std::vector<uint8_t>> srcs(nsrc, std::vector<uint8_t>(len));
    std::vector<uint8_t> coefs(nsrc);
    std::vector<const uint8_t*> ptrs(nsrc);
    // One round in two: async_gen_syndrome's coefficients, slots increasing with gaps (its
    // null blocks), sometimes more gaps than sources.
    const bool slots = round % 2 == 0;
    const int maxGap = round % 6 == 0 ? 12 : 2;
    int z = rng() % 2;
    for (int s = 0; s < nsrc; s++) {
      for (auto& b : srcs[s]) b = rng();
      if (slots) {
        coefs[s] = slowExp(z);
        const int step = 1 + rng() % maxGap;
        z += step;
      } else {
        coefs[s] = rng();
      }
      ptrs[s] = srcs[s].data();
    }
    // The routing rule, worked out here from slowExp: every coefficient g^z_s, z_s
    // increasing, the last slot within 252 and no more gaps than sources.
    bool toPq = true;
    int last = -1;
    for (int s = 0; s < nsrc && toPq; s++) {
      int zs = 0;
      while (zs < 255 && slowExp(zs) != coefs[s]) zs++;
      toPq = zs < 255 && zs > last;
      last = zs;
    }
    toPq = toPq && last <= 252 && last + 1 - nsrc <= nsrc;
    if (slots && maxGap == 2) CHECK(toPq);  // at most one gap per source
    routed[toPq]++;
    // Guard bytes on both sides of P and Q catch any write outside [0, len).
    std::vector<uint8_t> pbuf(len + 64, 0xa5), qbuf(len + 64, 0x5a);
    uint8_t* p = pbuf.data() + 32;
    uint8_t* q = qbuf.data() + 32;
    const bool acc = rng() & 1;
    std::vector<uint8_t> p0(p, p + len), q0(q, q + len);
    KernelOp ran = KernelOp::kMemcpy;
    pqGenCoef(ptrs.data(), coefs.data(), nsrc, len, p, q, acc, &ran);
    CHECK(ran == (toPq ? KernelOp::kPqGen : KernelOp::kPqCoef));
    bool ok = true;
    for (size_t i = 0; i < len; i++) {
      uint8_t ep = acc ? p0[i] : 0, eq = acc ? q0[i] : 0;
      for (int s = 0; s < nsrc; s++) {
        ep ^= srcs[s][i];
        eq ^= slowMul(coefs[s], srcs[s][i]);
      }
      if (p[i] != ep || q[i] != eq) ok = false;
    }
    CHECK(ok);
    for (int g = 0; g < 32; g++) {
      CHECK(pbuf[g] == 0xa5 && pbuf[len + 32 + g] == 0xa5);
      CHECK(qbuf[g] == 0x5a && qbuf[len + 32 + g] == 0x5a);
    }
    if (!acc) {
      CHECK(pqCheckCoef(ptrs.data(), coefs.data(), nsrc, len, p, q, &ran) == 0);
      CHECK(ran == (toPq ? KernelOp::kPqCheck : KernelOp::kPqCoefCheck));
      const size_t at = rng() % len;
      q[at] ^= 1;
      CHECK(pqCheckCoef(ptrs.data(), coefs.data(), nsrc, len, p, q) == kQMismatch);
      CHECK(pqCheckCoef(ptrs.data(), coefs.data(), nsrc, len, p, nullptr) == 0);
      p[at] ^= 4;
      CHECK(pqCheckCoef(ptrs.data(), coefs.data(), nsrc, len, p, q) == (kPMismatch | kQMismatch));
    }
  }
  CHECK(routed[0] >= 50 && routed[1] >= 50);
  // Coefficient 1 everywhere (dmatest): Q equals P.
  std::vector<uint8_t> a(100, 7), b(100, 9), c(100, 200), p(100), q(100);
  const uint8_t* s3[] = {a.data(), b.data(), c.data()};
  const uint8_t ones[] = {1, 1, 1};
  pqGenCoef(s3, ones, 3, 100, p.data(), q.data(), false);
  CHECK(p == q);
  CHECK(p[0] == (7 ^ 9 ^ 200));
  // A source aliasing the output (continuation): P' = P ⊕ a with P also a source.
  std::vector<uint8_t> run(100, 0x11);
  const uint8_t* s2[] = {run.data(), a.data()};
  const uint8_t c2[] = {1, 1};
  pqGenCoef(s2, c2, 2, 100, run.data(), nullptr, false);
  CHECK(run[50] == (0x11 ^ 7));
  return dmae_test::summary("kernels_pq_coef");
}
