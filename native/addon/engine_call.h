// One submit call's argument reading, shared by the submit methods of every operation family
// (engine_submit_copy.cc, engine_submit_xor.cc, engine_submit_pq.cc; the queueing and the
// doorbell are in engine_submit.cc).
//
// Order: every JavaScript value is read first (an Array element may be a getter, and a
// getter may detach or transfer any buffer of the call, one already checked included), then
// everything is checked and the pointers are taken, then the buffers are pinned and the
// descriptor queued; nothing in the last two steps runs JavaScript. A family's method calls,
// in this order: common(), readArray() (the only reads that may run JavaScript), len(), then
// range()/blocks() and its own checks, then cookie(). Nothing is queued or referenced until
// every check has passed, so a throwing call leaves the engine as it was.
//
// Speed: the methods are raw napi callbacks (no CallbackInfo, no per-call heap), and each check
// has a fast path of one or two napi calls; only a failing check goes through args.h, which
// builds the message (same wording as everywhere else) and throws.
//
// Common leading arguments: (channel, flags, waitChannel, waitCookie); waitChannel -1 means
// no wait. Flags: engine/abi.h's DescFlags.
//
// Threading: JS thread only.
#pragma once

#include <cmath>
#include <string>

#include "addon/args.h"
#include "addon/engine_wrap.h"

namespace dmae {
namespace addon {
namespace submit {

inline std::string indexed(const char* name, int i) {
  return i < 0 ? std::string(name) : std::string(name) + "[" + std::to_string(i) + "]";
}

// An integer in [min, max]; the slow path (args.h) throws the standard message.
inline int64_t fastInt(napi_env env, napi_value v, const char* name, int64_t min, int64_t max) {
  double d;
  if (napi_get_value_double(env, v, &d) == napi_ok && d >= static_cast<double>(min) &&
      d <= static_cast<double>(max) && d == std::floor(d)) {
    return static_cast<int64_t>(d);
  }
  return intArg(Napi::Value(env, v), name, min, max);
}

// bytes [off, off+len) of a Uint8Array argument. A detached array reports length 0 and so
// always takes the slow path, which names it as detached.
// `*base` receives the view's first byte (the key of the reference cache), or nullptr.
inline uint8_t* fastRange(napi_env env, napi_value buf, const char* bufName, int index,
                          napi_value off, const char* offName, size_t len, const void** base) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  if (napi_get_typedarray_info(env, buf, &type, &length, &data, nullptr, nullptr) == napi_ok &&
      type == napi_uint8_array && data != nullptr) {
    double d;
    if (napi_get_value_double(env, off, &d) == napi_ok && d >= 0 &&
        d <= static_cast<double>(length) && d == std::floor(d)) {
      size_t o = static_cast<size_t>(d);
      if (len <= length - o) {
        *base = data;
        return static_cast<uint8_t*>(data) + o;
      }
    }
  }
  *base = nullptr;
  return rangeArg(Napi::Value(env, buf), indexed(bufName, index), Napi::Value(env, off), offName,
                  len, "len")
      .data;
}

}  // namespace submit

// One call's arguments and the engine they are for.
struct EngineWrap::Call {
  static constexpr size_t kMaxArgs = 10;  // pqCoef's: the longest argument list
  // The spread methods (engine_submit_spread.cc): 9 leading arguments at most, then the blocks.
  static constexpr size_t kFewArgs = 16;  // an 8-source xor or an 8-source P+Q passes 16 or fewer
  static constexpr size_t kMaxSpreadArgs = 9 + kMaxKeep;
  napi_env env;
  size_t argc = 0;  // arguments passed (may exceed what argv holds: a spread call checks it)
  napi_value argv[kMaxSpreadArgs];
  EngineWrap* w = nullptr;
  engine::DescriptorSpec* spec = nullptr;
  int chan = 0;
  uint32_t nelems = 0;

