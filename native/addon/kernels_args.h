// Argument guards specific to the kernel bindings: block lists ((Uint8Array|null)[] with a
// parallel offsets array) and byte ranges inside them, all checked before a byte is touched.
//
// Call order: read every JS value first (array elements may be getters that run JS and could
// detach a buffer validated earlier), then validate, then take pointers, then run the kernel.
// Nothing below runs JavaScript once the values are read.
//
// Threading: JS thread only.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "addon/args.h"

namespace dmae {
namespace addon {

// A Uint8Array (Buffer included), attached; an ArrayBuffer or any other value is a TypeError.
ByteRange u8Arg(const Napi::Value& v, const std::string& name);
// The valid path of u8Arg without a name: true and *out filled for a non-empty Uint8Array;
// false means "ask u8Arg", which throws or handles the empty/detached case.
bool u8Fast(const Napi::Value& v, ByteRange* out);
// The valid path of intFast without a name: true and *out filled for an integer in [min, max].
bool intInRange(const Napi::Value& v, int64_t min, int64_t max, int64_t* out);
// intArg with one N-API call on the valid path (the error path is intArg's).
int64_t intFast(const Napi::Value& v, const std::string& name, int64_t min, int64_t max);
// b[off, off+len) must lie inside b; RangeError names `lenName`, as rangeArg does.
uint8_t* fitArg(Napi::Env env, const ByteRange& b, const std::string& bufName, int64_t off,
                int64_t len, const std::string& lenName);

// A list of blocks and their offsets, each `len` bytes, validated:
//   `blocks` an Array of count in [minCount, maxCount] (RangeError on "<name>.length"),
//   each element a Uint8Array or null (null only where allowNull(i) says so),
//   `offs` an Array of the same length of integers, each block's range inside its buffer.
struct BlockList {
  std::vector<uint8_t*> ptrs;  // null where the JS element was null
};
template <class AllowNull>
BlockList blockListArg(Napi::Env env, const Napi::Value& blocks, const std::string& name,
                       const Napi::Value& offs, const std::string& offsName, int64_t len,
                       const std::string& lenName, int minCount, int maxCount, AllowNull allowNull);

// Reads the elements of an Array argument (TypeError if not an Array, RangeError on the length).
std::vector<Napi::Value> arrayArg(const Napi::Value& v, const std::string& name, int minCount,
                                  int maxCount);

// Registers the P+Q and recovery bindings (kernels_pq_binding.cc).
void InitKernelsPq(Napi::Env env, Napi::Object exports);
// Registers the block-list bindings that take the blocks as call arguments
// (kernels_spread_binding.cc).
void InitKernelsSpread(Napi::Env env, Napi::Object exports);

// ---- template definition ----
template <class AllowNull>
BlockList blockListArg(Napi::Env env, const Napi::Value& blocks, const std::string& name,
                       const Napi::Value& offs, const std::string& offsName, int64_t len,
                       const std::string& lenName, int minCount, int maxCount, AllowNull allowNull) {
  std::vector<Napi::Value> b = arrayArg(blocks, name, minCount, maxCount);
  std::vector<Napi::Value> o = arrayArg(offs, offsName, 0, maxCount);
  if (o.size() != b.size()) {
    throwRangeError(env, offsName + ".length",
                    "the length of \"" + name + "\" (" + std::to_string(b.size()) + ")",
                    Napi::Number::New(env, static_cast<double>(o.size())));
  }
  BlockList out;
  out.ptrs.resize(b.size());
  // Element names ("srcs[3]") are built only on the way to an error: on the valid path they
  // would cost more than the checks themselves.
  auto at = [](const std::string& base, size_t i) { return base + "[" + std::to_string(i) + "]"; };
  for (size_t i = 0; i < b.size(); i++) {
    if (b[i].IsNull()) {
      if (!allowNull(static_cast<int>(i))) throwTypeError(env, "a Uint8Array or Buffer", at(name, i), b[i]);
      intArg(o[i], at(offsName, i), 0, kMaxSafe);
      out.ptrs[i] = nullptr;
      continue;
    }
    ByteRange r;
    if (!u8Fast(b[i], &r)) r = u8Arg(b[i], at(name, i));
    int64_t off;
    if (!intInRange(o[i], 0, static_cast<int64_t>(r.length), &off)) {
      off = intFast(o[i], at(offsName, i), 0, static_cast<int64_t>(r.length));
    }
    if (static_cast<uint64_t>(len) <= r.length - static_cast<uint64_t>(off)) {
      out.ptrs[i] = r.data + off;
    } else {
      out.ptrs[i] = fitArg(env, r, at(name, i), off, len, lenName);
    }
  }
  return out;
}

}  // namespace addon
}  // namespace dmae
