// Argument guards for the N-API boundary. Every native entry point checks its arguments with
// these before touching a byte, and throws the same messages lib/validate.ts produces:
//   TypeError:  Expected <what> for "<name>" but received <value> of type <type>
//   RangeError: Expected "<name>" to be <what> but received <value>
// A checked range (ByteRange) can only be made from a live, attached buffer whose bounds
// contain it, so code below this layer never needs to re-check.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace dmae {
namespace addon {

// The largest length or offset a guard accepts where no narrower limit applies:
// Number.MAX_SAFE_INTEGER.
constexpr int64_t kMaxSafe = 9007199254740991LL;

struct ByteRange {
  uint8_t* data = nullptr;
  size_t length = 0;
};

// Describes a JS value for an error message: 5, "abc", null, undefined, [object Foo].
std::string describeValue(const Napi::Value& v);
std::string typeName(const Napi::Value& v);

[[noreturn]] void throwTypeError(Napi::Env env, const std::string& what, const std::string& name,
                                 const Napi::Value& got);
[[noreturn]] void throwRangeError(Napi::Env env, const std::string& name, const std::string& what,
                                  const Napi::Value& got);

// A Uint8Array (Buffer included) or ArrayBuffer, not detached.
ByteRange bytesArg(const Napi::Value& v, const std::string& name);
// An integer in [min, max] (safe-integer range); TypeError if not a number, RangeError if out.
int64_t intArg(const Napi::Value& v, const std::string& name, int64_t min, int64_t max);
bool boolArg(const Napi::Value& v, const std::string& name);
// bytes[offset, offset+len) of a buffer argument, checked: RangeError names `offName` when the
// offset is outside and `lenName` when the length runs past the end.
ByteRange rangeArg(const Napi::Value& buf, const std::string& bufName, const Napi::Value& off,
                   const std::string& offName, size_t len, const std::string& lenName);

}  // namespace addon
}  // namespace dmae
