// The dma-buf layer's N-API surface: raw fds and syscalls, checked arguments, errors carrying
// errno. Policy (which source, limits, messages a user can act on) is lib/dmabuf/'s.
//
// Mapping lifetime: dmabufMap returns a Uint8Array over an external ArrayBuffer whose
// finalizer munmaps. The mapping therefore lives exactly as long as some JS object (the DmaBuf,
// an operation in flight, a user's slice) still references the ArrayBuffer, independent of the
// fd: closing the fd never invalidates bytes something still holds.
// Errors: an Error whose message is "<call>: <strerror>" with .code ("ENOENT"), .errno (the
// positive errno) and .syscall.
// Threading: JS thread only; every call is a short syscall.
#include <string.h>
#include <sys/mman.h>

#include <cerrno>
#include <string>
#include <vector>

#include "addon/args.h"
#include "addon/bindings.h"
#include "addon/errno_error.h"
#include "dmabuf/dmabuf.h"

namespace dmae {
namespace addon {

namespace {
constexpr int64_t kMaxFd = 0x7fffffff;
constexpr int64_t kMaxSize = int64_t(1) << 46;  // 64 TiB: beyond any mapping we could make

int check(Napi::Env env, const char* syscall, int r) {
  if (r < 0) throwErrno(env, syscall, r);
  return r;
}

// A string argument of at most maxLen bytes and no NUL (a C string goes to the kernel).
std::string stringArg(const Napi::Value& v, const std::string& name, size_t maxLen) {
  if (!v.IsString()) throwTypeError(v.Env(), "a string", name, v);
  std::string s = v.As<Napi::String>().Utf8Value();
  if (s.size() > maxLen || s.find('\0') != std::string::npos)
    throwRangeError(v.Env(), name, "a string of at most " + std::to_string(maxLen) + " bytes without NUL", v);
  return s;
}

int fdArg(const Napi::CallbackInfo& info, size_t i, const std::string& name) {
  return static_cast<int>(intArg(info[i], name, 0, kMaxFd));
}

Napi::Value PageSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(dmabuf::pageSize()));
}

// memfdCreate(name, size, sealShrink) → fd
Napi::Value MemfdCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = stringArg(info[0], "name", 200);
  int64_t size = intArg(info[1], "size", 0, kMaxSize);
  bool seal = boolArg(info[2], "sealShrink");
  return Napi::Number::New(env, check(env, "memfd_create", dmabuf::memfdCreate(name.c_str(), size, seal)));
}

// openDevice(path, readWrite) → fd
Napi::Value OpenDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = stringArg(info[0], "path", 4095);
  bool rw = boolArg(info[1], "readWrite");
  return Napi::Number::New(env, check(env, "open", dmabuf::openDevice(path.c_str(), rw)));
}

Napi::Value CloseFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = fdArg(info, 0, "fd");
  check(env, "close", dmabuf::closeFd(fd));
  return env.Undefined();
}

Napi::Value DupFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = fdArg(info, 0, "fd");
  return Napi::Number::New(env, check(env, "fcntl(F_DUPFD_CLOEXEC)", dmabuf::dupFd(fd)));
}

// udmabufCreate(devFd, memfd, offset, size) → dma-buf fd
Napi::Value UdmabufCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int dev = fdArg(info, 0, "devFd");
  int memfd = fdArg(info, 1, "memfd");
  int64_t off = intArg(info[2], "offset", 0, kMaxSize);
  int64_t size = intArg(info[3], "size", 0, kMaxSize);
  return Napi::Number::New(env, check(env, "ioctl(UDMABUF_CREATE)", dmabuf::udmabufCreate(dev, memfd, off, size)));
}

