// Control features: fence (a failed fenced descriptor aborts its dependant), cross-channel
// waits, terminate → ABORTED, error injection (writes nothing), result bits of the validate
// ops, and shutdown with work queued (prompt, aborts what has not run).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "tests/check.h"
#include "tests/engine_sink.h"

using namespace dmae::engine;
using Clock = std::chrono::steady_clock;

namespace {
DescriptorSpec fillSpec(uint8_t* dst, uint8_t v, size_t len, uint32_t flags = 0) {
  DescriptorSpec s;
  s.op = OpCode::kMemset;
  s.dst = dst;
  s.value = v;
  s.len = len;
  s.flags = flags;
  return s;
}

void errorInjectionAndFence() {
  dmae_test::RecordingSink sink;
  Engine e(EngineOptions{1, 0}, &sink);
  std::vector<uint8_t> a(64, 0), b(64, 0), c(64, 0), d(64, 0), f(64, 0);
  e.injectError(0, 2, kWriteFailed);
  e.submit(0, fillSpec(a.data(), 1, 64));          // runs
  e.submit(0, fillSpec(b.data(), 2, 64, kFence));  // injected failure, fenced
  e.submit(0, fillSpec(c.data(), 3, 64, kFence));  // aborted by the fence, fenced: passes on
  e.submit(0, fillSpec(d.data(), 4, 64));          // aborted by c's fence
  e.submit(0, fillSpec(f.data(), 5, 64));          // runs: d was not fenced
  e.issuePending(0);
  CHECK(sink.waitFor(5) == 5);
  auto g = sink.snapshot();
  CHECK(g[0].result == kNoError && a[0] == 1);
  CHECK(g[1].result == kWriteFailed && b[0] == 0 && b[63] == 0);
  CHECK(g[2].result == kAborted && c[0] == 0);
  CHECK(g[3].result == kAborted && d[0] == 0);
  CHECK(g[4].result == kNoError && f[63] == 5);
  // Unfenced failure does not abort the next one; READ_FAILED is reported as such.
  e.injectError(0, 1, kReadFailed);
  e.submit(0, fillSpec(a.data(), 9, 64));
  e.submit(0, fillSpec(b.data(), 9, 64));
  e.issuePending(0);
  CHECK(sink.waitFor(7) == 7);
  g = sink.snapshot();
  CHECK(g[5].result == kReadFailed && a[0] == 1);
  CHECK(g[6].result == kNoError && b[0] == 9);
}

void validateResults() {
  dmae_test::RecordingSink sink;
  Engine e(EngineOptions{1, 0}, &sink);
  const size_t len = 1000;
  std::vector<std::vector<uint8_t>> blk(6, std::vector<uint8_t>(len));
  uint32_t seed = 99;
  for (int i = 0; i < 4; i++)
    for (auto& x : blk[i]) x = static_cast<uint8_t>((seed = seed * 1664525 + 1013904223) >> 24);
  DescriptorSpec pq;
  pq.op = OpCode::kPq;
  pq.len = len;
  for (auto& b : blk) pq.ptrs.push_back(b.data());
  e.submit(0, pq);
  DescriptorSpec val = pq;
  val.op = OpCode::kPqVal;
  e.submit(0, val);  // consistent: 0
  DescriptorSpec x;
  x.op = OpCode::kXorVal;
  x.len = len;
  for (int i = 0; i < 4; i++) x.ptrs.push_back(blk[i].data());
  x.ptrs.push_back(blk[4].data());  // data ⊕ P = 0
  e.submit(0, x);
  e.issuePending(0);
  CHECK(sink.waitFor(3) == 3);
  blk[5][10] ^= 1;  // corrupt Q
  e.submit(0, val);
  e.issuePending(0);
  CHECK(sink.waitFor(4) == 4);
  blk[4][3] ^= 1;  // and P
  e.submit(0, val);
  e.submit(0, x);
  e.issuePending(0);
  CHECK(sink.waitFor(6) == 6);
  auto g = sink.snapshot();
  CHECK(g[1].valResult == 0);
  CHECK(g[2].valResult == 0);
  CHECK(g[3].valResult == kQResult);
  CHECK(g[4].valResult == (kPResult | kQResult));
  CHECK(g[5].valResult == kPResult);
}

void crossChannelWait() {
  dmae_test::RecordingSink sink;
  Engine e(EngineOptions{2, 5}, &sink);
  const size_t len = 1 << 20;
  std::vector<uint8_t> a(len, 0), b(len, 0);
  // Channel 0 fills a; channel 1 copies a to b, but only after channel 0's cookie.
  int32_t c0 = e.submit(0, fillSpec(a.data(), 0x5a, len));
  DescriptorSpec cp;
  cp.op = OpCode::kMemcpy;
  cp.dst = b.data();
  cp.src = a.data();
  cp.len = len;
  cp.waitChannel = 0;
  cp.waitCookie = c0;
  e.submit(1, cp);
  e.issuePending(1);  // channel 1 is issued first and must park
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(sink.count() == 0);
  e.issuePending(0);
  CHECK(sink.waitFor(2) == 2);
  auto g = sink.snapshot();
  // (the two channels report independently: only the bytes prove the order)
  CHECK(g[0].result == kNoError && g[1].result == kNoError);
  CHECK(b[0] == 0x5a && b[len - 1] == 0x5a);
  // A parked descriptor is aborted by terminate, and writes nothing.
  std::vector<uint8_t> z(64, 0);
  int32_t never = e.submit(0, fillSpec(a.data(), 1, 64));  // not issued
  DescriptorSpec w = fillSpec(z.data(), 7, 64);
  w.waitChannel = 0;
  w.waitCookie = never;
  e.submit(1, w);
  e.issuePending(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(sink.count() == 2);
  CHECK(e.terminate(1) == 0);
  CHECK(sink.waitFor(3) == 3);
  g = sink.snapshot();
  CHECK(g[2].channel == 1 && g[2].result == kAborted && z[0] == 0);
}

void terminateAborts() {
  dmae_test::RecordingSink sink;
  Engine e(EngineOptions{2, 0}, &sink);
  const size_t big = 1 << 20;
  std::vector<uint8_t> src(big, 1), dst(big, 0);
  std::vector<uint8_t> small(100, 0);
  // The first descriptor parks on a cookie channel 1 never issues, so the queue behind it is
  // certainly still waiting when terminate comes, whatever the scheduler does.
  int32_t never = e.submit(1, DescriptorSpec{});
  DescriptorSpec cp;
  cp.op = OpCode::kMemcpy;
  cp.dst = dst.data();
  cp.src = src.data();
  cp.len = big;
  DescriptorSpec parked = cp;
  parked.waitChannel = 1;
  parked.waitCookie = never;
  e.submit(0, parked);
  for (int i = 0; i < 3; i++) e.submit(0, cp);
  e.issuePending(0);
  for (int i = 0; i < 3; i++) e.submit(0, fillSpec(small.data(), 7, 100));  // never issued
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(sink.count() == 0);
  CHECK(e.terminate(0) == 3);
  CHECK(sink.waitFor(7) == 7);
  auto g = sink.snapshot();
  bool allAborted = true, inOrder = true;
  for (size_t i = 0; i < g.size(); i++) {
    if (g[i].result != kAborted || g[i].channel != 0) allAborted = false;
    if (i && g[i].cookie != g[i - 1].cookie + 1) inOrder = false;
  }
  CHECK(allAborted);
  CHECK(inOrder);
  CHECK(dst[0] == 0 && dst[big - 1] == 0 && small[0] == 0);
  CHECK(e.status()->words[0].completed.load() == g.back().cookie);
  // The channel works again after terminate; the other channel was not touched.
  e.submit(0, fillSpec(small.data(), 8, 100));
  e.issuePending(0);
  CHECK(sink.waitFor(8) == 8);
  CHECK(sink.snapshot()[7].result == kNoError && small[99] == 8);
  CHECK(e.issuePending(1) == 1);
  CHECK(sink.waitFor(9) == 9);
  CHECK(sink.snapshot()[8].channel == 1 && sink.snapshot()[8].result == kNoError);
}

void shutdownWithWorkQueued() {
  dmae_test::RecordingSink sink;
  const size_t big = 1 << 20;
  std::vector<uint8_t> src(big, 3), dst0(big, 0), dst1(big, 0);  // one dst per channel
  auto t0 = Clock::now();
  {
    Engine e(EngineOptions{2, 50}, &sink);
    DescriptorSpec cp;
    cp.op = OpCode::kMemcpy;
    cp.src = src.data();
    cp.len = big;
    for (int i = 0; i < 2000; i++) {  // 2 GB of copies
      cp.dst = (i & 1) ? dst1.data() : dst0.data();
      e.submit(i & 1, cp);
    }
    e.issuePending(0);
    e.issuePending(1);
    e.shutdown(true);
  }
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  // A correctness bound (what was queued did not run), not a speed claim: running it all
  // would take seconds, even more so under the sanitizers.
  CHECK(ms < 2000);
  CHECK(sink.count() == 2000);
  int aborted = 0;
  for (auto& c : sink.snapshot()) aborted += c.result == kAborted;
  CHECK(aborted >= 1500);  // a few may have run before shutdown (the machine is shared)
  // Destroying an engine that was never shut down explicitly joins its idle workers.
  { Engine idle(EngineOptions{3, 10}, nullptr); }
  CHECK(true);
}
}  // namespace

int main() {
  errorInjectionAndFence();
  validateResults();
  crossChannelWait();
  terminateAborts();
  shutdownWithWorkQueued();
  return dmae_test::summary("engine_control");
}
