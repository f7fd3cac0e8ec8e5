// SoftEngineHandle's submit methods and doorbell: the hot path. Each checks every argument,
// fills the reused DescriptorSpec, holds the buffers and queues. Nothing is queued or
// referenced until every check has passed, so a throwing call leaves the engine as it was.
//
// Order: every JavaScript value is read first (an Array element may be a getter, and a
// getter may detach or transfer any buffer of the call, one already checked included), then
// everything is checked and the pointers are taken, then the buffers are pinned and the
// descriptor queued; nothing in the last two steps runs JavaScript.
//
// Speed: these are raw napi callbacks (no CallbackInfo, no per-call heap), and each check
// has a fast path of one or two napi calls; only a failing check goes through args.h, which
// builds the message (same wording as everywhere else) and throws.
//
// Common leading arguments: (channel, flags, waitChannel, waitCookie); waitChannel -1 means
// no wait. Flags: 1 fence, 2 zeroDst (xor only), 4 pqXorDst (pq only), 8 accumulate (pqCoef).
#include <climits>
#include <cmath>

#include "addon/args.h"
#include "addon/engine_wrap.h"
#include "kernels/kernels.h"

namespace dmae {
namespace addon {

namespace {
constexpr int64_t kMaxLen = (int64_t{1} << 53) - 1;
using engine::OpCode;

std::string indexed(const char* name, int i) {
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
}  // namespace

// One call's arguments and the engine they are for.
struct EngineWrap::Call {
  napi_env env;
  napi_value argv[12];
  EngineWrap* w = nullptr;
  engine::DescriptorSpec* spec = nullptr;
  int chan = 0;

  Call(napi_env e, napi_callback_info cbi) : env(e) {
    size_t argc = 12;
    napi_value self;
    napi_get_cb_info(env, cbi, &argc, argv, &self, nullptr);
    for (size_t i = argc; i < 12; i++) napi_get_undefined(env, &argv[i]);
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
      wck = static_cast<int32_t>(fastInt(env, argv[3], "waitCookie", 1, INT32_MAX));
    }
    w->checkOpen(env);
    spec->flags = flags;
    spec->waitChannel = wch;
    spec->waitCookie = wck;
    spec->ptrs.clear();
    spec->coefs.clear();
    w->nkeep_ = 0;
  }

  size_t len(int i) { return static_cast<size_t>(fastInt(env, argv[i], "len", 1, kMaxLen)); }

  uint8_t* range(int bufArg, const char* bufName, int offArg, const char* offName, size_t n) {
    const void* base;
    uint8_t* p = fastRange(env, argv[bufArg], bufName, -1, argv[offArg], offName, n, &base);
    keep(argv[bufArg], base, bufName, -1);
    return p;
  }

  // Records a checked buffer of this call; pins its memory now unless a descriptor in flight
  // already pins it (queue() then shares that pin). A buffer JavaScript could shrink under
  // the pin is refused here, while nothing is queued yet.
  void keep(napi_value v, const void* base, const char* name, int index) {
    size_t k = w->nkeep_;
    w->keepKey_[k] = base;
    w->keep_[k] = v;
    if (!base || w->cacheFind(base) < 0) {
      bool shrinkable = false;
      w->keepPin_[k] = pinBacking(v, &shrinkable);
      if (shrinkable) {
        w->keepPin_[k].reset();
        throwTypeError(env, "a Uint8Array or Buffer over a fixed-length ArrayBuffer",
                       indexed(name, index), Napi::Value(env, v));
      }
    }
    w->nkeep_ = k + 1;
  }