// udmabufCreateList(devFd, [{memfd, offset, size}, …]) → dma-buf fd
Napi::Value UdmabufCreateList(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int dev = fdArg(info, 0, "devFd");
  if (!info[1].IsArray()) throwTypeError(env, "an array", "items", info[1]);
  Napi::Array arr = info[1].As<Napi::Array>();
  uint32_t n = arr.Length();
  if (n == 0 || n > 65536) throwRangeError(env, "items", "an array of 1 to 65536 items", info[1]);
  std::vector<dmabuf::UdmabufItem> items(n);
  for (uint32_t i = 0; i < n; i++) {
    std::string at = "items[" + std::to_string(i) + "]";
    Napi::Value v = arr.Get(i);
    if (!v.IsObject()) throwTypeError(env, "an object", at, v);
    Napi::Object o = v.As<Napi::Object>();
    items[i].memfd = static_cast<int>(intArg(o.Get("memfd"), at + ".memfd", 0, kMaxFd));
    items[i].offset = intArg(o.Get("offset"), at + ".offset", 0, kMaxSize);
    items[i].size = intArg(o.Get("size"), at + ".size", 0, kMaxSize);
  }
  return Napi::Number::New(env, check(env, "ioctl(UDMABUF_CREATE_LIST)",
                                      dmabuf::udmabufCreateList(dev, items.data(), n)));
}

// heapAlloc(heapFd, len) → dma-buf fd
Napi::Value HeapAlloc(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int heap = fdArg(info, 0, "heapFd");
  int64_t len = intArg(info[1], "len", 1, kMaxSize);
  return Napi::Number::New(env, check(env, "ioctl(DMA_HEAP_IOCTL_ALLOC)", dmabuf::heapAlloc(heap, len)));
}

// sync(fd, flags): flags are passed through so the kernel's own EINVAL is observable.
Napi::Value Sync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = fdArg(info, 0, "fd");
  int64_t flags = intArg(info[1], "flags", 0, 0xffffffff);
  check(env, "ioctl(DMA_BUF_IOCTL_SYNC)", dmabuf::sync(fd, static_cast<uint64_t>(flags)));
  return env.Undefined();
}

Napi::Value SetName(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = fdArg(info, 0, "fd");
  std::string name = stringArg(info[1], "name", dmabuf::kNameLen - 1);
  check(env, "ioctl(DMA_BUF_SET_NAME)", dmabuf::setName(fd, name.c_str()));
  return env.Undefined();
}

Napi::Value ExportSyncFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = fdArg(info, 0, "fd");
  int64_t flags = intArg(info[1], "flags", 0, 0xffffffff);
  return Napi::Number::New(env, check(env, "ioctl(DMA_BUF_IOCTL_EXPORT_SYNC_FILE)",
                                      dmabuf::exportSyncFile(fd, static_cast<uint32_t>(flags))));
}

Napi::Value ImportSyncFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = fdArg(info, 0, "fd");
  int syncFd = fdArg(info, 1, "syncFd");
  int64_t flags = intArg(info[2], "flags", 0, 0xffffffff);
  check(env, "ioctl(DMA_BUF_IOCTL_IMPORT_SYNC_FILE)",
        dmabuf::importSyncFile(fd, syncFd, static_cast<uint32_t>(flags)));
  return env.Undefined();
}

Napi::Value FdSize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = fdArg(info, 0, "fd");
  int64_t r = dmabuf::fdSize(fd);
  if (r < 0) throwErrno(env, "lseek", static_cast<int>(r));
  return Napi::Number::New(env, static_cast<double>(r));
}

// One mapping handed to an ArrayBuffer. `released` makes the unmap happen exactly once
// whichever side gets there first (see Map).
struct Mapping {
  void* addr;
  size_t len;
  bool released;
};
// Set while napi_create_external_arraybuffer runs: a finalizer that fires then is that call
// releasing the mapping on its own failure path.
thread_local bool creatingMapping = false;

void releaseMapping(Mapping* m) {
  if (m->released) return;
  m->released = true;
  dmabuf::unmap(m->addr, m->len);
}

void mappingFinalizer(napi_env, void*, void* hint) {
  Mapping* m = static_cast<Mapping*>(hint);
  releaseMapping(m);
  if (!creatingMapping) delete m;  // during creation the failing call below still holds it
}

