// Which kernel ran each queued descriptor: Engine::kernelUse counts, per channel, the
// dispatcher operation and variant of every descriptor that ran, and they are the dispatcher's
// choice (chosenVariant), the explicit-coefficient P+Q included; aborted and failed
// descriptors and interrupts count nothing.
#include <cstdint>
#include <cstring>
#include <map>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "kernels/kernels.h"
#include "kernels/variants.h"
#include "tests/check.h"
#include "tests/engine_sink.h"

using namespace dmae::engine;
namespace k = dmae::kernels;
using KOp = k::KernelOp;

namespace {
constexpr size_t kLen = 4096;

struct Blocks {
  std::vector<std::vector<uint8_t>> b;
  explicit Blocks(int n) : b(n, std::vector<uint8_t>(kLen)) {
    uint32_t seed = 11;
    for (auto& v : b)
      for (auto& x : v) x = static_cast<uint8_t>((seed = seed * 1103515245u + 12345u) >> 16);
  }
  std::vector<uint8_t*> ptrs() {
    std::vector<uint8_t*> p;
    for (auto& v : b) p.push_back(v.data());
    return p;
  }
};

DescriptorSpec spec(OpCode op, std::vector<uint8_t*> ptrs) {
  DescriptorSpec s;
  s.op = op;
  s.len = kLen;
  s.ptrs = std::move(ptrs);
  return s;
}
}  // namespace

int main() {
  dmae_test::RecordingSink sink;
  Engine e(EngineOptions{2, 0}, &sink);
  Blocks a(10);  // 8 data, P, Q
  std::vector<uint8_t> dst(kLen);
  std::map<int, uint64_t> want;  // KernelOp → descriptors on channel 0
  int n = 0;
  auto submit = [&](DescriptorSpec s, int op) {
    e.submit(0, s);
    n++;
    if (op >= 0) want[op]++;
  };

  DescriptorSpec cp = spec(OpCode::kMemcpy, {});
  cp.dst = dst.data();
  cp.src = a.b[0].data();
  submit(cp, int(KOp::kMemcpy));
  DescriptorSpec ms = spec(OpCode::kMemset, {});
  ms.dst = dst.data();
  submit(ms, int(KOp::kMemset));
  const std::vector<uint8_t*> all = a.ptrs();
  const std::vector<uint8_t*> data(all.begin(), all.begin() + 8);
  DescriptorSpec x = spec(OpCode::kXor, data);
  x.dst = dst.data();
  x.flags = kZeroDst;
  submit(x, int(KOp::kXor));
  submit(spec(OpCode::kXorVal, data), int(KOp::kXorCheck));
  submit(spec(OpCode::kPq, a.ptrs()), int(KOp::kPqGen));
  submit(spec(OpCode::kPqVal, a.ptrs()), int(KOp::kPqCheck));
  std::vector<uint8_t> lost1(kLen), lost2(kLen);
  std::vector<uint8_t*> r = a.ptrs();
  r[2] = lost1.data();
  r[5] = lost2.data();
  DescriptorSpec r2 = spec(OpCode::kRecov2Data, r);
  r2.faila = 2;
  r2.failb = 5;
  submit(r2, int(KOp::kRecov));
  std::vector<uint8_t> pcopy(a.b[8]);
  std::vector<uint8_t*> rp = a.ptrs();
  rp[3] = lost1.data();
  rp[8] = pcopy.data();
  DescriptorSpec r1 = spec(OpCode::kRecovDataP, rp);
  r1.faila = 3;
  submit(r1, int(KOp::kRecov));
  submit(spec(OpCode::kInterrupt, {}), -1);
  // Explicit coefficients: async_gen_syndrome's g^slot (the P+Q kernels run it), then
  // arbitrary ones (the explicit-coefficient kernels).
  std::vector<uint8_t> pq0(kLen), pq1(kLen);
  std::vector<uint8_t*> cs = data;
  cs.push_back(pq0.data());
  cs.push_back(pq1.data());
  DescriptorSpec gs = spec(OpCode::kPqCoef, cs);
  for (int i = 0; i < 8; i++) gs.coefs.push_back(k::gfExp(i));
  submit(gs, int(KOp::kPqGen));
  gs.op = OpCode::kPqCoefVal;
  submit(gs, int(KOp::kPqCheck));
  DescriptorSpec sp = spec(OpCode::kPqCoef, {a.b[0].data(), a.b[1].data(), nullptr, pq1.data()});
  sp.coefs = {0x8e, 0x33};
  submit(sp, int(KOp::kPqCoef));
  sp.flags = kAccumulate;
  submit(sp, int(KOp::kPqCoef));
  sp.op = OpCode::kPqCoefVal;
  sp.flags = 0;
  submit(sp, int(KOp::kPqCoefCheck));
  // An injected failure runs nothing, so counts nothing.
  e.injectError(0, 1, kReadFailed);
  submit(sp, -1);
  e.issuePending(0);
  CHECK(sink.waitFor(n) == static_cast<size_t>(n));
  CHECK(sink.snapshot()[10].valResult == 0);  // the g^slot check of the g^slot generate
  CHECK(sink.snapshot()[n - 1].result == kReadFailed);

  size_t nsets = 0;
  const k::KernelSet* sets = k::kernelSets(&nsets);
  bool simd = false;
  for (size_t i = 0; i < nsets; i++) simd = simd || (std::strcmp(sets[i].name, "base") && sets[i].supported());
  std::map<int, uint64_t> got;
  for (const KernelUse& u : e.kernelUse(0)) {
    got[u.op] += u.count;
    const KOp op = static_cast<KOp>(u.op);
    CHECK(u.variant == k::chosenVariant(op));
    // The dispatcher measured: on a CPU with any SIMD set, no queued op runs the byte loops.
    if (simd) CHECK(std::strcmp(sets[u.variant].name, "base") != 0);
    std::printf("engine_kernel_use: %s ran on %s (%llu)\n", k::kernelOpName(op), sets[u.variant].name,
                static_cast<unsigned long long>(u.count));
  }
  CHECK(got == want);
  CHECK(e.kernelUse(1).empty());
  if (!simd) std::printf("engine_kernel_use: no SIMD set on this CPU: the base variants are the choice\n");
  return dmae_test::summary("engine_kernel_use");
}
