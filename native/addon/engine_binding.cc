// Placeholder until the engine layer lands: registers nothing.
#include "addon/bindings.h"

namespace dmae {
namespace addon {

void InitEngine(Napi::Env, Napi::Object) {}

}  // namespace addon
}  // namespace dmae
