// Facts about the machine the core's policy needs: the calling CPU (dma_find_channel answers
// per CPU), the number of CPUs and their NUMA nodes.
#include <sched.h>
#include <unistd.h>

#include "addon/bindings.h"

namespace dmae {
namespace addon {

namespace {
Napi::Value SchedGetcpu(const Napi::CallbackInfo& info) {
  int cpu = sched_getcpu();
  return Napi::Number::New(info.Env(), cpu < 0 ? 0 : cpu);
}
}  // namespace

void InitSystem(Napi::Env env, Napi::Object exports) {
  exports.Set("schedGetcpu", Napi::Function::New(env, SchedGetcpu, "schedGetcpu"));
}

}  // namespace addon
}  // namespace dmae
