// The addon's only use of V8's own API (why: backing_pin.h). Everything else is Node-API.
//
// A napi_value is, in every Node release that has Node-API, the address of a V8 handle slot:
// the same bits as a v8::Local<v8::Value> (Node converts between the two with a memcpy, in
// v8impl::V8LocalValueFromJsValue). The build must use the headers of the Node it runs on
// (binding.gyp: node-gyp's; CMakeLists.txt: the running node's own include/node).
#include "addon/backing_pin.h"

#include <v8.h>

#include <cstring>

namespace dmae {
namespace addon {

namespace {
v8::Local<v8::Value> toLocal(napi_value v) {
  v8::Local<v8::Value> local;
  static_assert(sizeof(local) == sizeof(v), "napi_value and v8::Local<v8::Value> differ in size");
  std::memcpy(static_cast<void*>(&local), &v, sizeof(v));
  return local;
}
}  // namespace

Pin pinBacking(napi_value v, bool* shrinkable) {
  v8::Local<v8::Value> local = toLocal(v);
  std::shared_ptr<v8::BackingStore> store;
  if (local->IsArrayBufferView()) {
    store = local.As<v8::ArrayBufferView>()->Buffer()->GetBackingStore();
  } else if (local->IsArrayBuffer()) {
    store = local.As<v8::ArrayBuffer>()->GetBackingStore();
  } else if (local->IsSharedArrayBuffer()) {
    store = local.As<v8::SharedArrayBuffer>()->GetBackingStore();
  }
  *shrinkable = store && store->IsResizableByUserJavaScript() && !store->IsShared();
  if (!store) return Pin();
  v8::BackingStore* raw = store.get();
  return Pin(std::move(store), raw);  // aliasing: owns the store's count, hides its type
}

}  // namespace addon
}  // namespace dmae
