// What both completion deliveries (the soft engine's and the kernel bridge's) do after calling
// their JavaScript batch handler: drop the wrapper's self reference, then surface a handler
// that threw as an uncaught exception.
//
// Threading: the JavaScript thread only.
#pragma once

#include <napi.h>

namespace dmae {
namespace addon {

// `release`: the wrapper took a self reference for the delivery (Ref) and gives it back now,
// after the call, since `wrap` must outlive it. `st`: the handler call's status; a pending
// exception becomes uncaught, as an event listener's would.
template <class Wrap>
inline void finishHandlerCall(Napi::Env env, Wrap* wrap, bool release, napi_status st) {
  if (release) {
    try {
      wrap->Unref();
    } catch (const Napi::Error&) {
    }
  }
  if (st == napi_pending_exception) {
    napi_value err;
    napi_get_and_clear_last_exception(env, &err);
    napi_fatal_exception(env, err);
  }
}

}  // namespace addon
}  // namespace dmae
