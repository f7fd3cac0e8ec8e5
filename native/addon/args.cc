#include "addon/args.h"

#include <cmath>

namespace dmae {
namespace addon {

std::string typeName(const Napi::Value& v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "boolean";
    case napi_number: return "number";
    case napi_string: return "string";
    case napi_symbol: return "symbol";
    case napi_function: return "function";
    case napi_bigint: return "bigint";
    default: break;
  }
  if (v.IsTypedArray()) {
    switch (v.As<Napi::TypedArray>().TypedArrayType()) {
      case napi_uint8_array: return v.IsBuffer() ? "Buffer" : "Uint8Array";
      default: return "TypedArray";
    }
  }
  if (v.IsArrayBuffer()) return "ArrayBuffer";
  if (v.IsArray()) return "Array";
  return "object";
}

std::string describeValue(const Napi::Value& v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return v.As<Napi::Boolean>().Value() ? "true" : "false";
    case napi_number: return v.ToString().Utf8Value();
    case napi_string: return "\"" + v.As<Napi::String>().Utf8Value() + "\"";
    case napi_bigint: return v.ToString().Utf8Value() + "n";
    case napi_function: return "[function]";
    case napi_symbol: return "[symbol]";
    default: return "[" + typeName(v) + "]";
  }
}

void throwTypeError(Napi::Env env, const std::string& what, const std::string& name,
                    const Napi::Value& got) {
  throw Napi::TypeError::New(env, "Expected " + what + " for \"" + name + "\" but received " +
                                      describeValue(got) + " of type " + typeName(got));
}

void throwRangeError(Napi::Env env, const std::string& name, const std::string& what,
                     const Napi::Value& got) {
  throw Napi::RangeError::New(env, "Expected \"" + name + "\" to be " + what + " but received " +
                                       describeValue(got));
}

ByteRange bytesArg(const Napi::Value& v, const std::string& name) {
  Napi::Env env = v.Env();
  if (v.IsTypedArray()) {
    auto ta = v.As<Napi::TypedArray>();
    if (ta.TypedArrayType() != napi_uint8_array) {
      throwTypeError(env, "a Uint8Array or Buffer", name, v);
    }
    auto u8 = v.As<Napi::Uint8Array>();
    if (u8.ArrayBuffer().IsDetached()) {
      throwTypeError(env, "an attached Uint8Array (its ArrayBuffer is detached)", name, v);
    }
    return ByteRange{u8.Data(), u8.ByteLength()};
  }
  if (v.IsArrayBuffer()) {
    auto ab = v.As<Napi::ArrayBuffer>();
    if (ab.IsDetached()) throwTypeError(env, "an attached ArrayBuffer", name, v);
    return ByteRange{static_cast<uint8_t*>(ab.Data()), ab.ByteLength()};
  }
  throwTypeError(env, "a Uint8Array or Buffer", name, v);
}

int64_t intArg(const Napi::Value& v, const std::string& name, int64_t min, int64_t max) {
  Napi::Env env = v.Env();
  if (!v.IsNumber()) throwTypeError(env, "an integer", name, v);
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d) throwTypeError(env, "an integer", name, v);
  if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
    throwRangeError(env, name,
                    "an integer between " + std::to_string(min) + " and " + std::to_string(max), v);
  }
  return static_cast<int64_t>(d);
}

bool boolArg(const Napi::Value& v, const std::string& name) {
  if (!v.IsBoolean()) throwTypeError(v.Env(), "a boolean", name, v);
  return v.As<Napi::Boolean>().Value();
}

ByteRange rangeArg(const Napi::Value& buf, const std::string& bufName, const Napi::Value& off,
                   const std::string& offName, size_t len, const std::string& lenName) {
  ByteRange b = bytesArg(buf, bufName);
  int64_t o = intArg(off, offName, 0, static_cast<int64_t>(b.length));
  if (len > b.length - static_cast<size_t>(o)) {
    throw Napi::RangeError::New(
        buf.Env(), "Expected \"" + lenName + "\" to fit in \"" + bufName + "\": offset " +
                       std::to_string(o) + " + length " + std::to_string(len) +
                       " exceeds its " + std::to_string(b.length) + " bytes");
  }
  return ByteRange{b.data + o, len};
}

}  // namespace addon
}  // namespace dmae