// map(fd, size) → Uint8Array over MAP_SHARED memory, unmapped by the ArrayBuffer's finalizer.
// Ownership of the mapping passes to the ArrayBuffer at most once. The raw call is used (not
// Napi::ArrayBuffer::New) because Node 20 runs the finalizer itself when it refuses a length
// (over buffer.constants.MAX_LENGTH, 2^32 there) and then reports the failure: node-addon-api
// then freed its finalizer record a second time (abort), and an unmap here would have been a
// third release. If a Node version deferred that finalizer instead, the record outlives the
// failure (a few bytes, never freed twice) and `released` keeps the unmap single.
// lib/dmabuf/ refuses such sizes first with a RangeError; this keeps the native side safe alone.
Napi::Value Map(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = fdArg(info, 0, "fd");
  int64_t size = intArg(info[1], "size", 1, kMaxSize);
  int err = 0;
  size_t len = static_cast<size_t>(size);
  void* p = dmabuf::mapShared(fd, len, &err);
  if (!p) throwErrno(env, "mmap", err);
  Mapping* m = new Mapping{p, len, false};
  napi_value ab = nullptr;
  creatingMapping = true;
  napi_status st = napi_create_external_arraybuffer(env, p, len, mappingFinalizer, m, &ab);
  creatingMapping = false;
  if (st != napi_ok) {
    bool finalized = m->released;
    releaseMapping(m);
    if (finalized) delete m;  // else a deferred finalizer may still come and will free it
    if (env.IsExceptionPending()) {
      Napi::Error e = env.GetAndClearPendingException();
      throw Napi::RangeError::New(env, "Expected \"size\" to be a length this Node.js can map into an ArrayBuffer but received " +
                                           std::to_string(size) + " (" + e.Message() + ")");
    }
    throw Napi::RangeError::New(env, "Expected \"size\" to be a length this Node.js can map into an ArrayBuffer but received " +
                                         std::to_string(size));
  }
  return Napi::Uint8Array::New(env, len, Napi::ArrayBuffer(env, ab), 0);
}

// fdinfo(fd) → { isDmaBuf, size, count, expName, name, flags }
Napi::Value Fdinfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = fdArg(info, 0, "fd");
  dmabuf::FdInfo fi;
  check(env, "read(/proc/self/fdinfo)", dmabuf::readFdinfo(fd, &fi));
  Napi::Object o = Napi::Object::New(env);
  o.Set("isDmaBuf", fi.isDmaBuf);
  o.Set("size", fi.size >= 0 ? Napi::Number::New(env, static_cast<double>(fi.size)) : env.Null());
  o.Set("count", fi.count >= 0 ? Napi::Number::New(env, static_cast<double>(fi.count)) : env.Null());
  o.Set("expName", fi.isDmaBuf ? Napi::String::New(env, fi.expName) : env.Null());
  o.Set("name", fi.hasName ? Napi::String::New(env, fi.name) : env.Null());
  o.Set("flags", fi.flags >= 0 ? Napi::Number::New(env, static_cast<double>(fi.flags)) : env.Null());
  return o;
}
}  // namespace

void InitDmabuf(Napi::Env env, Napi::Object exports) {
  Napi::Object d = Napi::Object::New(env);
  d.Set("pageSize", Napi::Function::New(env, PageSize, "pageSize"));
  d.Set("memfdCreate", Napi::Function::New(env, MemfdCreate, "memfdCreate"));
  d.Set("openDevice", Napi::Function::New(env, OpenDevice, "openDevice"));
  d.Set("closeFd", Napi::Function::New(env, CloseFd, "closeFd"));
  d.Set("dupFd", Napi::Function::New(env, DupFd, "dupFd"));
  d.Set("udmabufCreate", Napi::Function::New(env, UdmabufCreate, "udmabufCreate"));
  d.Set("udmabufCreateList", Napi::Function::New(env, UdmabufCreateList, "udmabufCreateList"));
  d.Set("heapAlloc", Napi::Function::New(env, HeapAlloc, "heapAlloc"));
  d.Set("sync", Napi::Function::New(env, Sync, "sync"));
  d.Set("setName", Napi::Function::New(env, SetName, "setName"));
  d.Set("exportSyncFile", Napi::Function::New(env, ExportSyncFile, "exportSyncFile"));
  d.Set("importSyncFile", Napi::Function::New(env, ImportSyncFile, "importSyncFile"));
  d.Set("fdSize", Napi::Function::New(env, FdSize, "fdSize"));
  d.Set("map", Napi::Function::New(env, Map, "map"));
  d.Set("fdinfo", Napi::Function::New(env, Fdinfo, "fdinfo"));
  exports.Set("dmabuf", d);
}

}  // namespace addon
}  // namespace dmae
