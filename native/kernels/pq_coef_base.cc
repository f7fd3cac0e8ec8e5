// The explicit-coefficient P+Q reference (the `_base` oracle of pq_coef_<isa>.cc): byte
// loops in blocks, so the multiply rows stay in L1 and the accumulators in a small stack
// buffer, one pass over each source per block.
#include <cstring>

#include "kernels/gf256.h"
#include "kernels/kernels.h"
#include "kernels/variants.h"

namespace dmae {
namespace kernels {

namespace {
constexpr size_t kBlock = 1024;

void syndromeBlock(const Gf256Tables& t, const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t off,
                   size_t n, uint8_t* pb, uint8_t* qb) {
  std::memset(pb, 0, n);
  std::memset(qb, 0, n);
  for (int s = 0; s < nsrc; s++) {
    const uint8_t* src = srcs[s] + off;
    const uint8_t* row = t.mul[coefs[s]];
    for (size_t i = 0; i < n; i++) {
      pb[i] ^= src[i];
      qb[i] ^= row[src[i]];
    }
  }
}
}  // namespace

void pqGenCoef_base(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, uint8_t* p, uint8_t* q,
                    bool accumulate) {
  const Gf256Tables& t = gf256();
  uint8_t pb[kBlock], qb[kBlock];
  for (size_t off = 0; off < len; off += kBlock) {
    const size_t n = len - off < kBlock ? len - off : kBlock;
    syndromeBlock(t, srcs, coefs, nsrc, off, n, pb, qb);
    // Outputs are written only after every source of the block was read: a source may be
    // an output (the running P/Q of a continuation fed back in).
    for (size_t i = 0; i < n; i++) {
      if (p) p[off + i] = accumulate ? p[off + i] ^ pb[i] : pb[i];
      if (q) q[off + i] = accumulate ? q[off + i] ^ qb[i] : qb[i];
    }
  }
}

unsigned pqCheckCoef_base(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, const uint8_t* p,
                          const uint8_t* q) {
  const Gf256Tables& t = gf256();
  uint8_t pb[kBlock], qb[kBlock];
  unsigned res = 0;
  for (size_t off = 0; off < len; off += kBlock) {
    const size_t n = len - off < kBlock ? len - off : kBlock;
    syndromeBlock(t, srcs, coefs, nsrc, off, n, pb, qb);
    if (p && std::memcmp(p + off, pb, n) != 0) res |= kPMismatch;
    if (q && std::memcmp(q + off, qb, n) != 0) res |= kQMismatch;
  }
  return res;
}

}  // namespace kernels
}  // namespace dmae
