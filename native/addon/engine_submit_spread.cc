// SoftEngineHandle's submit methods with the blocks passed as call arguments ("spread"), each
// with its own offset, packed in one Float64Array: the soft provider's path
// (SoftEngine#xorBlocks and friends, lib/engine/soft-engine-blocks.ts).
//
//   xorV(channel, flags, waitChannel, waitCookie, len, count, offs, dst, ...srcs)
//   xorValV(channel, flags, waitChannel, waitCookie, len, count, offs, ...srcs)
//   pqCoefV(channel, flags, waitChannel, waitCookie, len, coefs, count, offs, ...srcs, p|null, q|null)
//   pqCoefValV(…the same as pqCoefV)
//
// `count` is the number of buffer arguments after `offs`; buffer i (0-based, in argument
// order) starts at offs[i]. Names in errors: "blocks[i]" and "offs[i]".
//
// Why (docs/engine.md, "Why one channel is short of the inline path at 64 KiB"): the Array
// methods read each block with napi_get_element (V8's generic property lookup), and the caller
// had to make one subarray per block to give each its own offset. Call arguments arrive as
// handles from napi_get_cb_info and every offset comes with one napi_get_typedarray_info. As in
// kernels_spread_binding.cc: nothing here runs JavaScript (the getters of the caller's array
// ran while it evaluated the spread, before this call), the offsets are copied once before they
// are checked (another thread writing a shared Float64Array cannot change what was checked),
// and `count` must equal the number of buffer arguments passed (a patched array iterator could
// make a spread yield another count). Every check passes before anything is pinned or queued.
//
// Threading: JS thread only.
#include <cstring>

#include "addon/engine_call.h"

