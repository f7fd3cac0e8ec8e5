// Fuzz target: the input picks an operation (explicit-coefficient P+Q included), a variant, a length, a block count, null slots,
// flags and the data. Every supported variant must agree with the base reference, and no
// kernel may touch a byte outside its buffers: each block is its own exact-size heap
// allocation (ASan, in the ASan and libFuzzer builds, traps any overrun), and outputs are
// compared whole.
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/variants.h"

namespace {

using namespace dmae::kernels;

struct Input {
  const uint8_t* p;
  size_t n;
  size_t at = 0;
  uint8_t byte() { return at < n ? p[at++] : 0; }
  unsigned u16() { return byte() | (byte() << 8); }
};

// Blocks of exactly `len` bytes each, filled from the input (cycled) so the fuzzer steers data.
struct Blocks {
  std::vector<std::unique_ptr<uint8_t[]>> own;
  std::vector<uint8_t*> ptrs;
  Blocks(int count, size_t len, Input& in) {
    for (int b = 0; b < count; b++) {
      own.emplace_back(new uint8_t[len]);
      for (size_t i = 0; i < len; i++) {
        own.back()[i] = in.n ? static_cast<uint8_t>(in.p[(b * 131 + i) % in.n] + b) : uint8_t(b);
      }
      ptrs.push_back(own.back().get());
    }
  }
  std::vector<uint8_t> snapshot(int b, size_t len) const { return {own[b].get(), own[b].get() + len}; }
};

[[noreturn]] void fail() { __builtin_trap(); }

void runOne(const KernelSet& ks, unsigned op, Input& in) {
  const size_t len = 1 + in.u16() % 9000;
  const int count = 1 + in.byte() % 40;  // sources or disks, small enough to stay fast
  const uint64_t nullMask = in.u16() | (uint64_t(in.u16()) << 16);
  const uint8_t flags = in.byte();
  Blocks a(count + 2, len, in), b(count + 2, len, in);
  for (int i = 0; i < count + 2; i++) std::memcpy(b.ptrs[i], a.ptrs[i], len);
  auto nulled = [&](std::vector<uint8_t*> v, int upto) {
    for (int i = 0; i < upto && i < 32; i++)
      if (nullMask & (1ull << i)) v[i] = nullptr;
    return v;
  };
  const int disks = count + 2;  // pq ops: count data slots, P, Q
  if (op >= 4 && op <= 6 && disks < 4) return;  // check and recovery need two data slots
  switch (op) {
    case 0: {  // xor gen, dst is block count (+1 scratch), sources 0..count-1, maybe aliasing dst
      auto sa = nulled(a.ptrs, count), sb = nulled(b.ptrs, count);
      if (flags & 2) { sa[0] = a.ptrs[count]; sb[0] = b.ptrs[count]; }
      const bool zero = flags & 1;
      ks.xorGen(a.ptrs[count], const_cast<const uint8_t* const*>(sa.data()), count, len, zero);
      xorGen_base(b.ptrs[count], const_cast<const uint8_t* const*>(sb.data()), count, len, zero);
      if (a.snapshot(count, len) != b.snapshot(count, len)) fail();
      break;
    }
    case 1: {  // xor check, often on a zero sum
      auto s = nulled(a.ptrs, count);
      if ((flags & 1) && count > 1 && s[0]) xorGen_base(s[0], const_cast<const uint8_t* const*>(s.data()) + 1, count - 1, len, true);
      const auto* cs = const_cast<const uint8_t* const*>(s.data());
      if (ks.xorIsZero(cs, count, len) != xorIsZero_base(cs, count, len)) fail();
      break;
    }
    case 2: case 3: {  // P+Q gen / gen-xor, P or Q maybe omitted
      auto pa = nulled(a.ptrs, disks - 2), pb = nulled(b.ptrs, disks - 2);
      if ((flags & 3) == 1) pa[disks - 2] = pb[disks - 2] = nullptr;
      if ((flags & 3) == 2) pa[disks - 1] = pb[disks - 1] = nullptr;
      if (op == 2) {
        ks.pqGen(disks, len, pa.data());
        pqGen_base(disks, len, pb.data());
      } else {
        const int start = (flags >> 2) % (disks - 2);
        const int stop = start + in.byte() % (disks - 2 - start);
        ks.pqGenXor(disks, start, stop, len, pa.data());
        pqGenXor_base(disks, start, stop, len, pb.data());
      }
      for (int i = disks - 2; i < disks; i++)
        if (a.snapshot(i, len) != b.snapshot(i, len)) fail();
      break;
    }
    case 4: {  // P+Q check, consistent or corrupted at one byte
      auto p = nulled(a.ptrs, disks - 2);
      pqGen_base(disks, len, p.data());
      if (flags & 1) p[disks - 1 - (flags >> 1) % 2][in.u16() % len] ^= 1 + (flags >> 2) % 255;
      if ((flags & 0x30) == 0x10) p[disks - 2] = nullptr;
      const auto* cp = const_cast<const uint8_t* const*>(p.data());
      if (ks.pqCheck(disks, len, cp) != pqCheck_base(disks, len, cp)) fail();
      break;
    }
    case 9: {  // explicit-coefficient P+Q, fresh or accumulate, P or Q omitted, maybe P as a source
      std::vector<uint8_t> coefs(count);
      for (auto& c : coefs) c = in.byte();
      auto sa = a.ptrs, sb = b.ptrs;
      if (flags & 4) { sa[0] = a.ptrs[count]; sb[0] = b.ptrs[count]; }
      uint8_t* pa = (flags & 3) == 1 ? nullptr : a.ptrs[count];
      uint8_t* pb = (flags & 3) == 1 ? nullptr : b.ptrs[count];
      uint8_t* qa = (flags & 3) == 2 ? nullptr : a.ptrs[count + 1];
      uint8_t* qb = (flags & 3) == 2 ? nullptr : b.ptrs[count + 1];
      if (!pa && (flags & 4)) break;  // P as a source needs P
      const bool acc = flags & 8;
      ks.pqGenCoef(const_cast<const uint8_t* const*>(sa.data()), coefs.data(), count, len, pa, qa, acc);
      pqGenCoef_base(const_cast<const uint8_t* const*>(sb.data()), coefs.data(), count, len, pb, qb, acc);
      for (int i = count; i < count + 2; i++)
        if (a.snapshot(i, len) != b.snapshot(i, len)) fail();
      break;
    }
    case 10: {  // explicit-coefficient check, consistent or corrupted at one byte
      std::vector<uint8_t> coefs(count);
      for (auto& c : coefs) c = in.byte();
      const auto* cs = const_cast<const uint8_t* const*>(a.ptrs.data());
      pqGenCoef_base(cs, coefs.data(), count, len, a.ptrs[count], a.ptrs[count + 1], false);
      if (flags & 1) a.ptrs[(flags >> 1) % (count + 2)][in.u16() % len] ^= 1 + (flags >> 3) % 255;
      const uint8_t* p = (flags & 0x60) == 0x20 ? nullptr : a.ptrs[count];
      const uint8_t* q = (flags & 0x60) == 0x40 ? nullptr : a.ptrs[count + 1];
      if (ks.pqCheckCoef(cs, coefs.data(), count, len, p, q) != pqCheckCoef_base(cs, coefs.data(), count, len, p, q)) fail();
      break;
    }
    default: {  // recovery round trips
      auto p = nulled(a.ptrs, disks - 2);
      const int fa = flags % (disks - 2);
      int fb = in.byte() % (disks - 2);
      if (fb == fa) fb = (fa + 1) % (disks - 2);
      const int lo = fa < fb ? fa : fb, hi = fa < fb ? fb : fa;
      p[lo] = a.ptrs[lo];
      p[hi] = a.ptrs[hi];
      pqGen_base(disks, len, p.data());
      std::vector<std::vector<uint8_t>> want;
      for (int i = 0; i < disks; i++) want.push_back(a.snapshot(i, len));
      std::memset(p[lo], 0xee, len);
      if (op == 5) {
        std::memset(p[hi], 0xdd, len);
        ks.recov2Data(disks, len, lo, hi, p.data());
      } else {
        std::memset(p[disks - 2], 0xdd, len);
        ks.recovDataP(disks, len, lo, p.data());
      }
      for (int i = 0; i < disks; i++)
        if (a.snapshot(i, len) != want[i]) fail();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in{data, size};
  const unsigned op = in.byte() % 11;
  size_t nsets = 0;
  const KernelSet* sets = kernelSets(&nsets);
  std::vector<const KernelSet*> cands;
  for (size_t i = 0; i < nsets; i++) {
    const KernelSet& s = sets[i];
    const bool has = op == 0 ? s.xorGen != nullptr
                     : op == 1 ? s.xorIsZero != nullptr
                     : op <= 4 ? s.pqGen != nullptr
                     : op <= 6 ? s.recov2Data != nullptr
                     : op <= 8 ? s.copy != nullptr
                               : s.pqGenCoef != nullptr;
    if (has && s.supported()) cands.push_back(&s);
  }
  const KernelSet& ks = *cands[in.byte() % cands.size()];
  if (op < 7 || op > 8) {
    runOne(ks, op, in);
    return 0;
  }
  // memcpy / memset between independent offsets inside exact-size buffers.
  const size_t len = 1 + in.u16() % 9000;
  const size_t doff = in.byte() % 64, soff = in.byte() % 64;
  std::unique_ptr<uint8_t[]> src(new uint8_t[len + soff]), dst(new uint8_t[len + doff]);
  for (size_t i = 0; i < len + soff; i++) src[i] = size ? static_cast<uint8_t>(data[i % size] + i) : 0;
  std::memset(dst.get(), 0x11, len + doff);
  if (op == 7) {
    ks.copy(dst.get() + doff, src.get() + soff, len);
    if (std::memcmp(dst.get() + doff, src.get() + soff, len)) fail();
    for (size_t i = 0; i < doff; i++)
      if (dst[i] != 0x11) fail();
  } else {
    const uint8_t v = in.byte();
    ks.fill(dst.get() + doff, v, len);
    for (size_t i = 0; i < len + doff; i++)
      if (dst[i] != (i < doff ? 0x11 : v)) fail();
  }
  // Also through the dispatcher, which must pick something that agrees.
  copy(dst.get(), src.get(), len);
  if (std::memcmp(dst.get(), src.get(), len)) fail();
  return 0;
}
