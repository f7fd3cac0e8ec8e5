// P+Q with explicit coefficients: what a dmaengine provider's device_prep_dma_pq and
// device_prep_dma_pq_val receive (`scf`), as opposed to async_gen_syndrome's slot-index
// coefficients (kernels.h). dmatest uses it with every coefficient 1; async_tx's RAID-6
// recovery chains use it for sum-products (P disabled, two coefficients).
//
// P = ⊕ src_i and Q = ⊕ coef_i·src_i over GF(2^8)/0x11d. Either output may be null. With
// `accumulate` the results are XORed into the existing P/Q (DMA_PREP_CONTINUE). Sources are
// never null here: a provider drops absent sources before calling. Reentrant, any thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dmae {
namespace kernels {

void pqGenCoef(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, uint8_t* p, uint8_t* q,
               bool accumulate);
// Returns kPMismatch/kQMismatch bits comparing the P/Q computed from srcs with p/q (null = not
// checked). Writes nothing.
unsigned pqCheckCoef(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, const uint8_t* p,
                     const uint8_t* q);

}  // namespace kernels
}  // namespace dmae