namespace dmae {
namespace addon {
namespace submit {

namespace {

// The buffers argv[at+1 .. at+count] (count read from argv[countArg], in [minCount, maxCount]),
// each `n` bytes at its offset in the Float64Array argv[at], into spec->ptrs; null where
// allowNull(i, count) says it may be. Each buffer is recorded for pinning (Call::keep).
template <class AllowNull>
void spreadBlocks(EngineWrap::Call& c, int countArg, size_t at, int minCount, int maxCount, size_t n,
                  AllowNull allowNull) {
  napi_env env = c.env;
  const int count = static_cast<int>(fastInt(env, c.argv[countArg], "blocks.length", minCount, maxCount));
  if (c.argc != at + 1 + static_cast<size_t>(count)) {
    const int64_t passed = static_cast<int64_t>(c.argc) - static_cast<int64_t>(at) - 1;
    throw Napi::RangeError::New(env, "Expected \"blocks\" to hold " + std::to_string(count) +
                                         " entries but " + std::to_string(passed < 0 ? 0 : passed) +
                                         " were passed");
  }
  napi_typedarray_type type;
  size_t olen = 0;
  void* odata = nullptr;
  if (napi_get_typedarray_info(env, c.argv[at], &type, &olen, &odata, nullptr, nullptr) != napi_ok ||
      type != napi_float64_array) {
    throwTypeError(env, "a Float64Array", "offs", Napi::Value(env, c.argv[at]));
  }
  if (olen < static_cast<size_t>(count)) {
    throwRangeError(env, "offs.length", "at least " + std::to_string(count),
                    Napi::Number::New(env, static_cast<double>(olen)));
  }
  double offs[EngineWrap::Call::kMaxSpreadArgs];
  if (count > 0) std::memcpy(offs, odata, static_cast<size_t>(count) * sizeof(double));

  for (int i = 0; i < count; i++) {
    napi_value v = c.argv[at + 1 + i];
    const double od = offs[i];
    void* data = nullptr;
    size_t length = 0;
    // The buffer first: napi_typeof (the null test) walks a chain of type tests.
    if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) == napi_ok &&
        type == napi_uint8_array && data != nullptr && od >= 0 &&
        od <= static_cast<double>(length) && od == std::floor(od) &&
        n <= length - static_cast<size_t>(od)) {
      c.spec->ptrs.push_back(static_cast<uint8_t*>(data) + static_cast<size_t>(od));
      c.keep(v, data, "blocks", i);
      continue;
    }
    napi_valuetype t;
    napi_typeof(env, v, &t);
    if (t == napi_null && allowNull(i, count)) {
      intArg(Napi::Number::New(env, od), indexed("offs", i), 0, kMaxSafe);
      c.spec->ptrs.push_back(nullptr);
      continue;
    }
    if (t == napi_null) throwTypeError(env, "a Uint8Array or Buffer", indexed("blocks", i), Napi::Value(env, v));
    // Anything else: the standard checks word the error (or accept what they accept, as the
    // Array methods do); not cacheable.
    uint8_t* p = rangeArg(Napi::Value(env, v), indexed("blocks", i), Napi::Number::New(env, od),
                          indexed("offs", i), n, "len")
                     .data;
    c.spec->ptrs.push_back(p);
    c.keep(v, nullptr, "blocks", i);
  }
  c.nelems = static_cast<uint32_t>(count);
}

// pqCoefV/pqCoefValV: (…, len, coefs, count, offs, ...srcs, p|null, q|null) from argv[4..].
size_t pqCoefSpread(EngineWrap::Call& c) {
  size_t n = c.len(4);
  napi_value coefs = c.argv[5];
  ByteRange k = bytesArg(Napi::Value(c.env, coefs), "coefs");
  // P and Q (the last two) may be null, the sources may not
  spreadBlocks(c, 6, 7, 3, engine::kMaxPqSources + 2, n, [](int i, int count) { return i >= count - 2; });
  const size_t total = c.spec->ptrs.size();
  const size_t nsrc = total - 2;
  if (!c.spec->ptrs[nsrc] && !c.spec->ptrs[nsrc + 1]) {
    throwRangeError(c.env, "blocks", "a buffer for P or Q (the last two)",
                    Napi::Value(c.env, c.argv[8 + nsrc + 1]));
  }
  if (k.length < nsrc) {
    throwRangeError(c.env, "coefs", "at least as long as the sources (" + std::to_string(nsrc) + ")",
                    Napi::Value(c.env, coefs));
  }
  c.spec->coefs.assign(k.data, k.data + nsrc);
  return n;
}

}  // namespace

napi_value XorV(napi_env env, napi_callback_info cbi) {
  return guarded(
      env, cbi,
      [](EngineWrap::Call& c) {
        c.common(engine::kFence | engine::kZeroDst);
        size_t n = c.len(4);
        spreadBlocks(c, 5, 6, 2, engine::kMaxXorSources + 1, n, [](int i, int) { return i > 0; });
        c.spec->dst = c.spec->ptrs[0];
        c.spec->ptrs.erase(c.spec->ptrs.begin());
        return c.cookie(engine::OpCode::kXor, n);
      },
      true);
}

napi_value XorValV(napi_env env, napi_callback_info cbi) {
  return guarded(
      env, cbi,
      [](EngineWrap::Call& c) {
        c.common(engine::kFence);
        size_t n = c.len(4);
        spreadBlocks(c, 5, 6, 1, engine::kMaxXorSources, n, [](int, int) { return true; });
        return c.cookie(engine::OpCode::kXorVal, n);
      },
      true);
}

napi_value PqCoefV(napi_env env, napi_callback_info cbi) {
  return guarded(
      env, cbi,
      [](EngineWrap::Call& c) {
        c.common(engine::kFence | engine::kAccumulate);
        size_t n = pqCoefSpread(c);
        return c.cookie(engine::OpCode::kPqCoef, n);
      },
      true);
}

napi_value PqCoefValV(napi_env env, napi_callback_info cbi) {
  return guarded(
      env, cbi,
      [](EngineWrap::Call& c) {
        c.common(engine::kFence);
        size_t n = pqCoefSpread(c);
        return c.cookie(engine::OpCode::kPqCoefVal, n);
      },
      true);
}

}  // namespace submit
}  // namespace addon
}  // namespace dmae
