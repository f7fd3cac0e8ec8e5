// The errno error of errno_error.h.
#include "addon/errno_error.h"

#include <string.h>

#include <cerrno>
#include <string>

namespace dmae {
namespace addon {

const char* errnoName(int e) {
  switch (e) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case EBADFD: return "EBADFD";
    case ENOTTY: return "ENOTTY";
    case ENOMEM: return "ENOMEM";
    case ENODEV: return "ENODEV";
    case ENXIO: return "ENXIO";
    case EBUSY: return "EBUSY";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case ENOSPC: return "ENOSPC";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EFAULT: return "EFAULT";
    case ENOSYS: return "ENOSYS";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ESPIPE: return "ESPIPE";
    case EAGAIN: return "EAGAIN";
    case EFBIG: return "EFBIG";
    case EOVERFLOW: return "EOVERFLOW";
    case EPROTO: return "EPROTO";
    case EXDEV: return "EXDEV";
    case ERANGE: return "ERANGE";
    case E2BIG: return "E2BIG";
    case ECANCELED: return "ECANCELED";
    case EIO: return "EIO";
    default: return "EUNKNOWN";
  }
}

[[noreturn]] void throwErrno(Napi::Env env, const char* syscall, int negErr) {
  int e = negErr < 0 ? -negErr : negErr;
  char buf[128];
  const char* msg = strerror_r(e, buf, sizeof(buf));  // GNU variant returns the string
  Napi::Error err = Napi::Error::New(env, std::string(syscall) + ": " + msg);
  err.Set("code", Napi::String::New(env, errnoName(e)));
  err.Set("errno", Napi::Number::New(env, e));
  err.Set("syscall", Napi::String::New(env, syscall));
  throw err;
}

}  // namespace addon
}  // namespace dmae
