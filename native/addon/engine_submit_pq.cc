// SoftEngineHandle's RAID-6 family: pq, pqVal, the two recoveries, and pqCoef/pqCoefVal (P+Q
// with explicit coefficients). Argument reading and its order: engine_call.h.
//
// Block lists: data…, P|null, Q|null (at least one of P and Q); pqCoef takes its sources, P
// and Q as separate arguments.
#include "addon/engine_call.h"

namespace dmae {
namespace addon {
namespace submit {

namespace {
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
    throwTypeError(c.env, "a Uint8Array or Buffer", indexed("blocks", i),
                   Napi::Value(c.env, c.elem(i)));
  }
}

// Shared by pqCoef/pqCoefVal: (…, srcs, coefs, p, q, offset, len) from argv[4..9]. Sources may
// not be null (the provider drops absent ones); coefs is copied, one byte per source.
size_t pqCoefArgs(EngineWrap::Call& c) {
  c.readArray<engine::kMaxPqSources, 2>(4, "srcs", 1);  // + P and Q
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
}  // namespace

// pq(channel, flags, waitChannel, waitCookie, blocks, offset, len, start, stop)
// blocks = data…, P|null, Q|null; with flag pqXorDst, P/Q ^= contribution of start..stop.
napi_value Pq(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence | engine::kPqXorDst);
    c.readArray<engine::kMaxDisks, 0>(4, "blocks", 3);
    size_t n = c.len(6);
    c.blocks("blocks", 5, n);
    requirePOrQ(c);
    int disks = static_cast<int>(c.spec->ptrs.size());
    if (c.spec->flags & engine::kPqXorDst) {
      c.spec->start = static_cast<int>(fastInt(c.env, c.argv[7], "start", 0, disks - 3));
      c.spec->stop = static_cast<int>(fastInt(c.env, c.argv[8], "stop", c.spec->start, disks - 3));
    }
    return c.cookie(engine::OpCode::kPq, n);
  });
}

// pqVal(channel, flags, waitChannel, waitCookie, blocks, offset, len)
napi_value PqVal(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    c.readArray<engine::kMaxDisks, 0>(4, "blocks", 3);
    size_t n = c.len(6);
    c.blocks("blocks", 5, n);
    requirePOrQ(c);
    return c.cookie(engine::OpCode::kPqVal, n);
  });
}

// recov2Data(channel, flags, waitChannel, waitCookie, blocks, offset, len, faila, failb)
napi_value Recov2Data(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    c.readArray<engine::kMaxDisks, 0>(4, "blocks", 4);
    size_t n = c.len(6);
    c.blocks("blocks", 5, n);
    int disks = static_cast<int>(c.spec->ptrs.size());
    int a = static_cast<int>(fastInt(c.env, c.argv[7], "faila", 0, disks - 4));
    int b = static_cast<int>(fastInt(c.env, c.argv[8], "failb", a + 1, disks - 3));
    for (int i : {a, b, disks - 2, disks - 1}) requireSlot(c, i);
    c.spec->faila = a;
    c.spec->failb = b;
    return c.cookie(engine::OpCode::kRecov2Data, n);
  });
}

// recovDataP(channel, flags, waitChannel, waitCookie, blocks, offset, len, faila)
napi_value RecovDataP(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    c.readArray<engine::kMaxDisks, 0>(4, "blocks", 3);
    size_t n = c.len(6);
    c.blocks("blocks", 5, n);
    int disks = static_cast<int>(c.spec->ptrs.size());
    int a = static_cast<int>(fastInt(c.env, c.argv[7], "faila", 0, disks - 3));
    for (int i : {a, disks - 2, disks - 1}) requireSlot(c, i);
    c.spec->faila = a;
    return c.cookie(engine::OpCode::kRecovDataP, n);
  });
}

// pqCoef(channel, flags, waitChannel, waitCookie, srcs, coefs, p|null, q|null, offset, len)
// P = ⊕ srcs, Q = ⊕ coefs[i]·srcs[i]; flag accumulate: XORed into P/Q.
napi_value PqCoef(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence | engine::kAccumulate);
    size_t n = pqCoefArgs(c);
    return c.cookie(engine::OpCode::kPqCoef, n);
  });
}

// pqCoefVal(channel, flags, waitChannel, waitCookie, srcs, coefs, p|null, q|null, offset, len)
napi_value PqCoefVal(napi_env env, napi_callback_info cbi) {
  return guarded(env, cbi, [](EngineWrap::Call& c) {
    c.common(engine::kFence);
    size_t n = pqCoefArgs(c);
    return c.cookie(engine::OpCode::kPqCoefVal, n);
  });
}

}  // namespace submit
}  // namespace addon
}  // namespace dmae
