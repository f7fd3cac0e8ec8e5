// glibc's memcpy/memset as a variant: on most x86 machines they are the ones to beat, and the
// dispatcher must be free to keep them.
#include <cstring>

#include "kernels/variants.h"

namespace dmae {
namespace kernels {

void copy_glibc(void* dst, const void* src, size_t len) { std::memcpy(dst, src, len); }
void fill_glibc(void* dst, uint8_t value, size_t len) { std::memset(dst, value, len); }

}  // namespace kernels
}  // namespace dmae
