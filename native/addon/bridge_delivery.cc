// KernelBridgeHandle: completion delivery (uv_poll_t on the bridge fd, the ring read on the
// loop thread, one handler call per wake-up), close and teardown. See bridge_wrap.h.
#include <chrono>

#include "addon/args.h"
#include "addon/bindings.h"
#include "addon/bridge_wrap.h"
#include "addon/handler_call.h"

namespace dmae {
namespace addon {

namespace {
constexpr size_t kStride = 6;  // int32 words per completion: chan, tag, status, result, residue, val

void freePoll(uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); }
}  // namespace

void BridgeWrap::startPoll(Napi::Env env) {
  uv_loop_t* loop = nullptr;
  NAPI_THROW_IF_FAILED_VOID(env, napi_get_uv_event_loop(env, &loop));
  auto* p = new uv_poll_t;
  int r = uv_poll_init(loop, p, bridge_.fd());
  if (r != 0) {
    delete p;
    throw Napi::Error::New(env, std::string("uv_poll_init on the bridge fd: ") + uv_strerror(r));
  }
  p->data = this;
  uv_poll_start(p, UV_READABLE, &BridgeWrap::OnReadable);
  uv_unref(reinterpret_cast<uv_handle_t*>(p));  // an idle bridge keeps nothing alive
  poll_ = p;
}

void BridgeWrap::stopPoll() {
  if (!poll_) return;
  uv_poll_stop(poll_);
  poll_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(poll_), freePoll);
  poll_ = nullptr;
}

// Completions owed went up by `added`: keep the loop and this object alive until delivered.
void BridgeWrap::hold(Napi::Env env, size_t added) {
  outstanding_ += added;
  if (outstanding_ > 0 && !busy_ && poll_) {
    busy_ = true;
    uv_ref(reinterpret_cast<uv_handle_t*>(poll_));
    Ref();
  }
}

void BridgeWrap::OnReadable(uv_poll_t* h, int status, int events) {
  auto* self = static_cast<BridgeWrap*>(h->data);
  if (!self || self->closed_) return;
  self->wakeups_++;
  Napi::Env env(self->env_);
  Napi::HandleScope scope(env);
  try {
    self->deliver(env, true);
  } catch (const Napi::Error&) {
    // Only when the environment is stopping: JavaScript can no longer run.
  }
}

size_t BridgeWrap::deliver(Napi::Env env, bool fromLoop) {
  if (ring_.empty()) return 0;
  size_t n = bridge_.readCompletions(ring_.data(), ring_.size());
  if (n == 0) return 0;
  // Nested (close() from inside the handler or its microtasks): the outer batch array may
  // still be read, so this delivery gets an array of its own.
  const bool nested = inHandler_;
  Napi::Int32Array batch = nested ? Napi::Int32Array::New(env, n * kStride) : batch_.Value();
  int32_t* out = batch.Data();
  for (size_t i = 0; i < n; i++) {
    const dmabridge_completion& c = ring_[i];
    out[i * kStride + 0] = static_cast<int32_t>(c.chan);
    out[i * kStride + 1] = static_cast<int32_t>(c.user_tag);
    out[i * kStride + 2] = c.status;
    out[i * kStride + 3] = static_cast<int32_t>(c.result);
    out[i * kStride + 4] = static_cast<int32_t>(c.residue);
    out[i * kStride + 5] = static_cast<int32_t>(c.val);
  }
  completions_ += n;
  outstanding_ = outstanding_ > n ? outstanding_ - n : 0;
  bool release = outstanding_ == 0 && busy_;
  if (release) {
    busy_ = false;
    if (poll_) uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
  }
  napi_value argv[2] = {batch, Napi::Number::New(env, static_cast<double>(n))};
  napi_value result;
  napi_status st = napi_generic_failure;
  try {
    // Busy until now, so the self reference still holds the object and its handler.
    napi_value handler = Value().Get("onBatch");
    inHandler_ = true;
    if (fromLoop) {
      st = napi_make_callback(env, async_, Value(), handler, 2, argv, &result);
    } else {
      st = napi_call_function(env, env.Undefined(), handler, 2, argv, &result);
    }
    inHandler_ = nested;
  } catch (const Napi::Error&) {
    inHandler_ = nested;
  }
  finishHandlerCall(env, this, release, st);
  return n;
}

// poll(): delivers the completions in the ring now, on the caller's stack. Returns how many;
// nothing from inside the handler (a status query there sees the next wake-up's entries).
Napi::Value BridgeWrap::Poll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (inHandler_ || closed_ || ring_.empty()) return Napi::Number::New(env, 0);
  size_t total = 0;
  for (size_t n; (n = deliver(env, false)) != 0 && !closed_;) total += n;
  return Napi::Number::New(env, static_cast<double>(total));
}

// close(waitMs = 10000): exclusive channels terminated (their unfinished operations post
// -ECANCELED), shared ones waited for up to waitMs, what the ring holds delivered on the
// caller's stack (in an array of its own when called from inside the handler), then the fd
// closed (the kernel ends whatever is left and releases every channel and buffer).
// Idempotent. Returns the completions still owed (never delivered).
Napi::Value BridgeWrap::Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t waitMs = info[0].IsUndefined() ? 10000 : intArg(info[0], "waitMs", 0, 600000);
  if (closed_) return Napi::Number::New(env, 0);
  for (uint32_t h : exclusive_) count(bridge_.terminate(h));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(waitMs);
  while (!ring_.empty() && outstanding_ > 0) {
    if (deliver(env, false) != 0) continue;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0 || bridge_.wait(static_cast<int>(left > 100 ? 100 : left)) < 0) break;
    if (closed_) break;  // the handler closed it
  }
  size_t owed = outstanding_;
  teardown();
  return Napi::Number::New(env, static_cast<double>(owed));
}

void BridgeWrap::teardown() {
  if (closed_ && !poll_) {
    bridge_.close();
    return;
  }
  closed_ = true;
  stopPoll();
  bridge_.close();
  if (hookInstalled_) {
    napi_remove_env_cleanup_hook(env_, &BridgeWrap::CleanupHook, this);
    hookInstalled_ = false;
  }
  if (async_) {
    napi_async_destroy(env_, async_);
    async_ = nullptr;
  }
  outstanding_ = 0;
  if (busy_) {
    busy_ = false;
    try {
      Unref();
    } catch (const Napi::Error&) {
    }
  }
}

void BridgeWrap::CleanupHook(void* arg) {
  auto* self = static_cast<BridgeWrap*>(arg);
  self->hookInstalled_ = false;
  self->closed_ = true;
  self->stopPoll();
  self->bridge_.close();  // the kernel terminates / waits; nothing reaches JavaScript
}

BridgeWrap::~BridgeWrap() {
  if (hookInstalled_) {
    napi_remove_env_cleanup_hook(env_, &BridgeWrap::CleanupHook, this);
    hookInstalled_ = false;
  }
  closed_ = true;
  stopPoll();
  bridge_.close();
  if (async_) napi_async_destroy(env_, async_);
}

}  // namespace addon
}  // namespace dmae
