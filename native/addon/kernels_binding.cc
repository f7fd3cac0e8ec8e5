// Kernel selection and CPU features, for `dmaengine info`.
#include "addon/bindings.h"
#include "kernels/kernels.h"

namespace dmae {
namespace addon {

namespace {
Napi::Value KernelSelection(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto sel = kernels::kernelSelection();
  Napi::Array out = Napi::Array::New(env, sel.size());
  for (size_t i = 0; i < sel.size(); i++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("op", sel[i].op);
    o.Set("chosen", sel[i].chosen);
    o.Set("overridden", sel[i].overridden);
    Napi::Array vs = Napi::Array::New(env, sel[i].variants.size());
    for (size_t j = 0; j < sel[i].variants.size(); j++) {
      Napi::Object v = Napi::Object::New(env);
      v.Set("name", sel[i].variants[j].name);
      v.Set("mbPerSec", sel[i].variants[j].mbPerSec);
      v.Set("supported", sel[i].variants[j].supported);
      vs.Set(j, v);
    }
    o.Set("variants", vs);
    out.Set(i, o);
  }
  return out;
}

Napi::Value CpuFeatures(const Napi::CallbackInfo& info) {
  auto f = kernels::cpuFeatures();
  Napi::Array out = Napi::Array::New(info.Env(), f.size());
  for (size_t i = 0; i < f.size(); i++) out.Set(i, f[i]);
  return out;
}
}  // namespace

void InitKernels(Napi::Env env, Napi::Object exports) {
  exports.Set("kernelSelection", Napi::Function::New(env, KernelSelection, "kernelSelection"));
  exports.Set("cpuFeatures", Napi::Function::New(env, CpuFeatures, "cpuFeatures"));
}

}  // namespace addon
}  // namespace dmae
