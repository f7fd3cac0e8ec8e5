// Striping: one large descriptor cut into byte ranges that several threads run at once.
//
// Why: a Node program submits from one thread, so the per-CPU channel table hands it one
// channel, and a channel runs its descriptors one at a time on one worker. Every queued
// operation is byte-parallel (the same function of the same byte offset of every block: copy,
// fill, XOR, P+Q, their checks, both recoveries), so a descriptor of len bytes is the same as
// its byte ranges [a, b) run in any order, by anyone, with the val ops' result bits ORed.
//
// Model: the channel's worker (the owner) registers the descriptor as a job of the engine's
// stripe pool, then claims ranges itself, one at a time, until none is left; the pool's helper
// threads claim ranges of the same job meanwhile. The owner waits for the helpers inside the
// job to finish their range, then completes the descriptor in cookie order as before: the
// channel's model (one descriptor at a time, in order, exactly one completion) is unchanged.
// A helper that wakes late finds nothing left: the owner never waits for a helper to start,
// so striping costs at most the wake-up (and never deadlocks when the pool is stopped or busy).
#pragma once

#include <atomic>
#include <climits>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/engine.h"

namespace dmae {
namespace engine {

// Runs bytes [off, off + len) of descriptor `d` (every block at the same offset); returns
// its valResult bits; *ran receives the kernels::KernelOp that ran it (-1: interrupt).
uint32_t executeRange(const DescriptorSpec& d, size_t off, size_t len, int* ran);

// Bytes a descriptor touches: len times the blocks it reads and writes.
size_t bytesTouched(const DescriptorSpec& d);

class StripePool {
 public:
  // `threads` helpers (started on the first striped descriptor), spinning `spinMicros` when
  // out of work before they sleep, at niceness `nice` and scheduling policy `policy`
  // (abi.h's WorkerPolicy). A descriptor touching at least
  // `minBytes` is striped (0: never).
  StripePool(int threads, size_t minBytes, int spinMicros, int nice, int policy);
  ~StripePool();
  StripePool(const StripePool&) = delete;
  StripePool& operator=(const StripePool&) = delete;

  // Runs `d` whole on the calling thread and whichever helpers join (at most `maxHelpers`:
  // the CPUs the engine's busy workers leave; 0 runs it unstriped); returns the ORed
  // valResult. Same contract as executeOp.
  uint32_t run(const DescriptorSpec& d, int* ran, int maxHelpers = INT_MAX);
  // Stops and joins the helpers; later run() calls execute on the caller alone. Idempotent.
  void stop();
  // How many descriptors were striped, and how many of their ranges helpers ran (tests).
  uint64_t striped() const { return striped_.load(std::memory_order_relaxed); }
  uint64_t helped() const { return helped_.load(std::memory_order_relaxed); }

 private:
  struct Job {
    const DescriptorSpec* d;
    size_t chunk;
    int n;
    std::atomic<int> next{0};
    std::atomic<int> users{0};  // helpers inside the job (changed under mu_)
    int maxHelpers = 0;         // users never exceed it
    std::atomic<uint32_t> val{0};
    std::atomic<int> ran{-1};
  };
  void work(Job& j, bool helper);
  void helperMain();
  bool startLocked();

  const int threads_;
  const size_t minBytes_;
  const int spinMicros_;
  const int nice_;
  const int policy_;
  std::mutex mu_;
  std::condition_variable cv_;       // helpers sleep here
  std::condition_variable ownerCv_;  // owners wait here for helpers to leave their job
  std::vector<Job*> jobs_;           // jobs with ranges possibly left
  std::atomic<uint32_t> epoch_{0};   // bumped per new job: spinning helpers watch it
  int sleepers_ = 0;
  bool started_ = false;
  bool stop_ = false;
  std::vector<std::thread> pool_;
  std::atomic<uint64_t> striped_{0};
  std::atomic<uint64_t> helped_{0};
};

}  // namespace engine
}  // namespace dmae