  // Reads every element of the Array argument argv[arrArg] (the only reads here that may run
  // JavaScript) into `elems`, checking its type and entry count. Call before any pointer is
  // taken.
  void readArray(int arrArg, const char* name, int minCount, int maxCount) {
    napi_value arr = argv[arrArg];
    bool isArray = false;
    napi_is_array(env, arr, &isArray);
    if (!isArray) throwTypeError(env, "an Array of Uint8Array or null", name, Napi::Value(env, arr));
    uint32_t count = 0;
    napi_get_array_length(env, arr, &count);
    if (count < static_cast<uint32_t>(minCount) || count > static_cast<uint32_t>(maxCount)) {
      throw Napi::RangeError::New(env, "Expected \"" + std::string(name) + "\" to have between " +
                                           std::to_string(minCount) + " and " +
                                           std::to_string(maxCount) + " entries but received " +
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
    fastInt(env, argv[offArg], "offset", 0, kMaxLen);  // named even when every slot is null
    for (uint32_t i = 0; i < nelems; i++) {
      napi_value v = w->elems_[i];
      napi_valuetype t;
      napi_typeof(env, v, &t);
      if (t == napi_null || t == napi_undefined) {
        spec->ptrs.push_back(nullptr);
        continue;
      }
      const void* base;
      spec->ptrs.push_back(
          fastRange(env, v, name, static_cast<int>(i), argv[offArg], "offset", n, &base));
      keep(v, base, name, static_cast<int>(i));
    }
  }
  uint32_t nelems = 0;

  static napi_value issuePending(napi_env env, napi_callback_info cbi);

  napi_value cookie(OpCode op, size_t n) {
    spec->op = op;
    spec->len = n;
    napi_value out;
    napi_create_int32(env, w->queue(chan), &out);
    return out;
  }
};

int EngineWrap::cacheFind(const void* key) const {
  for (int k = 0; k < kRefCache; k++) {
    if (refCache_[k].uses != 0 && refCache_[k].key == key) return k;
  }
  return -1;
}

int32_t EngineWrap::queue(int chan) {
  checkOpen(env_);  // again: an accessor read during the checks may have closed the engine
  uint32_t slot;
  if (!freeSlots_.empty()) {
    slot = freeSlots_.back();
    freeSlots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  std::vector<Held>& held = slots_[slot];
  for (size_t i = 0; i < nkeep_; i++) {
    const void* key = keepKey_[i];
    Pin& pin = keepPin_[i];
    int hit = key ? cacheFind(key) : -1;
    if (hit >= 0) {
      refCache_[hit].uses++;
      held.push_back(Held{Pin(), hit});
      pin.reset();  // taken at check time when an earlier buffer of this call shares it
      continue;
    }
    int unused = -1;
    for (int k = 0; key && k < kRefCache && unused < 0; k++) {
      if (refCache_[k].uses == 0) unused = k;
    }
    if (unused >= 0) {
      refCache_[unused] = CacheEntry{key, std::move(pin), 1};
      held.push_back(Held{Pin(), unused});
    } else {
      held.push_back(Held{std::move(pin), -1});
    }
  }
  nkeep_ = 0;
  spec_.tag = slot;
  return engine_->submit(chan, spec_);
}

namespace {
// Runs a submit body; C++ exceptions become JS exceptions (a raw callback must not throw).
template <typename Body>
napi_value guarded(napi_env env, napi_callback_info cbi, Body body) {
  try {
    EngineWrap::Call c(env, cbi);
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

// P and Q slots: at least one of them present.
void requirePOrQ(EngineWrap::Call& c) {
  size_t n = c.spec->ptrs.size();
  if (!c.spec->ptrs[n - 2] && !c.spec->ptrs[n - 1]) {
    throwRangeError(c.env, "blocks", "an Array whose P or Q slot (the last two) holds a buffer",
                    Napi::Value(c.env, c.argv[4]));
  }
}
// A slot that must hold a buffer (a recovery output or input).
void requireSlot(EngineWrap::Call& c, int i) {
  if (!c.spec->ptrs[i]) {
    throwTypeError(c.env, "a Uint8Array or Buffer", indexed("blocks", i), Napi::Value(c.env, c.elem(i)));
  }
}

// memcpy(channel, flags, waitChannel, waitCookie, dst, dstOffset, src, srcOffset, len)
napi_value Memcpy(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    size_t n = c.len(8);
    c.spec->dst = c.range(4, "dst", 5, "dstOffset", n);
    c.spec->src = c.range(6, "src", 7, "srcOffset", n);
    return c.cookie(OpCode::kMemcpy, n);
  });
}

// memset(channel, flags, waitChannel, waitCookie, dst, dstOffset, value, len)
napi_value Memset(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    size_t n = c.len(7);
    c.spec->dst = c.range(4, "dst", 5, "dstOffset", n);
    c.spec->value = static_cast<uint8_t>(fastInt(c.env, c.argv[6], "value", 0, 255));
    return c.cookie(OpCode::kMemset, n);
  });
}

// xor(channel, flags, waitChannel, waitCookie, dst, srcs, offset, len): dst (^)= ⊕ srcs
napi_value Xor(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence | engine::kZeroDst);
    c.readArray(5, "srcs", 1, kernels::kMaxXorSources);
    size_t n = c.len(7);
    c.spec->dst = c.range(4, "dst", 6, "offset", n);
    c.blocks("srcs", 6, n);
    return c.cookie(OpCode::kXor, n);
  });
}

// xorVal(channel, flags, waitChannel, waitCookie, srcs, offset, len)
napi_value XorVal(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    c.readArray(4, "srcs", 1, kernels::kMaxXorSources);
    size_t n = c.len(6);
    c.blocks("srcs", 5, n);
    return c.cookie(OpCode::kXorVal, n);
  });
}

