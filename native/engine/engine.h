// The software DMA engine: channels are native worker threads running descriptor queues.
//
// Model (dmaengine's, drivers/dma/dmaengine.h): a descriptor is prepared, then submitted to a
// channel, which assigns it the next cookie (s32; the counter starts at 1 as dma_cookie_init
// sets it, so the first cookie assigned is 2; after INT32_MAX it wraps to 1, as
// dma_cookie_assign does). Submitted descriptors wait on the channel's pending list: NOTHING
// runs before issuePending() (the doorbell) moves them to the worker. Each channel runs its
// descriptors one at a time, in cookie order, and completes them in that order:
//
//   submit ─► pending ──issuePending──► ready ──worker──► run ──► completed cookie advances
//                                                                  └─► sink->onComplete()
//
// Per descriptor, before it runs:
//   - wait: (waitChannel, waitCookie) parks it until that cookie of another channel of the same
//     engine is complete (the dma_async_is_complete window rule), without blocking anyone else;
//   - fence: when a fenced descriptor does not complete with kNoError, the next descriptor of
//     the channel (its dependant) completes as kAborted without running; a fenced dependant
//     passes the abort on, so a fenced chain stops at its first failure;
//   - error injection: injectError(chan, n, r) makes the n-th descriptor submitted from now
//     complete with r (kReadFailed or kWriteFailed) without writing anything;
//   - terminate(chan): every descriptor not yet running (pending, ready, or parked on a wait)
//     completes as kAborted, in order; the running one finishes normally.
//
// Threading: submit, issuePending, terminate and injectError may be called from any thread
// (one mutex per channel). Completions are reported on the channel's worker thread, through
// CompletionSink::onComplete, after the channel's completed cookie has been published
// (release) in the status block, which any thread may read with acquire loads. Workers spin
// for spinMicros after running out of work, then sleep on a condition variable. The engine
// owns its threads; shutdown() (or the destructor) aborts what has not run and joins them.
//
// Memory: the engine trusts the pointers it is given (the N-API boundary checked them against
// their buffers) and keeps none of them after reporting the descriptor's completion.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/abi.h"

