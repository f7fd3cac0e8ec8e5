// The kernel bindings with the blocks passed as call arguments ("spread"): lib/kernels.ts calls
// these on its valid path, e.g. kernelXorV(len, zeroDst, count, offs, dst, ...srcs).
//
// Why: reading an Array element through Node-API (napi_get_element) costs a generic V8 property
// lookup, twice per block (the block and its offset), about 100-200 ns each on the measured
// machine (docs/kernels.md, "The boundary"). Call arguments arrive as handles
// (napi_get_cb_info), and the offsets come packed in one Float64Array read with one
// napi_get_typedarray_info. Nothing here runs JavaScript: the caller's getters ran while it
// evaluated the arguments, before this call began, so a buffer they detached arrives detached
// and is refused like any other.
//
// `offs` is a Float64Array of at least `count` entries (block i's offset at offs[i]); its
// values are copied once before they are checked, so a SharedArrayBuffer written by another
// thread meanwhile cannot change what was checked. `count` must equal the number of block
// arguments (a patched array iterator could make a spread yield another count).
//
// Errors are the array bindings' (same names: "srcs[2]", "srcOffs[2]", "blocks[9]"), and
// nothing is written when one is thrown.
//
// Threading: JS thread only.
#include <cstring>

#include "addon/kernels_args.h"
#include "kernels/kernels.h"

