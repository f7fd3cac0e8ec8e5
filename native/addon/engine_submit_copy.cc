// SoftEngineHandle's memcpy, memset and interrupt: the submit methods without block lists
// (argument reading and its order: engine_call.h).
#include "addon/engine_call.h"

namespace dmae {
namespace addon {
namespace submit {

// memcpy(channel, flags, waitChannel, waitCookie, dst, dstOffset, src, srcOffset, len)
napi_value Memcpy(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    size_t n = c.len(8);
    c.spec->dst = c.range(4, "dst", 5, "dstOffset", n);
    c.spec->src = c.range(6, "src", 7, "srcOffset", n);
    return c.cookie(engine::OpCode::kMemcpy, n);
  });
}

// memset(channel, flags, waitChannel, waitCookie, dst, dstOffset, value, len)
napi_value Memset(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    size_t n = c.len(7);
    c.spec->dst = c.range(4, "dst", 5, "dstOffset", n);
    c.spec->value = static_cast<uint8_t>(fastInt(c.env, c.argv[6], "value", 0, UINT8_MAX));
    return c.cookie(engine::OpCode::kMemset, n);
  });
}

// interrupt(channel, flags, waitChannel, waitCookie)
napi_value Interrupt(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    return c.cookie(engine::OpCode::kInterrupt, 0);
  });
}

}  // namespace submit
}  // namespace addon
}  // namespace dmae
