// The software engine's N-API boundary: one JS object (`SoftEngineHandle`) per engine.
//
// Model: JS calls submit methods (one per op family, positional arguments: channel, flags,
// waitChannel, waitCookie, then the op's own), issuePending, terminate, injectError and
// close. Every argument is checked with args.h before anything is queued.
//
// Memory: each buffer a descriptor touches is pinned (its backing store, backing_pin.h) from
// submit until its completion has been delivered, or until the engine's workers are joined.
//
// Completion delivery: workers hand completions to onComplete() (worker thread), which
// appends them to one list and calls the threadsafe function only if no call is already on
// its way, so ONE call per event-loop wake-up carries every completion ready. On the JS
// thread deliver() drops the buffer references, writes (channel, cookie, result, valResult)
// quads into a reused Int32Array and calls the JS batch handler once: handler(batch, count).
//
// Lifetime: while any issued descriptor is undelivered the tsfn is ref'd (it keeps the loop
// alive) and the wrapper holds a strong reference to itself; when none is, both are
// released, so an idle engine never keeps a process alive and can be collected. An
// environment cleanup hook stops and joins the workers when the environment goes away
// (process.exit with work in flight, worker_threads ending), without calling into JS.
//
// Threading: every method runs on the JS thread except onComplete (worker threads).
#pragma once

#include <napi.h>

#include <memory>
#include <mutex>
#include <vector>

#include "addon/backing_pin.h"
#include "engine/engine.h"

namespace dmae {
namespace addon {

class EngineWrap : public Napi::ObjectWrap<EngineWrap>, public engine::CompletionSink {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit EngineWrap(const Napi::CallbackInfo& info);
  ~EngineWrap() override;

  void onComplete(const engine::Completion& c) override;  // worker threads

 private:
  // Control (engine_binding.cc).
  Napi::Value Status(const Napi::CallbackInfo& info);
  Napi::Value Terminate(const Napi::CallbackInfo& info);
  Napi::Value InjectError(const Napi::CallbackInfo& info);
  Napi::Value SetCookieForTest(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Outstanding(const Napi::CallbackInfo& info);
  Napi::Value Poll(const Napi::CallbackInfo& info);
  Napi::Value KernelUse(const Napi::CallbackInfo& info);
  Napi::Value StripeStats(const Napi::CallbackInfo& info);
  // Submission (engine_submit*.cc, engine_call.h): raw napi callbacks on the prototype, the
  // hot path.
 public:
  static void AddSubmitMethods(Napi::Env env, Napi::Function ctor);
  struct Call;

 private:
  friend struct Call;
  void checkOpen(Napi::Env env);
  int channelArg(const Napi::Value& v, const char* name);
  int32_t queue(int chan);

  // Delivery (engine_binding.cc).
  // The tsfn's context: it outlives the wrapper when the wrapper is collected first (calls
  // still queued then find `self` null), and it keeps the wrapper alive from close() until
  // the tsfn has run its last queued call (`closeRef`: a self reference dropped when the tsfn
  // is finalized). JS thread only.
  struct TsfnLink {
    EngineWrap* self;
    bool closeRef;
  };
  static void CallJs(napi_env env, napi_value jsCb, void* context, void* data);
  static void TsfnFinalize(napi_env env, void* data, void* hint);
  void deliver(Napi::Env env);
  void holdWhileBusy(Napi::Env env, size_t added);
  static void CleanupHook(void* arg);
  void teardown(bool deliver);

  std::unique_ptr<engine::Engine> engine_;
  int nchan_ = 0;
  bool closed_ = false;
  bool tornDown_ = false;
  bool hookInstalled_ = false;
  napi_env env_ = nullptr;
  napi_threadsafe_function tsfn_ = nullptr;
  TsfnLink* link_ = nullptr;  // owned by the tsfn (deleted in TsfnFinalize)
  Napi::Reference<Napi::Int32Array> status_;
  Napi::Reference<Napi::Int32Array> batch_;
  size_t batchCap_ = 0;
  size_t outstanding_ = 0;  // issued, not yet delivered (JS thread only)
  bool busy_ = false;       // tsfn ref'd and self referenced

  // Worker → JS hand-over.
  std::mutex mu_;
  std::vector<engine::Completion> done_;
  std::vector<engine::Completion> delivering_;
  bool callPending_ = false;
  bool inHandler_ = false;  // onBatch is running (poll() must not reuse the batch array)

  // The memory of every buffer a descriptor touches is pinned (backing_pin.h) from submit
  // until its completion has been delivered: a transfer, a detach or a collection of the
  // buffer meanwhile cannot free what a worker is reading or writing. Pins per descriptor, by
  // tag (slot index); slots are reused. A descriptor holds each buffer either through a
  // counted entry of a small cache keyed by the view's first byte (descriptors in flight over
  // the same buffer share one pin: the common case of a queue of operations on the same
  // blocks) or through a pin of its own. An entry lives exactly as long as some descriptor in
  // flight uses it, so the cache never keeps memory longer than a plain pin would.
  struct Held {
    Pin pin;    // own pin, when cache < 0
    int cache;  // refCache_ index, or -1
  };
  struct CacheEntry {
    const void* key = nullptr;
    Pin pin;
    uint32_t uses = 0;  // descriptors in flight holding it; 0 = free
  };
  static constexpr int kRefCache = 8;
  CacheEntry refCache_[kRefCache];
  std::vector<std::vector<Held>> slots_;
  std::vector<uint32_t> freeSlots_;
  // The current submission's Array elements, read first (Call::readArray), and its buffers:
  // the elements plus a dst, or a P and a Q (Call::readArray checks each family's counts
  // against these sizes at compile time).
  static constexpr int kMaxElems = kernels::kMaxBlocks;
  static constexpr int kMaxKeep = kMaxElems + 2;
  napi_value elems_[kMaxElems];
  napi_value keep_[kMaxKeep];      // the current submission's buffers
  const void* keepKey_[kMaxKeep];  // their first bytes (nullptr: not cacheable)
  size_t nkeep_ = 0;
  Pin keepPin_[kMaxKeep];  // their pins, taken at check time (empty: a cache entry has it)
  int cacheFind(const void* key) const;  // the refCache_ entry in use for key, or -1
  bool inCall_ = false;  // a submit is being checked (re-entry guard)
  void releaseHeld(std::vector<Held>& held);
  void releaseAllHeld();
  engine::DescriptorSpec spec_;   // reused by every submission
};

}  // namespace addon
}  // namespace dmae
