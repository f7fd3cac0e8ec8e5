// The stripe pool (model in stripe.h).
//
// Locking: mu_ guards jobs_, the helpers' sleep and a job's `users` count. Ranges are claimed
// lock-free (fetch_add on the job's `next`). A job lives on its owner's stack: the owner takes
// it off jobs_ and waits for users == 0 (helpers decrement under mu_, and touch the job no
// more once they have) before it returns, so no helper ever sees a dead job.
#include "engine/stripe.h"
#include "engine/thread_policy.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DMAE_STRIPE_PAUSE() _mm_pause()
#else
#define DMAE_STRIPE_PAUSE() std::this_thread::yield()
#endif

namespace dmae {
namespace engine {

namespace {
using Clock = std::chrono::steady_clock;

// Spins until pred() or spinMicros pass; true when pred() held.
template <class Pred>
bool spinUntil(int spinMicros, Pred pred) {
  if (pred()) return true;
  if (spinMicros <= 0) return false;
  const auto until = Clock::now() + std::chrono::microseconds(spinMicros);
  for (unsigned i = 1;; i++) {
    if (pred()) return true;
    DMAE_STRIPE_PAUSE();
    if ((i & 63) == 0 && Clock::now() >= until) return pred();
  }
}
}  // namespace

StripePool::StripePool(int threads, size_t minBytes, int spinMicros, int nice, int policy)
    : threads_(threads < 0 ? 0 : threads),
      minBytes_(minBytes),
      spinMicros_(spinMicros < 0 ? 0 : spinMicros),
      nice_(nice),
      policy_(policy) {}

StripePool::~StripePool() { stop(); }

void StripePool::stop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : pool_) {
    if (t.joinable()) t.join();
  }
}

bool StripePool::startLocked() {
  if (started_) return !pool_.empty();
  started_ = true;
  try {
    for (int i = 0; i < threads_; i++) {
      pool_.emplace_back([this] { helperMain(); });
      pthread_setname_np(pool_.back().native_handle(), "dmae-stripe");
    }
  } catch (...) {
    // No thread to be had: the threads started so far help; none at all is no striping.
  }
  return !pool_.empty();
}

void StripePool::work(Job& j, bool helper) {
  for (;;) {
    const int i = j.next.fetch_add(1, std::memory_order_relaxed);
    if (i >= j.n) return;
    const size_t off = static_cast<size_t>(i) * j.chunk;
    const size_t len = std::min(j.chunk, j.d->len - off);
    int ran = -1;
    const uint32_t v = executeRange(*j.d, off, len, &ran);
    if (v) j.val.fetch_or(v, std::memory_order_relaxed);
    j.ran.store(ran, std::memory_order_relaxed);
    if (helper) helped_.fetch_add(1, std::memory_order_relaxed);
  }
}

uint32_t StripePool::run(const DescriptorSpec& d, int* ran, int maxHelpers) {
  const size_t touched = bytesTouched(d);
  // No CPU left for a helper (the other channels' workers hold them): a helper would only
  // take turns with the owner, and wake-ups preempt the event loop's thread.
  if (threads_ == 0 || minBytes_ == 0 || touched < minBytes_ || maxHelpers <= 0) {
    return executeOp(d, ran);
  }
  // Ranges: about two per thread (a late helper leaves the owner little to redo alone), none
  // touching less than half the threshold, whole cache lines.
  const size_t perByte = touched / d.len;  // blocks touched
  const size_t minChunk = (minBytes_ / 2 / perByte + 63) & ~size_t{63};
  const int helpers = std::min(threads_, maxHelpers);
  const size_t parts = static_cast<size_t>(helpers + 1) * 2;
  size_t chunk = ((d.len + parts - 1) / parts + 63) & ~size_t{63};
  chunk = std::max(chunk, std::max<size_t>(minChunk, 64));
  const size_t n = (d.len + chunk - 1) / chunk;
  if (n < 2) return executeOp(d, ran);

  Job j;
  j.d = &d;
  j.chunk = chunk;
  j.n = static_cast<int>(n);
  j.maxHelpers = helpers;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stop_ || !startLocked()) {
      j.n = 0;  // run alone below
    } else {
      jobs_.push_back(&j);
      epoch_.fetch_add(1, std::memory_order_release);
      wake = sleepers_ > 0;
    }
  }
  if (j.n == 0) return executeOp(d, ran);
  striped_.fetch_add(1, std::memory_order_relaxed);
  if (wake) cv_.notify_all();
  work(j, false);
  {
    std::lock_guard<std::mutex> lk(mu_);
    jobs_.erase(std::find(jobs_.begin(), jobs_.end(), &j));
  }
  // Helpers still inside run their last range; wait for them (spin first: a range is short).
  if (!spinUntil(spinMicros_, [&] { return j.users.load(std::memory_order_acquire) == 0; })) {
    std::unique_lock<std::mutex> lk(mu_);
    ownerCv_.wait(lk, [&] { return j.users.load(std::memory_order_relaxed) == 0; });
  }
  *ran = j.ran.load(std::memory_order_relaxed);
  return j.val.load(std::memory_order_relaxed);
}

void StripePool::helperMain() {
  applyWorkerPolicy(policy_, nice_);
  std::unique_lock<std::mutex> lk(mu_);
  for (;;) {
    if (stop_) return;
    Job* j = nullptr;
    for (Job* c : jobs_) {
      if (c->next.load(std::memory_order_relaxed) < c->n &&
          c->users.load(std::memory_order_relaxed) < c->maxHelpers) {
        j = c;
        break;
      }
    }
    if (j) {
      j->users.fetch_add(1, std::memory_order_relaxed);
      lk.unlock();
      work(*j, true);
      lk.lock();
      j->users.fetch_sub(1, std::memory_order_release);  // the job may be gone after this
      ownerCv_.notify_all();
      continue;
    }
    // Nothing to do: spin a little outside the lock (the next range often comes within
    // microseconds, a wake-up costs more), then sleep until a new job.
    const uint32_t e = epoch_.load(std::memory_order_acquire);
    lk.unlock();
    spinUntil(spinMicros_, [&] { return epoch_.load(std::memory_order_acquire) != e; });
    lk.lock();
    if (epoch_.load(std::memory_order_acquire) != e || stop_) continue;
    sleepers_++;
    cv_.wait(lk, [&] { return stop_ || epoch_.load(std::memory_order_acquire) != e; });
    sleepers_--;
  }
}

}  // namespace engine
}  // namespace dmae