namespace dmae {
namespace addon {
namespace {

// What to call block i and its offset in an error message (built only on the way to one).
struct Names {
  const char* first = nullptr;     // block 0's own name ("dst"), or null when it is list[0]
  const char* firstOff = nullptr;  // its offset's name ("dstOff")
  const char* list;                // "srcs" / "blocks"
  const char* listOff;             // "srcOffs" / "offs"
  std::string block(int i) const {
    if (first) return i == 0 ? first : std::string(list) + "[" + std::to_string(i - 1) + "]";
    return std::string(list) + "[" + std::to_string(i) + "]";
  }
  std::string off(int i) const {
    if (first) return i == 0 ? firstOff : std::string(listOff) + "[" + std::to_string(i - 1) + "]";
    return std::string(listOff) + "[" + std::to_string(i) + "]";
  }
  // The block count as the caller sees it (dst is not in the list).
  int listCount(int n) const { return first ? n - 1 : n; }
};

// The pointers of a checked block list, on the stack.
struct Blocks {
  int n = 0;
  uint8_t* ptrs[kernels::kMaxBlocks + 1];
};

// The call's arguments, read into a stack array: node-addon-api's CallbackInfo allocates on
// the heap beyond 6 arguments, and with a malloc and a free per call that showed in profiles.
struct Args {
  static constexpr size_t kMax = kernels::kMaxBlocks + 8;
  napi_env env;
  size_t argc = kMax;
  napi_value argv[kMax];
  Args(napi_env e, napi_callback_info cbi) : env(e) {
    // napi_get_cb_info fills every unused slot with undefined: ask for a few first (an 8-source
    // xor or an 8+2 P+Q passes 13), and for all only when there are more. Beyond kMax the
    // count is still reported (argc) and refused by spreadBlocks.
    constexpr size_t kFew = 16;
    argc = kFew;
    if (napi_get_cb_info(e, cbi, &argc, argv, nullptr, nullptr) != napi_ok) argc = 0;
    if (argc > kFew) {
      argc = kMax;
      if (napi_get_cb_info(e, cbi, &argc, argv, nullptr, nullptr) != napi_ok) argc = 0;
    }
  }
  Napi::Env Env() const { return Napi::Env(env); }
  size_t Length() const { return argc; }
  Napi::Value operator[](size_t i) const {
    return i < argc && i < kMax ? Napi::Value(env, argv[i]) : Env().Undefined();
  }
};

// The blocks info[at + 1 ..], `count` of them (count in [minCount, maxCount] as the list
// counts them), with their offsets from the Float64Array info[at]; each block `len` bytes.
template <class AllowNull>
Blocks spreadBlocks(const Args& info, size_t at, int64_t count, const Names& names,
                       int64_t len, int minCount, int maxCount, AllowNull allowNull) {
  Napi::Env env = info.Env();
  const int extra = names.first ? 1 : 0;
  const int64_t n = count + extra;  // blocks including dst
  if (count < minCount || count > maxCount) {
    throwRangeError(env, std::string(names.list) + ".length",
                    "between " + std::to_string(minCount) + " and " + std::to_string(maxCount),
                    Napi::Number::New(env, static_cast<double>(count)));
  }
  if (info.Length() != at + 1 + static_cast<size_t>(n)) {
    throw Napi::RangeError::New(env, "Expected \"" + std::string(names.list) + "\" to hold " +
                                         std::to_string(count) + " entries but " +
                                         std::to_string(static_cast<int64_t>(info.Length()) - static_cast<int64_t>(at) - 1 - extra) +
                                         " were passed");
  }
  napi_typedarray_type type;
  size_t olen = 0;
  void* odata = nullptr;
  if (napi_get_typedarray_info(env, info[at], &type, &olen, &odata, nullptr, nullptr) != napi_ok ||
      type != napi_float64_array) {
    throwTypeError(env, "a Float64Array", "offs", info[at]);
  }
  if (olen < static_cast<size_t>(n)) {
    throwRangeError(env, "offs.length", "at least " + std::to_string(n),
                    Napi::Number::New(env, static_cast<double>(olen)));
  }
  double offs[kernels::kMaxBlocks + 1];
  std::memcpy(offs, odata, static_cast<size_t>(n) * sizeof(double));

  Blocks out;
  out.n = static_cast<int>(n);
  for (int i = 0; i < n; i++) {
    const Napi::Value b = info[at + 1 + i];
    const double od = offs[i];
    ByteRange r;
    // The buffer first: napi_typeof (behind IsNull) walks a chain of type tests.
    if (!u8Fast(b, &r)) {
      if (b.IsNull()) {
        if (!allowNull(i)) throwTypeError(env, "a Uint8Array or Buffer", names.block(i), b);
        intArg(Napi::Number::New(env, od), names.off(i), 0, kMaxSafe);
        out.ptrs[i] = nullptr;
        continue;
      }
      r = u8Arg(b, names.block(i));
    }
    if (!(od >= 0 && od <= static_cast<double>(r.length)) || od != static_cast<double>(static_cast<int64_t>(od))) {
      intArg(Napi::Number::New(env, od), names.off(i), 0, static_cast<int64_t>(r.length));  // throws
    }
    const int64_t off = static_cast<int64_t>(od);
    if (static_cast<uint64_t>(len) <= r.length - static_cast<uint64_t>(off)) {
      out.ptrs[i] = r.data + off;
    } else {
      out.ptrs[i] = fitArg(env, r, names.block(i), off, len, "len");
    }
  }
  return out;
}

const Names kXorNames{"dst", "dstOff", "srcs", "srcOffs"};
const Names kSrcNames{nullptr, nullptr, "srcs", "srcOffs"};
const Names kDiskNames{nullptr, nullptr, "blocks", "offs"};
constexpr int kMinGenDisks = 3;
constexpr int kMinDisks = 4;

const uint8_t* const* cptrs(const Blocks& b) { return const_cast<const uint8_t* const*>(b.ptrs); }

int64_t countArg(const Napi::Value& v) { return intFast(v, "count", 0, kernels::kMaxBlocks); }

void needPorQ(Napi::Env env, const Blocks& b) {
  const int disks = b.n;
  if (!b.ptrs[disks - 2] && !b.ptrs[disks - 1]) {
    throw Napi::TypeError::New(env, "Expected a Uint8Array or Buffer for \"blocks[" + std::to_string(disks - 2) +
                                        "]\" (P) or \"blocks[" + std::to_string(disks - 1) +
                                        "]\" (Q) but received null for both");
  }
}

// kernelXorV(len, zeroDst, count, offs, dst, ...srcs): offs[0] is dst's offset
Napi::Value KernelXorV(const Args& info) {
  const int64_t len = intFast(info[0], "len", 1, kMaxSafe);
  const bool zeroDst = boolArg(info[1], "zeroDst");
  Blocks b = spreadBlocks(info, 3, countArg(info[2]), kXorNames, len, 1, kernels::kMaxXorSources,
                             [](int i) { return i > 0; });
  kernels::xorGen(b.ptrs[0], cptrs(b) + 1, b.n - 1, static_cast<size_t>(len), zeroDst);
  return info.Env().Undefined();
}

// kernelXorIsZeroV(len, count, offs, ...srcs): boolean
Napi::Value KernelXorIsZeroV(const Args& info) {
  const int64_t len = intFast(info[0], "len", 1, kMaxSafe);
  Blocks b = spreadBlocks(info, 2, countArg(info[1]), kSrcNames, len, 1, kernels::kMaxXorSources,
                             [](int) { return true; });
  const bool zero = kernels::xorIsZero(cptrs(b), b.n, static_cast<size_t>(len));
  return Napi::Boolean::New(info.Env(), zero);
}

// kernelPqGenV(len, count, offs, ...blocks)
Napi::Value KernelPqGenV(const Args& info) {
  const int64_t len = intFast(info[0], "len", 1, kMaxSafe);
  Blocks b = spreadBlocks(info, 2, countArg(info[1]), kDiskNames, len, kMinGenDisks, kernels::kMaxDisks,
                             [](int) { return true; });
  needPorQ(info.Env(), b);
  kernels::pqGen(b.n, static_cast<size_t>(len), b.ptrs);
  return info.Env().Undefined();
}

// kernelPqGenXorV(len, start, stop, count, offs, ...blocks)
Napi::Value KernelPqGenXorV(const Args& info) {
  const int64_t len = intFast(info[0], "len", 1, kMaxSafe);
  const int64_t count = countArg(info[3]);
  Blocks b = spreadBlocks(info, 4, count, kDiskNames, len, kMinGenDisks, kernels::kMaxDisks,
                             [](int) { return true; });
  const int disks = b.n;
  const int64_t start = intFast(info[1], "start", 0, disks - 3);
  const int64_t stop = intFast(info[2], "stop", start, disks - 3);
  needPorQ(info.Env(), b);
  kernels::pqGenXor(disks, static_cast<int>(start), static_cast<int>(stop), static_cast<size_t>(len), b.ptrs);
  return info.Env().Undefined();
}

// kernelPqCheckV(len, count, offs, ...blocks): bit 0 P mismatch, bit 1 Q mismatch
Napi::Value KernelPqCheckV(const Args& info) {
  const int64_t len = intFast(info[0], "len", 1, kMaxSafe);
  Blocks b = spreadBlocks(info, 2, countArg(info[1]), kDiskNames, len, kMinDisks, kernels::kMaxDisks,
                             [](int) { return true; });
  needPorQ(info.Env(), b);
  const unsigned r = kernels::pqCheck(b.n, static_cast<size_t>(len), cptrs(b));
  return Napi::Number::New(info.Env(), r);
}

// kernel2DataRecovV(len, faila, failb, count, offs, ...blocks)
Napi::Value Kernel2DataRecovV(const Args& info) {
  const int64_t len = intFast(info[0], "len", 1, kMaxSafe);
  const int64_t disks = countArg(info[3]);
  if (disks < kMinDisks) {  // bounds faila/failb below; spreadBlocks words the same error
    spreadBlocks(info, 4, disks, kDiskNames, len, kMinDisks, kernels::kMaxDisks, [](int) { return true; });
  }
  const int64_t faila = intFast(info[1], "faila", 0, disks - 4);
  const int64_t failb = intFast(info[2], "failb", faila + 1, disks - 3);
  Blocks b = spreadBlocks(info, 4, disks, kDiskNames, len, kMinDisks, kernels::kMaxDisks,
                             [&](int i) { return i < disks - 2 && i != faila && i != failb; });
  kernels::raid6_2dataRecov(static_cast<int>(disks), static_cast<size_t>(len), static_cast<int>(faila),
                            static_cast<int>(failb), b.ptrs);
  return info.Env().Undefined();
}

// kernelDatapRecovV(len, faila, count, offs, ...blocks)
Napi::Value KernelDatapRecovV(const Args& info) {
  const int64_t len = intFast(info[0], "len", 1, kMaxSafe);
  const int64_t disks = countArg(info[2]);
  if (disks < kMinDisks) {
    spreadBlocks(info, 3, disks, kDiskNames, len, kMinDisks, kernels::kMaxDisks, [](int) { return true; });
  }
  const int64_t faila = intFast(info[1], "faila", 0, disks - 3);
  Blocks b = spreadBlocks(info, 3, disks, kDiskNames, len, kMinDisks, kernels::kMaxDisks,
                             [&](int i) { return i < disks - 2 && i != faila; });
  kernels::raid6_datapRecov(static_cast<int>(disks), static_cast<size_t>(len), static_cast<int>(faila), b.ptrs);
  return info.Env().Undefined();
}

// A raw Node-API callback around `F` (no CallbackInfo): the argument guards throw
// Napi::Error, turned into the pending JavaScript exception here.
template <Napi::Value (*F)(const Args&)>
napi_value raw(napi_env env, napi_callback_info cbi) {
  try {
    Args info(env, cbi);
    return F(info);
  } catch (const Napi::Error& e) {
    e.ThrowAsJavaScriptException();
    return nullptr;
  }
}

template <Napi::Value (*F)(const Args&)>
void define(Napi::Env env, Napi::Object exports, const char* name) {
  napi_value fn;
  NAPI_THROW_IF_FAILED_VOID(env, napi_create_function(env, name, NAPI_AUTO_LENGTH, raw<F>, nullptr, &fn));
  exports.Set(name, Napi::Value(env, fn));
}

}  // namespace

void InitKernelsSpread(Napi::Env env, Napi::Object exports) {
  define<KernelXorV>(env, exports, "kernelXorV");
  define<KernelXorIsZeroV>(env, exports, "kernelXorIsZeroV");
  define<KernelPqGenV>(env, exports, "kernelPqGenV");
  define<KernelPqGenXorV>(env, exports, "kernelPqGenXorV");
  define<KernelPqCheckV>(env, exports, "kernelPqCheckV");
  define<Kernel2DataRecovV>(env, exports, "kernel2DataRecovV");
  define<KernelDatapRecovV>(env, exports, "kernelDatapRecovV");
}

}  // namespace addon
}  // namespace dmae
