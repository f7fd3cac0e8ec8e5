// Explicit-coefficient P+Q entry points: async_gen_syndrome's coefficients go to the plain P+Q
// kernels, the rest to the explicit-coefficient ones (pq_coef.h).
#include "kernels/pq_coef.h"

#include "kernels/gf256.h"
#include "kernels/peel.h"
#include "kernels/variants.h"

namespace dmae {
namespace kernels {

namespace {
// When coefs are g^z with strictly increasing slots z, lays the sources out as a disks array
// (blocks[z] = source, null in the gaps, then P and Q) and returns disks; else 0. *first
// receives the lowest slot. Gaps cost a ·{02} each in the Horner kernels, so a layout with
// more gaps than sources (async_mult's single g^200, say) is left to the dot product.
int slotLayout(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, const uint8_t* p, const uint8_t* q,
               const uint8_t** blocks, int* first) {
  const Gf256Tables& t = gf256();
  int last = -1;
  for (int i = 0; i < nsrc; i++) {
    if (!coefs[i]) return 0;
    const int z = t.log[coefs[i]];
    if (z <= last) return 0;
    last = z;
  }
  const int disks = last + 3;
  if (disks > kMaxDisks || last + 1 - nsrc > nsrc) return 0;
  for (int z = 0; z <= last; z++) blocks[z] = nullptr;
  for (int i = 0; i < nsrc; i++) blocks[t.log[coefs[i]]] = srcs[i];
  blocks[disks - 2] = p;
  blocks[disks - 1] = q;
  *first = t.log[coefs[0]];
  return disks;
}

// The alignment peel (peel.h) of the explicit-coefficient kernels: P and Q vote first.
size_t coefHead(const uint8_t* const* srcs, int nsrc, size_t len, const uint8_t* p, const uint8_t* q) {
  LineVote vote;
  vote.add(p);
  vote.add(q);
  for (int i = 0; i < nsrc; i++) vote.add(srcs[i]);
  return vote.head(len);
}
}  // namespace

void pqGenCoef(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, uint8_t* p, uint8_t* q,
               bool accumulate, KernelOp* ran) {
  const uint8_t* blocks[kMaxDisks];
  int first = 0;
  if (const int disks = slotLayout(srcs, coefs, nsrc, p, q, blocks, &first)) {
    // The P+Q kernels write only P and Q; the data slots are read-only despite the type.
    auto* b = const_cast<uint8_t* const*>(blocks);
    if (accumulate) {
      pqGenXor(disks, first, disks - 3, len, b);
    } else {
      pqGen(disks, len, b);
    }
    if (ran) *ran = KernelOp::kPqGen;
    return;
  }
  if (ran) *ran = KernelOp::kPqCoef;
  const PqGenCoefFn f = chosenKernelSet(KernelOp::kPqCoef).pqGenCoef;
  const size_t h = coefHead(srcs, nsrc, len, p, q);
  if (!h) return f(srcs, coefs, nsrc, len, p, q, accumulate);
  f(srcs, coefs, nsrc, h, p, q, accumulate);
  const uint8_t* t[kMaxPqSources];
  advance(srcs, nsrc, h, t);
  f(t, coefs, nsrc, len - h, p ? p + h : nullptr, q ? q + h : nullptr, accumulate);
}

unsigned pqCheckCoef(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, const uint8_t* p,
                     const uint8_t* q, KernelOp* ran) {
  const uint8_t* blocks[kMaxDisks];
  int first = 0;
  if (const int disks = slotLayout(srcs, coefs, nsrc, p, q, blocks, &first)) {
    if (ran) *ran = KernelOp::kPqCheck;
    return pqCheck(disks, len, blocks);
  }
  if (ran) *ran = KernelOp::kPqCoefCheck;
  const PqCheckCoefFn f = chosenKernelSet(KernelOp::kPqCoefCheck).pqCheckCoef;
  const size_t h = coefHead(srcs, nsrc, len, p, q);
  if (!h) return f(srcs, coefs, nsrc, len, p, q);
  const unsigned want = (p ? kPMismatch : 0u) | (q ? kQMismatch : 0u);
  const unsigned head = f(srcs, coefs, nsrc, h, p, q);
  if (head == want) return head;
  const uint8_t* t[kMaxPqSources];
  advance(srcs, nsrc, h, t);
  return head | f(t, coefs, nsrc, len - h, p ? p + h : nullptr, q ? q + h : nullptr);
}

}  // namespace kernels
}  // namespace dmae
