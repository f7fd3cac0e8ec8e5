// The engine's ABI: every value the native engine shares with JavaScript, defined once.
//
// Model: the kernel's dmaengine enums (dmaengine_tx_result, sum_check_flags, the cookie
// bounds of dma_cookie_assign) plus what this engine adds (descriptor flags, the status block
// and completion batch layouts, limits and defaults). engine.h and the addon include this
// header; the kernels' limits come from kernels/limits.h, so no number is written twice.
// The addon exports all of it as the frozen `constants` object (addon/abi_binding.cc), and a
// mocha test (test/11.engine.abi.test.ts) checks it against lib/dmaengine/abi.ts, the
// TypeScript side's one copy. docs/engine.md, "Where each shared definition lives", maps the
// two.
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>

#include "kernels/limits.h"

namespace dmae {
namespace engine {

// dmaengine_tx_result: how a descriptor ended.
enum TxResult : int32_t { kNoError = 0, kReadFailed = 1, kWriteFailed = 2, kAborted = 3 };

// Descriptor flags.
enum DescFlags : uint32_t {
  kFence = 1u << 0,     // DMA_PREP_FENCE: the next descriptor depends on this one's result
  kZeroDst = 1u << 1,   // kXor: ASYNC_TX_XOR_ZERO_DST
  kPqXorDst = 1u << 2,  // kPq: ASYNC_TX_PQ_XOR_DST, pqGenXor over slots start..stop
  kAccumulate = 1u << 3,  // kPqCoef: P/Q ^= the result (DMA_PREP_CONTINUE)
};
constexpr uint32_t kAllFlags = kFence | kZeroDst | kPqXorDst | kAccumulate;

// sum_check_flags, written to valResult of the *Val operations: the kernels' check bits,
// which the engine passes through unchanged.
enum : uint32_t { kPResult = kernels::kPMismatch, kQResult = kernels::kQMismatch };

// Cookies (s32): DMA_MIN_COOKIE is the first valid one and dma_cookie_init's start; after
// kMaxCookie the counter wraps to kMinCookie (dma_cookie_assign).
constexpr int32_t kMinCookie = 1;
constexpr int32_t kMaxCookie = INT32_MAX;

// The status block: one cookie cell per channel, kStatusStrideWords int32 words apart (one
// cache line); word kCookieUsed is chan->cookie, kCookieCompleted chan->completed_cookie.
constexpr int kCookieUsed = 0;
constexpr int kCookieCompleted = 1;
constexpr int kCookieCellWords = 2;
constexpr int kStatusStrideWords = 16;

// A completion batch: kCompletionStride int32 words per completion (channel, cookie, result,
// valResult).
constexpr int kCompletionStride = 4;
enum : int { kBatchChannel = 0, kBatchCookie = 1, kBatchResult = 2, kBatchValResult = 3 };
static_assert(kBatchValResult + 1 == kCompletionStride, "one word per field");

// Limits.
constexpr int kMaxChannels = 64;  // channels (worker threads) of one engine
constexpr int kMaxXorSources = kernels::kMaxXorSources;  // sources of one xor / xorVal
constexpr int kMaxDisks = kernels::kMaxDisks;            // blocks of one pq / recovery
constexpr int kMaxPqSources = kernels::kMaxPqSources;    // sources of one pqCoef(Val)
// Longest byte count of one descriptor: the kernel's size_t len kept to a positive s32.
constexpr int64_t kMaxLen = INT32_MAX;

// Options: defaults and bounds.
constexpr int kDefaultSpinMicros = 50;      // an idle worker spins this long before sleeping
constexpr int kDefaultCoalesceMicros = 20;  // longest a completion waits for its batch-mates
// A completion of a descriptor that ran kDeepRunMicros or more, with at least
// kDeepQueueDescriptors issued behind it on its channel, waits up to kDeepCoalesceFactor ×
// coalesceMicros, at most kMaxWaitMicros (docs/engine.md, "Completion delivery"): 2 ms by
// default.
constexpr int kDeepRunMicros = 25;
constexpr size_t kDeepQueueDescriptors = 8;
constexpr int kDeepCoalesceFactor = 100;
constexpr int kMaxWaitMicros = 100000;      // bound of both
constexpr int kDefaultWorkerNice = 5;       // niceness of the worker threads
constexpr int kMaxWorkerNice = 19;
// How the worker and stripe threads are scheduled (thread_policy.h): SCHED_OTHER at the
// worker niceness, SCHED_BATCH at it, or SCHED_IDLE.
enum WorkerPolicy : int { kPolicyNormal = 0, kPolicyBatch = 1, kPolicyIdle = 2 };
constexpr int kDefaultWorkerPolicy = kPolicyNormal;
// Striping (stripe.h): a descriptor touching at least this many bytes (len × blocks) is cut
// into ranges for helper threads (measured: docs/engine.md, "Striping").
constexpr size_t kDefaultStripeBytes = size_t{1} << 20;
constexpr int64_t kMaxStripeBytes = int64_t{1} << 40;
constexpr int kMaxStripeThreads = 15;

}  // namespace engine
}  // namespace dmae
