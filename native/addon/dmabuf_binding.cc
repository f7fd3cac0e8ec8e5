// Placeholder until the dmabuf layer lands: registers nothing.
#include "addon/bindings.h"

namespace dmae {
namespace addon {

void InitDmabuf(Napi::Env, Napi::Object) {}

}  // namespace addon
}  // namespace dmae
