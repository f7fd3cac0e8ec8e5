#include <napi.h>

#include "addon/bindings.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  dmae::addon::InitAbi(env, exports);
  dmae::addon::InitSystem(env, exports);
  dmae::addon::InitKernels(env, exports);
  dmae::addon::InitEngine(env, exports);
  dmae::addon::InitDmabuf(env, exports);
  dmae::addon::InitBridge(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(dmaengine, Init)
