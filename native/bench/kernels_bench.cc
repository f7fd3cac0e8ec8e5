// Kernel benchmark: our chosen kernels side by side with glibc memcpy/memset and, when Debian's
// libisal-dev was found at build time (HAVE_ISAL), ISA-L's xor_gen, xor_check, pq_gen,
// pq_check and ec_encode_data (8 data → 2 outputs, the baseline for two-data recovery).
// Data+P recovery has no ISA-L counterpart: ours alone.
//
// Method (design/PERFORMANCE.md): one process, contenders alternating within each round,
// 21 rounds (5 at 64 MiB), the median per contender; GB/s of data in (8 × len for the 8-source
// operations); cache-hot at 4 KiB..1 MiB (the same buffers again and again), DRAM-bound at
// 64 MiB. Prints a markdown table, or JSON lines for `dmaengine bench` (lib/bench/native-
// baseline.ts reads them). It never fails: it is a benchmark, not a test.
//
// Placement: by default every buffer is 64-byte aligned (posix_memalign), as ISA-L's own perf
// programs place them. `--placement node` takes each buffer from plain malloc, as Node's
// Buffer.alloc does (docs/kernels.md, "The boundary"): below glibc's mmap threshold (128 KiB)
// consecutive heap chunks 16 bytes longer than the block, so 64 KiB blocks start 0, 16, 32, 48
// bytes past a line in turn; from it one mapping per block, every block 16 bytes past a page.
// `--placement aligned,node` races both in the same rounds, one row per placement.
//
// Usage: kernels_bench [--variants] [--quick] [--json] [--rounds N] [--sizes 4096,65536,...]
//                      [--placement aligned|node|aligned,node]
//   --variants  also one row per supported variant of ours (the dispatcher chooses at 4 KiB)
//   --quick     3 rounds, sizes up to 1 MiB
//   --json      one JSON object per line: {"type":"info",...} then {"type":"row",...} per figure
//   --rounds N  rounds at every size (default 21, 5 at 64 MiB)
//   --sizes L   comma-separated byte lengths (default 4 KiB, 64 KiB, 1 MiB, 64 MiB)
//   --ops L     comma-separated operations (memcpy,memset,xor,xor_check,pq_gen,pq_check,recov,
//               recov_datap; default all)
//   --placement L  aligned (default), node, or both (see Placement above); with --json a
//               "placement" field is added to the rows only when node is asked for
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
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

enum class Placement { kAligned, kNode };
const char* placementName(Placement p) { return p == Placement::kAligned ? "aligned" : "node"; }

uint8_t* placedBuf(size_t len, Placement where) {
  void* p = nullptr;
  if (where == Placement::kNode) {
    p = std::malloc(len);  // what Buffer.alloc gets (calloc), wherever glibc puts it
    if (!p) std::abort();
  } else if (posix_memalign(&p, 64, len)) {
    std::abort();
  }
  return static_cast<uint8_t*>(p);
}

