// Fuzz target: the input picks an operation, a length, offsets and a source count; every
// variant must agree with the base reference and never touch bytes outside the buffers (the
// buffers are exact-size heap allocations, so ASan catches any overrun).
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/variants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dmae::kernels;
  if (size < 4) return 0;
  const unsigned op = data[0] % 4;
  const int nsrc = 1 + data[1] % 16;
  const size_t len = 1 + ((data[2] | (data[3] << 8)) % 8192);
  data += 4;
  size -= 4;
  std::vector<std::vector<uint8_t>> srcs(nsrc, std::vector<uint8_t>(len));
  for (int s = 0; s < nsrc; s++)
    for (size_t i = 0; i < len; i++) srcs[s][i] = size ? data[(s * 131 + i) % size] : 0;
  std::vector<const uint8_t*> ptrs(nsrc);
  for (int s = 0; s < nsrc; s++) ptrs[s] = srcs[s].data();
  std::vector<uint8_t> a(len), b(len);
  switch (op) {
    case 0:
      xorGen(a.data(), ptrs.data(), nsrc, len, true);
      xorGen_base(b.data(), ptrs.data(), nsrc, len, true);
      if (std::memcmp(a.data(), b.data(), len)) __builtin_trap();
      break;
    case 1:
      if (xorIsZero(ptrs.data(), nsrc, len) != xorIsZero_base(ptrs.data(), nsrc, len)) __builtin_trap();
      break;
    case 2: {
      if (nsrc < 3) break;
      std::vector<uint8_t*> pq(nsrc + 2);
      for (int s = 0; s < nsrc; s++) pq[s] = srcs[s].data();
      pq[nsrc] = a.data();
      pq[nsrc + 1] = b.data();
      pqGen(nsrc + 2, len, pq.data());
      if (pqCheck(nsrc + 2, len, pq.data()) != 0) __builtin_trap();
      break;
    }
    default:
      copy(a.data(), ptrs[0], len);
      if (std::memcmp(a.data(), ptrs[0], len)) __builtin_trap();
  }
  return 0;
}
