// SoftEngineHandle: construction, control methods, completion delivery and lifetime
// (the rules are in engine_wrap.h; the submit methods are in engine_submit*.cc).
#include <climits>

#include "addon/args.h"
#include "addon/bindings.h"
#include "addon/engine_wrap.h"
#include "addon/handler_call.h"
#include "kernels/variants.h"

namespace dmae {
namespace addon {

namespace {
constexpr size_t kBatchStride = engine::kCompletionStride;

void releaseStatusBlock(napi_env, void*, void* hint) {
  delete static_cast<std::shared_ptr<engine::StatusBlock>*>(hint);
}
}  // namespace

Napi::Function EngineWrap::Define(Napi::Env env) {
  return DefineClass(
      env, "SoftEngineHandle",
      {
          InstanceMethod<&EngineWrap::Status>("status"),
          InstanceMethod<&EngineWrap::Terminate>("terminate"),
          InstanceMethod<&EngineWrap::InjectError>("injectError"),
          InstanceMethod<&EngineWrap::SetCookieForTest>("setCookieForTest"),
          InstanceMethod<&EngineWrap::Close>("close"),
          InstanceMethod<&EngineWrap::Outstanding>("outstanding"),
          InstanceMethod<&EngineWrap::Poll>("poll"),
          InstanceMethod<&EngineWrap::KernelUse>("kernelUse"),
          InstanceMethod<&EngineWrap::StripeStats>("stripeStats"),
      });
}

// new SoftEngineHandle(channels, spinMicros, onBatch, coalesceMicros?, workerNice?, stripeBytes?,
// stripeThreads?, workerPolicy?); the defaults, limits and bounds are engine/abi.h's (stripeThreads -1: one
// helper per other CPU).
EngineWrap::EngineWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineWrap>(info) {
  Napi::Env env = info.Env();
  env_ = env;
  // ---- validate arguments ----
  int channels = static_cast<int>(intArg(info[0], "channels", 1, engine::kMaxChannels));
  int spin = static_cast<int>(intArg(info[1], "spinMicros", 0, engine::kMaxWaitMicros));
  if (!info[2].IsFunction()) throwTypeError(env, "a function", "onBatch", info[2]);
  // The handler hangs off the JS object, not a strong native reference: the handler (a
  // closure over the facade, which holds this object) would otherwise keep an idle, forgotten
  // engine and its threads alive forever.
  info.This().As<Napi::Object>().DefineProperty(
      Napi::PropertyDescriptor::Value("onBatch", info[2], napi_default));
  int coalesce =
      info[3].IsUndefined()
          ? engine::kDefaultCoalesceMicros
          : static_cast<int>(intArg(info[3], "coalesceMicros", 0, engine::kMaxWaitMicros));
  int nice = info[4].IsUndefined()
                 ? engine::kDefaultWorkerNice
                 : static_cast<int>(intArg(info[4], "workerNice", 0, engine::kMaxWorkerNice));
  engine::EngineOptions opts;
  if (!info[5].IsUndefined()) {
    opts.stripeBytes = static_cast<size_t>(intArg(info[5], "stripeBytes", 0, engine::kMaxStripeBytes));
  }
  if (!info[6].IsUndefined()) {
    opts.stripeThreads = static_cast<int>(
        intArg(info[6], "stripeThreads", -1, engine::kMaxStripeThreads));
  }
  if (!info[7].IsUndefined()) {
    opts.workerPolicy = static_cast<int>(
        intArg(info[7], "workerPolicy", engine::kPolicyNormal, engine::kPolicyIdle));
  }

  // ---- delivery: the tsfn starts unref'd (an idle engine keeps nothing alive) ----
  napi_value name = Napi::String::New(env, "dmaengine:completions");
  auto* link = new TsfnLink{this, false};
  napi_status made = napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, link,
                                                     &EngineWrap::TsfnFinalize, link,
                                                     &EngineWrap::CallJs, &tsfn_);
  if (made != napi_ok) {
    delete link;
    NAPI_THROW_IF_FAILED_VOID(env, made);
  }
  link_ = link;
  napi_unref_threadsafe_function(env, tsfn_);

  opts.channels = channels;
  opts.spinMicros = spin;
  opts.coalesceMicros = coalesce;
  opts.workerNice = nice;
  engine_.reset(new engine::Engine(opts, this));
  nchan_ = channels;

  // ---- the completed cookies, as memory JavaScript reads with Atomics.load ----
  auto* hold = new std::shared_ptr<engine::StatusBlock>(engine_->status());
  napi_value ab;
  napi_status st = napi_create_external_arraybuffer(
      env, (*hold)->words.get(), sizeof(engine::ChannelStatus) * channels, releaseStatusBlock,
      hold, &ab);
  if (st != napi_ok) {
    delete hold;
    engine_->shutdown(false);
    NAPI_THROW_IF_FAILED_VOID(env, st);
  }
  status_ = Napi::Persistent(Napi::Int32Array::New(
      env, channels * engine::kStatusStrideWords, Napi::ArrayBuffer(env, ab), 0));

