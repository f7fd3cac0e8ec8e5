// Synchronous bindings of the compute kernels (the async_tx software path calls these), plus
// kernel selection and CPU features for `dmaengine info`. Every entry point validates every
// argument (kernels_args.h) before it reads or writes a byte.
#include <cstring>

#include "addon/bindings.h"
#include "addon/kernels_args.h"
#include "kernels/kernels.h"

namespace dmae {
namespace addon {

// One napi_get_typedarray_info (it fails on anything but a typed array) instead of
// node-addon-api's several calls: this sits on the
// path of every 4 KiB copy, where each N-API call is a measurable share of the total.
ByteRange u8Arg(const Napi::Value& v, const std::string& name) {
  napi_env e = v.Env();
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  // No ArrayBuffer handle asked for on the valid path: making one costs more than the rest.
  if (napi_get_typedarray_info(e, v, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    throwTypeError(v.Env(), "a Uint8Array or Buffer", name, v);
  }
  if (length == 0) {  // a detached buffer reads as empty: tell the two apart
    napi_value ab;
    bool detached = false;
    napi_get_typedarray_info(e, v, &type, &length, &data, &ab, nullptr);
    napi_is_detached_arraybuffer(e, ab, &detached);
    if (detached) throwTypeError(v.Env(), "an attached Uint8Array (its ArrayBuffer is detached)", name, v);
  }
  return ByteRange{static_cast<uint8_t*>(data), length};
}

bool u8Fast(const Napi::Value& v, ByteRange* out) {
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(v.Env(), v, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array || length == 0) {
    return false;
  }
  *out = ByteRange{static_cast<uint8_t*>(data), length};
  return true;
}

bool intInRange(const Napi::Value& v, int64_t min, int64_t max, int64_t* out) {
  double d;
  if (napi_get_value_double(v.Env(), v, &d) != napi_ok) return false;
  if (!(d >= static_cast<double>(min) && d <= static_cast<double>(max))) return false;
  if (d != static_cast<double>(static_cast<int64_t>(d))) return false;
  *out = static_cast<int64_t>(d);
  return true;
}

int64_t intFast(const Napi::Value& v, const std::string& name, int64_t min, int64_t max) {
  double d;
  if (napi_get_value_double(v.Env(), v, &d) != napi_ok) return intArg(v, name, min, max);
  if (d >= static_cast<double>(min) && d <= static_cast<double>(max) && d == static_cast<double>(static_cast<int64_t>(d))) {
    return static_cast<int64_t>(d);
  }
  return intArg(v, name, min, max);  // the slow path words the error
}

uint8_t* fitArg(Napi::Env env, const ByteRange& b, const std::string& bufName, int64_t off,
                int64_t len, const std::string& lenName) {
  // off is re-checked: b may have been re-read after a getter shrank its buffer.
  if (static_cast<uint64_t>(off) > b.length ||
      static_cast<uint64_t>(len) > b.length - static_cast<uint64_t>(off)) {
    throw Napi::RangeError::New(env, "Expected \"" + lenName + "\" to fit in \"" + bufName +
                                         "\": offset " + std::to_string(off) + " + length " +
                                         std::to_string(len) + " exceeds its " +
                                         std::to_string(b.length) + " bytes");
  }
  return b.data + off;
}

std::vector<Napi::Value> arrayArg(const Napi::Value& v, const std::string& name, int minCount,
                                  int maxCount) {
  if (!v.IsArray()) throwTypeError(v.Env(), "an Array", name, v);
  Napi::Array a = v.As<Napi::Array>();
  const uint32_t n = a.Length();
  if (n < static_cast<uint32_t>(minCount) || n > static_cast<uint32_t>(maxCount)) {
    throwRangeError(v.Env(), name + ".length",
                    "between " + std::to_string(minCount) + " and " + std::to_string(maxCount),
                    Napi::Number::New(v.Env(), n));
  }
  std::vector<Napi::Value> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; i++) out.push_back(a.Get(i));
  return out;
}

namespace {

bool overlaps(const uint8_t* a, const uint8_t* b, size_t len) { return a < b + len && b < a + len; }

// kernelCopy(dst, dstOff, src, srcOff, len)
Napi::Value KernelCopy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const ByteRange dst = u8Arg(info[0], "dst");
  const int64_t doff = intFast(info[1], "dstOff", 0, static_cast<int64_t>(dst.length));
  const ByteRange src = u8Arg(info[2], "src");
  const int64_t soff = intFast(info[3], "srcOff", 0, static_cast<int64_t>(src.length));
  const int64_t len = intFast(info[4], "len", 1, kMaxSafe);
  uint8_t* d = fitArg(env, dst, "dst", doff, len, "len");
  const uint8_t* s = fitArg(env, src, "src", soff, len, "len");
  // Two views of one ArrayBuffer may overlap: memmove keeps that well defined.
  if (overlaps(d, s, static_cast<size_t>(len))) {
    std::memmove(d, s, static_cast<size_t>(len));
  } else {
    kernels::copy(d, s, static_cast<size_t>(len));
  }
  return env.Undefined();
}

// kernelFill(dst, off, value, len)
Napi::Value KernelFill(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const ByteRange dst = u8Arg(info[0], "dst");
  const int64_t off = intFast(info[1], "off", 0, static_cast<int64_t>(dst.length));
  const int64_t value = intFast(info[2], "value", 0, 255);
  const int64_t len = intFast(info[3], "len", 1, kMaxSafe);
  uint8_t* d = fitArg(env, dst, "dst", off, len, "len");
  kernels::fill(d, static_cast<uint8_t>(value), static_cast<size_t>(len));
  return env.Undefined();
}

auto anyNull = [](int) { return true; };

// kernelXor(dst, dstOff, srcs, srcOffs, len, zeroDst)
Napi::Value KernelXor(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t doff = intFast(info[1], "dstOff", 0, static_cast<int64_t>(u8Arg(info[0], "dst").length));
  // len is needed to check every source's range; it is the 5th argument.
  const int64_t len = intFast(info[4], "len", 1, kMaxSafe);
  // The sources' getters run here and may detach dst: its pointer is taken after them.
  BlockList srcs = blockListArg(env, info[2], "srcs", info[3], "srcOffs", len, "len", 1,
                                kernels::kMaxXorSources, anyNull);
  const bool zeroDst = boolArg(info[5], "zeroDst");
  const ByteRange dst = u8Arg(info[0], "dst");
  uint8_t* d = fitArg(env, dst, "dst", doff, len, "len");
  kernels::xorGen(d, const_cast<const uint8_t* const*>(srcs.ptrs.data()),
                  static_cast<int>(srcs.ptrs.size()), static_cast<size_t>(len), zeroDst);
  return env.Undefined();
}

// kernelXorIsZero(srcs, srcOffs, len): boolean
Napi::Value KernelXorIsZero(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t len = intFast(info[2], "len", 1, kMaxSafe);
  BlockList srcs = blockListArg(env, info[0], "srcs", info[1], "srcOffs", len, "len", 1,
                                kernels::kMaxXorSources, anyNull);
  const bool zero = kernels::xorIsZero(const_cast<const uint8_t* const*>(srcs.ptrs.data()),
                                       static_cast<int>(srcs.ptrs.size()), static_cast<size_t>(len));
  return Napi::Boolean::New(env, zero);
}

Napi::Value KernelSelection(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto sel = kernels::kernelSelection();
  Napi::Array out = Napi::Array::New(env, sel.size());
  for (size_t i = 0; i < sel.size(); i++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("op", sel[i].op);
    o.Set("chosen", sel[i].chosen);
    o.Set("overridden", sel[i].overridden);
    o.Set("measureMs", sel[i].measureMs);
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
  exports.Set("kernelCopy", Napi::Function::New(env, KernelCopy, "kernelCopy"));
  exports.Set("kernelFill", Napi::Function::New(env, KernelFill, "kernelFill"));
  exports.Set("kernelXor", Napi::Function::New(env, KernelXor, "kernelXor"));
  exports.Set("kernelXorIsZero", Napi::Function::New(env, KernelXorIsZero, "kernelXorIsZero"));
  InitKernelsPq(env, exports);
  InitKernelsSpread(env, exports);
}

}  // namespace addon
}  // namespace dmae