  // `spread`: read every argument (up to kMaxSpreadArgs); otherwise the first kMaxArgs.
  // napi_get_cb_info fills each unused slot it was asked for with undefined: ask for a few
  // first, and for all only when more were passed.
  Call(napi_env e, napi_callback_info cbi, bool spread = false) : env(e) {
    size_t want = spread ? kFewArgs : kMaxArgs;
    argc = want;
    napi_value self;
    napi_get_cb_info(env, cbi, &argc, argv, &self, nullptr);
    if (spread && argc > want) {
      want = argc < kMaxSpreadArgs ? argc : kMaxSpreadArgs;
      size_t again = want;
      napi_get_cb_info(env, cbi, &again, argv, &self, nullptr);
    }
    for (size_t i = argc; i < want; i++) napi_get_undefined(env, &argv[i]);
    w = EngineWrap::Unwrap(Napi::Object(env, self));
    // Reading an Array element may run JavaScript (an accessor), which could submit to this
    // engine again and clobber the shared spec: refuse that instead.
    if (w->inCall_) {
      throw Napi::Error::New(env, "Cannot submit to an engine from inside one of its submits");
    }
    w->inCall_ = true;
    spec = &w->spec_;
  }
  ~Call() {
    if (!spec) return;
    w->inCall_ = false;
    // A call that threw leaves pins here (queue() moves out the ones it keeps).
    for (size_t i = 0; i < w->nkeep_; i++) w->keepPin_[i].reset();
    w->nkeep_ = 0;
  }
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  // Reads (channel, flags, waitChannel, waitCookie) from argv[0..3].
  void common(uint32_t allowedFlags) {
    using submit::fastInt;
    chan = static_cast<int>(fastInt(env, argv[0], "channel", 0, w->nchan_ - 1));
    uint32_t flags = static_cast<uint32_t>(fastInt(env, argv[1], "flags", 0, engine::kAllFlags));
    if (flags & ~allowedFlags) {
      throwRangeError(env, "flags", "a combination of the flags this operation accepts (" +
                                        std::to_string(allowedFlags) + ")",
                      Napi::Value(env, argv[1]));
    }
    int wch = static_cast<int>(fastInt(env, argv[2], "waitChannel", -1, w->nchan_ - 1));
    int32_t wck = 0;
    if (wch >= 0) {
      if (wch == chan) {
        throwRangeError(env, "waitChannel", "another channel than \"channel\" (-1 for none)",
                        Napi::Value(env, argv[2]));
      }
      wck = static_cast<int32_t>(
          fastInt(env, argv[3], "waitCookie", engine::kMinCookie, engine::kMaxCookie));
    }
    w->checkOpen(env);
    spec->flags = flags;
    spec->waitChannel = wch;
    spec->waitCookie = wck;
    spec->ptrs.clear();
    spec->coefs.clear();
    w->nkeep_ = 0;
  }

  // The descriptor's byte count, argv[i]: 1..engine::kMaxLen.
  size_t len(int i) {
    return static_cast<size_t>(submit::fastInt(env, argv[i], "len", 1, engine::kMaxLen));
  }

  uint8_t* range(int bufArg, const char* bufName, int offArg, const char* offName, size_t n) {
    const void* base;
    uint8_t* p =
        submit::fastRange(env, argv[bufArg], bufName, -1, argv[offArg], offName, n, &base);
    keep(argv[bufArg], base, bufName, -1);
    return p;
  }

  // Records a checked buffer of this call; pins its memory now unless a descriptor in flight
  // already pins it (queue() then shares that pin). A buffer JavaScript could shrink under
  // the pin is refused here, while nothing is queued yet.
  void keep(napi_value v, const void* base, const char* name, int index) {
    size_t k = w->nkeep_;
    // readArray's static_asserts bound every family's count; this only keeps a mistake there
    // from writing past the arrays.
    if (k >= static_cast<size_t>(kMaxKeep)) throw Napi::Error::New(env, "Too many buffers");
    w->keepKey_[k] = base;
    w->keep_[k] = v;
    if (!base || w->cacheFind(base) < 0) {
      bool shrinkable = false;
      w->keepPin_[k] = pinBacking(v, &shrinkable);
      if (shrinkable) {
        w->keepPin_[k].reset();
        throwTypeError(env, "a Uint8Array or Buffer over a fixed-length ArrayBuffer",
                       submit::indexed(name, index), Napi::Value(env, v));
      }
    }
    w->nkeep_ = k + 1;
  }

