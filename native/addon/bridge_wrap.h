// The dmaengine bridge's N-API boundary: one JS object (`KernelBridgeHandle`) per open
// /dev/dmaengine_bridge fd (native/bridge's dmabridge::Bridge).
//
// Model: mechanism only. JavaScript encodes a batch (struct dmabridge_op / dmabridge_operand
// records, lib/bridge/batch.ts) into byte arrays and hands it over with submit(): ONE ioctl per
// call (DMABRIDGE_IOC_SUBMIT, the doorbell folded in with DMABRIDGE_SUBMIT_ISSUE). Every other
// method is one ioctl too. The kernel checks every field of every operation; this layer checks
// only that the arrays hold what the counts say, so nothing outside them is read or written.
//
// Completions: no thread. A uv_poll_t watches the fd on the environment's own loop; when the
// kernel posts entries (POLLIN) the loop reads the mmapped ring and calls the JS handler ONCE
// with every entry ready, as sextets (chan, tag, status, result, residue, val) in a reused
// Int32Array: handler(batch, count), like the soft engine's batches.
//
// Lifetime: while an operation that asked for a completion is undelivered, the poll handle is
// ref'd (it keeps the loop alive) and the wrapper holds a strong reference to itself; when none
// is, both are released. close() terminates the exclusive channels, waits (bounded) for the
// shared ones, delivers what the ring then holds, and closes the fd (the kernel finishes the
// rest). An environment cleanup hook closes the fd without calling into JavaScript.
//
// Counters: every ioctl this object makes is counted (stats()), so a benchmark can report
// system calls per operation.
//
// Threading: JavaScript thread only (the poll callback runs on the same loop).
#pragma once

#include <napi.h>
#include <uv.h>

#include <set>
#include <vector>

#include "bridge/bridge.h"

namespace dmae {
namespace addon {

class BridgeWrap : public Napi::ObjectWrap<BridgeWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit BridgeWrap(const Napi::CallbackInfo& info);
  ~BridgeWrap() override;

 private:
  // Control (bridge_binding.cc).
  Napi::Value Version(const Napi::CallbackInfo& info);
  Napi::Value Enumerate(const Napi::CallbackInfo& info);
  Napi::Value RequestExclusive(const Napi::CallbackInfo& info);
  Napi::Value RequestShared(const Napi::CallbackInfo& info);
  Napi::Value ReleaseChannel(const Napi::CallbackInfo& info);
  Napi::Value ImportBuffer(const Napi::CallbackInfo& info);
  Napi::Value AllocBuffer(const Napi::CallbackInfo& info);
  Napi::Value ReleaseBuffer(const Napi::CallbackInfo& info);
  Napi::Value Submit(const Napi::CallbackInfo& info);
  Napi::Value Issue(const Napi::CallbackInfo& info);
  Napi::Value Terminate(const Napi::CallbackInfo& info);
  Napi::Value SlaveConfig(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Outstanding(const Napi::CallbackInfo& info);
  Napi::Value Fd(const Napi::CallbackInfo& info);
  // Delivery and lifetime (bridge_delivery.cc).
  Napi::Value Poll(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  void checkOpen(Napi::Env env) const;
  uint32_t handleArg(const Napi::Value& v, const char* name) const;
  // The calls that take one handle and return nothing: argument, open check, one ioctl.
  uint32_t handleIoctl(const Napi::CallbackInfo& info, const char* arg, const char* ioctl,
                       int (dmabridge::Bridge::*call)(uint32_t));
  int count(int r) {  // every ioctl goes through here
    ioctls_++;
    return r;
  }
  Napi::Object chanInfo(Napi::Env env, const dmabridge_chan_info& ci) const;

  void startPoll(Napi::Env env);
  static void OnReadable(uv_poll_t* h, int status, int events);
  // Reads the ring and calls the handler once; fromLoop: through MakeCallback (a fresh stack).
  size_t deliver(Napi::Env env, bool fromLoop);
  void hold(Napi::Env env, size_t added);
  void stopPoll();
  static void CleanupHook(void* arg);
  void teardown();

  dmabridge::Bridge bridge_;
  napi_env env_ = nullptr;
  bool closed_ = false;
  bool hookInstalled_ = false;
  uv_poll_t* poll_ = nullptr;
  bool busy_ = false;        // poll ref'd and self referenced
  bool inHandler_ = false;   // the batch array is in use
  size_t outstanding_ = 0;   // completions owed by the kernel (ops with F_COMPLETION submitted)
  std::set<uint32_t> exclusive_;
  std::vector<dmabridge_completion> ring_;  // one read of the ring
  Napi::Reference<Napi::Int32Array> batch_;
  napi_async_context async_ = nullptr;
  // stats()
  double ioctls_ = 0, submitCalls_ = 0, opsSubmitted_ = 0, wakeups_ = 0, completions_ = 0;
};

}  // namespace addon
}  // namespace dmae
