// Many threads submitting to the same channels at once: every descriptor completes exactly
// once, cookies of a channel are unique, consecutive, and complete in order, and every copy
// lands.
#include <dirent.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <chrono>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "tests/check.h"
#include "tests/engine_sink.h"

using namespace dmae::engine;

// Niceness (field 19) or scheduling policy (field 41) of the threads named dmae-chanN, from
// /proc/self/task/*/stat.
static std::vector<int> workerStat(int fieldNo = 19) {
  std::vector<int> out;
  DIR* d = opendir("/proc/self/task");
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string base = std::string("/proc/self/task/") + e->d_name;
    std::ifstream comm(base + "/comm");
    std::string name;
    std::getline(comm, name);
    if (name.rfind("dmae-chan", 0) != 0) continue;
    std::ifstream stat(base + "/stat");
    std::string line;
    std::getline(stat, line);
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= fieldNo && rest >> field; i++) {
      if (i == fieldNo) out.push_back(std::stoi(field));
    }
  }
  closedir(d);
  return out;
}

int main() {
  {
    EngineOptions o;
    o.channels = 2;
    o.workerNice = 7;
    Engine niced(o, nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the workers start
    auto n = workerStat();
    CHECK(n.size() == 2);
    CHECK(std::all_of(n.begin(), n.end(), [](int x) { return x == 7; }));
  }
  {
    // SCHED_IDLE (5): the policy each worker set on itself when it started.
    EngineOptions o;
    o.channels = 2;
    o.workerPolicy = kPolicyIdle;
    Engine idle(o, nullptr);
    // Each worker has set its policy once it has run a descriptor.
    DescriptorSpec irq;
    irq.op = OpCode::kInterrupt;
    for (int c = 0; c < 2; c++) {
      const int32_t cookie = idle.submit(c, irq);
      idle.issuePending(c);
      while (idle.status()->words[c].completed.load() != cookie) std::this_thread::yield();
    }
    auto p = workerStat(41);
    CHECK(p.size() == 2);
    CHECK(std::all_of(p.begin(), p.end(), [](int x) { return x == SCHED_IDLE; }));
  }
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
