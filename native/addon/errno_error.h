// Errors carrying errno across the N-API boundary, one shape for every syscall wrapper: an
// Error whose message is "<call>: <strerror>" with .code ("ENOENT"), .errno (the positive
// errno) and .syscall. lib/dmabuf/errors.ts (isNativeErrno, rethrow) turns it into a
// DmaEngineError with context.
#pragma once

#include <napi.h>

namespace dmae {
namespace addon {

// The errno's name ("EACCES"), "EUNKNOWN" for one the addon never expects.
const char* errnoName(int e);
// Throws the error above for -errno or errno.
[[noreturn]] void throwErrno(Napi::Env env, const char* syscall, int negErr);

}  // namespace addon
}  // namespace dmae
