// The variant table: every implementation of every operation, the base ones first.
// dispatch.cc measures the supported ones and picks one per operation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dmae {
namespace kernels {

using MemcpyFn = void (*)(void*, const void*, size_t);
using MemsetFn = void (*)(void*, uint8_t, size_t);
using XorGenFn = void (*)(uint8_t*, const uint8_t* const*, int, size_t, bool);
using XorIsZeroFn = bool (*)(const uint8_t* const*, int, size_t);
using PqGenFn = void (*)(int, size_t, uint8_t* const*);
using PqGenXorFn = void (*)(int, int, int, size_t, uint8_t* const*);
using PqCheckFn = unsigned (*)(int, size_t, const uint8_t* const*);
using Recov2DataFn = void (*)(int, size_t, int, int, uint8_t* const*);
using RecovDataPFn = void (*)(int, size_t, int, uint8_t* const*);

// Portable references (kernels_base.cc).
void copy_base(void* dst, const void* src, size_t len);
void fill_base(void* dst, uint8_t value, size_t len);
void xorGen_base(uint8_t* dst, const uint8_t* const* srcs, int nsrc, size_t len, bool zeroDst);
bool xorIsZero_base(const uint8_t* const* srcs, int nsrc, size_t len);
void pqGen_base(int disks, size_t len, uint8_t* const* ptrs);
void pqGenXor_base(int disks, int start, int stop, size_t len, uint8_t* const* ptrs);
unsigned pqCheck_base(int disks, size_t len, const uint8_t* const* ptrs);
void raid6_2dataRecov_base(int disks, size_t len, int faila, int failb, uint8_t* const* ptrs);
void raid6_datapRecov_base(int disks, size_t len, int faila, uint8_t* const* ptrs);

}  // namespace kernels
}  // namespace dmae
