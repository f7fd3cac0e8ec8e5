// KernelBridgeHandle: construction and the control methods, one ioctl each (the rules are in
// bridge_wrap.h; completion delivery and close are in bridge_delivery.cc).
#include <cstring>
#include <string>

#include "addon/args.h"
#include "addon/bindings.h"
#include "addon/bridge_wrap.h"
#include "addon/errno_error.h"

namespace dmae {
namespace addon {

namespace {
constexpr int64_t kMaxHandle = 0x7fffffff;
constexpr size_t kOpSize = sizeof(dmabridge_op);
constexpr size_t kOperandSize = sizeof(dmabridge_operand);

std::string fixedString(const char* s, size_t cap) { return std::string(s, strnlen(s, cap)); }

// A Uint8Array (not detached) holding at least `need` bytes.
uint8_t* recordsArg(const Napi::Value& v, const char* name, size_t need) {
  ByteRange r = bytesArg(v, name);
  if (r.length < need) {
    throwRangeError(v.Env(), std::string(name) + ".byteLength",
                    "at least " + std::to_string(need) + " (the records the count names)",
                    Napi::Number::New(v.Env(), static_cast<double>(r.length)));
  }
  return r.data;
}
}  // namespace

Napi::Function BridgeWrap::Define(Napi::Env env) {
  return DefineClass(env, "KernelBridgeHandle",
                     {
                         InstanceMethod<&BridgeWrap::Version>("version"),
                         InstanceMethod<&BridgeWrap::Enumerate>("enumerate"),
                         InstanceMethod<&BridgeWrap::RequestExclusive>("requestExclusive"),
                         InstanceMethod<&BridgeWrap::RequestShared>("requestShared"),
                         InstanceMethod<&BridgeWrap::ReleaseChannel>("releaseChannel"),
                         InstanceMethod<&BridgeWrap::ImportBuffer>("importBuffer"),
                         InstanceMethod<&BridgeWrap::AllocBuffer>("allocBuffer"),
                         InstanceMethod<&BridgeWrap::ReleaseBuffer>("releaseBuffer"),
                         InstanceMethod<&BridgeWrap::Submit>("submit"),
                         InstanceMethod<&BridgeWrap::Issue>("issue"),
                         InstanceMethod<&BridgeWrap::Terminate>("terminate"),
                         InstanceMethod<&BridgeWrap::SlaveConfig>("slaveConfig"),
                         InstanceMethod<&BridgeWrap::Stats>("stats"),
                         InstanceMethod<&BridgeWrap::Outstanding>("outstanding"),
                         InstanceMethod<&BridgeWrap::Fd>("fd"),
                         InstanceMethod<&BridgeWrap::Poll>("poll"),
                         InstanceMethod<&BridgeWrap::Close>("close"),
                     });
}

// new KernelBridgeHandle(path, ringEntries, onBatch): ringEntries 0 = no ring (version and
// enumeration only; onBatch may then be null).
BridgeWrap::BridgeWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<BridgeWrap>(info) {
  Napi::Env env = info.Env();
  env_ = env;
  if (!info[0].IsString()) throwTypeError(env, "a string", "path", info[0]);
  std::string path = info[0].As<Napi::String>().Utf8Value();
  if (path.empty() || path.size() > 4095 || path.find('\0') != std::string::npos)
    throwRangeError(env, "path", "a device path without NUL", info[0]);
  uint32_t entries = static_cast<uint32_t>(intArg(info[1], "ringEntries", 0, DMABRIDGE_MAX_RING));
  if (entries != 0 && (entries < DMABRIDGE_MIN_RING || (entries & (entries - 1)) != 0))
    throwRangeError(env, "ringEntries", "0 or a power of two from 16 to 65536", info[1]);
  if (entries != 0 && !info[2].IsFunction()) throwTypeError(env, "a function", "onBatch", info[2]);
  // The handler hangs off the JS object: a native strong reference to a closure over the
  // facade (which holds this object) would keep both alive forever.
  info.This().As<Napi::Object>().DefineProperty(
      Napi::PropertyDescriptor::Value("onBatch", info[2], napi_default));

  closed_ = true;  // until open succeeds
  int r = count(bridge_.open(path.c_str()));
  if (r) throwErrno(env, ("open(" + path + ")").c_str(), r);
  closed_ = false;
  if (entries) {
    r = count(bridge_.setupRing(entries));
    if (r) {
      bridge_.close();
      closed_ = true;
      throwErrno(env, "ioctl(DMABRIDGE_IOC_RING_SETUP)", r);
    }
    ring_.resize(entries < 4096 ? entries : 4096);
    batch_ = Napi::Persistent(Napi::Int32Array::New(env, ring_.size() * 6));
    napi_value name = Napi::String::New(env, "dmaengine:bridge");
    NAPI_THROW_IF_FAILED_VOID(env, napi_async_init(env, info.This(), name, &async_));
    startPoll(env);
  }
  napi_add_env_cleanup_hook(env, &BridgeWrap::CleanupHook, this);
  hookInstalled_ = true;
}

void BridgeWrap::checkOpen(Napi::Env env) const {
  if (closed_) throw Napi::Error::New(env, "The bridge is closed");
}

uint32_t BridgeWrap::handleArg(const Napi::Value& v, const char* name) const {
  return static_cast<uint32_t>(intArg(v, name, 1, kMaxHandle));
}

Napi::Object BridgeWrap::chanInfo(Napi::Env env, const dmabridge_chan_info& ci) const {
  Napi::Object o = Napi::Object::New(env);
  o.Set("handle", ci.handle);
  o.Set("model", ci.model);
  o.Set("capMask", static_cast<double>(ci.cap_mask & DMABRIDGE_CAP_ALL));
  o.Set("maxXor", ci.max_xor);
  o.Set("maxPq", ci.max_pq);
  o.Set("copyAlign", ci.copy_align);
  o.Set("xorAlign", ci.xor_align);
  o.Set("pqAlign", ci.pq_align);
  o.Set("fillAlign", ci.fill_align);
  o.Set("numaNode", ci.numa_node);
  o.Set("flags", ci.flags);
  o.Set("directions", ci.directions);
  o.Set("maxSeg", ci.max_seg);
  o.Set("name", fixedString(ci.name, sizeof(ci.name)));
  o.Set("device", fixedString(ci.device, sizeof(ci.device)));
  o.Set("driver", fixedString(ci.driver, sizeof(ci.driver)));
  return o;
}

Napi::Value BridgeWrap::Version(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  checkOpen(env);
  dmabridge_version v{};
  int r = count(bridge_.version(&v));
  if (r) throwErrno(env, "ioctl(DMABRIDGE_IOC_VERSION)", r);
  Napi::Object o = Napi::Object::New(env);
  o.Set("abi", v.abi);
  o.Set("maxBatch", v.max_batch);
  o.Set("maxOperands", v.max_operands);
  o.Set("maxSources", v.max_sources);
  o.Set("maxChunks", v.max_chunks);
  o.Set("maxRing", v.max_ring);
  o.Set("maxChannels", v.max_channels);
  o.Set("maxBuffers", v.max_buffers);
  return o;
}

Napi::Value BridgeWrap::Enumerate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  checkOpen(env);
  std::vector<dmabridge_chan_info> all;
  int r = bridge_.enumerate(&all);
  ioctls_ += 1;  // at least one; a retry with a larger array is rare
  if (r) throwErrno(env, "ioctl(DMABRIDGE_IOC_ENUMERATE)", r);
  Napi::Array out = Napi::Array::New(env, all.size());
  for (uint32_t i = 0; i < all.size(); i++) out.Set(i, chanInfo(env, all[i]));
  return out;
}

// requestExclusive(by, name | null, capMask) → info
Napi::Value BridgeWrap::RequestExclusive(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t by = static_cast<uint32_t>(intArg(info[0], "by", DMABRIDGE_BY_ANY, DMABRIDGE_BY_DEVICE));
  std::string name;
  if (!info[1].IsNull() && !info[1].IsUndefined()) {
    if (!info[1].IsString()) throwTypeError(env, "a string or null", "name", info[1]);
    name = info[1].As<Napi::String>().Utf8Value();
    if (name.empty() || name.size() >= DMABRIDGE_NAME_LEN || name.find('\0') != std::string::npos)
      throwRangeError(env, "name", "a channel or device name of 1 to 63 bytes", info[1]);
  }
  uint64_t caps = static_cast<uint64_t>(intArg(info[2], "capMask", 0, DMABRIDGE_CAP_ALL));
  checkOpen(env);
  dmabridge_chan_info ci{};
  int r = count(bridge_.requestExclusive(by, name.empty() ? nullptr : name.c_str(), caps, &ci));
  if (r) throwErrno(env, "ioctl(DMABRIDGE_IOC_CHAN_REQUEST)", r);
  exclusive_.insert(ci.handle);
  return chanInfo(env, ci);
}

// requestShared(cap) → info
Napi::Value BridgeWrap::RequestShared(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t cap = static_cast<uint64_t>(intArg(info[0], "cap", 1, DMABRIDGE_CAP_ALL));
  checkOpen(env);
  dmabridge_chan_info ci{};
  int r = count(bridge_.requestShared(cap, &ci));
  if (r) throwErrno(env, "ioctl(DMABRIDGE_IOC_CHAN_REQUEST)", r);
  return chanInfo(env, ci);
}

uint32_t BridgeWrap::handleIoctl(const Napi::CallbackInfo& info, const char* arg,
                                 const char* ioctl, int (dmabridge::Bridge::*call)(uint32_t)) {
  uint32_t h = handleArg(info[0], arg);
  checkOpen(info.Env());
  int r = count((bridge_.*call)(h));
  if (r) throwErrno(info.Env(), ioctl, r);
  return h;
}

Napi::Value BridgeWrap::ReleaseChannel(const Napi::CallbackInfo& info) {
  exclusive_.erase(handleIoctl(info, "chan", "ioctl(DMABRIDGE_IOC_CHAN_RELEASE)",
                               &dmabridge::Bridge::releaseChannel));
  return info.Env().Undefined();
}

// importBuffer(dmabufFd, chan, dir) → { handle, size, segments }
Napi::Value BridgeWrap::ImportBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = static_cast<int>(intArg(info[0], "fd", 0, 0x7fffffff));
  uint32_t chan = handleArg(info[1], "chan");
  uint32_t dir = static_cast<uint32_t>(intArg(info[2], "dir", DMABRIDGE_DIR_BIDIRECTIONAL, DMABRIDGE_DIR_FROM_DEVICE));
  checkOpen(env);
  dmabridge_buf_import im{};
  int r = count(bridge_.importBuffer(fd, chan, dir, &im));
  if (r) throwErrno(env, "ioctl(DMABRIDGE_IOC_BUF_IMPORT)", r);
  Napi::Object o = Napi::Object::New(env);
  o.Set("handle", im.handle);
  o.Set("size", static_cast<double>(im.size));
  o.Set("segments", im.segments);
  return o;
}