namespace dmae {
namespace engine {

// The operations a descriptor can carry (async_tx's families and the interrupt descriptor).
enum class OpCode : uint8_t {
  kMemcpy,      // dst[0..len) = src[0..len)
  kMemset,      // dst[0..len) = value
  kXor,         // dst (^)= ⊕ ptrs[0..nsrc); kZeroDst: dst = ⊕ ptrs
  kXorVal,      // valResult = kPMismatch if ⊕ ptrs[0..nsrc) is not all zero
  kPq,          // P/Q of ptrs[0..disks-3] into ptrs[disks-2], ptrs[disks-1]; kPqXorDst: RMW
  kPqVal,       // valResult = kernels::pqCheck bits
  kRecov2Data,  // rebuild data faila < failb from the rest, P and Q
  kRecovDataP,  // rebuild data faila and P from the rest and Q
  kInterrupt,   // no-op: completes in order (async_trigger_callback's descriptor)
  // Explicit coefficients (device_prep_dma_pq's `scf`): ptrs = nsrc sources, then P, then Q
  // (either may be null); coefs[i] multiplies source i in Q.
  kPqCoef,      // P/Q = ⊕ / ⊕ coefs·src; kAccumulate: XORed into P/Q (DMA_PREP_CONTINUE)
  kPqCoefVal,   // valResult = kernels::pqCheckCoef bits
};
constexpr int kOpCount = 11;

// TxResult, DescFlags, kPResult/kQResult, the status block layout, limits and defaults: abi.h.

// What a submitter fills in. Pointers must be valid for the ranges the op touches until the
// descriptor's completion is reported. The engine copies the spec: one spec may be reused.
struct DescriptorSpec {
  OpCode op = OpCode::kInterrupt;
  uint32_t flags = 0;
  size_t len = 0;
  uint8_t* dst = nullptr;        // kMemcpy, kMemset, kXor
  const uint8_t* src = nullptr;  // kMemcpy
  uint8_t value = 0;             // kMemset
  std::vector<uint8_t*> ptrs;    // kXor/kXorVal: sources; pq family: disks blocks (data, P, Q)
  int start = 0, stop = 0;       // kPq with kPqXorDst
  int faila = 0, failb = 0;      // recoveries
  std::vector<uint8_t> coefs;    // kPqCoef/kPqCoefVal: one per source (copied at submit)
  int waitChannel = -1;          // -1: no wait
  int32_t waitCookie = 0;
  uint64_t tag = 0;              // opaque to the engine, returned in the Completion
};

struct Completion {
  int channel;
  int32_t cookie;
  int32_t result;      // TxResult
  uint32_t valResult;  // kXorVal / kPqVal result bits, else 0
  uint64_t tag;
  // Hint: another completion of this channel follows within microseconds (the worker is in
  // the middle of a batch and the next descriptor is short: ≤ 256 KiB touched, no wait), so
  // a sink that wakes another thread may wait for it. The last completion before anything
  // long or any pause has more=false; none waits more than coalesceMicros for a flush.
  bool more;
};

// Receives completions on worker threads, in cookie order per channel.
class CompletionSink {
 public:
  virtual ~CompletionSink() = default;
  virtual void onComplete(const Completion& c) = 0;
};

// One cache line per channel, so workers do not share lines. Readers (JavaScript included,
// through the binding) load `completed` with acquire semantics; only the worker stores it.
// The layout is abi.h's cookie cell (kCookieUsed, kCookieCompleted, kStatusStrideWords): a
// dmaengine channel reads this memory as its chan->cookie / chan->completed_cookie.
struct alignas(64) ChannelStatus {
  std::atomic<int32_t> used{kMinCookie};       // last assigned cookie
  std::atomic<int32_t> completed{kMinCookie};  // last completed cookie (dma_cookie_init)
  int32_t reserved[kStatusStrideWords - kCookieCellWords] = {};
};
static_assert(sizeof(ChannelStatus) == 64, "one cache line per channel");
static_assert(sizeof(ChannelStatus) == kStatusStrideWords * sizeof(int32_t), "the ABI's stride");
static_assert(offsetof(ChannelStatus, used) == kCookieUsed * sizeof(int32_t), "the ABI's cell");
static_assert(offsetof(ChannelStatus, completed) == kCookieCompleted * sizeof(int32_t),
              "the ABI's cell");
static_assert(std::atomic<int32_t>::is_always_lock_free, "status words are plain int32");
static_assert(sizeof(std::atomic<int32_t>) == sizeof(int32_t), "status words are plain int32");

// The status block outlives the engine for as long as someone (a JS ArrayBuffer) holds it.
struct StatusBlock {
  explicit StatusBlock(int n) : channels(n), words(new ChannelStatus[n]) {}
  int channels;
  std::unique_ptr<ChannelStatus[]> words;
};


struct EngineOptions {
  int channels = 1;
  int spinMicros = kDefaultSpinMicros;  // how long an idle worker spins before sleeping
  // Longest a completion waits for its batch-mates (the `more` hint).
  int coalesceMicros = kDefaultCoalesceMicros;
  // Niceness of the worker threads (0..kMaxWorkerNice; the creator's is untouched).
  int workerNice = kDefaultWorkerNice;
  // Scheduling policy of the worker and stripe threads (abi.h's WorkerPolicy).
  int workerPolicy = kDefaultWorkerPolicy;
  // Striping (stripe.h): a descriptor touching at least stripeBytes (len × blocks) is cut into
  // byte ranges run by its channel's worker and stripeThreads helper threads at once.
  // stripeThreads -1: one per other CPU (at most kMaxStripeThreads), and a striped
  // descriptor gets only the helpers the busy channel workers leave a CPU for; n ≥ 1: n
  // helpers whatever the load; 0 or stripeBytes 0: off.
  int stripeThreads = -1;
  size_t stripeBytes = kDefaultStripeBytes;
};

// Descriptors a channel ran on one variant of one of the kernel dispatcher's operations.
struct KernelUse {
  int op;          // kernels::KernelOp
  int variant;     // index in kernels::kernelSets()
  uint64_t count;
};

// dma_async_is_complete: is `cookie` complete given the last completed and last used?
bool cookieComplete(int32_t cookie, int32_t lastComplete, int32_t lastUsed);

class StripePool;

class Engine {
 public:
  // Starts one worker per channel. `sink` must outlive the engine (or its shutdown()).
  Engine(const EngineOptions& opts, CompletionSink* sink);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  int channels() const { return nchan_; }
  std::shared_ptr<StatusBlock> status() const { return status_; }