// pq(channel, flags, waitChannel, waitCookie, blocks, offset, len, start, stop)
// blocks = data…, P|null, Q|null; with flag pqXorDst, P/Q ^= contribution of start..stop.
napi_value Pq(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence | engine::kPqXorDst);
    c.readArray(4, "blocks", 3, kernels::kMaxDisks);
    size_t n = c.len(6);
    c.blocks("blocks", 5, n);
    requirePOrQ(c);
    int disks = static_cast<int>(c.spec->ptrs.size());
    if (c.spec->flags & engine::kPqXorDst) {
      c.spec->start = static_cast<int>(fastInt(c.env, c.argv[7], "start", 0, disks - 3));
      c.spec->stop = static_cast<int>(fastInt(c.env, c.argv[8], "stop", c.spec->start, disks - 3));
    }
    return c.cookie(OpCode::kPq, n);
  });
}

// pqVal(channel, flags, waitChannel, waitCookie, blocks, offset, len)
napi_value PqVal(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    c.readArray(4, "blocks", 3, kernels::kMaxDisks);
    size_t n = c.len(6);
    c.blocks("blocks", 5, n);
    requirePOrQ(c);
    return c.cookie(OpCode::kPqVal, n);
  });
}

// recov2Data(channel, flags, waitChannel, waitCookie, blocks, offset, len, faila, failb)
napi_value Recov2Data(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    c.readArray(4, "blocks", 4, kernels::kMaxDisks);
    size_t n = c.len(6);
    c.blocks("blocks", 5, n);
    int disks = static_cast<int>(c.spec->ptrs.size());
    int a = static_cast<int>(fastInt(c.env, c.argv[7], "faila", 0, disks - 4));
    int b = static_cast<int>(fastInt(c.env, c.argv[8], "failb", a + 1, disks - 3));
    for (int i : {a, b, disks - 2, disks - 1}) requireSlot(c, i);
    c.spec->faila = a;
    c.spec->failb = b;
    return c.cookie(OpCode::kRecov2Data, n);
  });
}

// recovDataP(channel, flags, waitChannel, waitCookie, blocks, offset, len, faila)
napi_value RecovDataP(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    c.readArray(4, "blocks", 3, kernels::kMaxDisks);
    size_t n = c.len(6);
    c.blocks("blocks", 5, n);
    int disks = static_cast<int>(c.spec->ptrs.size());
    int a = static_cast<int>(fastInt(c.env, c.argv[7], "faila", 0, disks - 3));
    for (int i : {a, disks - 2, disks - 1}) requireSlot(c, i);
    c.spec->faila = a;
    return c.cookie(OpCode::kRecovDataP, n);
  });
}

