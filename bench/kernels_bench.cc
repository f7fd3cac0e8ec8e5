// Kernel benchmark: our chosen kernels side by side with glibc memcpy/memset and, when Debian's
// libisal-dev was found at build time (HAVE_ISAL), ISA-L's xor_gen, xor_check, pq_gen,
// pq_check and ec_encode_data (8 data → 2 outputs, the baseline for two-data recovery).
//
// Method (design/PERFORMANCE.md): one process, contenders alternating within each round,
// 21 rounds (5 at 64 MiB), the median per contender; GB/s of data in (8 × len for the 8-source
// operations); cache-hot at 4 KiB..1 MiB (the same buffers again and again), DRAM-bound at
// 64 MiB. Prints a markdown table. It never fails: it is a benchmark, not a test.
//
// Usage: kernels_bench [--variants] [--quick]
//   --variants  also one row per supported variant of ours (the dispatcher chooses at 4 KiB)
//   --quick     3 rounds, sizes up to 1 MiB
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/variants.h"

#ifdef HAVE_ISAL
#include <isa-l.h>
#endif

using namespace dmae::kernels;

namespace {

constexpr int kData = 8;

uint8_t* alignedBuf(size_t len) {
  void* p = nullptr;
  if (posix_memalign(&p, 64, len)) std::abort();
  return static_cast<uint8_t*>(p);
}

// 8 data + P + Q (+ 2 spare outputs), consistent P/Q, sources whose xor is zero in `zsum`.
struct Arrays {
  size_t len;
  uint8_t* blk[kData + 4];
  uint8_t* ptrs[kData + 2];
  explicit Arrays(size_t n) : len(n) {
    std::mt19937_64 rng(7);
    for (auto& b : blk) {
      b = alignedBuf(n);
      for (size_t i = 0; i < n; i += 8) {
        const uint64_t v = rng();
        std::memcpy(b + i, &v, 8);
      }
    }
    for (int i = 0; i < kData + 2; i++) ptrs[i] = blk[i];
    pqGen(kData + 2, n, ptrs);
  }
  ~Arrays() {
    for (auto* b : blk) free(b);
  }
};

double seconds(const std::function<void()>& f, long calls) {
  const auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < calls; i++) f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Contender {
  std::string name;
  std::function<void()> run;
  std::vector<double> gbps;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Runs every contender `rounds` times, alternating, and stores GB/s of data in.
void race(std::vector<Contender>& cs, double bytesIn, int rounds) {
  const double sampleBytes = 128.0 * (1 << 20);
  const long calls = std::max(1L, static_cast<long>(sampleBytes / bytesIn));
  for (auto& c : cs) c.run();  // warm up
  for (int r = 0; r < rounds; r++) {
    for (size_t k = 0; k < cs.size(); k++) {
      Contender& c = cs[(r & 1) ? cs.size() - 1 - k : k];
      const double s = seconds(c.run, calls);
      c.gbps.push_back(bytesIn * calls / s / 1e9);
    }
  }
}

std::string sizeName(size_t n) {
  if (n >= (1u << 20)) return std::to_string(n >> 20) + " MiB";
  return std::to_string(n >> 10) + " KiB";
}

std::string chosenFor(const char* op) {
  for (const auto& s : kernelSelection())
    if (s.op == op) return s.chosen;
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  bool variants = false, quick = false;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--variants")) variants = true;
    if (!std::strcmp(argv[i], "--quick")) quick = true;
  }
  std::vector<size_t> sizes = {4096, 65536, 1u << 20};
  if (!quick) sizes.push_back(64u << 20);

#ifdef HAVE_ISAL
  std::printf("ISA-L: found (libisal-dev), compared below\n");
  unsigned char encode[(kData + 2) * kData], gftbls[32 * kData * 2];
  gf_gen_cauchy1_matrix(encode, kData + 2, kData);
  ec_init_tables(kData, 2, &encode[kData * kData], gftbls);
#else
  std::printf("ISA-L: NOT FOUND (no /usr/include/isa-l.h at build time): the ISA-L column is "
              "skipped; install Debian's libisal-dev to compare\n");
#endif
  std::printf("selection: ");
  for (const auto& s : kernelSelection()) std::printf("%s=%s ", s.op.c_str(), s.chosen.c_str());
  std::printf("\n\n| operation | size | ours | GB/s | baseline | GB/s | ratio | target |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");

  size_t nsets = 0;
  const KernelSet* sets = kernelSets(&nsets);

  struct OpDef {
    const char* op;
    const char* label;
    double perLen;  // data in per byte of len
    const char* target;
    std::function<std::function<void()>(Arrays&, const KernelSet*)> ours;  // null set: dispatcher
    std::function<std::function<void()>(Arrays&)> base;
    const char* baseName;
    bool isal;
  };
  std::vector<OpDef> ops = {
      {"memcpy", "memcpy", 1, "≥ 0.9×",
       [](Arrays& a, const KernelSet* s) -> std::function<void()> {
         auto f = s ? s->copy : copy;
         return [&a, f] { f(a.blk[kData + 2], a.blk[0], a.len); };
       },
       [](Arrays& a) -> std::function<void()> { return [&a] { std::memcpy(a.blk[kData + 2], a.blk[0], a.len); }; },
       "glibc memcpy", false},
      {"memset", "memset", 1, "≥ 0.9×",
       [](Arrays& a, const KernelSet* s) -> std::function<void()> {
         auto f = s ? s->fill : fill;
         return [&a, f] { f(a.blk[kData + 2], 0x5a, a.len); };
       },
       [](Arrays& a) -> std::function<void()> { return [&a] { std::memset(a.blk[kData + 2], 0x5a, a.len); }; },
       "glibc memset", false},
#ifdef HAVE_ISAL
      {"xor", "xor 8→1", kData, "≥ 1.0×",
       [](Arrays& a, const KernelSet* s) -> std::function<void()> {
         auto f = s ? s->xorGen : xorGen;
         return [&a, f] { f(a.blk[kData + 2], const_cast<const uint8_t* const*>(a.blk), kData, a.len, true); };
       },
       [](Arrays& a) -> std::function<void()> {
         return [&a] {
           void* v[kData + 1];
           for (int i = 0; i < kData; i++) v[i] = a.blk[i];
           v[kData] = a.blk[kData + 2];
           xor_gen(kData + 1, static_cast<int>(a.len), v);
         };
       },
       "ISA-L xor_gen", true},
      {"xor_check", "xor check 8", kData, "≥ 2×",
       [](Arrays& a, const KernelSet* s) -> std::function<void()> {
         auto f = s ? s->xorIsZero : xorIsZero;
         // Sources 0..6 and the xor of them: a zero sum, so the whole length is read.
         xorGen(a.blk[kData + 3], const_cast<const uint8_t* const*>(a.blk), kData - 1, a.len, true);
         return [&a, f] {
           const uint8_t* v[kData];
           for (int i = 0; i < kData - 1; i++) v[i] = a.blk[i];
           v[kData - 1] = a.blk[kData + 3];
           if (!f(v, kData, a.len)) std::abort();
         };
       },
       [](Arrays& a) -> std::function<void()> {
         return [&a] {
           void* v[kData];
           for (int i = 0; i < kData - 1; i++) v[i] = a.blk[i];
           v[kData - 1] = a.blk[kData + 3];
           if (xor_check(kData, static_cast<int>(a.len), v)) std::abort();
         };
       },
       "ISA-L xor_check", true},
      {"pq_gen", "P+Q gen 8+2", kData, "≥ 1.2× (4K–1M)",
       [](Arrays& a, const KernelSet* s) -> std::function<void()> {
         auto f = s ? s->pqGen : pqGen;
         return [&a, f] { f(kData + 2, a.len, a.ptrs); };
       },
       [](Arrays& a) -> std::function<void()> {
         return [&a] {
           void* v[kData + 2];
           for (int i = 0; i < kData + 2; i++) v[i] = a.blk[i];
           pq_gen(kData + 2, static_cast<int>(a.len), v);
         };
       },
       "ISA-L pq_gen", true},
      {"pq_check", "P+Q check 8+2", kData, "≥ 3×",
       [](Arrays& a, const KernelSet* s) -> std::function<void()> {
         auto f = s ? s->pqCheck : pqCheck;
         return [&a, f] {
           if (f(kData + 2, a.len, const_cast<const uint8_t* const*>(a.ptrs))) std::abort();
         };
       },
       [](Arrays& a) -> std::function<void()> {
         return [&a] {
           void* v[kData + 2];
           for (int i = 0; i < kData + 2; i++) v[i] = a.blk[i];
           if (pq_check(kData + 2, static_cast<int>(a.len), v)) std::abort();
         };
       },
       "ISA-L pq_check", true},
      {"recov", "2-data recovery 8+2", kData, "≥ 2×",
       [](Arrays& a, const KernelSet* s) -> std::function<void()> {
         auto f = s ? s->recov2Data : raid6_2dataRecov;
         return [&a, f] { f(kData + 2, a.len, 1, 4, a.ptrs); };
       },
       [gftbls](Arrays& a) -> std::function<void()> {
         return [&a, gftbls] {
           unsigned char* in[kData] = {a.blk[0], a.blk[2], a.blk[3], a.blk[5], a.blk[6], a.blk[7], a.blk[8], a.blk[9]};
           unsigned char* out[2] = {a.blk[kData + 2], a.blk[kData + 3]};
           ec_encode_data(static_cast<int>(a.len), kData, 2, const_cast<unsigned char*>(gftbls), in, out);
         };
       },
       "ISA-L ec_encode_data 8→2", true},
#endif
  };

  const int rounds = quick ? 3 : 21;
  for (const OpDef& op : ops) {
    for (size_t len : sizes) {
      Arrays a(len);
      std::vector<Contender> cs;
      cs.push_back({"ours (" + chosenFor(op.op) + ")", op.ours(a, nullptr), {}});
      cs.push_back({op.baseName, op.base(a), {}});
      if (variants) {
        for (size_t i = 0; i < nsets; i++) {
          const KernelSet& s = sets[i];
          const bool has = !std::strcmp(op.op, "memcpy") ? s.copy != nullptr
                           : !std::strcmp(op.op, "memset") ? s.fill != nullptr
                           : !std::strcmp(op.op, "xor") ? s.xorGen != nullptr
                           : !std::strcmp(op.op, "xor_check") ? s.xorIsZero != nullptr
                           : !std::strcmp(op.op, "pq_gen") ? s.pqGen != nullptr
                           : !std::strcmp(op.op, "pq_check") ? s.pqCheck != nullptr
                                                             : s.recov2Data != nullptr;
          if (!has || !s.supported() || !std::strcmp(s.name, "base")) continue;
          cs.push_back({std::string("  ") + s.name, op.ours(a, &s), {}});
        }
      }
      race(cs, op.perLen * len, len >= (64u << 20) ? (quick ? 3 : 5) : rounds);
      const double base = median(cs[1].gbps);
      for (size_t k = 0; k < cs.size(); k++) {
        if (k == 1) continue;
        const double g = median(cs[k].gbps);
        std::printf("| %s | %s | %s | %.1f | %s | %.1f | %.2f× | %s |\n", op.label,
                    sizeName(len).c_str(), cs[k].name.c_str(), g, op.baseName, base, g / base,
                    k == 0 ? op.target : "");
      }
      std::fflush(stdout);
    }
  }
  return 0;
}
