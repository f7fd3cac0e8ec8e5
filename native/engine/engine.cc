// Channels, queues and workers of the software engine (model and rules in engine.h).
//
// Locking: each channel has one mutex guarding pending, ready, the batch its worker is
// running, the free list and the injection countdown. The worker takes the whole ready list
// in one swap, runs it without the lock, and gives the descriptors back to the free list at
// the end of the batch (so terminate may still look at them while the batch runs: a
// descriptor's state word decides, by compare-and-swap, whether it runs or is aborted).
// Cross-channel waits sleep on one engine-wide condition variable that completions signal
// only while somebody waits.
#include "engine/engine.h"
#include "engine/stripe.h"
#include "engine/thread_policy.h"

#include "kernels/kernels.h"
#include "kernels/variants.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DMAE_PAUSE() _mm_pause()
#else
#define DMAE_PAUSE() std::this_thread::yield()
#endif

namespace dmae {
namespace engine {

namespace {
enum : uint8_t { kQueued = 0, kRunning = 1, kAbortedState = 2 };
using Clock = std::chrono::steady_clock;

// A descriptor that finishes within microseconds: its predecessor's completion may wait for it.
bool isShort(const DescriptorSpec& s) {
  const size_t blocks = s.ptrs.empty() ? 1 : s.ptrs.size();
  return s.waitChannel < 0 && s.len * blocks <= (size_t{256} << 10);
}
}  // namespace

bool cookieComplete(int32_t cookie, int32_t lastComplete, int32_t lastUsed) {
  if (lastComplete <= lastUsed) return cookie <= lastComplete || cookie > lastUsed;
  return cookie <= lastComplete && cookie > lastUsed;
}

struct Engine::Desc {
  DescriptorSpec spec;
  int32_t cookie = 0;
  int32_t inject = kNoError;
  std::atomic<uint8_t> state{kQueued};
};

struct Engine::Channel {
  int index = 0;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Desc*> pending;  // submitted, not issued
  std::vector<Desc*> ready;    // issued, not yet taken by the worker
  std::vector<Desc*>* running = nullptr;  // the worker's batch, while it runs
  std::vector<Desc*> freeList;
  std::vector<std::unique_ptr<Desc>> owned;
  std::atomic<bool> readyFlag{false};  // ready is non-empty (the spinning worker watches it)
  std::atomic<size_t> readyCount{0};   // ready.size(), read without the lock (runBatch)
  bool sleeping = false;
  bool stop = false;
  int injectCountdown = 0;
  int32_t injectResult = kNoError;
  bool abortNext = false;  // worker only: the previous descriptor was fenced and failed
  // [KernelOp][variant] descriptors run; written by the worker only, read by anyone.
  std::unique_ptr<std::atomic<uint64_t>[]> used;
  std::thread thread;
};

struct Engine::Progress {
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<int> waiters{0};
};

Engine::Engine(const EngineOptions& opts, CompletionSink* sink)
    : nchan_(opts.channels),
      spinMicros_(opts.spinMicros < 0 ? 0 : opts.spinMicros),
      coalesceMicros_(opts.coalesceMicros < 0 ? 0 : opts.coalesceMicros),
      workerNice_(std::min(std::max(opts.workerNice, 0), kMaxWorkerNice)),
      workerPolicy_(opts.workerPolicy >= kPolicyNormal && opts.workerPolicy <= kPolicyIdle
                        ? opts.workerPolicy
                        : kPolicyNormal),
      sink_(sink),
      status_(std::make_shared<StatusBlock>(opts.channels)),
      progress_(new Progress) {
  int helpers = opts.stripeThreads;
  cpus_ = usableCpus();
  stripeBudget_ = helpers < 0;
  if (helpers < 0) helpers = cpus_ - 1;
  if (helpers > kMaxStripeThreads) helpers = kMaxStripeThreads;
  stripes_.reset(new StripePool(helpers, opts.stripeBytes, spinMicros_, workerNice_, workerPolicy_));
  size_t nsets = 0;
  kernels::kernelSets(&nsets);
  nsets_ = static_cast<int>(nsets);
  chans_.reserve(nchan_);
  for (int i = 0; i < nchan_; i++) {
    chans_.emplace_back(new Channel);
    chans_.back()->index = i;
    chans_.back()->used.reset(new std::atomic<uint64_t>[kernels::kKernelOpCount * nsets_]());
  }
  for (int i = 0; i < nchan_; i++) {
    Channel& ch = *chans_[i];
    ch.thread = std::thread([this, &ch] { workerMain(ch); });
    char name[32];
    std::snprintf(name, sizeof name, "dmae-chan%d", i);
    name[15] = 0;  // the kernel keeps 15 characters
    pthread_setname_np(ch.thread.native_handle(), name);
  }
}

Engine::~Engine() { shutdown(false); }

int32_t Engine::submit(int chan, const DescriptorSpec& spec) {
  Channel& ch = *chans_[chan];
  std::lock_guard<std::mutex> lk(ch.mu);
  Desc* d;
  if (!ch.freeList.empty()) {
    d = ch.freeList.back();
    ch.freeList.pop_back();
  } else {
    ch.owned.emplace_back(new Desc);
    d = ch.owned.back().get();
  }
  d->spec.op = spec.op;
  d->spec.flags = spec.flags;
  d->spec.len = spec.len;
  d->spec.dst = spec.dst;
  d->spec.src = spec.src;
  d->spec.value = spec.value;
  d->spec.ptrs.assign(spec.ptrs.begin(), spec.ptrs.end());  // keeps the pooled capacity
  d->spec.start = spec.start;
  d->spec.stop = spec.stop;
  d->spec.faila = spec.faila;
  d->spec.failb = spec.failb;
  d->spec.coefs.assign(spec.coefs.begin(), spec.coefs.end());
  d->spec.waitChannel = spec.waitChannel;
  d->spec.waitCookie = spec.waitCookie;
  d->spec.tag = spec.tag;
  d->inject = kNoError;
  if (ch.injectCountdown > 0 && --ch.injectCountdown == 0) d->inject = ch.injectResult;
  d->state.store(stopped_.load() ? kAbortedState : kQueued, std::memory_order_relaxed);
  ChannelStatus& st = status_->words[chan];
  int32_t used = st.used.load(std::memory_order_relaxed);
  int32_t cookie = used == kMaxCookie ? kMinCookie : used + 1;  // dma_cookie_assign
  st.used.store(cookie, std::memory_order_release);
  d->cookie = cookie;
  ch.pending.push_back(d);
  return cookie;
}

size_t Engine::issuePending(int chan) {
  Channel& ch = *chans_[chan];
  bool wake;
  size_t n;
  {
    std::lock_guard<std::mutex> lk(ch.mu);
    n = ch.pending.size();
    if (n == 0) return 0;
    ch.ready.insert(ch.ready.end(), ch.pending.begin(), ch.pending.end());
    ch.pending.clear();
    ch.readyCount.store(ch.ready.size(), std::memory_order_relaxed);
    ch.readyFlag.store(true, std::memory_order_release);
    wake = ch.sleeping;
  }
  if (wake) ch.cv.notify_one();
  return n;
}

void Engine::abortQueuedLocked(Channel& ch) {
  auto abortAll = [](std::vector<Desc*>& v) {
    for (Desc* d : v) {
      uint8_t expected = kQueued;
      d->state.compare_exchange_strong(expected, kAbortedState);
    }
  };
  abortAll(ch.pending);
  abortAll(ch.ready);
  if (ch.running) abortAll(*ch.running);
  ch.ready.insert(ch.ready.end(), ch.pending.begin(), ch.pending.end());
  ch.pending.clear();
  ch.readyCount.store(ch.ready.size(), std::memory_order_relaxed);
  if (!ch.ready.empty()) ch.readyFlag.store(true, std::memory_order_release);
}

size_t Engine::terminate(int chan) {
  Channel& ch = *chans_[chan];
  size_t unissued;
  {
    std::lock_guard<std::mutex> lk(ch.mu);
    unissued = ch.pending.size();
    abortQueuedLocked(ch);
  }
  ch.cv.notify_one();
  {
    // A descriptor parked on a cross-channel wait sees its state change when woken.
    std::lock_guard<std::mutex> lk(progress_->mu);
  }
  progress_->cv.notify_all();
  return unissued;
}

void Engine::injectError(int chan, int nth, int32_t result) {
  Channel& ch = *chans_[chan];
  std::lock_guard<std::mutex> lk(ch.mu);
  ch.injectCountdown = nth;
  ch.injectResult = result;
}

void Engine::setCookieForTest(int chan, int32_t cookie) {
  Channel& ch = *chans_[chan];
  std::lock_guard<std::mutex> lk(ch.mu);
  status_->words[chan].used.store(cookie);
  status_->words[chan].completed.store(cookie);
}

size_t Engine::shutdown(bool deliver) {
  size_t unissued = 0;
  if (stopped_.exchange(true)) {
    // A second caller (the destructor after close) only waits for the first to finish.
    for (auto& c : chans_) {
      if (c->thread.joinable() && c->thread.get_id() != std::this_thread::get_id()) {
        c->thread.join();
      }
    }
    return 0;
  }
  deliver_.store(deliver);
  for (auto& c : chans_) {
    {
      std::lock_guard<std::mutex> lk(c->mu);
      c->stop = true;
      unissued += c->pending.size();
      abortQueuedLocked(*c);
    }
    c->cv.notify_one();
  }
  {
    std::lock_guard<std::mutex> lk(progress_->mu);
  }
  progress_->cv.notify_all();
  for (auto& c : chans_) {
    if (c->thread.joinable()) c->thread.join();
  }
  stripes_->stop();  // after the workers: a running striped descriptor finishes first
  return unissued;
}

void Engine::workerMain(Channel& ch) {
  // Per thread: the event loop's thread keeps its priority, so it wins the CPU back quickly
  // when the workers saturate every core.
  applyWorkerPolicy(workerPolicy_, workerNice_);
  std::vector<Desc*> batch;
  const auto spin = std::chrono::microseconds(spinMicros_);
  for (;;) {
    // Spin briefly: a doorbell rung within the window costs no wake-up. Only while a CPU is
    // left for the thread that rings it: with every CPU held by busy workers, spinning takes
    // the CPU the event loop needs to deliver completions and submit more.
    if (!ch.readyFlag.load(std::memory_order_acquire) && spinMicros_ > 0 &&
        busyWorkers_.load(std::memory_order_relaxed) + 2 <= cpus_) {
      const auto until = Clock::now() + spin;
      for (unsigned i = 1; !ch.readyFlag.load(std::memory_order_acquire); i++) {
        DMAE_PAUSE();
        if ((i & 63) == 0 && Clock::now() >= until) break;
      }
    }
    {
      std::unique_lock<std::mutex> lk(ch.mu);
      while (ch.ready.empty() && !ch.stop) {
        ch.sleeping = true;
        ch.cv.wait(lk);
        ch.sleeping = false;
      }
      if (ch.ready.empty()) return;  // stopped and drained
      batch.swap(ch.ready);
      ch.readyCount.store(0, std::memory_order_relaxed);
      ch.readyFlag.store(false, std::memory_order_relaxed);
      ch.running = &batch;
    }
    busyWorkers_.fetch_add(1, std::memory_order_relaxed);
    runBatch(ch, batch);
    busyWorkers_.fetch_sub(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lk(ch.mu);
    ch.running = nullptr;
    ch.freeList.insert(ch.freeList.end(), batch.begin(), batch.end());
    batch.clear();
  }
}

void Engine::runBatch(Channel& ch, std::vector<Desc*>& batch) {
  // Completions of short descriptors are flagged `more` so the sink can hand them over
  // together; a flush is forced every coalesceMicros so none waits longer than that. With a
  // deep queue behind a completion (kDeepQueueDescriptors or more issued after it) of a
  // descriptor that ran for kDeepRunMicros or more, the thread that submits sleeps between
  // completions and has nothing to refill yet, so its wake-ups are spaced by
  // kDeepCoalesceFactor × coalesceMicros: each wake-up costs that thread a context switch
  // (tens of µs of CPU in a paravirtualised guest) that the workers' CPUs then lack. Shorter
  // descriptors are not held: that thread is then busy feeding the queue, needs to hear early,
  // and pays no wake-up per call. The flush comes as soon as fewer descriptors remain, so the
  // queue is refilled before it drains.
  const auto coalesce = std::chrono::microseconds(coalesceMicros_);
  const auto deepRun = std::chrono::microseconds(kDeepRunMicros);
  const auto deepCoalesce = std::chrono::microseconds(
      std::min<int64_t>(int64_t{coalesceMicros_} * kDeepCoalesceFactor, kMaxWaitMicros));
  auto lastFlush = Clock::now();
  auto started = lastFlush;  // when descriptor i began: the previous one's end (one clock read each)
  const size_t n = batch.size();
  for (size_t i = 0; i < n; i++) {
    Desc* d = batch[i];
    int32_t result = kNoError;
    uint32_t val = 0;
    if (ch.abortNext) {
      d->state.store(kAbortedState);
      result = kAborted;
    } else if (d->spec.waitChannel >= 0 &&
               d->state.load(std::memory_order_acquire) == kQueued) {
      result = waitForCookie(ch, *d);
    }
    uint8_t expected = kQueued;
    if (result == kNoError && d->state.compare_exchange_strong(expected, kRunning)) {
      if (d->inject != kNoError) {
        result = d->inject;  // an injected failure writes nothing
      } else {
        int ran = -1;
        // The default pool's helpers get the CPUs the busy workers (this one included) leave.
        val = stripes_->run(d->spec, &ran,
                            stripeBudget_ ? cpus_ - busyWorkers_.load(std::memory_order_relaxed)
                                          : INT_MAX);
        if (ran >= 0) {
          const int v = kernels::chosenVariant(static_cast<kernels::KernelOp>(ran));
          std::atomic<uint64_t>& c = ch.used[ran * nsets_ + v];
          c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        }
      }
    } else if (result == kNoError) {
      result = kAborted;
    }
    ch.abortNext = (d->spec.flags & kFence) && result != kNoError;
    bool more = false;
    auto t = Clock::now();
    const bool deep = t - started >= deepRun &&
                      n - i - 1 + ch.readyCount.load(std::memory_order_relaxed) >= kDeepQueueDescriptors;
    if (i + 1 < n && (deep || isShort(batch[i + 1]->spec))) {
      more = t - lastFlush < (deep ? deepCoalesce : coalesce);
      if (!more) lastFlush = t;
    } else if (i + 1 < n) {
      lastFlush = t;  // this completion flushes: the window restarts
    }
    publish(ch, *d, result, val, more);
    started = t;
  }
}

std::vector<KernelUse> Engine::kernelUse(int chan) const {
  const Channel& ch = *chans_[chan];
  std::vector<KernelUse> out;
  for (int op = 0; op < kernels::kKernelOpCount; op++) {
    for (int v = 0; v < nsets_; v++) {
      const uint64_t n = ch.used[op * nsets_ + v].load(std::memory_order_relaxed);
      if (n) out.push_back(KernelUse{op, v, n});
    }
  }
  return out;
}

uint64_t Engine::stripedCount() const { return stripes_->striped(); }
uint64_t Engine::stripeHelped() const { return stripes_->helped(); }

int32_t Engine::waitForCookie(Channel& ch, Desc& d) {
  ChannelStatus& other = status_->words[d.spec.waitChannel];
  auto done = [&] {
    return cookieComplete(d.spec.waitCookie, other.completed.load(),
                          other.used.load(std::memory_order_acquire));
  };
  auto aborted = [&] { return d.state.load() != kQueued; };
  if (done()) return kNoError;
  const auto until = Clock::now() + std::chrono::microseconds(spinMicros_);
  for (unsigned i = 1; spinMicros_ > 0; i++) {
    if (done()) return kNoError;
    if (aborted()) return kAborted;
    DMAE_PAUSE();
    if ((i & 63) == 0 && Clock::now() >= until) break;
  }
  Progress& p = *progress_;
  std::unique_lock<std::mutex> lk(p.mu);
  p.waiters.fetch_add(1);  // seq_cst, paired with publish()'s store then load
  while (!done() && !aborted()) p.cv.wait(lk);
  p.waiters.fetch_sub(1);
  return aborted() ? kAborted : kNoError;
}

void Engine::publish(Channel& ch, Desc& d, int32_t result, uint32_t val, bool more) {
  ChannelStatus& st = status_->words[ch.index];
  st.completed.store(d.cookie);  // seq_cst: ordered before the waiters load below
  if (progress_->waiters.load() > 0) {
    { std::lock_guard<std::mutex> lk(progress_->mu); }
    progress_->cv.notify_all();
  }
  if (sink_ && deliver_.load(std::memory_order_relaxed)) {
    sink_->onComplete(Completion{ch.index, d.cookie, result, val, d.spec.tag, more});
  }
}

}  // namespace engine
}  // namespace dmae