// Shared by pqCoef/pqCoefVal: (…, srcs, coefs, p, q, offset, len) from argv[4..9]. Sources may
// not be null (the provider drops absent ones); coefs is copied, one byte per source.
size_t pqCoefArgs(EngineWrap::Call& c) {
  c.readArray(4, "srcs", 1, kernels::kMaxDisks - 2);
  size_t n = c.len(9);
  c.blocks("srcs", 8, n);
  const size_t nsrc = c.spec->ptrs.size();
  for (size_t i = 0; i < nsrc; i++) {
    if (!c.spec->ptrs[i]) {
      throwTypeError(c.env, "a Uint8Array or Buffer", indexed("srcs", static_cast<int>(i)),
                     Napi::Value(c.env, c.elem(static_cast<int>(i))));
    }
  }
  napi_value coefs = c.argv[5];
  ByteRange k = bytesArg(Napi::Value(c.env, coefs), "coefs");
  if (k.length < nsrc) {
    throwRangeError(c.env, "coefs", "at least as long as \"srcs\" (" + std::to_string(nsrc) + ")",
                    Napi::Value(c.env, coefs));
  }
  // P and Q: a buffer each, or null for a disabled output; not both null.
  for (int i = 0; i < 2; i++) {
    napi_value v = c.argv[6 + i];
    napi_valuetype t;
    napi_typeof(c.env, v, &t);
    if (t == napi_null) {
      c.spec->ptrs.push_back(nullptr);
      continue;
    }
    c.spec->ptrs.push_back(c.range(6 + i, i == 0 ? "p" : "q", 8, "offset", n));
  }
  if (!c.spec->ptrs[nsrc] && !c.spec->ptrs[nsrc + 1]) {
    throwRangeError(c.env, "q", "a buffer when \"p\" is null", Napi::Value(c.env, c.argv[7]));
  }
  c.spec->coefs.assign(k.data, k.data + nsrc);
  return n;
}

// pqCoef(channel, flags, waitChannel, waitCookie, srcs, coefs, p|null, q|null, offset, len)
// P = ⊕ srcs, Q = ⊕ coefs[i]·srcs[i]; flag 8 (accumulate): XORed into P/Q.
napi_value PqCoef(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence | engine::kAccumulate);
    size_t n = pqCoefArgs(c);
    return c.cookie(OpCode::kPqCoef, n);
  });
}

// pqCoefVal(channel, flags, waitChannel, waitCookie, srcs, coefs, p|null, q|null, offset, len)
napi_value PqCoefVal(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    size_t n = pqCoefArgs(c);
    return c.cookie(OpCode::kPqCoefVal, n);
  });
}

// interrupt(channel, flags, waitChannel, waitCookie)
napi_value Interrupt(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    return c.cookie(OpCode::kInterrupt, 0);
  });
}
}  // namespace

// issuePending(channel): the doorbell; returns how many descriptors it issued.
napi_value EngineWrap::Call::issuePending(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    int chan = static_cast<int>(fastInt(c.env, c.argv[0], "channel", 0, c.w->nchan_ - 1));
    c.w->checkOpen(c.env);
    size_t n = c.w->engine_->issuePending(chan);
    if (n) c.w->holdWhileBusy(c.env, n);
    napi_value out;
    napi_create_uint32(c.env, static_cast<uint32_t>(n), &out);
    return out;
  });
}

void EngineWrap::AddSubmitMethods(Napi::Env env, Napi::Function ctor) {
  Napi::Object proto = ctor.Get("prototype").As<Napi::Object>();
  auto fn = [](const char* name, napi_callback cb) {
    return napi_property_descriptor{name, nullptr, cb, nullptr, nullptr, nullptr,
                                    napi_default_method, nullptr};
  };
  const napi_property_descriptor props[] = {
      fn("memcpy", Memcpy),         fn("memset", Memset),
      fn("xor", Xor),               fn("xorVal", XorVal),
      fn("pq", Pq),                 fn("pqVal", PqVal),
      fn("recov2Data", Recov2Data), fn("recovDataP", RecovDataP),
      fn("interrupt", Interrupt),   fn("issuePending", &EngineWrap::Call::issuePending),
      fn("pqCoef", PqCoef),         fn("pqCoefVal", PqCoefVal),
  };
  NAPI_THROW_IF_FAILED_VOID(env, napi_define_properties(env, proto, sizeof props / sizeof props[0],
                                                        props));
}

}  // namespace addon
}  // namespace dmae
