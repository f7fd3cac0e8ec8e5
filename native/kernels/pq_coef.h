// P+Q with explicit coefficients: what a dmaengine provider's device_prep_dma_pq and
// device_prep_dma_pq_val receive (`scf`), as opposed to async_gen_syndrome's slot-index
// coefficients (kernels.h). async_gen_syndrome through a provider passes g^slot of each live
// slot; dmatest passes every coefficient 1; async_tx's RAID-6 recovery chains pass two
// coefficients with P disabled (sum-products) or one (async_mult).
//
// P = ⊕ src_i and Q = ⊕ coef_i·src_i over GF(2^8)/0x11d. Either output may be null. With
// `accumulate` the results are XORed into the existing P/Q (DMA_PREP_CONTINUE). Sources are
// never null here (a provider drops absent sources before calling), 1 ≤ nsrc ≤ kMaxDisks - 2;
// a source may be P or Q itself (the same bytes, not a shifted overlap).
//
// Routing (pq_coef.cc): coefficients g^z_0, g^z_1, … with strictly increasing slots z_i are
// async_gen_syndrome's own, so the call runs on the dispatched P+Q kernels (pqGen, pqGenXor,
// pqCheck) with the sources in their slots; anything else runs on the dispatched
// explicit-coefficient kernels (pq_coef / pq_coef_check, a two-output GF dot product).
// `ran`, when given, receives which of the dispatcher's operations ran the call.
//
// Threading: reentrant, any thread.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/kernels.h"

namespace dmae {
namespace kernels {

void pqGenCoef(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, uint8_t* p, uint8_t* q,
               bool accumulate, KernelOp* ran = nullptr);
// Returns kPMismatch/kQMismatch bits comparing the P/Q computed from srcs with p/q (null = not
// checked). Writes nothing.
unsigned pqCheckCoef(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, const uint8_t* p,
                     const uint8_t* q, KernelOp* ran = nullptr);

}  // namespace kernels
}  // namespace dmae
