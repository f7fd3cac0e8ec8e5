// Queue semantics of one channel: nothing runs before the doorbell, in-order completion with
// byte-correct results, cookies as dma_cookie_assign gives them (including the wrap), and
// the completed cookie published before the completion is reported.
#include <algorithm>
#include <chrono>
#include <climits>
#include <cstring>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "tests/check.h"
#include "tests/engine_sink.h"

using namespace dmae::engine;

namespace {
DescriptorSpec copySpec(uint8_t* dst, const uint8_t* src, size_t len, uint64_t tag) {
  DescriptorSpec s;
  s.op = OpCode::kMemcpy;
  s.dst = dst;
  s.src = src;
  s.len = len;
  s.tag = tag;
  return s;
}

void nothingBeforeDoorbell() {
  dmae_test::RecordingSink sink;
  Engine e(EngineOptions{2, 10}, &sink);
  std::vector<uint8_t> src(4096, 0xab), dst(4096, 0);
  int32_t c = e.submit(0, copySpec(dst.data(), src.data(), src.size(), 7));
  CHECK(c == 2);  // counter starts at 1 (dma_cookie_init); first assign gives 2
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  CHECK(sink.count() == 0);
  CHECK(dst[0] == 0 && dst[4095] == 0);
  CHECK(e.status()->words[0].completed.load() == 1);
  CHECK(e.issuePending(1) == 0);  // another channel's doorbell does not run it
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(sink.count() == 0);
  CHECK(e.issuePending(0) == 1);
  CHECK(sink.waitFor(1) == 1);
  CHECK(std::memcmp(dst.data(), src.data(), src.size()) == 0);
  auto got = sink.snapshot();
  CHECK(got[0].cookie == c && got[0].tag == 7 && got[0].result == kNoError && got[0].channel == 0);
  CHECK(e.status()->words[0].completed.load() == c);
}

// A sink that checks, when a completion arrives, that the completed cookie is already there.
class OrderSink : public dmae::engine::CompletionSink {
 public:
  explicit OrderSink(Engine** e) : e_(e) {}
  void onComplete(const Completion& c) override {
    if ((*e_)->status()->words[c.channel].completed.load() != c.cookie) bad++;
    inner.onComplete(c);
  }
  std::atomic<int> bad{0};
  dmae_test::RecordingSink inner;

