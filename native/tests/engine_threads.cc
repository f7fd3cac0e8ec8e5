// Many threads submitting to the same channels at once: every descriptor completes exactly
// once, cookies of a channel are unique, consecutive, and complete in order, and every copy
// lands.
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "tests/check.h"
#include "tests/engine_sink.h"

using namespace dmae::engine;

int main() {
  dmae_test::RecordingSink sink;
  const int nchan = 3, nthreads = 6, perThread = 2000;
  Engine e(EngineOptions{nchan, 20}, &sink);
  std::vector<uint8_t> src(nthreads * perThread), dst(nthreads * perThread, 0);
  for (size_t i = 0; i < src.size(); i++) src[i] = static_cast<uint8_t>(i * 31 + 7);
  std::vector<std::thread> ts;
  for (int t = 0; t < nthreads; t++) {
    ts.emplace_back([&, t] {
      DescriptorSpec s;
      s.op = OpCode::kMemcpy;
      s.len = 1;
      for (int i = 0; i < perThread; i++) {
        size_t k = static_cast<size_t>(t) * perThread + i;
        s.dst = &dst[k];
        s.src = &src[k];
        s.tag = k;
        int chan = (t + i) % nchan;
        e.submit(chan, s);
        if (i % 16 == 15) e.issuePending(chan);
      }
      for (int c = 0; c < nchan; c++) e.issuePending(c);
    });
  }
  for (auto& t : ts) t.join();
  const size_t total = static_cast<size_t>(nthreads) * perThread;
  CHECK(sink.waitFor(total) == total);
  auto g = sink.snapshot();
  std::vector<int> seen(total, 0);
  std::vector<int32_t> last(nchan, 1);
  bool ordered = true;
  for (auto& c : g) {
    seen[c.tag]++;
    if (c.cookie != last[c.channel] + 1) ordered = false;
    last[c.channel] = c.cookie;
  }
  CHECK(ordered);
  CHECK(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
  CHECK(dst == src);
  return dmae_test::summary("engine_threads");
}
