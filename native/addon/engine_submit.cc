// SoftEngineHandle's submit methods: check every argument (args.h wording), fill the reused
// DescriptorSpec, hold the buffers, queue. Nothing is queued or referenced until every check
// has passed, so a throwing call leaves the engine as it was.
//
// Common leading arguments: (channel, flags, waitChannel, waitCookie); waitChannel -1 means
// no wait. Flags: 1 fence, 2 zeroDst (xor only), 4 pqXorDst (pq only).
#include <climits>

#include "addon/args.h"
#include "addon/engine_wrap.h"
#include "kernels/kernels.h"

namespace dmae {
namespace addon {

namespace {
constexpr int64_t kMaxLen = (int64_t{1} << 53) - 1;
using engine::OpCode;

std::string indexed(const char* name, uint32_t i) {
  return std::string(name) + "[" + std::to_string(i) + "]";
}
}  // namespace

int EngineWrap::commonArgs(const Napi::CallbackInfo& info, uint32_t allowedFlags) {
  Napi::Env env = info.Env();
  int chan = channelArg(info[0], "channel");
  uint32_t flags = static_cast<uint32_t>(intArg(info[1], "flags", 0, engine::kAllFlags));
  if (flags & ~allowedFlags) {
    throwRangeError(env, "flags", "a combination of the flags this operation accepts (" +
                                      std::to_string(allowedFlags) + ")",
                    info[1]);
  }
  int wch = static_cast<int>(intArg(info[2], "waitChannel", -1, nchan_ - 1));
  int32_t wck = 0;
  if (wch >= 0) {
    if (wch == chan) {
      throwRangeError(env, "waitChannel", "another channel than \"channel\" (-1 for none)",
                      info[2]);
    }
    wck = static_cast<int32_t>(intArg(info[3], "waitCookie", 1, INT32_MAX));
  }
  checkOpen(env);
  spec_.flags = flags;
  spec_.waitChannel = wch;
  spec_.waitCookie = wck;
  spec_.ptrs.clear();
  keep_.clear();
  return chan;
}

size_t EngineWrap::lenArg(const Napi::Value& v) {
  return static_cast<size_t>(intArg(v, "len", 1, kMaxLen));
}

void EngineWrap::keep(const Napi::Value& v) { keep_.push_back(v); }

void EngineWrap::blockListArg(const Napi::Value& arr, const char* name, int minCount,
                              int maxCount, const Napi::Value& offset, size_t len) {
  Napi::Env env = arr.Env();
  if (!arr.IsArray()) throwTypeError(env, "an Array of Uint8Array or null", name, arr);
  Napi::Array a = arr.As<Napi::Array>();
  uint32_t n = a.Length();
  if (n < static_cast<uint32_t>(minCount) || n > static_cast<uint32_t>(maxCount)) {
    throw Napi::RangeError::New(env, "Expected \"" + std::string(name) + "\" to have between " +
                                         std::to_string(minCount) + " and " +
                                         std::to_string(maxCount) + " entries but received " +
                                         std::to_string(n));
  }
  intArg(offset, "offset", 0, kMaxLen);  // named even when every slot is null
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value v = a.Get(i);
    if (v.IsNull() || v.IsUndefined()) {
      spec_.ptrs.push_back(nullptr);
      continue;
    }
    ByteRange r = rangeArg(v, indexed(name, i), offset, "offset", len, "len");
    spec_.ptrs.push_back(r.data);
    keep(v);
  }
}

int32_t EngineWrap::queue(int chan) {
  uint32_t slot;
  if (!freeSlots_.empty()) {
    slot = freeSlots_.back();
    freeSlots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  std::vector<napi_ref>& refs = slots_[slot];
  for (napi_value v : keep_) {
    napi_ref r;
    napi_create_reference(env_, v, 1, &r);
    refs.push_back(r);
  }
  spec_.tag = slot;
  return engine_->submit(chan, spec_);
}

// memcpy(channel, flags, waitChannel, waitCookie, dst, dstOffset, src, srcOffset, len)
Napi::Value EngineWrap::SubmitMemcpy(const Napi::CallbackInfo& info) {
  int chan = commonArgs(info, engine::kFence);
  size_t len = lenArg(info[8]);
  ByteRange d = rangeArg(info[4], "dst", info[5], "dstOffset", len, "len");
  ByteRange s = rangeArg(info[6], "src", info[7], "srcOffset", len, "len");
  spec_.op = OpCode::kMemcpy;
  spec_.len = len;
  spec_.dst = d.data;
  spec_.src = s.data;
  keep(info[4]);
  keep(info[6]);
  return Napi::Number::New(info.Env(), queue(chan));
}

// memset(channel, flags, waitChannel, waitCookie, dst, dstOffset, value, len)
Napi::Value EngineWrap::SubmitMemset(const Napi::CallbackInfo& info) {
  int chan = commonArgs(info, engine::kFence);
  size_t len = lenArg(info[7]);
  ByteRange d = rangeArg(info[4], "dst", info[5], "dstOffset", len, "len");
  spec_.value = static_cast<uint8_t>(intArg(info[6], "value", 0, 255));
  spec_.op = OpCode::kMemset;
  spec_.len = len;
  spec_.dst = d.data;
  keep(info[4]);
  return Napi::Number::New(info.Env(), queue(chan));
}

// xor(channel, flags, waitChannel, waitCookie, dst, srcs, offset, len): dst (^)= ⊕ srcs
Napi::Value EngineWrap::SubmitXor(const Napi::CallbackInfo& info) {
  int chan = commonArgs(info, engine::kFence | engine::kZeroDst);
  size_t len = lenArg(info[7]);
  ByteRange d = rangeArg(info[4], "dst", info[6], "offset", len, "len");
  blockListArg(info[5], "srcs", 1, kernels::kMaxXorSources, info[6], len);
  spec_.op = OpCode::kXor;
  spec_.len = len;
  spec_.dst = d.data;
  keep(info[4]);
  return Napi::Number::New(info.Env(), queue(chan));
}

// xorVal(channel, flags, waitChannel, waitCookie, srcs, offset, len)
Napi::Value EngineWrap::SubmitXorVal(const Napi::CallbackInfo& info) {
  int chan = commonArgs(info, engine::kFence);
  size_t len = lenArg(info[6]);
  blockListArg(info[4], "srcs", 1, kernels::kMaxXorSources, info[5], len);
  spec_.op = OpCode::kXorVal;
  spec_.len = len;
  return Napi::Number::New(info.Env(), queue(chan));
}

namespace {
// P and Q slots: at least one of them present.
void requirePOrQ(Napi::Env env, const std::vector<uint8_t*>& ptrs, const Napi::Value& blocks) {
  size_t n = ptrs.size();
  if (!ptrs[n - 2] && !ptrs[n - 1]) {
    throwRangeError(env, "blocks", "an Array whose P or Q slot (the last two) holds a buffer",
                    blocks);
  }
}
// A slot that must hold a buffer (a recovery output or input).
void requireSlot(Napi::Env env, const std::vector<uint8_t*>& ptrs, size_t i,
                 const Napi::Array& blocks) {
  if (!ptrs[i]) throwTypeError(env, "a Uint8Array or Buffer", indexed("blocks", i), blocks.Get(i));
}
}  // namespace

// pq(channel, flags, waitChannel, waitCookie, blocks, offset, len, start, stop)
// blocks = data…, P|null, Q|null; with flag pqXorDst, P/Q ^= contribution of start..stop.
Napi::Value EngineWrap::SubmitPq(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int chan = commonArgs(info, engine::kFence | engine::kPqXorDst);
  size_t len = lenArg(info[6]);
  blockListArg(info[4], "blocks", 3, kernels::kMaxDisks, info[5], len);
  requirePOrQ(env, spec_.ptrs, info[4]);
  int disks = static_cast<int>(spec_.ptrs.size());
  if (spec_.flags & engine::kPqXorDst) {
    spec_.start = static_cast<int>(intArg(info[7], "start", 0, disks - 3));
    spec_.stop = static_cast<int>(intArg(info[8], "stop", spec_.start, disks - 3));
  }
  spec_.op = OpCode::kPq;
  spec_.len = len;
  return Napi::Number::New(env, queue(chan));
}

// pqVal(channel, flags, waitChannel, waitCookie, blocks, offset, len)
Napi::Value EngineWrap::SubmitPqVal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int chan = commonArgs(info, engine::kFence);
  size_t len = lenArg(info[6]);
  blockListArg(info[4], "blocks", 3, kernels::kMaxDisks, info[5], len);
  requirePOrQ(env, spec_.ptrs, info[4]);
  spec_.op = OpCode::kPqVal;
  spec_.len = len;
  return Napi::Number::New(env, queue(chan));
}

// recov2Data(channel, flags, waitChannel, waitCookie, blocks, offset, len, faila, failb)
Napi::Value EngineWrap::SubmitRecov2Data(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int chan = commonArgs(info, engine::kFence);
  size_t len = lenArg(info[6]);
  blockListArg(info[4], "blocks", 4, kernels::kMaxDisks, info[5], len);
  int disks = static_cast<int>(spec_.ptrs.size());
  int a = static_cast<int>(intArg(info[7], "faila", 0, disks - 4));
  int b = static_cast<int>(intArg(info[8], "failb", a + 1, disks - 3));
  Napi::Array blocks = info[4].As<Napi::Array>();
  for (int i : {a, b, disks - 2, disks - 1}) requireSlot(env, spec_.ptrs, i, blocks);
  spec_.op = OpCode::kRecov2Data;
  spec_.len = len;
  spec_.faila = a;
  spec_.failb = b;
  return Napi::Number::New(env, queue(chan));
}

// recovDataP(channel, flags, waitChannel, waitCookie, blocks, offset, len, faila)
Napi::Value EngineWrap::SubmitRecovDataP(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int chan = commonArgs(info, engine::kFence);
  size_t len = lenArg(info[6]);
  blockListArg(info[4], "blocks", 3, kernels::kMaxDisks, info[5], len);
  int disks = static_cast<int>(spec_.ptrs.size());
  int a = static_cast<int>(intArg(info[7], "faila", 0, disks - 3));
  Napi::Array blocks = info[4].As<Napi::Array>();
  for (int i : {a, disks - 2, disks - 1}) requireSlot(env, spec_.ptrs, i, blocks);
  spec_.op = OpCode::kRecovDataP;
  spec_.len = len;
  spec_.faila = a;
  return Napi::Number::New(env, queue(chan));
}

// interrupt(channel, flags, waitChannel, waitCookie)
Napi::Value EngineWrap::SubmitInterrupt(const Napi::CallbackInfo& info) {
  int chan = commonArgs(info, engine::kFence);
  spec_.op = OpCode::kInterrupt;
  spec_.len = 0;
  return Napi::Number::New(info.Env(), queue(chan));
}

}  // namespace addon
}  // namespace dmae