// 8 data + P + Q (+ 2 spare outputs), consistent P/Q, sources whose xor is zero in `zsum`.
struct Arrays {
  size_t len;
  uint8_t* blk[kData + 4];
  uint8_t* ptrs[kData + 2];
  Arrays(size_t n, Placement where) : len(n) {
    std::mt19937_64 rng(7);
    for (auto& b : blk) {
      b = placedBuf(n, where);
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
  Arrays(const Arrays&) = delete;
  Arrays& operator=(const Arrays&) = delete;
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
  if (n >= 1024) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " B";
}

std::string chosenFor(const char* op) {
  for (const auto& s : kernelSelection())
    if (s.op == op) return s.chosen;
  return "?";
}

// One operation: ours (the dispatcher's choice, or one set's variant) and an optional baseline.
struct OpDef {
  const char* op;     // kernelSelection() name, also the JSON "op"
  const char* label;  // markdown label
  double perLen;      // data in per byte of len
  const char* target;
  std::function<std::function<void()>(Arrays&, const KernelSet*)> ours;  // null set: dispatcher
  std::function<std::function<void()>(Arrays&)> base;                    // empty: no baseline
  const char* baseName;
  const char* selectionOp;  // the dispatcher operation whose choice runs
};

bool setHas(const KernelSet& s, const char* op) {
  if (!std::strcmp(op, "memcpy")) return s.copy != nullptr;
  if (!std::strcmp(op, "memset")) return s.fill != nullptr;
  if (!std::strcmp(op, "xor")) return s.xorGen != nullptr;
  if (!std::strcmp(op, "xor_check")) return s.xorIsZero != nullptr;
  if (!std::strcmp(op, "pq_gen")) return s.pqGen != nullptr;
  if (!std::strcmp(op, "pq_check")) return s.pqCheck != nullptr;
  if (!std::strcmp(op, "recov")) return s.recov2Data != nullptr;
  return s.recovDataP != nullptr;
}

std::vector<OpDef> opDefs(unsigned char* gftbls) {
  (void)gftbls;
  std::vector<OpDef> ops;
  ops.push_back({"memcpy", "memcpy", 1, "≥ 0.9×",
                 [](Arrays& a, const KernelSet* s) -> std::function<void()> {
                   auto f = s ? s->copy : copy;
                   return [&a, f] { f(a.blk[kData + 2], a.blk[0], a.len); };
                 },
                 [](Arrays& a) -> std::function<void()> { return [&a] { std::memcpy(a.blk[kData + 2], a.blk[0], a.len); }; },
                 "glibc memcpy", "memcpy"});
  ops.push_back({"memset", "memset", 1, "≥ 0.9×",
                 [](Arrays& a, const KernelSet* s) -> std::function<void()> {
                   auto f = s ? s->fill : fill;
                   return [&a, f] { f(a.blk[kData + 2], 0x5a, a.len); };
                 },
                 [](Arrays& a) -> std::function<void()> { return [&a] { std::memset(a.blk[kData + 2], 0x5a, a.len); }; },
                 "glibc memset", "memset"});
  OpDef x{"xor", "xor 8→1", kData, "≥ 1.0×",
          [](Arrays& a, const KernelSet* s) -> std::function<void()> {
            auto f = s ? s->xorGen : xorGen;
            return [&a, f] { f(a.blk[kData + 2], const_cast<const uint8_t* const*>(a.blk), kData, a.len, true); };
          },
          nullptr, "", "xor"};
  OpDef xc{"xor_check", "xor check 8", kData, "≥ 2×",
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
           nullptr, "", "xor_check"};
  OpDef pg{"pq_gen", "P+Q gen 8+2", kData, "≥ 1.2× (4K–1M)",
           [](Arrays& a, const KernelSet* s) -> std::function<void()> {
             auto f = s ? s->pqGen : pqGen;
             return [&a, f] { f(kData + 2, a.len, a.ptrs); };
           },
           nullptr, "", "pq_gen"};
  OpDef pc{"pq_check", "P+Q check 8+2", kData, "≥ 3×",
           [](Arrays& a, const KernelSet* s) -> std::function<void()> {
             auto f = s ? s->pqCheck : pqCheck;
             return [&a, f] {
               if (f(kData + 2, a.len, const_cast<const uint8_t* const*>(a.ptrs))) std::abort();
             };
           },
           nullptr, "", "pq_check"};
  OpDef r2{"recov", "2-data recovery 8+2", kData, "≥ 2×",
           [](Arrays& a, const KernelSet* s) -> std::function<void()> {
             auto f = s ? s->recov2Data : raid6_2dataRecov;
             return [&a, f] { f(kData + 2, a.len, 1, 4, a.ptrs); };
           },
           nullptr, "", "recov"};
  OpDef rp{"recov_datap", "data+P recovery 8+2", kData, "",
           [](Arrays& a, const KernelSet* s) -> std::function<void()> {
             auto f = s ? s->recovDataP : raid6_datapRecov;
             return [&a, f] { f(kData + 2, a.len, 2, a.ptrs); };
           },
           nullptr, "", "recov"};
#ifdef HAVE_ISAL
  x.base = [](Arrays& a) -> std::function<void()> {
    return [&a] {
      void* v[kData + 1];
      for (int i = 0; i < kData; i++) v[i] = a.blk[i];
      v[kData] = a.blk[kData + 2];
      xor_gen(kData + 1, static_cast<int>(a.len), v);
    };
  };
  x.baseName = "ISA-L xor_gen";
  xc.base = [](Arrays& a) -> std::function<void()> {
    return [&a] {
      void* v[kData];
      for (int i = 0; i < kData - 1; i++) v[i] = a.blk[i];
      v[kData - 1] = a.blk[kData + 3];
      if (xor_check(kData, static_cast<int>(a.len), v)) std::abort();
    };
  };
  xc.baseName = "ISA-L xor_check";
  pg.base = [](Arrays& a) -> std::function<void()> {
    return [&a] {
      void* v[kData + 2];
      for (int i = 0; i < kData + 2; i++) v[i] = a.blk[i];
      pq_gen(kData + 2, static_cast<int>(a.len), v);
    };
  };
  pg.baseName = "ISA-L pq_gen";
  pc.base = [](Arrays& a) -> std::function<void()> {
    return [&a] {
      void* v[kData + 2];
      for (int i = 0; i < kData + 2; i++) v[i] = a.blk[i];
      if (pq_check(kData + 2, static_cast<int>(a.len), v)) std::abort();
    };
  };
  pc.baseName = "ISA-L pq_check";
  r2.base = [gftbls](Arrays& a) -> std::function<void()> {
    return [&a, gftbls] {
      unsigned char* in[kData] = {a.blk[0], a.blk[2], a.blk[3], a.blk[5], a.blk[6], a.blk[7], a.blk[8], a.blk[9]};
      unsigned char* out[2] = {a.blk[kData + 2], a.blk[kData + 3]};
      ec_encode_data(static_cast<int>(a.len), kData, 2, gftbls, in, out);
    };
  };
  r2.baseName = "ISA-L ec_encode_data 8→2";
#endif
  for (OpDef* d : {&x, &xc, &pg, &pc, &r2, &rp}) ops.push_back(*d);
  return ops;
}

}  // namespace

int main(int argc, char** argv) {
  bool variants = false, quick = false, json = false;
  int roundsArg = 0;
  std::vector<size_t> sizes;
  std::string onlyOps;  // ",a,b," or empty for all
  std::vector<Placement> placements = {Placement::kAligned};
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--variants")) variants = true;
    else if (!std::strcmp(argv[i], "--quick")) quick = true;
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) roundsArg = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--sizes") && i + 1 < argc) {
      for (const char* p = argv[++i]; *p;) {
        char* end = nullptr;
        const unsigned long long v = std::strtoull(p, &end, 10);
        if (end == p || v == 0 || v > (1ull << 31)) {
          std::fprintf(stderr, "kernels_bench: bad --sizes entry at \"%s\"\n", p);
          return 2;
        }
        sizes.push_back(static_cast<size_t>(v));
        p = *end == ',' ? end + 1 : end;
      }
    } else if (!std::strcmp(argv[i], "--placement") && i + 1 < argc) {
      const std::string v = std::string(",") + argv[++i] + ",";
      placements.clear();
      if (v.find(",aligned,") != std::string::npos) placements.push_back(Placement::kAligned);
      if (v.find(",node,") != std::string::npos) placements.push_back(Placement::kNode);
      if (placements.empty()) {
        std::fprintf(stderr, "kernels_bench: --placement takes aligned, node or aligned,node\n");
        return 2;
      }
    } else if (!std::strcmp(argv[i], "--ops") && i + 1 < argc) {
      onlyOps = std::string(",") + argv[++i] + ",";
    } else {
      std::fprintf(stderr, "kernels_bench: unknown argument \"%s\"\n", argv[i]);
      return 2;
    }
  }
  if (sizes.empty()) {
    sizes = {4096, 65536, 1u << 20};
    if (!quick) sizes.push_back(64u << 20);
  }

  unsigned char gftbls[32 * kData * 2] = {};