  // Reads every element of the Array argument argv[arrArg] (the only reads here that may run
  // JavaScript) into w->elems_, checking its type and entry count (minCount..kMaxCount). Call
  // before any pointer is taken. kOthers: the buffers the call keeps besides the elements
  // (dst, or P and Q), so that both bounds are checked against the arrays at compile time.
  template <int kMaxCount, int kOthers>
  void readArray(int arrArg, const char* name, int minCount) {
    static_assert(kMaxCount <= kMaxElems, "EngineWrap::elems_ holds every element");
    static_assert(kMaxCount + kOthers <= kMaxKeep, "EngineWrap::keep_ holds every buffer");
    napi_value arr = argv[arrArg];
    bool isArray = false;
    napi_is_array(env, arr, &isArray);
    if (!isArray) throwTypeError(env, "an Array of Uint8Array or null", name, Napi::Value(env, arr));
    uint32_t count = 0;
    napi_get_array_length(env, arr, &count);
    if (count < static_cast<uint32_t>(minCount) || count > static_cast<uint32_t>(kMaxCount)) {
      throw Napi::RangeError::New(env, "Expected \"" + std::string(name) + "\" to have between " +
                                           std::to_string(minCount) + " and " +
                                           std::to_string(kMaxCount) + " entries but received " +
                                           std::to_string(count));
    }
    for (uint32_t i = 0; i < count; i++) {
      if (napi_get_element(env, arr, i, &w->elems_[i]) != napi_ok) throw Napi::Error::New(env);
    }
    nelems = count;
  }
  napi_value elem(int i) const { return w->elems_[i]; }

  // The elements readArray read, each Uint8Array|null checked against offset + n, into
  // spec->ptrs.
  void blocks(const char* name, int offArg, size_t n) {
    // Named even when every slot is null.
    submit::fastInt(env, argv[offArg], "offset", 0, kMaxSafe);
    for (uint32_t i = 0; i < nelems; i++) {
      napi_value v = w->elems_[i];
      napi_valuetype t;
      napi_typeof(env, v, &t);
      if (t == napi_null || t == napi_undefined) {
        spec->ptrs.push_back(nullptr);
        continue;
      }
      const void* base;
      spec->ptrs.push_back(submit::fastRange(env, v, name, static_cast<int>(i), argv[offArg],
                                             "offset", n, &base));
      keep(v, base, name, static_cast<int>(i));
    }
  }

  static napi_value issuePending(napi_env env, napi_callback_info cbi);

  napi_value cookie(engine::OpCode op, size_t n) {
    spec->op = op;
    spec->len = n;
    napi_value out;
    napi_create_int32(env, w->queue(chan), &out);
    return out;
  }
};

namespace submit {

// Runs a submit body; C++ exceptions become JS exceptions (a raw callback must not throw).
template <typename Body>
napi_value guarded(napi_env env, napi_callback_info cbi, Body body, bool spread = false) {
  try {
    EngineWrap::Call c(env, cbi, spread);
    return body(c);
  } catch (const Napi::Error& e) {
    try {
      e.ThrowAsJavaScriptException();
    } catch (...) {
      // Nothing can be thrown into JavaScript: its environment is stopping (a worker being
      // terminated). An exception must not leave a raw callback.
    }
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, e.what());
  }
  return nullptr;
}

// The submit methods, by family. memcpy, memset, interrupt: engine_submit_copy.cc.
napi_value Memcpy(napi_env env, napi_callback_info cbi);
napi_value Memset(napi_env env, napi_callback_info cbi);
napi_value Interrupt(napi_env env, napi_callback_info cbi);
// xorV, xorValV, pqCoefV, pqCoefValV (blocks as call arguments): engine_submit_spread.cc.
napi_value XorV(napi_env env, napi_callback_info cbi);
napi_value XorValV(napi_env env, napi_callback_info cbi);
napi_value PqCoefV(napi_env env, napi_callback_info cbi);
napi_value PqCoefValV(napi_env env, napi_callback_info cbi);
// xor, xorVal: engine_submit_xor.cc.
napi_value Xor(napi_env env, napi_callback_info cbi);
napi_value XorVal(napi_env env, napi_callback_info cbi);
// pq, pqVal, recoveries, pqCoef, pqCoefVal: engine_submit_pq.cc.
napi_value Pq(napi_env env, napi_callback_info cbi);
napi_value PqVal(napi_env env, napi_callback_info cbi);
napi_value Recov2Data(napi_env env, napi_callback_info cbi);
napi_value RecovDataP(napi_env env, napi_callback_info cbi);
napi_value PqCoef(napi_env env, napi_callback_info cbi);
napi_value PqCoefVal(napi_env env, napi_callback_info cbi);

}  // namespace submit
}  // namespace addon
}  // namespace dmae
