// Fuzz target: the input is a script of engine commands (submit memset/memcpy/interrupt with
// random lengths, fences and cross-channel waits, issue, terminate, inject errors) over two
// channels and exact-size heap buffers (ASan catches any overrun). Invariants: every
// descriptor completes exactly once, per channel in cookie order with consecutive cookies,
// with a valid result, and the completed cookie ends at the last one assigned; cyclic waits
// are broken by terminate at the end of the script.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/engine.h"

namespace {
using namespace dmae::engine;

struct Sink : CompletionSink {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Completion> got;
  void onComplete(const Completion& c) override {
    std::lock_guard<std::mutex> lk(mu);
    got.push_back(c);
    cv.notify_all();
  }
};

Sink& sink() {
  static Sink s;
  return s;
}
Engine& engine() {
  static Engine e(EngineOptions{2, 5, 20}, &sink());
  return e;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Engine& e = engine();
  Sink& s = sink();
  {
    std::lock_guard<std::mutex> lk(s.mu);
    s.got.clear();
  }
  // Each channel has its own buffers: two channels writing one buffer would be a data race
  // by construction (ThreadSanitizer runs this target too).
  std::vector<std::vector<uint8_t>> bufs[2];
  for (auto& set : bufs)
    for (size_t i = 0; i < 4; i++) set.emplace_back(1 + (i * 977) % 5000);
  int32_t first[2] = {0, 0}, last[2] = {0, 0};
  size_t submitted = 0;
  for (size_t i = 0; i + 3 < size && submitted < 200; i += 4) {
    const int chan = data[i] & 1;
    const unsigned cmd = (data[i] >> 1) % 8;
    const uint8_t a = data[i + 1], b = data[i + 2], c = data[i + 3];
    DescriptorSpec d;
    d.flags = (c & 1) ? uint32_t{kFence} : 0u;
    if (c & 2) {
      d.waitChannel = 1 - chan;
      d.waitCookie = last[1 - chan] > 0 ? last[1 - chan] - (c >> 6) : 2;
      if (d.waitCookie < 1) d.waitCookie = 1;
    }
    auto& dst = bufs[chan][a % 4];
    auto& src = bufs[chan][b % 4];
    const size_t off = (static_cast<size_t>(b) * 13) % dst.size();
    const size_t len = 1 + (static_cast<size_t>(c) * 31) % (dst.size() - off);
    switch (cmd) {
      case 0:
      case 1:
        d.op = OpCode::kMemset;
        d.dst = dst.data() + off;
        d.value = b;
        d.len = len;
        break;
      case 2:
        if (&dst == &src || len > src.size()) continue;
        d.op = OpCode::kMemcpy;
        d.dst = dst.data() + off;
        d.src = src.data();
        d.len = len;
        break;
      case 3:
        d.op = OpCode::kInterrupt;
        break;
      case 4:
        e.issuePending(chan);
        continue;
      case 5:
        e.terminate(chan);
        continue;
      case 6:
        e.injectError(chan, 1 + a % 4, (b & 1) ? int32_t{kReadFailed} : int32_t{kWriteFailed});
        continue;
      default:
        e.issuePending(0);
        e.issuePending(1);
        continue;
    }
    int32_t ck = e.submit(chan, d);
    if (!first[chan]) first[chan] = ck;
    last[chan] = ck;
    submitted++;
  }
  e.injectError(0, 1000000, kReadFailed);  // clear pending injections for the next input
  e.injectError(1, 1000000, kReadFailed);
  e.issuePending(0);
  e.issuePending(1);
  std::unique_lock<std::mutex> lk(s.mu);
  if (!s.cv.wait_for(lk, std::chrono::milliseconds(20), [&] { return s.got.size() >= submitted; })) {
    lk.unlock();
    e.terminate(0);  // cyclic cross-channel waits: terminate breaks them
    e.terminate(1);
    lk.lock();
    if (!s.cv.wait_for(lk, std::chrono::seconds(10), [&] { return s.got.size() >= submitted; })) {
      __builtin_trap();
    }
  }
  if (s.got.size() != submitted) __builtin_trap();
  int32_t next[2] = {first[0], first[1]};
  for (const Completion& c : s.got) {
    if (c.result < kNoError || c.result > kAborted) __builtin_trap();
    if (c.cookie != next[c.channel]) __builtin_trap();
    next[c.channel] = c.cookie == INT32_MAX ? 1 : c.cookie + 1;
  }
  for (int ch = 0; ch < 2; ch++) {
    if (last[ch] && e.status()->words[ch].completed.load() != last[ch]) __builtin_trap();
  }
  return 0;
}