  batchCap_ = 256;
  batch_ = Napi::Persistent(Napi::Int32Array::New(env, batchCap_ * kBatchStride));
  napi_add_env_cleanup_hook(env, &EngineWrap::CleanupHook, this);
  hookInstalled_ = true;
}

EngineWrap::~EngineWrap() {
  // Collected: nothing is in flight (busy_ holds a self reference until it is delivered),
  // and close() was never called or its tsfn is gone (closeRef holds the wrapper till then).
  // A call still queued on the tsfn must not reach this object any more.
  if (link_) link_->self = nullptr;
  if (hookInstalled_) {
    napi_remove_env_cleanup_hook(env_, &EngineWrap::CleanupHook, this);
    hookInstalled_ = false;
  }
  teardown(false);
  releaseAllHeld();
}

void EngineWrap::releaseHeld(std::vector<Held>& held) {
  for (Held& h : held) {
    if (h.cache < 0) continue;  // its own pin goes with the vector's clear()
    CacheEntry& e = refCache_[h.cache];
    if (--e.uses == 0) e = CacheEntry{};
  }
  held.clear();
}

// Only once the workers are joined: nothing touches the memory any more.
void EngineWrap::releaseAllHeld() {
  for (auto& held : slots_) releaseHeld(held);
}

void EngineWrap::CleanupHook(void* arg) {
  auto* self = static_cast<EngineWrap*>(arg);
  self->hookInstalled_ = false;
  self->teardown(false);
  self->releaseAllHeld();
}

// Stops and joins the workers, then lets go of the tsfn. Without delivery nothing more
// reaches JavaScript (the environment is going away or the wrapper is being collected).
void EngineWrap::teardown(bool deliverAborted) {
  if (tornDown_) return;
  tornDown_ = true;
  closed_ = true;
  if (engine_) engine_->shutdown(deliverAborted);
  if (tsfn_) {
    napi_release_threadsafe_function(tsfn_, napi_tsfn_abort);
    tsfn_ = nullptr;
  }
}

Napi::Value EngineWrap::Status(const Napi::CallbackInfo& info) { return status_.Value(); }

Napi::Value EngineWrap::Outstanding(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(outstanding_));
}

// poll(): delivers the completions ready now, on the caller's stack (a provider's status
// query that found a cookie complete before its delivery reached the loop). Returns whether
// it delivered; never from inside onBatch (the batch array is in use there).
Napi::Value EngineWrap::Poll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (inHandler_) return Napi::Boolean::New(env, false);
  size_t before = outstanding_;
  deliver(env);
  return Napi::Boolean::New(env, outstanding_ != before);
}

// kernelUse(channel): [{ op, variant, count }], which dispatched kernel operation and variant
// ran the channel's descriptors so far (Engine::kernelUse); still readable after close().
Napi::Value EngineWrap::KernelUse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int chan = channelArg(info[0], "channel");
  Napi::Array out = Napi::Array::New(env);
  if (!engine_) return out;
  size_t nsets = 0;
  const kernels::KernelSet* sets = kernels::kernelSets(&nsets);
  uint32_t i = 0;
  for (const engine::KernelUse& u : engine_->kernelUse(chan)) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("op", kernels::kernelOpName(static_cast<kernels::KernelOp>(u.op)));
    o.Set("variant", sets[u.variant].name);
    o.Set("count", static_cast<double>(u.count));
    out.Set(i++, o);
  }
  return out;
}

// stripeStats(): [descriptors striped, ranges run by stripe helpers] (Engine::stripedCount).
Napi::Value EngineWrap::StripeStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, static_cast<double>(engine_ ? engine_->stripedCount() : 0));
  out.Set(1u, static_cast<double>(engine_ ? engine_->stripeHelped() : 0));
  return out;
}

int EngineWrap::channelArg(const Napi::Value& v, const char* name) {
  return static_cast<int>(intArg(v, name, 0, nchan_ - 1));
}

void EngineWrap::checkOpen(Napi::Env env) {
  if (closed_) throw Napi::Error::New(env, "The engine is closed");
}

void EngineWrap::holdWhileBusy(Napi::Env env, size_t added) {
  outstanding_ += added;
  if (outstanding_ > 0 && !busy_) {
    busy_ = true;
    napi_ref_threadsafe_function(env, tsfn_);
    Ref();
  }
}

Napi::Value EngineWrap::Terminate(const Napi::CallbackInfo& info) {
  int chan = channelArg(info[0], "channel");
  checkOpen(info.Env());
  size_t n = engine_->terminate(chan);  // the unissued ones are issued, as aborted
  if (n) holdWhileBusy(info.Env(), n);
  return info.Env().Undefined();
}

Napi::Value EngineWrap::InjectError(const Napi::CallbackInfo& info) {
  int chan = channelArg(info[0], "channel");
  int nth = static_cast<int>(intArg(info[1], "nth", 1, INT32_MAX));
  int result = static_cast<int>(intArg(info[2], "result", engine::kReadFailed,
                                       engine::kWriteFailed));
  checkOpen(info.Env());
  engine_->injectError(chan, nth, result);
  return info.Env().Undefined();
}

