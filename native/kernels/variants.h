// The variant table: every implementation of every operation, the base ones first.
//
// Model: ISA-L's layout. Each instruction-set file (<op>_<isa>.cc) defines its functions under
// a `#pragma GCC target`; a KernelSet groups one instruction set's functions (null where that
// set has no version of an operation) with the CPU check that guards them. dispatch.cc measures
// the supported sets per operation and picks one; tests and the fuzz target walk the same table
// to call every variant directly.
//
// Threading: the table is constant; every function in it is reentrant.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/kernels.h"

namespace dmae {
namespace kernels {

using MemcpyFn = void (*)(void*, const void*, size_t);
using MemsetFn = void (*)(void*, uint8_t, size_t);
using XorGenFn = void (*)(uint8_t*, const uint8_t* const*, int, size_t, bool);
using XorIsZeroFn = bool (*)(const uint8_t* const*, int, size_t);
using PqGenFn = void (*)(int, size_t, uint8_t* const*);
using PqGenXorFn = void (*)(int, int, int, size_t, uint8_t* const*);
using PqCheckFn = unsigned (*)(int, size_t, const uint8_t* const*);
using Recov2DataFn = void (*)(int, size_t, int, int, uint8_t* const*);
using RecovDataPFn = void (*)(int, size_t, int, uint8_t* const*);
using PqGenCoefFn = void (*)(const uint8_t* const*, const uint8_t*, int, size_t, uint8_t*, uint8_t*, bool);
using PqCheckCoefFn = unsigned (*)(const uint8_t* const*, const uint8_t*, int, size_t, const uint8_t*,
                                   const uint8_t*);

// Portable references (kernels_base.cc).
void copy_base(void* dst, const void* src, size_t len);
void fill_base(void* dst, uint8_t value, size_t len);
void xorGen_base(uint8_t* dst, const uint8_t* const* srcs, int nsrc, size_t len, bool zeroDst);
bool xorIsZero_base(const uint8_t* const* srcs, int nsrc, size_t len);
void pqGen_base(int disks, size_t len, uint8_t* const* ptrs);
void pqGenXor_base(int disks, int start, int stop, size_t len, uint8_t* const* ptrs);
unsigned pqCheck_base(int disks, size_t len, const uint8_t* const* ptrs);
void raid6_2dataRecov_base(int disks, size_t len, int faila, int failb, uint8_t* const* ptrs);
void raid6_datapRecov_base(int disks, size_t len, int faila, uint8_t* const* ptrs);
// Explicit-coefficient P+Q (pq_coef.h has the contract), pq_coef_base.cc.
void pqGenCoef_base(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, uint8_t* p, uint8_t* q,
                    bool accumulate);
unsigned pqCheckCoef_base(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, const uint8_t* p,
                          const uint8_t* q);

// glibc's memcpy / memset behind the same signatures (mem_glibc.cc).
void copy_glibc(void* dst, const void* src, size_t len);
void fill_glibc(void* dst, uint8_t value, size_t len);

// mem_avx2.cc, mem_avx512.cc
void copy_avx2(void* dst, const void* src, size_t len);
void fill_avx2(void* dst, uint8_t value, size_t len);
void copy_avx512(void* dst, const void* src, size_t len);
void fill_avx512(void* dst, uint8_t value, size_t len);

// xor_avx2.cc, xor_avx512.cc
void xorGen_avx2(uint8_t* dst, const uint8_t* const* srcs, int nsrc, size_t len, bool zeroDst);
bool xorIsZero_avx2(const uint8_t* const* srcs, int nsrc, size_t len);
void xorGen_avx512(uint8_t* dst, const uint8_t* const* srcs, int nsrc, size_t len, bool zeroDst);
bool xorIsZero_avx512(const uint8_t* const* srcs, int nsrc, size_t len);

// pq_avx2.cc, pq_avx512.cc, pq_gfni.cc
void pqGen_avx2(int disks, size_t len, uint8_t* const* ptrs);
void pqGenXor_avx2(int disks, int start, int stop, size_t len, uint8_t* const* ptrs);
unsigned pqCheck_avx2(int disks, size_t len, const uint8_t* const* ptrs);
void pqGen_avx512(int disks, size_t len, uint8_t* const* ptrs);
void pqGenXor_avx512(int disks, int start, int stop, size_t len, uint8_t* const* ptrs);
unsigned pqCheck_avx512(int disks, size_t len, const uint8_t* const* ptrs);
void pqGen_gfni(int disks, size_t len, uint8_t* const* ptrs);
void pqGenXor_gfni(int disks, int start, int stop, size_t len, uint8_t* const* ptrs);
unsigned pqCheck_gfni(int disks, size_t len, const uint8_t* const* ptrs);

// recov_avx2.cc, recov_avx512.cc, recov_gfni.cc
void raid6_2dataRecov_avx2(int disks, size_t len, int faila, int failb, uint8_t* const* ptrs);
void raid6_datapRecov_avx2(int disks, size_t len, int faila, uint8_t* const* ptrs);
void raid6_2dataRecov_avx512(int disks, size_t len, int faila, int failb, uint8_t* const* ptrs);
void raid6_datapRecov_avx512(int disks, size_t len, int faila, uint8_t* const* ptrs);
void raid6_2dataRecov_gfni(int disks, size_t len, int faila, int failb, uint8_t* const* ptrs);
void raid6_datapRecov_gfni(int disks, size_t len, int faila, uint8_t* const* ptrs);

// pq_coef_avx2.cc, pq_coef_avx512.cc, pq_coef_gfni.cc
void pqGenCoef_avx2(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, uint8_t* p, uint8_t* q,
                    bool accumulate);
unsigned pqCheckCoef_avx2(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, const uint8_t* p,
                          const uint8_t* q);
void pqGenCoef_avx512(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, uint8_t* p, uint8_t* q,
                      bool accumulate);
unsigned pqCheckCoef_avx512(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, const uint8_t* p,
                            const uint8_t* q);
void pqGenCoef_gfni(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, uint8_t* p, uint8_t* q,
                    bool accumulate);
unsigned pqCheckCoef_gfni(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, const uint8_t* p,
                          const uint8_t* q);

// One instruction set's implementations; a null member means "no version of this operation".
struct KernelSet {
  const char* name;       // "base", "glibc", "avx2", "avx512", "gfni"
  bool (*supported)();    // may this CPU run it
  MemcpyFn copy;
  MemsetFn fill;
  XorGenFn xorGen;
  XorIsZeroFn xorIsZero;
  PqGenFn pqGen;
  PqGenXorFn pqGenXor;
  PqCheckFn pqCheck;
  Recov2DataFn recov2Data;
  RecovDataPFn recovDataP;
  PqGenCoefFn pqGenCoef;
  PqCheckCoefFn pqCheckCoef;
};

// Every set, base first. *count receives the number of entries.
const KernelSet* kernelSets(size_t* count);
// The set named `name`, or null.
const KernelSet* findKernelSet(const char* name);
// The set the dispatcher chose for `op` (dispatch.cc; selects it on first use).
const KernelSet& chosenKernelSet(KernelOp op);

}  // namespace kernels
}  // namespace dmae
