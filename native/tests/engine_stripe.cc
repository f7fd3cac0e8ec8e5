// Striping (engine/stripe.h): every op cut into ranges run by several threads gives the bytes
// and result bits of the same op run whole (lengths around the threshold, odd offsets, null
// slots), completions stay in cookie order and exactly once, and terminate, shutdown and
// injected failures behave as for unstriped descriptors.
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "engine/engine.h"
#include "engine/stripe.h"
#include "kernels/kernels.h"
#include "tests/check.h"
#include "tests/engine_sink.h"

using namespace dmae::engine;

namespace {
constexpr size_t kStripeBytes = 16 << 10;  // small, so most descriptors here are striped
std::mt19937 rng(1234);

// Blocks with a guard after each; offsets are applied by the cases.
struct Blocks {
  std::vector<std::vector<uint8_t>> b;
  Blocks(int n, size_t len) : b(n, std::vector<uint8_t>(len + 64)) {
    for (auto& v : b)
      for (auto& x : v) x = static_cast<uint8_t>(rng());
  }
};

EngineOptions stripedOptions(int channels) {
  EngineOptions o;
  o.channels = channels;
  o.spinMicros = 20;
  o.stripeThreads = 3;
  o.stripeBytes = kStripeBytes;
  return o;
}

// The op of `s` (pointers into `a`) run by the engine and, on a copy of the blocks, whole by
// executeOp: same bytes everywhere, same result bits.
void compareOne(Engine& e, dmae_test::RecordingSink& sink, DescriptorSpec s, Blocks& a,
                size_t off, const char* what) {
  Blocks ref = a;
  auto rebase = [&](uint8_t* p) -> uint8_t* {
    if (!p) return nullptr;
    for (size_t i = 0; i < a.b.size(); i++) {
      uint8_t* base = a.b[i].data();
      if (p >= base && p < base + a.b[i].size()) return ref.b[i].data() + (p - base);
    }
    return nullptr;
  };
  DescriptorSpec r = s;
  r.dst = rebase(s.dst);
  r.src = rebase(const_cast<uint8_t*>(s.src));
  for (auto& p : r.ptrs) p = rebase(p);
  int ran = -1;
  const uint32_t want = executeOp(r, &ran);
  const size_t before = sink.count();
  e.submit(0, s);
  e.issuePending(0);
  CHECK(sink.waitFor(before + 1) == before + 1);
  const Completion c = sink.snapshot().back();
  CHECK(c.result == kNoError);
  const bool bitsOk = c.valResult == want;
  bool bytesOk = true;
  for (size_t i = 0; i < a.b.size(); i++) bytesOk = bytesOk && a.b[i] == ref.b[i];
  if (!bitsOk || !bytesOk) std::fprintf(stderr, "  %s len %zu off %zu\n", what, s.len, off);
  CHECK(bitsOk);
  CHECK(bytesOk);
}

void everyOpMatchesWhole() {
  dmae_test::RecordingSink sink;
  Engine e(stripedOptions(1), &sink);
  const size_t lens[] = {1, 63, 1000, 1800, 2049, 4095, 9001, 33333, 65537, 200003};
  for (size_t len : lens) {
    const size_t off = 1 + rng() % 13;  // odd offsets: unaligned ranges
    Blocks a(12, len + off);
    auto at = [&](int i) { return a.b[i].data() + off; };
    std::vector<uint8_t*> data8;
    for (int i = 0; i < 8; i++) data8.push_back(at(i));
    DescriptorSpec s;
    s.len = len;

    s.op = OpCode::kMemcpy; s.dst = at(0); s.src = at(1);
    compareOne(e, sink, s, a, off, "memcpy");
    s = DescriptorSpec(); s.len = len;
    s.op = OpCode::kMemset; s.dst = at(2); s.value = 0x5a;
    compareOne(e, sink, s, a, off, "memset");
    s.op = OpCode::kXor; s.dst = at(9); s.ptrs = data8; s.flags = kZeroDst;
    compareOne(e, sink, s, a, off, "xor zero");
    s.flags = 0; s.ptrs[3] = nullptr; s.ptrs.push_back(at(9));  // null slot, dst fed back
    compareOne(e, sink, s, a, off, "xor rmw");
    // xor_val: consistent (parity included), then one byte off in the last range
    s = DescriptorSpec(); s.len = len;
    s.op = OpCode::kXor; s.dst = at(9); s.ptrs = data8; s.flags = kZeroDst;
    compareOne(e, sink, s, a, off, "xor for val");
    s.op = OpCode::kXorVal; s.dst = nullptr; s.flags = 0; s.ptrs.push_back(at(9));
    compareOne(e, sink, s, a, off, "xor_val ok");
    at(4)[len - 1] ^= 1;
    compareOne(e, sink, s, a, off, "xor_val bad");
    // P+Q: full, P disabled, read-modify-write, then checks and recoveries over it
    std::vector<uint8_t*> pq = data8;
    pq.push_back(at(8)); pq.push_back(at(9));
    s = DescriptorSpec(); s.len = len; s.op = OpCode::kPq; s.ptrs = pq;
    s.ptrs[8] = nullptr;
    compareOne(e, sink, s, a, off, "pq no P");
    s.ptrs = pq; s.ptrs[2] = nullptr;
    compareOne(e, sink, s, a, off, "pq null slot");
    s.ptrs = pq; s.flags = kPqXorDst; s.start = 2; s.stop = 5;
    compareOne(e, sink, s, a, off, "pq xor dst");
    s.flags = 0; s.ptrs = pq;
    compareOne(e, sink, s, a, off, "pq");
    s.op = OpCode::kPqVal;
    compareOne(e, sink, s, a, off, "pq_val ok");
    at(9)[len / 2] ^= 0x10;  // Q off in a middle range
    compareOne(e, sink, s, a, off, "pq_val bad Q");
    at(9)[len / 2] ^= 0x10;
    s.op = OpCode::kRecov2Data; s.faila = 1; s.failb = 6;
    std::memset(at(1), 0, len); std::memset(at(6), 0, len);
    compareOne(e, sink, s, a, off, "recov 2data");
    s.op = OpCode::kRecovDataP; s.faila = 3;
    std::memset(at(3), 0, len); std::memset(at(8), 0, len);
    compareOne(e, sink, s, a, off, "recov datap");
    // explicit coefficients
    s = DescriptorSpec(); s.len = len; s.op = OpCode::kPqCoef;
    s.ptrs = data8; s.ptrs.push_back(at(10)); s.ptrs.push_back(at(11));
    s.coefs = {3, 7, 1, 200, 9, 0, 55, 128};
    compareOne(e, sink, s, a, off, "pq_coef");
    s.flags = kAccumulate; s.ptrs[10] = nullptr;
    compareOne(e, sink, s, a, off, "pq_coef acc P only");
    s.flags = 0; s.ptrs[9] = at(10); s.ptrs[10] = at(11);
    compareOne(e, sink, s, a, off, "pq_coef again");
    s.op = OpCode::kPqCoefVal;
    compareOne(e, sink, s, a, off, "pq_coef_val ok");
    at(0)[0] ^= 0xff;  // data off in the first range: both P and Q mismatch
    compareOne(e, sink, s, a, off, "pq_coef_val bad");
  }
  CHECK(e.stripedCount() > 0);
  std::printf("striped %llu descriptors, helpers ran %llu ranges\n",
              static_cast<unsigned long long>(e.stripedCount()),
              static_cast<unsigned long long>(e.stripeHelped()));
}

// Many striped descriptors on two channels at once, one of them failing by injection:
// every completion once, in cookie order per channel, the failed one wrote nothing.
void orderAndInjection() {
  dmae_test::RecordingSink sink;
  Engine e(stripedOptions(2), &sink);
  constexpr int kPerChan = 40;
  const size_t len = 48 << 10;
  std::vector<uint8_t> src(len, 0x3c);
  std::vector<std::vector<uint8_t>> dst(2 * kPerChan, std::vector<uint8_t>(len, 0));
  e.injectError(1, 7, kWriteFailed);
  for (int i = 0; i < 2 * kPerChan; i++) {
    DescriptorSpec s;
    s.op = OpCode::kMemcpy; s.dst = dst[i].data(); s.src = src.data(); s.len = len; s.tag = i;
    e.submit(i % 2, s);
  }
  e.issuePending(0);
  e.issuePending(1);
  CHECK(sink.waitFor(2 * kPerChan) == 2 * kPerChan);
  std::vector<int32_t> last = {1, 1};
  std::vector<int> seen(2 * kPerChan, 0);
  for (const Completion& c : sink.snapshot()) {
    CHECK(c.cookie == last[c.channel] + 1);
    last[c.channel] = c.cookie;
    seen[c.tag]++;
    const bool failed = c.tag == 13;  // channel 1's 7th descriptor
    CHECK(c.result == (failed ? kWriteFailed : kNoError));
    CHECK(dst[c.tag][0] == (failed ? 0 : 0x3c) && dst[c.tag][len - 1] == (failed ? 0 : 0x3c));
  }
  for (int n : seen) CHECK(n == 1);
  CHECK(e.stripedCount() == 2 * kPerChan - 1);
}

// terminate while striped descriptors run: each completes once, in order, NOERROR ones (a
// prefix) with their bytes, the rest ABORTED and unwritten; shutdown mid-run joins.
void terminateAndShutdown() {
  dmae_test::RecordingSink sink;
  Engine e(stripedOptions(1), &sink);
  constexpr int kN = 64;
  const size_t len = 512 << 10;
  std::vector<uint8_t> src(len, 0x77);
  std::vector<std::vector<uint8_t>> dst(kN, std::vector<uint8_t>(len, 0));
  for (int i = 0; i < kN; i++) {
    DescriptorSpec s;
    s.op = OpCode::kMemcpy; s.dst = dst[i].data(); s.src = src.data(); s.len = len; s.tag = i;
    e.submit(0, s);
  }
  e.issuePending(0);
  std::this_thread::sleep_for(std::chrono::microseconds(300));
  e.terminate(0);
  CHECK(sink.waitFor(kN) == kN);
  bool abortedYet = false;
  int i = 0;
  for (const Completion& c : sink.snapshot()) {
    CHECK(c.tag == static_cast<uint64_t>(i++));
    if (c.result == kAborted) abortedYet = true;
    CHECK(c.result == (abortedYet ? kAborted : kNoError));
    const uint8_t want = abortedYet ? 0 : 0x77;
    CHECK(dst[c.tag][0] == want && dst[c.tag][len / 2] == want && dst[c.tag][len - 1] == want);
  }

  // shutdown with striped work running: returns, every descriptor reported once
  dmae_test::RecordingSink sink2;
  auto e2 = std::make_unique<Engine>(stripedOptions(2), &sink2);
  for (int k = 0; k < kN; k++) {
    DescriptorSpec s;
    s.op = OpCode::kMemcpy; s.dst = dst[k].data(); s.src = src.data(); s.len = len;
    e2->submit(k % 2, s);
  }
  e2->issuePending(0);
  e2->issuePending(1);
  std::this_thread::sleep_for(std::chrono::microseconds(200));
  e2->shutdown(true);
  CHECK(sink2.count() == kN);
  e2.reset();
}

// A pool with no helpers, or stopped, runs everything on the caller.
void poolAlone() {
  std::vector<uint8_t> src(1 << 20, 9), dst(1 << 20, 0);
  DescriptorSpec s;
  s.op = OpCode::kMemcpy; s.dst = dst.data(); s.src = src.data(); s.len = src.size();
  StripePool none(0, 4096, 10, 0, kPolicyNormal);
  int ran = -1;
  none.run(s, &ran);
  CHECK(dst == src && none.striped() == 0);
  StripePool stopped(2, 4096, 10, 0, kPolicyNormal);
  stopped.stop();
  std::fill(dst.begin(), dst.end(), 0);
  stopped.run(s, &ran);
  CHECK(dst == src && stopped.striped() == 0);
  CHECK(ran == static_cast<int>(dmae::kernels::KernelOp::kMemcpy));
  // No CPU left for a helper (the engine's budget): run whole, unstriped.
  StripePool budget(2, 4096, 10, 0, kPolicyNormal);
  std::fill(dst.begin(), dst.end(), 0);
  budget.run(s, &ran, 0);
  CHECK(dst == src && budget.striped() == 0);
  std::fill(dst.begin(), dst.end(), 0);
  budget.run(s, &ran, 1);
  CHECK(dst == src && budget.striped() == 1);
}
}  // namespace

int main() {
  everyOpMatchesWhole();
  orderAndInjection();
  terminateAndShutdown();
  poolAlone();
  return dmae_test::summary("engine_stripe");
}