Napi::Value EngineWrap::SetCookieForTest(const Napi::CallbackInfo& info) {
  int chan = channelArg(info[0], "channel");
  int32_t cookie = static_cast<int32_t>(intArg(info[1], "cookie", engine::kMinCookie, engine::kMaxCookie));
  checkOpen(info.Env());
  if (outstanding_ != 0) throw Napi::Error::New(info.Env(), "The engine is not idle");
  engine_->setCookieForTest(chan, cookie);
  return info.Env().Undefined();
}

// Aborts what has not run, joins the workers, delivers the remaining completions (the
// aborted ones included) through the loop as usual, then releases the tsfn.
Napi::Value EngineWrap::Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (closed_) return env.Undefined();
  closed_ = true;
  size_t unissued = engine_->shutdown(true);
  if (unissued) holdWhileBusy(env, unissued);
  tornDown_ = true;
  if (hookInstalled_) {
    napi_remove_env_cleanup_hook(env, &EngineWrap::CleanupHook, this);
    hookInstalled_ = false;
  }
  // Queued calls still run, on this object: it stays referenced until the tsfn is finalized.
  if (link_ && !link_->closeRef) {
    link_->closeRef = true;
    Ref();
  }
  napi_release_threadsafe_function(tsfn_, napi_tsfn_release);
  tsfn_ = nullptr;
  if (outstanding_ == 0 && busy_) {
    busy_ = false;
    Unref();
  }
  return env.Undefined();
}

void EngineWrap::onComplete(const engine::Completion& c) {
  bool call;
  {
    std::lock_guard<std::mutex> lk(mu_);
    done_.push_back(c);
    // A completion with more=false is always followed by a call unless one is on its way.
    call = !callPending_ && !c.more;
    if (call) callPending_ = true;
  }
  // One call per wake-up: completions arriving before the JS thread runs ride along, and
  // the worker's `more` hint lets a burst of short descriptors share one wake-up.
  if (call) napi_call_threadsafe_function(tsfn_, nullptr, napi_tsfn_nonblocking);
}

void EngineWrap::TsfnFinalize(napi_env env, void* data, void*) {
  auto* link = static_cast<TsfnLink*>(data);
  if (link->self != nullptr) {
    EngineWrap* self = link->self;
    self->link_ = nullptr;
    if (link->closeRef) self->Unref();  // may let the wrapper be collected; link is gone
  }
  delete link;
}

void EngineWrap::CallJs(napi_env env, napi_value, void* context, void*) {
  auto* link = static_cast<TsfnLink*>(context);
  // torn down (env null), or the wrapper was collected with this call still queued
  if (env == nullptr || link->self == nullptr) return;
  try {
    link->self->deliver(Napi::Env(env));
  } catch (const std::exception&) {
    // Only when the environment is stopping (a worker thread being terminated): JavaScript
    // can no longer run, and the cleanup hook is about to stop the engine.
  }
}

void EngineWrap::deliver(Napi::Env env) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    delivering_.swap(done_);
    callPending_ = false;
  }
  const size_t n = delivering_.size();
  if (n == 0) return;
  if (n > batchCap_) {
    while (batchCap_ < n) batchCap_ *= 2;
    batch_ = Napi::Persistent(Napi::Int32Array::New(env, batchCap_ * kBatchStride));
  }
  Napi::Int32Array batch = batch_.Value();
  int32_t* out = batch.Data();
  for (size_t i = 0; i < n; i++) {
    const engine::Completion& c = delivering_[i];
    int32_t* q = out + i * kBatchStride;
    q[engine::kBatchChannel] = c.channel;
    q[engine::kBatchCookie] = c.cookie;
    q[engine::kBatchResult] = c.result;
    q[engine::kBatchValResult] = static_cast<int32_t>(c.valResult);
    // The buffers may go now: the descriptor will not touch them again.
    releaseHeld(slots_[c.tag]);
    freeSlots_.push_back(static_cast<uint32_t>(c.tag));
  }
  delivering_.clear();
  outstanding_ = outstanding_ > n ? outstanding_ - n : 0;
  bool release = outstanding_ == 0 && busy_;
  if (release) {
    busy_ = false;
    if (tsfn_) napi_unref_threadsafe_function(env, tsfn_);
  }
  napi_value argv[2] = {batch, Napi::Number::New(env, static_cast<double>(n))};
  napi_value result;
  napi_status st = napi_generic_failure;
  try {
    // Busy until now, so the self reference still holds the object and its handler.
    napi_value handler = Value().Get("onBatch");
    inHandler_ = true;
    st = napi_call_function(env, env.Undefined(), handler, 2, argv, &result);
    inHandler_ = false;
  } catch (const Napi::Error&) {
    // The environment is stopping: the batch cannot be delivered; the bookkeeping is done.
  }
  finishHandlerCall(env, this, release, st);
}

void InitEngine(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = EngineWrap::Define(env);
  EngineWrap::AddSubmitMethods(env, ctor);
  exports.Set("SoftEngineHandle", ctor);
}

}  // namespace addon
}  // namespace dmae