  // Queues a copy of `spec` on `chan` and returns its cookie. Runs nothing.
  int32_t submit(int chan, const DescriptorSpec& spec);
  // The doorbell: hands every pending descriptor of `chan` to its worker. Returns how many.
  size_t issuePending(int chan);
  // Every descriptor of `chan` not yet running completes as kAborted. Returns how many of
  // them had not been issued (they complete too: terminate issues them as aborted).
  size_t terminate(int chan);
  // The nth descriptor submitted on `chan` from now (n ≥ 1) fails with `result`.
  void injectError(int chan, int nth, int32_t result);
  // What ran the descriptors of `chan` so far: one entry per (kernel operation, variant) used,
  // in operation order. Descriptors that did not run (aborted, injected failures) and
  // interrupts (no bytes) are not counted. Any thread; the running descriptor may be missing.
  std::vector<KernelUse> kernelUse(int chan) const;
  // Descriptors striped so far, and ranges of them the helper threads ran (tests, bench).
  uint64_t stripedCount() const;
  uint64_t stripeHelped() const;
  // Tests only: sets the channel's cookie counter (used and completed) to `cookie`, idle
  // channel required.
  void setCookieForTest(int chan, int32_t cookie);

  // Aborts everything not yet running and joins the workers; idempotent. With
  // deliver=false the aborted descriptors are not reported to the sink (process teardown).
  // Returns how many of the aborted descriptors had not been issued (0 on later calls).
  size_t shutdown(bool deliver = true);

 private:
  struct Desc;
  struct Channel;
  void workerMain(Channel& ch);
  void runBatch(Channel& ch, std::vector<Desc*>& batch);
  int32_t waitForCookie(Channel& ch, Desc& d);
  void publish(Channel& ch, Desc& d, int32_t result, uint32_t val, bool more);
  void abortQueuedLocked(Channel& ch);

  int nchan_;
  int nsets_;  // kernels::kernelSets() entries: the stride of Channel::used
  int spinMicros_;
  int coalesceMicros_;
  int workerNice_;
  int workerPolicy_;
  int cpus_ = 1;                       // CPUs this process may use
  bool stripeBudget_ = true;           // default pool: helpers only on CPUs workers leave
  std::atomic<int> busyWorkers_{0};    // channel workers running a batch (striping's budget)
  CompletionSink* sink_;
  std::shared_ptr<StatusBlock> status_;
  std::vector<std::unique_ptr<Channel>> chans_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> deliver_{true};
  bool joined_ = false;
  // Cross-channel waits park here; completions notify when someone waits.
  struct Progress;
  std::unique_ptr<Progress> progress_;
  std::unique_ptr<StripePool> stripes_;
};

// Runs one descriptor's operation with the compute kernels; returns its valResult. *ran
// receives the kernels::KernelOp that ran it, -1 for an interrupt.
uint32_t executeOp(const DescriptorSpec& d, int* ran);

}  // namespace engine
}  // namespace dmae