// allocBuffer(size, chan, flags) → { handle, fd, segments }; the caller owns fd.
Napi::Value BridgeWrap::AllocBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t size = static_cast<uint64_t>(intArg(info[0], "size", 1, int64_t(1) << 40));
  uint32_t chan = handleArg(info[1], "chan");
  uint32_t flags = static_cast<uint32_t>(intArg(info[2], "flags", 0, DMABRIDGE_ALLOC_CONTIGUOUS));
  checkOpen(env);
  dmabridge_buf_alloc al{};
  int r = count(bridge_.allocBuffer(size, chan, flags, &al));
  if (r) throwErrno(env, "ioctl(DMABRIDGE_IOC_BUF_ALLOC)", r);
  Napi::Object o = Napi::Object::New(env);
  o.Set("handle", al.handle);
  o.Set("fd", al.fd);
  o.Set("segments", al.segments);
  return o;
}

Napi::Value BridgeWrap::ReleaseBuffer(const Napi::CallbackInfo& info) {
  handleIoctl(info, "buf", "ioctl(DMABRIDGE_IOC_BUF_RELEASE)", &dmabridge::Bridge::releaseBuffer);
  return info.Env().Undefined();
}

// submit(chan, ops, nops, operands, noperands, results, flags) → submitted. One ioctl. ops and
// operands are byte arrays of dmabridge_op / dmabridge_operand records; results an Int32Array
// of at least nops entries, written by the kernel (0 or -errno per op).
Napi::Value BridgeWrap::Submit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t chan = handleArg(info[0], "chan");
  uint32_t nops = static_cast<uint32_t>(intArg(info[2], "nops", 1, DMABRIDGE_MAX_BATCH));
  uint8_t* ops = recordsArg(info[1], "ops", size_t(nops) * kOpSize);
  uint32_t nods = static_cast<uint32_t>(intArg(info[4], "noperands", 0, DMABRIDGE_MAX_OPERANDS));
  uint8_t* ods = recordsArg(info[3], "operands", size_t(nods) * kOperandSize);
  if (!info[5].IsTypedArray() || info[5].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throwTypeError(env, "an Int32Array", "results", info[5]);
  Napi::Int32Array res = info[5].As<Napi::Int32Array>();
  if (res.ElementLength() < nops || res.Data() == nullptr)
    throwRangeError(env, "results.length", "at least nops (" + std::to_string(nops) + ")", info[5]);
  uint32_t flags = static_cast<uint32_t>(intArg(info[6], "flags", 0, DMABRIDGE_SUBMIT_ISSUE | DMABRIDGE_SUBMIT_STOP));
  checkOpen(env);
  // The kernel reads the records once (copy_from_user) and never keeps the pointers; the
  // arrays are copied here anyway so a SharedArrayBuffer's other writers cannot race the
  // flags read below.
  std::vector<dmabridge_op> o(nops);
  std::memcpy(o.data(), ops, size_t(nops) * kOpSize);
  std::vector<dmabridge_operand> d(nods ? nods : 1);
  if (nods) std::memcpy(d.data(), ods, size_t(nods) * kOperandSize);
  std::vector<int32_t> results(nops, 0);
  uint32_t submitted = 0;
  int r = count(bridge_.submit(chan, o.data(), nops, d.data(), nods, results.data(), flags, &submitted));
  submitCalls_++;
  if (r) throwErrno(env, "ioctl(DMABRIDGE_IOC_SUBMIT)", r);
  std::memcpy(res.Data(), results.data(), size_t(nops) * sizeof(int32_t));
  size_t owed = 0;
  for (uint32_t i = 0; i < nops; i++)
    if (results[i] == 0 && (o[i].flags & DMABRIDGE_F_COMPLETION)) owed++;
  opsSubmitted_ += submitted;
  if (owed) hold(env, owed);
  return Napi::Number::New(env, submitted);
}

