// Compute kernels: the byte-touching half of every dmaengine operation.
//
// Model: lib/raid6 and ISA-L. Each operation has a portable `_base` reference
// (kernels_base.cc, the test oracle) and SIMD variants (<op>_<isa>.cc). One dispatcher
// (dispatch.cc) chooses a variant per operation on first use, by a short micro-benchmark over
// the variants the CPU supports, as lib/raid6 chooses at boot; `DMAENGINE_KERNEL_<OP>=<name>`
// in the environment overrides the choice. The choice and the figures are readable through
// kernelSelection().
//
// Threading: every function here is reentrant and may run on any thread at once. Selection
// happens once (std::call_once) before the first call of the operation returns.
//
// Memory: functions read and write exactly the byte ranges their arguments describe, nothing
// more, whatever the alignment; callers (the N-API boundary, the engine) own the bounds checks.
//
// Maths (RAID-6): GF(2^8) with polynomial 0x11d and generator g = {02}. For `disks` blocks,
// ptrs[0 .. disks-3] are data, ptrs[disks-2] is P, ptrs[disks-1] is Q. P = ⊕ D_i and
// Q = ⊕ g^i · D_i, i the slot index: a null data slot counts as zeros and keeps its index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/limits.h"

namespace dmae {
namespace kernels {

// kPMismatch/kQMismatch (pqCheck's result bits), kMaxXorSources, kMaxDisks: limits.h.

// memcpy: dst[0..len) = src[0..len). Regions must not overlap.
void copy(void* dst, const void* src, size_t len);
// memset: dst[0..len) = value.
void fill(void* dst, uint8_t value, size_t len);
// dst = ⊕ srcs (zeroDst) or dst ^= ⊕ srcs (!zeroDst). 1..255 sources, null ones skipped.
// A source may be dst itself (the running destination fed back, as async_xor's passes do).
void xorGen(uint8_t* dst, const uint8_t* const* srcs, int nsrc, size_t len, bool zeroDst);
// true when ⊕ srcs is all zero. Writes nothing. 1..255 sources, null ones skipped.
bool xorIsZero(const uint8_t* const* srcs, int nsrc, size_t len);
// Generate P and/or Q over ptrs[0..disks-3]. 3 ≤ disks ≤ 255. P or Q may be null, not both.
void pqGen(int disks, size_t len, uint8_t* const* ptrs);
// Read-modify-write (ASYNC_TX_PQ_XOR_DST): P ^= ⊕ D_i, Q ^= ⊕ g^i·D_i for start ≤ i ≤ stop.
void pqGenXor(int disks, int start, int stop, size_t len, uint8_t* const* ptrs);
// Check P and/or Q against the data without writing anything; returns kPMismatch|kQMismatch
// bits. A null P or Q disables that check.
unsigned pqCheck(int disks, size_t len, const uint8_t* const* ptrs);
// Rebuild two lost data blocks faila < failb (their ptrs are the outputs) from the others,
// P and Q. Other null data slots count as zeros.
void raid6_2dataRecov(int disks, size_t len, int faila, int failb, uint8_t* const* ptrs);
// Rebuild lost data block faila and P from the other data and Q.
void raid6_datapRecov(int disks, size_t len, int faila, uint8_t* const* ptrs);

// GF(2^8) helpers (0x11d), table-driven; exposed for the layers above and for tests.
uint8_t gfMul(uint8_t a, uint8_t b);
uint8_t gfInv(uint8_t a);
uint8_t gfExp(int i);  // g^i, i taken mod 255

// The dispatcher's operations, in kernelSelection() order. kPqGen covers pqGen and pqGenXor,
// kRecov both recoveries; kPqCoef / kPqCoefCheck are pq_coef.h's general-coefficient kernels.
enum class KernelOp : uint8_t { kMemcpy, kMemset, kXor, kXorCheck, kPqGen, kPqCheck, kRecov, kPqCoef, kPqCoefCheck };
constexpr int kKernelOpCount = 9;
// "memcpy", "memset", "xor", "xor_check", "pq_gen", "pq_check", "recov", "pq_coef", "pq_coef_check".
const char* kernelOpName(KernelOp op);
// The kernelSets() index (variants.h) of the variant that runs `op`, selecting it if not yet
// done. The choice never changes afterwards, so callers may report it next to each call.
int chosenVariant(KernelOp op);

// What the dispatcher chose, and what it measured.
struct VariantFigure {
  std::string name;   // e.g. "avx512x2", "gfni", "base"
  double mbPerSec;    // measured MB/s of data in; 0 when not measured (override, unsupported)
  bool supported;     // the CPU can run it
};
struct OpSelection {
  std::string op;       // kernelOpName()
  std::string chosen;   // name of the chosen variant
  bool overridden;      // chosen through DMAENGINE_KERNEL_<OP>
  double measureMs;     // wall time the micro-benchmark of this operation took
  std::vector<VariantFigure> variants;
};
// Runs the selection for every operation (if not yet done) and returns it.
std::vector<OpSelection> kernelSelection();
// CPU features found, as the kernel names them ("avx2", "avx512bw", "gfni", …).
std::vector<std::string> cpuFeatures();

}  // namespace kernels
}  // namespace dmae
