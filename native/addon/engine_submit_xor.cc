// SoftEngineHandle's xor and xorVal (argument reading and its order: engine_call.h).
#include "addon/engine_call.h"

namespace dmae {
namespace addon {
namespace submit {

// xor(channel, flags, waitChannel, waitCookie, dst, srcs, offset, len): dst (^)= ⊕ srcs
napi_value Xor(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence | engine::kZeroDst);
    c.readArray<engine::kMaxXorSources, 1>(5, "srcs", 1);  // + dst
    size_t n = c.len(7);
    c.spec->dst = c.range(4, "dst", 6, "offset", n);
    c.blocks("srcs", 6, n);
    return c.cookie(engine::OpCode::kXor, n);
  });
}

// xorVal(channel, flags, waitChannel, waitCookie, srcs, offset, len)
napi_value XorVal(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    c.readArray<engine::kMaxXorSources, 0>(4, "srcs", 1);
    size_t n = c.len(6);
    c.blocks("srcs", 5, n);
    return c.cookie(engine::OpCode::kXorVal, n);
  });
}

}  // namespace submit
}  // namespace addon
}  // namespace dmae
