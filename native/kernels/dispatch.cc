// One dispatcher for every operation: on the first call of an operation, measure each variant
// the CPU supports on a small hot workload (two passes of 0.35 ms each, about 45 ms for all operations),
// keep the fastest, as lib/raid6 does at boot. DMAENGINE_KERNEL_<OP>=<variant> skips the
// measurement and forces a variant; an unknown or unsupported name is reported on stderr and
// ignored. The chosen KernelSet is published through an atomic pointer, so the hot path is one
// acquire load and an indirect call. From kPeelFrom bytes each multi-block call is split in
// two so that most of its blocks are line-aligned for the bulk of it (peel.h).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>

#include "kernels/kernels.h"
#include "kernels/peel.h"
#include "kernels/variants.h"

namespace dmae {
namespace kernels {

namespace {

// KernelOp's order (kernels.h).
enum Op { kMemcpy, kMemset, kXor, kXorCheck, kPqGen, kPqCheck, kRecov, kPqCoef, kPqCoefCheck, kOpCount };
static_assert(kOpCount == kKernelOpCount, "one Op per KernelOp");
const char* const kOpNames[kOpCount] = {"memcpy", "memset", "xor",   "xor_check", "pq_gen",
                                        "pq_check", "recov", "pq_coef", "pq_coef_check"};
const char* const kEnvNames[kOpCount] = {"MEMCPY", "MEMSET", "XOR",     "XOR_CHECK",    "PQ_GEN",
                                         "PQ_CHECK", "RECOV", "PQ_COEF", "PQ_COEF_CHECK"};

bool provides(const KernelSet& s, int op) {
  switch (op) {
    case kMemcpy: return s.copy;
    case kMemset: return s.fill;
    case kXor: return s.xorGen;
    case kXorCheck: return s.xorIsZero;
    case kPqGen: return s.pqGen && s.pqGenXor;
    case kPqCheck: return s.pqCheck;
    case kPqCoef: return s.pqGenCoef;
    case kPqCoefCheck: return s.pqCheckCoef;
    default: return s.recov2Data && s.recovDataP;
  }
}

// The measurement workload: 8 data blocks of one page plus P and Q, as lib/raid6 measures on
// pages; 8 blocks because that is the width the benchmark and ISA-L comparisons use. The
// explicit-coefficient operations get arbitrary coefficients (not g^i: those never reach them)
// and their own consistent P/Q.
constexpr size_t kLen = 4096;
constexpr int kData = 8;
struct Workload {
  alignas(64) uint8_t blocks[kData + 2][kLen];
  uint8_t* ptrs[kData + 2];
  uint8_t coefs[kData];
  alignas(64) uint8_t coefP[kLen];
  alignas(64) uint8_t coefQ[kLen];
  Workload() {
    std::mt19937 rng(1);
    for (auto& b : blocks)
      for (auto& x : b) x = static_cast<uint8_t>(rng());
    for (int i = 0; i < kData + 2; i++) ptrs[i] = blocks[i];
    pqGen_base(kData + 2, kLen, ptrs);  // consistent P/Q: the checks run the whole length
    // xor check: make the 8 sources xor to zero so it cannot leave early.
    xorGen_base(blocks[kData - 1], ptrs, kData - 1, kLen, true);
    for (auto& c : coefs) c = static_cast<uint8_t>(2 + rng() % 254);
    pqGenCoef_base(ptrs, coefs, kData, kLen, coefP, coefQ, false);
  }
};

// Shared by the operations, built on first need. A static object, not a leaked `new`: each
// worker thread that loads the addon loads its own copy of this library (Node unloads an
// addon with the worker's environment), and a leaked workload cost 41 KB per worker.
Workload& workload() {
  static Workload w;
  return w;
}

// Data in per call, the kernel's convention (8 × len for the multi-source operations).
double bytesIn(int op) { return op == kMemcpy || op == kMemset ? kLen : double(kData) * kLen; }

double measure(const KernelSet& s, int op, Workload& w, std::chrono::microseconds budget) {
  using clock = std::chrono::steady_clock;
  uint8_t** p = w.ptrs;
  const auto* cp = const_cast<const uint8_t* const*>(p);
  alignas(64) uint8_t scratch[kLen];
  alignas(64) uint8_t scratchQ[kLen];
  volatile unsigned sink = 0;
  auto once = [&]() {
    switch (op) {
      case kMemcpy: s.copy(scratch, p[0], kLen); break;
      case kMemset: s.fill(scratch, 0x5a, kLen); break;
      case kXor: s.xorGen(scratch, cp, kData, kLen, true); break;
      case kXorCheck: sink = sink + s.xorIsZero(cp, kData, kLen); break;
      case kPqGen: s.pqGen(kData + 2, kLen, p); break;
      case kPqCheck: sink = sink + s.pqCheck(kData + 2, kLen, cp); break;
      case kPqCoef: s.pqGenCoef(cp, w.coefs, kData, kLen, scratch, scratchQ, false); break;
      case kPqCoefCheck: sink = sink + s.pqCheckCoef(cp, w.coefs, kData, kLen, w.coefP, w.coefQ); break;
      case kRecov: {
        // Rebuild slots 1 and 4 into scratch copies so the workload stays consistent.
        static thread_local uint8_t a[kLen], b[kLen];
        uint8_t* q[kData + 2];
        for (int i = 0; i < kData + 2; i++) q[i] = p[i];
        q[1] = a;
        q[4] = b;
        s.recov2Data(kData + 2, kLen, 1, 4, q);
      }
    }
  };
  once();  // warm caches and branch predictors
  const auto t0 = clock::now();
  long calls = 0;
  auto t = t0;
  do {
    for (int i = 0; i < 4; i++) once();
    calls += 4;
    t = clock::now();
  } while (t - t0 < budget);
  const double secs = std::chrono::duration<double>(t - t0).count();
  return bytesIn(op) * calls / secs / 1e6;
}

struct State {
  std::once_flag once[kOpCount];
  std::atomic<const KernelSet*> chosen[kOpCount] = {};
  OpSelection sel[kOpCount];
};
State& state() {
  static State s;
  return s;
}

void select(int op) {
  State& st = state();
  size_t n = 0;
  const KernelSet* sets = kernelSets(&n);
  OpSelection& sel = st.sel[op];
  sel.op = kOpNames[op];
  sel.overridden = false;
  sel.measureMs = 0;
  const KernelSet* pick = nullptr;

  char env[64];
  std::snprintf(env, sizeof env, "DMAENGINE_KERNEL_%s", kEnvNames[op]);
  if (const char* want = std::getenv(env)) {
    const KernelSet* s = findKernelSet(want);
    if (!s || !provides(*s, op)) {
      std::fprintf(stderr, "dmaengine: %s=%s: no such %s variant, ignored\n", env, want, kOpNames[op]);
    } else if (!s->supported()) {
      std::fprintf(stderr, "dmaengine: %s=%s: this CPU cannot run it, ignored\n", env, want);
    } else {
      pick = s;
      sel.overridden = true;
    }
  }

  double best = -1;
  const auto t0 = std::chrono::steady_clock::now();
  static std::mutex wm;
  std::vector<const KernelSet*> measured;
  for (size_t i = 0; i < n; i++) {
    const KernelSet& s = sets[i];
    if (!provides(s, op)) continue;
    sel.variants.push_back(VariantFigure{s.name, 0.0, s.supported()});
    measured.push_back(&s);
  }
  if (!pick) {
    // Two interleaved passes of 0.35 ms per variant, keeping each one's better figure: a
    // neighbour's burst or a frequency change during one pass cannot decide alone.
    std::lock_guard<std::mutex> lock(wm);
    Workload& w = workload();
    for (int pass = 0; pass < 2; pass++) {
      for (size_t i = 0; i < measured.size(); i++) {
        if (!sel.variants[i].supported) continue;
        const double mb = measure(*measured[i], op, w, std::chrono::microseconds(350));
        if (mb > sel.variants[i].mbPerSec) sel.variants[i].mbPerSec = mb;
      }
    }
  }
  if (!pick) {
    for (const VariantFigure& f : sel.variants) {
      if (f.supported && f.mbPerSec > best) {
        best = f.mbPerSec;
        pick = findKernelSet(f.name.c_str());
      }
    }
  }
  sel.measureMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  sel.chosen = pick->name;
  st.chosen[op].store(pick, std::memory_order_release);
}

inline const KernelSet& use(int op) {
  State& st = state();
  const KernelSet* s = st.chosen[op].load(std::memory_order_acquire);
  if (__builtin_expect(s != nullptr, 1)) return *s;
  std::call_once(st.once[op], select, op);
  return *st.chosen[op].load(std::memory_order_acquire);
}

}  // namespace

// memcpy and memset align their destination themselves (mem_body.h): no peel.
void copy(void* dst, const void* src, size_t len) { use(kMemcpy).copy(dst, src, len); }
void fill(void* dst, uint8_t value, size_t len) { use(kMemset).fill(dst, value, len); }

void xorGen(uint8_t* dst, const uint8_t* const* srcs, int nsrc, size_t len, bool zeroDst) {
  const XorGenFn f = use(kXor).xorGen;
  LineVote vote;
  vote.add(dst);
  for (int i = 0; i < nsrc; i++) vote.add(srcs[i]);
  const size_t h = vote.head(len);
  if (!h) return f(dst, srcs, nsrc, len, zeroDst);
  f(dst, srcs, nsrc, h, zeroDst);
  const uint8_t* t[kMaxXorSources];
  advance(srcs, nsrc, h, t);
  f(dst + h, t, nsrc, len - h, zeroDst);
}

bool xorIsZero(const uint8_t* const* srcs, int nsrc, size_t len) {
  const XorIsZeroFn f = use(kXorCheck).xorIsZero;
  LineVote vote;
  for (int i = 0; i < nsrc; i++) vote.add(srcs[i]);
  const size_t h = vote.head(len);
  if (!h) return f(srcs, nsrc, len);
  if (!f(srcs, nsrc, h)) return false;
  const uint8_t* t[kMaxXorSources];
  advance(srcs, nsrc, h, t);
  return f(t, nsrc, len - h);
}

namespace {
// P and Q vote first (the outputs of gen and recovery), then the data.
size_t pqHead(int disks, size_t len, const uint8_t* const* ptrs) {
  LineVote vote;
  vote.add(ptrs[disks - 2]);
  vote.add(ptrs[disks - 1]);
  for (int i = 0; i < disks - 2; i++) vote.add(ptrs[i]);
  return vote.head(len);
}
const uint8_t* const* ro(uint8_t* const* p) { return const_cast<const uint8_t* const*>(p); }
}  // namespace

void pqGen(int disks, size_t len, uint8_t* const* ptrs) {
  const PqGenFn f = use(kPqGen).pqGen;
  const size_t h = pqHead(disks, len, ro(ptrs));
  if (!h) return f(disks, len, ptrs);
  f(disks, h, ptrs);
  uint8_t* t[kMaxDisks];
  advance(ptrs, disks, h, t);
  f(disks, len - h, t);
}

void pqGenXor(int disks, int start, int stop, size_t len, uint8_t* const* ptrs) {
  const PqGenXorFn f = use(kPqGen).pqGenXor;
  const size_t h = pqHead(disks, len, ro(ptrs));
  if (!h) return f(disks, start, stop, len, ptrs);
  f(disks, start, stop, h, ptrs);
  uint8_t* t[kMaxDisks];
  advance(ptrs, disks, h, t);
  f(disks, start, stop, len - h, t);
}

unsigned pqCheck(int disks, size_t len, const uint8_t* const* ptrs) {
  const PqCheckFn f = use(kPqCheck).pqCheck;
  const size_t h = pqHead(disks, len, ptrs);
  if (!h) return f(disks, len, ptrs);
  const unsigned want = (ptrs[disks - 2] ? kPMismatch : 0u) | (ptrs[disks - 1] ? kQMismatch : 0u);
  const unsigned head = f(disks, h, ptrs);
  if (head == want) return head;  // both known to mismatch: nothing left to learn
  const uint8_t* t[kMaxDisks];
  advance(ptrs, disks, h, t);
  return head | f(disks, len - h, t);
}

void raid6_2dataRecov(int disks, size_t len, int faila, int failb, uint8_t* const* ptrs) {
  const Recov2DataFn f = use(kRecov).recov2Data;
  const size_t h = pqHead(disks, len, ro(ptrs));
  if (!h) return f(disks, len, faila, failb, ptrs);
  f(disks, h, faila, failb, ptrs);
  uint8_t* t[kMaxDisks];
  advance(ptrs, disks, h, t);
  f(disks, len - h, faila, failb, t);
}

void raid6_datapRecov(int disks, size_t len, int faila, uint8_t* const* ptrs) {
  const RecovDataPFn f = use(kRecov).recovDataP;
  const size_t h = pqHead(disks, len, ro(ptrs));
  if (!h) return f(disks, len, faila, ptrs);
  f(disks, h, faila, ptrs);
  uint8_t* t[kMaxDisks];
  advance(ptrs, disks, h, t);
  f(disks, len - h, faila, t);
}

const KernelSet& chosenKernelSet(KernelOp op) { return use(static_cast<int>(op)); }

const char* kernelOpName(KernelOp op) { return kOpNames[static_cast<int>(op)]; }

int chosenVariant(KernelOp op) {
  size_t n = 0;
  const KernelSet* sets = kernelSets(&n);
  return static_cast<int>(&chosenKernelSet(op) - sets);
}

std::vector<OpSelection> kernelSelection() {
  std::vector<OpSelection> out;
  for (int op = 0; op < kOpCount; op++) {
    use(op);
    out.push_back(state().sel[op]);
  }
  return out;
}

std::vector<std::string> cpuFeatures() {
  std::vector<std::string> f;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("sse2")) f.push_back("sse2");
  if (__builtin_cpu_supports("ssse3")) f.push_back("ssse3");
  if (__builtin_cpu_supports("avx2")) f.push_back("avx2");
  if (__builtin_cpu_supports("avx512f")) f.push_back("avx512f");
  if (__builtin_cpu_supports("avx512bw")) f.push_back("avx512bw");
  if (__builtin_cpu_supports("avx512vl")) f.push_back("avx512vl");
  if (__builtin_cpu_supports("gfni")) f.push_back("gfni");
  return f;
}

}  // namespace kernels
}  // namespace dmae