#ifdef HAVE_ISAL
  const bool isal = true;
  unsigned char encode[(kData + 2) * kData];
  gf_gen_cauchy1_matrix(encode, kData + 2, kData);
  ec_init_tables(kData, 2, &encode[kData * kData], gftbls);
#else
  const bool isal = false;
#endif
  if (json) {
    std::printf("{\"type\":\"info\",\"isal\":%s,\"selection\":{", isal ? "true" : "false");
    bool first = true;
    for (const auto& s : kernelSelection()) {
      std::printf("%s\"%s\":\"%s\"", first ? "" : ",", s.op.c_str(), s.chosen.c_str());
      first = false;
    }
    std::printf("}}\n");
  } else {
    if (isal) std::printf("ISA-L: found (libisal-dev), compared below\n");
    else std::printf("ISA-L: NOT FOUND (no /usr/include/isa-l.h at build time): the ISA-L column is "
                     "skipped; install Debian's libisal-dev to compare\n");
    std::printf("selection: ");
    for (const auto& s : kernelSelection()) std::printf("%s=%s ", s.op.c_str(), s.chosen.c_str());
    std::printf("\n\n| operation | size | placement | ours | GB/s | baseline | GB/s | ratio | / ours aligned | target |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  }
  std::fflush(stdout);

  size_t nsets = 0;
  const KernelSet* sets = kernelSets(&nsets);
  const int rounds = roundsArg > 0 ? roundsArg : quick ? 3 : 21;
  const int bigRounds = roundsArg > 0 ? roundsArg : quick ? 3 : 5;
  for (const OpDef& op : opDefs(gftbls)) {
    if (!onlyOps.empty() && onlyOps.find(std::string(",") + op.op + ",") == std::string::npos) continue;
    for (size_t len : sizes) {
      // One race for every placement: ours, the baseline, the variants, per placement.
      std::vector<std::unique_ptr<Arrays>> arrays;
      std::vector<Contender> cs;
      struct Slot { Placement where; size_t first, count; };
      std::vector<Slot> slots;
      const bool hasBase = static_cast<bool>(op.base);
      for (Placement where : placements) {
        arrays.push_back(std::make_unique<Arrays>(len, where));
        Arrays& a = *arrays.back();
        const size_t first = cs.size();
        cs.push_back({"ours", op.ours(a, nullptr), {}});
        if (hasBase) cs.push_back({op.baseName, op.base(a), {}});
        if (variants) {
          for (size_t i = 0; i < nsets; i++) {
            const KernelSet& s = sets[i];
            if (!setHas(s, op.op) || !s.supported() || !std::strcmp(s.name, "base")) continue;
            cs.push_back({s.name, op.ours(a, &s), {}});
          }
        }
        slots.push_back({where, first, cs.size() - first});
      }
      race(cs, op.perLen * len, len >= (64u << 20) ? bigRounds : rounds);
      const double alignedOurs = placements[0] == Placement::kAligned ? median(cs[0].gbps) : 0;
      const bool tagPlacement = placements.size() > 1 || placements[0] != Placement::kAligned;
      for (const Slot& sl : slots) {
        const double base = hasBase ? median(cs[sl.first + 1].gbps) : 0;
        for (size_t j = 0; j < sl.count; j++) {
          const Contender& c = cs[sl.first + j];
          const double g = median(c.gbps);
          if (json) {
            const char* role = j == 0 ? "ours" : (hasBase && j == 1) ? "baseline" : "variant";
            const std::string impl = j == 0 ? chosenFor(op.selectionOp) : c.name;
            std::printf("{\"type\":\"row\",\"op\":\"%s\",\"len\":%zu,\"role\":\"%s\",\"impl\":\"%s\",\"gbps\":%.4f,\"rounds\":%zu",
                        op.op, len, role, impl.c_str(), g, c.gbps.size());
            if (tagPlacement) std::printf(",\"placement\":\"%s\"", placementName(sl.where));
            std::printf("}\n");
            continue;
          }
          if (hasBase && j == 1) continue;
          const std::string name = j == 0 ? "ours (" + chosenFor(op.selectionOp) + ")" : "  " + c.name;
          char vsAligned[32] = "—";
          if (alignedOurs > 0 && sl.where != Placement::kAligned) std::snprintf(vsAligned, sizeof vsAligned, "%.2f×", g / alignedOurs);
          if (hasBase) {
            std::printf("| %s | %s | %s | %s | %.1f | %s | %.1f | %.2f× | %s | %s |\n", op.label, sizeName(len).c_str(),
                        placementName(sl.where), name.c_str(), g, op.baseName, base, g / base, vsAligned,
                        j == 0 ? op.target : "");
          } else {
            std::printf("| %s | %s | %s | %s | %.1f | — | — | — | %s | %s |\n", op.label, sizeName(len).c_str(),
                        placementName(sl.where), name.c_str(), g, vsAligned, j == 0 ? op.target : "");
          }
        }
      }
      std::fflush(stdout);
    }
  }
  return 0;
}
