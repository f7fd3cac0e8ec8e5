// The engine's ABI (engine/abi.h) as the addon's `constants` export: nested groups of plain
// numbers, frozen, built once when the module loads (as Node's os.constants). TypeScript keeps
// its own copy in lib/dmaengine/abi.ts (the core must load without the addon), and
// test/11.engine.abi.test.ts checks every value of one against the other, so a change on
// either side that the other lacks fails there.
#include "addon/bindings.h"
#include "engine/abi.h"

namespace dmae {
namespace addon {

namespace {
struct Entry {
  const char* name;
  double value;
};

// A frozen object of the entries.
template <size_t N>
Napi::Object group(Napi::Env env, const Entry (&entries)[N]) {
  Napi::Object o = Napi::Object::New(env);
  for (const Entry& e : entries) o.Set(e.name, Napi::Number::New(env, e.value));
  o.Freeze();
  return o;
}
}  // namespace

void InitAbi(Napi::Env env, Napi::Object exports) {
  using namespace engine;  // NOLINT: every value below is one of abi.h's
  const Entry txResult[] = {
      {"NOERROR", kNoError},
      {"READ_FAILED", kReadFailed},
      {"WRITE_FAILED", kWriteFailed},
      {"ABORTED", kAborted},
  };
  const Entry sumCheck[] = {{"P_RESULT", kPResult}, {"Q_RESULT", kQResult}};
  const Entry cookie[] = {
      {"MIN", kMinCookie},   {"MAX", kMaxCookie},
      {"USED", kCookieUsed}, {"COMPLETED", kCookieCompleted},
      {"CELL_WORDS", kCookieCellWords}, {"CELL_STRIDE", kStatusStrideWords},
  };
  const Entry flags[] = {
      {"FENCE", kFence},
      {"ZERO_DST", kZeroDst},
      {"PQ_XOR_DST", kPqXorDst},
      {"ACCUMULATE", kAccumulate},
  };
  const Entry completion[] = {
      {"STRIDE", kCompletionStride}, {"CHANNEL", kBatchChannel},
      {"COOKIE", kBatchCookie},      {"RESULT", kBatchResult},
      {"VAL_RESULT", kBatchValResult},
  };
  const Entry limits[] = {
      {"MAX_CHANNELS", kMaxChannels},
      {"MAX_XOR_SOURCES", kMaxXorSources},
      {"MAX_DISKS", kMaxDisks},
      {"MAX_PQ_SOURCES", kMaxPqSources},
      {"MAX_LEN", static_cast<double>(kMaxLen)},
      {"MAX_WAIT_MICROS", kMaxWaitMicros},
      {"MAX_WORKER_NICE", kMaxWorkerNice},
      {"MAX_STRIPE_BYTES", static_cast<double>(kMaxStripeBytes)},
      {"MAX_STRIPE_THREADS", kMaxStripeThreads},
  };
  const Entry defaults[] = {
      {"SPIN_MICROS", kDefaultSpinMicros},
      {"COALESCE_MICROS", kDefaultCoalesceMicros},
      {"WORKER_NICE", kDefaultWorkerNice},
      {"WORKER_POLICY", kDefaultWorkerPolicy},
      {"STRIPE_BYTES", static_cast<double>(kDefaultStripeBytes)},
  };
  const Entry workerPolicy[] = {
      {"NORMAL", kPolicyNormal}, {"BATCH", kPolicyBatch}, {"IDLE", kPolicyIdle},
  };
  Napi::Object constants = Napi::Object::New(env);
  constants.Set("txResult", group(env, txResult));
  constants.Set("sumCheck", group(env, sumCheck));
  constants.Set("cookie", group(env, cookie));
  constants.Set("flags", group(env, flags));
  constants.Set("completion", group(env, completion));
  constants.Set("limits", group(env, limits));
  constants.Set("defaults", group(env, defaults));
  constants.Set("workerPolicy", group(env, workerPolicy));
  constants.Freeze();
  exports.DefineProperty(Napi::PropertyDescriptor::Value("constants", constants, napi_enumerable));
}

}  // namespace addon
}  // namespace dmae