Napi::Value BridgeWrap::Issue(const Napi::CallbackInfo& info) {
  handleIoctl(info, "chan", "ioctl(DMABRIDGE_IOC_ISSUE)", &dmabridge::Bridge::issue);
  return info.Env().Undefined();
}

Napi::Value BridgeWrap::Terminate(const Napi::CallbackInfo& info) {
  handleIoctl(info, "chan", "ioctl(DMABRIDGE_IOC_TERMINATE)", &dmabridge::Bridge::terminate);
  return info.Env().Undefined();
}

// slaveConfig(chan, direction, addrWidth, maxburst, devAddr: BigInt) — DMABRIDGE_IOC_SLAVE_CONFIG.
// The kernel checks the values against the channel; here only their ranges (no truncation).
Napi::Value BridgeWrap::SlaveConfig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  dmabridge_slave_config cfg{};
  cfg.chan = handleArg(info[0], "chan");
  cfg.direction = static_cast<uint32_t>(intArg(info[1], "direction", 0, 0xffffffffLL));
  cfg.addr_width = static_cast<uint32_t>(intArg(info[2], "addrWidth", 0, 0xffffffffLL));
  cfg.maxburst = static_cast<uint32_t>(intArg(info[3], "maxburst", 0, 0xffffffffLL));
  if (!info[4].IsBigInt()) throwTypeError(env, "a BigInt", "devAddr", info[4]);
  bool lossless = false;
  cfg.dev_addr = info[4].As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) throwRangeError(env, "devAddr", "a BigInt from 0 to 2^64-1", info[4]);
  checkOpen(env);
  int r = count(bridge_.slaveConfig(cfg));
  if (r) throwErrno(env, "ioctl(DMABRIDGE_IOC_SLAVE_CONFIG)", r);
  return env.Undefined();
}

Napi::Value BridgeWrap::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("ioctls", ioctls_);
  o.Set("submitCalls", submitCalls_);
  o.Set("opsSubmitted", opsSubmitted_);
  o.Set("wakeups", wakeups_);
  o.Set("completions", completions_);
  return o;
}

Napi::Value BridgeWrap::Outstanding(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(outstanding_));
}

Napi::Value BridgeWrap::Fd(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), closed_ ? -1 : bridge_.fd());
}

void InitBridge(Napi::Env env, Napi::Object exports) {
  exports.Set("KernelBridgeHandle", BridgeWrap::Define(env));
}

}  // namespace addon
}  // namespace dmae
