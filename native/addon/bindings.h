// The N-API boundary is split by layer; module.cc calls each layer's Init in turn.
#pragma once

#include <napi.h>

namespace dmae {
namespace addon {

void InitKernels(Napi::Env env, Napi::Object exports);  // kernels_binding.cc
void InitEngine(Napi::Env env, Napi::Object exports);   // engine_binding.cc
void InitDmabuf(Napi::Env env, Napi::Object exports);   // dmabuf_binding.cc
void InitSystem(Napi::Env env, Napi::Object exports);   // system_binding.cc
void InitAbi(Napi::Env env, Napi::Object exports);      // abi_binding.cc: `constants`
void InitBridge(Napi::Env env, Napi::Object exports);   // bridge_binding.cc

}  // namespace addon
}  // namespace dmae