 private:
  Engine** e_;
};

void inOrderAndByteCorrect() {
  Engine* ep = nullptr;
  OrderSink sink(&ep);
  Engine e(EngineOptions{1, 0}, &sink);
  ep = &e;
  const int n = 200;
  std::vector<std::vector<uint8_t>> srcs(n), dsts(n);
  std::vector<int32_t> cookies;
  uint32_t seed = 12345;
  for (int i = 0; i < n; i++) {
    size_t len = 1 + (i * 7919) % 70000;
    srcs[i].resize(len);
    dsts[i].assign(len, 0);
    for (auto& b : srcs[i]) b = static_cast<uint8_t>((seed = seed * 1103515245 + 12345) >> 16);
    DescriptorSpec s;
    if (i % 3 == 2) {
      s.op = OpCode::kMemset;
      s.dst = dsts[i].data();
      s.value = static_cast<uint8_t>(i);
      s.len = len;
      std::memset(srcs[i].data(), i & 0xff, len);  // the reference
    } else {
      s = copySpec(dsts[i].data(), srcs[i].data(), len, 0);
    }
    s.tag = i;
    cookies.push_back(e.submit(0, s));
    if (i % 50 == 49) e.issuePending(0);  // several doorbells, several batches
  }
  e.issuePending(0);
  CHECK(sink.inner.waitFor(n) == static_cast<size_t>(n));
  auto got = sink.inner.snapshot();
  bool ordered = true, bytes = true;
  for (int i = 0; i < n; i++) {
    if (got[i].cookie != cookies[i] || got[i].tag != static_cast<uint64_t>(i)) ordered = false;
    if (dsts[i] != srcs[i]) bytes = false;
  }
  CHECK(ordered);
  CHECK(bytes);
  CHECK(sink.bad.load() == 0);
  for (int i = 1; i < n; i++) CHECK(cookies[i] == cookies[i - 1] + 1);
}

void cookieWrap() {
  dmae_test::RecordingSink sink;
  Engine e(EngineOptions{1, 0}, &sink);
  e.setCookieForTest(0, INT32_MAX - 1);
  DescriptorSpec s;  // interrupt descriptors: no bytes
  int32_t a = e.submit(0, s), b = e.submit(0, s), c = e.submit(0, s);
  CHECK(a == INT32_MAX);
  CHECK(b == 1);
  CHECK(c == 2);
  e.issuePending(0);
  CHECK(sink.waitFor(3) == 3);
  auto got = sink.snapshot();
  CHECK(got[0].cookie == a && got[1].cookie == b && got[2].cookie == c);
  CHECK(e.status()->words[0].completed.load() == 2);
  // The window rule across the wrap: completed 2, used 2 → INT32_MAX is complete.
  CHECK(cookieComplete(INT32_MAX, 2, 2));
  CHECK(!cookieComplete(3, 1, 5));
  CHECK(cookieComplete(1, 1, 5));
  CHECK(cookieComplete(9, 1, 5));  // unknown future cookies read as complete
  CHECK(!cookieComplete(INT32_MAX, INT32_MAX - 2, 3));  // wrapped window, in flight
  CHECK(!cookieComplete(2, INT32_MAX - 2, 3));
  CHECK(cookieComplete(INT32_MAX - 3, INT32_MAX - 2, 3));
}
// The `more` hint never leaves a completion waiting on something long or on nothing: the
// last completion of a burst, and one followed by a large descriptor, carry more=false.
void moreHint() {
  dmae_test::RecordingSink sink;
  Engine e(EngineOptions{1, 0, 1000000}, &sink);  // coalescing limited by the hint alone
  std::vector<uint8_t> small(64), big(4 << 20);
  DescriptorSpec s;
  s.op = OpCode::kMemset;
  s.dst = small.data();
  s.len = small.size();
  for (int i = 0; i < 50; i++) e.submit(0, s);
  DescriptorSpec b = s;
  b.dst = big.data();
  b.len = big.size();
  e.submit(0, b);
  e.submit(0, s);
  e.issuePending(0);
  CHECK(sink.waitFor(52) == 52);
  auto g = sink.snapshot();
  for (int i = 0; i < 49; i++) CHECK(g[i].more);
  CHECK(!g[49].more);  // the next one is 4 MiB
  CHECK(g[50].more);   // the 4 MiB one: the next is short and follows at once
  CHECK(!g[51].more);  // last of the batch
}

// A deep queue spaces the wake-ups: a completion of a descriptor that ran 25 µs or more, with
// 8 or more descriptors issued behind it, is flagged `more` even when the next one is long;
// the last 8 each flush, so the thread that refills the queue hears before it drains.
// coalesceMicros 0: every completion flushes.
// The window (100 ms here) is real time, so a slow build (ThreadSanitizer instruments every
// store of the memsets) may see it run out: a flush among the first 12 is correct only then.
void deepQueueHint() {
  for (int coalesce : {100000, 0}) {
    dmae_test::RecordingSink sink;
    Engine e(EngineOptions{1, 0, coalesce}, &sink);
    std::vector<uint8_t> big(8 << 20);  // 8 MiB: well over 25 µs on any machine
    DescriptorSpec b;
    b.op = OpCode::kMemset;
    b.dst = big.data();
    b.len = big.size();
    for (int i = 0; i < 20; i++) e.submit(0, b);
    const auto issued = std::chrono::steady_clock::now();
    auto windowStart = issued;
    e.issuePending(0);
    CHECK(sink.waitFor(20) == 20);
    auto g = sink.snapshot();
    auto at = sink.arrivals();
    const auto window = std::chrono::microseconds(std::min(coalesce * kDeepCoalesceFactor, kMaxWaitMicros));
    int early = 0;  // flushes among the first 12
    for (int i = 0; i < 20; i++) {
      if (coalesce == 0 || i >= 12) {
        CHECK(!g[i].more);
      } else if (!g[i].more) {
        early++;
        // The engine read its clock after the previous arrival (the sink runs on the worker)
        // and before this one, so these bounds hold whatever the delays.
        CHECK(at[i] - windowStart >= window);
        if (i > 0) windowStart = at[i - 1];
      }
    }
    // A run of the first 12 that fits the window is held whole.
    if (coalesce != 0 && at[11] - issued < window) CHECK(early == 0);
  }
}
}  // namespace

int main() {
  nothingBeforeDoorbell();
  inOrderAndByteCorrect();
  cookieWrap();
  moreHint();
  deepQueueHint();
  return dmae_test::summary("engine_queue");
}
