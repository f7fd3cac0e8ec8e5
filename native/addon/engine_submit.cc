// SoftEngineHandle's submit methods and doorbell: the hot path. Each checks every argument,
// fills the reused DescriptorSpec, holds the buffers and queues. Nothing is queued or
// referenced until every check has passed, so a throwing call leaves the engine as it was.
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
    if (spec) w->inCall_ = false;
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
    w->keepKey_[w->nkeep_] = base;
    w->keep_[w->nkeep_++] = argv[bufArg];
    return p;
  }

  // An Array of Uint8Array|null, each checked against offset + n, into spec->ptrs.
  void blocks(int arrArg, const char* name, int minCount, int maxCount, int offArg, size_t n) {
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
    fastInt(env, argv[offArg], "offset", 0, kMaxLen);  // named even when every slot is null
    for (uint32_t i = 0; i < count; i++) {
      napi_value v;
      if (napi_get_element(env, arr, i, &v) != napi_ok) throw Napi::Error::New(env);
      napi_valuetype t;
      napi_typeof(env, v, &t);
      if (t == napi_null || t == napi_undefined) {
        spec->ptrs.push_back(nullptr);
        continue;
      }
      const void* base;
      spec->ptrs.push_back(
          fastRange(env, v, name, static_cast<int>(i), argv[offArg], "offset", n, &base));
      w->keepKey_[w->nkeep_] = base;
      w->keep_[w->nkeep_++] = v;
    }
  }

  static napi_value issuePending(napi_env env, napi_callback_info cbi);

  napi_value cookie(OpCode op, size_t n) {
    spec->op = op;
    spec->len = n;
    napi_value out;
    napi_create_int32(env, w->queue(chan), &out);
    return out;
  }
};

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
    int hit = -1, unused = -1;
    if (key) {
      for (int k = 0; k < kRefCache; k++) {
        if (refCache_[k].uses == 0) {
          if (unused < 0) unused = k;
        } else if (refCache_[k].key == key) {
          hit = k;
          break;
        }
      }
    }
    if (hit >= 0) {
      refCache_[hit].uses++;
      held.push_back(Held{nullptr, hit});
      continue;
    }
    napi_ref r;
    napi_create_reference(env_, keep_[i], 1, &r);
    if (key && unused >= 0) {
      refCache_[unused] = CacheEntry{key, r, 1};
      held.push_back(Held{nullptr, unused});
    } else {
      held.push_back(Held{r, -1});
    }
  }
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
    e.ThrowAsJavaScriptException();
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, e.what());
  }
  return nullptr;
}

// P and Q slots: at least one of them present.
void requirePOrQ(napi_env env, const std::vector<uint8_t*>& ptrs, napi_value blocks) {
  size_t n = ptrs.size();
  if (!ptrs[n - 2] && !ptrs[n - 1]) {
    throwRangeError(env, "blocks", "an Array whose P or Q slot (the last two) holds a buffer",
                    Napi::Value(env, blocks));
  }
}
// A slot that must hold a buffer (a recovery output or input).
void requireSlot(napi_env env, const std::vector<uint8_t*>& ptrs, int i, napi_value blocks) {
  if (!ptrs[i]) {
    throwTypeError(env, "a Uint8Array or Buffer", indexed("blocks", i),
                   Napi::Array(env, blocks).Get(static_cast<uint32_t>(i)));
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
    size_t n = c.len(7);
    c.spec->dst = c.range(4, "dst", 6, "offset", n);
    c.blocks(5, "srcs", 1, kernels::kMaxXorSources, 6, n);
    return c.cookie(OpCode::kXor, n);
  });
}

// xorVal(channel, flags, waitChannel, waitCookie, srcs, offset, len)
napi_value XorVal(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    size_t n = c.len(6);
    c.blocks(4, "srcs", 1, kernels::kMaxXorSources, 5, n);
    return c.cookie(OpCode::kXorVal, n);
  });
}

// pq(channel, flags, waitChannel, waitCookie, blocks, offset, len, start, stop)
// blocks = data…, P|null, Q|null; with flag pqXorDst, P/Q ^= contribution of start..stop.
napi_value Pq(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence | engine::kPqXorDst);
    size_t n = c.len(6);
    c.blocks(4, "blocks", 3, kernels::kMaxDisks, 5, n);
    requirePOrQ(c.env, c.spec->ptrs, c.argv[4]);
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
    size_t n = c.len(6);
    c.blocks(4, "blocks", 3, kernels::kMaxDisks, 5, n);
    requirePOrQ(c.env, c.spec->ptrs, c.argv[4]);
    return c.cookie(OpCode::kPqVal, n);
  });
}

// recov2Data(channel, flags, waitChannel, waitCookie, blocks, offset, len, faila, failb)
napi_value Recov2Data(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    size_t n = c.len(6);
    c.blocks(4, "blocks", 4, kernels::kMaxDisks, 5, n);
    int disks = static_cast<int>(c.spec->ptrs.size());
    int a = static_cast<int>(fastInt(c.env, c.argv[7], "faila", 0, disks - 4));
    int b = static_cast<int>(fastInt(c.env, c.argv[8], "failb", a + 1, disks - 3));
    for (int i : {a, b, disks - 2, disks - 1}) requireSlot(c.env, c.spec->ptrs, i, c.argv[4]);
    c.spec->faila = a;
    c.spec->failb = b;
    return c.cookie(OpCode::kRecov2Data, n);
  });
}

// recovDataP(channel, flags, waitChannel, waitCookie, blocks, offset, len, faila)
napi_value RecovDataP(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    size_t n = c.len(6);
    c.blocks(4, "blocks", 3, kernels::kMaxDisks, 5, n);
    int disks = static_cast<int>(c.spec->ptrs.size());
    int a = static_cast<int>(fastInt(c.env, c.argv[7], "faila", 0, disks - 3));
    for (int i : {a, disks - 2, disks - 1}) requireSlot(c.env, c.spec->ptrs, i, c.argv[4]);
    c.spec->faila = a;
    return c.cookie(OpCode::kRecovDataP, n);
  });
}

// Shared by pqCoef/pqCoefVal: (…, srcs, coefs, p, q, offset, len) from argv[4..9]. Sources may
// not be null (the provider drops absent ones); coefs is copied, one byte per source.
size_t pqCoefArgs(EngineWrap::Call& c) {
  size_t n = c.len(9);
  c.blocks(4, "srcs", 1, kernels::kMaxDisks - 2, 8, n);
  const size_t nsrc = c.spec->ptrs.size();
  for (size_t i = 0; i < nsrc; i++) {
    if (!c.spec->ptrs[i]) {
      throwTypeError(c.env, "a Uint8Array or Buffer", indexed("srcs", static_cast<int>(i)),
                     Napi::Array(c.env, c.argv[4]).Get(static_cast<uint32_t>(i)));
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
