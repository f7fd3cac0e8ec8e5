// Pins: shared ownership of the memory behind a JavaScript buffer, so that bytes a worker
// thread reads or writes stay valid whatever JavaScript does with the buffer meanwhile.
//
// Why not a napi_ref: a reference keeps the ArrayBuffer *object* alive, not its memory. A
// transfer (postMessage / structuredClone with `transfer`, ArrayBuffer.prototype.transfer)
// detaches the object and hands the memory to another one, which can be collected and free
// it while a descriptor is still in flight. V8 keeps an ArrayBuffer's memory in a
// reference-counted BackingStore; holding a count (what Node core does for its own in-flight
// I/O) keeps the memory valid until the pin is dropped, wherever the buffer went. N-API has no
// call for it, so backing_pin.cc uses V8's API directly: the one file of the addon that does.
//
// Threading: pinBacking on the JavaScript thread (it reads a JS value); a Pin may be copied
// and dropped on any thread (V8 backing stores are freed thread-safely).
#pragma once

#include <node_api.h>

#include <memory>

namespace dmae {
namespace addon {

// Owns one count of a backing store; empty when nothing is pinned.
using Pin = std::shared_ptr<void>;

// The backing store of `v`, a typed array, DataView, ArrayBuffer or SharedArrayBuffer that
// the caller has already checked (attached). Empty for anything else. Runs no JavaScript.
// *shrinkable is set when JavaScript can shrink the memory under the pin (a resizable,
// non-shared ArrayBuffer: resize() decommits the pages, pin or not), which a caller that
// hands the memory to another thread must refuse.
Pin pinBacking(napi_value v, bool* shrinkable);

}  // namespace addon
}  // namespace dmae
