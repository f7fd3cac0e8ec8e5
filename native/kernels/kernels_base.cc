// Portable reference kernels: byte loops, no SIMD, the oracle every variant is tested against.
// Written for clarity, not speed; the compiler may still vectorise the simple loops.
#include <cstring>

#include "kernels/gf256.h"
#include "kernels/variants.h"

namespace dmae {
namespace kernels {

void copy_base(void* dst, const void* src, size_t len) {
  auto* d = static_cast<uint8_t*>(dst);
  auto* s = static_cast<const uint8_t*>(src);
  for (size_t i = 0; i < len; i++) d[i] = s[i];
}

void fill_base(void* dst, uint8_t value, size_t len) {
  auto* d = static_cast<uint8_t*>(dst);
  for (size_t i = 0; i < len; i++) d[i] = value;
}

void xorGen_base(uint8_t* dst, const uint8_t* const* srcs, int nsrc, size_t len, bool zeroDst) {
  // Byte at a time, all sources per byte: a source that aliases dst is read before dst[i]
  // is written, so feeding the running destination back as a source works.
  for (size_t i = 0; i < len; i++) {
    uint8_t acc = zeroDst ? 0 : dst[i];
    for (int s = 0; s < nsrc; s++) {
      if (srcs[s]) acc ^= srcs[s][i];
    }
    dst[i] = acc;
  }
}

bool xorIsZero_base(const uint8_t* const* srcs, int nsrc, size_t len) {
  for (size_t i = 0; i < len; i++) {
    uint8_t acc = 0;
    for (int s = 0; s < nsrc; s++) {
      if (srcs[s]) acc ^= srcs[s][i];
    }
    if (acc) return false;
  }
  return true;
}

namespace {
// P and Q of data slots start..stop at byte i (Horner from the highest slot down).
inline void syndromeAt(const Gf256Tables& t, int start, int stop, const uint8_t* const* ptrs,
                       size_t i, uint8_t* p, uint8_t* q) {
  uint8_t wp = 0, wq = 0;
  for (int z = stop; z >= start; z--) {
    const uint8_t d = ptrs[z] ? ptrs[z][i] : 0;
    wp ^= d;
    wq = static_cast<uint8_t>(t.mul[2][wq] ^ d);
  }
  // Horner gives ⊕_{z=start..stop} g^(z-start)·D_z; shift by g^start.
  *p = wp;
  *q = t.mul[t.exp[start]][wq];
}
}  // namespace

void pqGen_base(int disks, size_t len, uint8_t* const* ptrs) {
  const Gf256Tables& t = gf256();
  uint8_t* P = ptrs[disks - 2];
  uint8_t* Q = ptrs[disks - 1];
  for (size_t i = 0; i < len; i++) {
    uint8_t p, q;
    syndromeAt(t, 0, disks - 3, ptrs, i, &p, &q);
    if (P) P[i] = p;
    if (Q) Q[i] = q;
  }
}

void pqGenXor_base(int disks, int start, int stop, size_t len, uint8_t* const* ptrs) {
  const Gf256Tables& t = gf256();
  uint8_t* P = ptrs[disks - 2];
  uint8_t* Q = ptrs[disks - 1];
  for (size_t i = 0; i < len; i++) {
    uint8_t p, q;
    syndromeAt(t, start, stop, ptrs, i, &p, &q);
    if (P) P[i] ^= p;
    if (Q) Q[i] ^= q;
  }
}

unsigned pqCheck_base(int disks, size_t len, const uint8_t* const* ptrs) {
  const Gf256Tables& t = gf256();
  const uint8_t* P = ptrs[disks - 2];
  const uint8_t* Q = ptrs[disks - 1];
  unsigned res = 0;
  for (size_t i = 0; i < len; i++) {
    uint8_t p, q;
    syndromeAt(t, 0, disks - 3, ptrs, i, &p, &q);
    if (P && P[i] != p) res |= 1u;
    if (Q && Q[i] != q) res |= 2u;
  }
  return res;
}

void raid6_2dataRecov_base(int disks, size_t len, int faila, int failb, uint8_t* const* ptrs) {
  const Gf256Tables& t = gf256();
  const uint8_t* P = ptrs[disks - 2];
  const uint8_t* Q = ptrs[disks - 1];
  uint8_t* Da = ptrs[faila];
  uint8_t* Db = ptrs[failb];
  // Da ⊕ Db = P ⊕ Σ others = Pd;  g^a·Da ⊕ g^b·Db = Q ⊕ Σ g^i·others = Qd.
  // Db = (g^(b-a) ⊕ 1)^-1 · (Pd ⊕ g^-a·Qd);  Da = Pd ⊕ Db.
  const uint8_t pbmul = t.inv[t.exp[failb - faila] ^ 1];
  const uint8_t qmul = t.inv[t.exp[faila] ^ t.exp[failb]];
  for (size_t i = 0; i < len; i++) {
    uint8_t pd = P[i], qd = Q[i];
    for (int z = 0; z < disks - 2; z++) {
      if (z == faila || z == failb || !ptrs[z]) continue;
      pd ^= ptrs[z][i];
      qd ^= t.mul[t.exp[z]][ptrs[z][i]];
    }
    const uint8_t db = t.mul[pbmul][pd] ^ t.mul[qmul][qd];
    Db[i] = db;
    Da[i] = pd ^ db;
  }
}

void raid6_datapRecov_base(int disks, size_t len, int faila, uint8_t* const* ptrs) {
  const Gf256Tables& t = gf256();
  uint8_t* P = ptrs[disks - 2];
  const uint8_t* Q = ptrs[disks - 1];
  uint8_t* Da = ptrs[faila];
  const uint8_t qinv = t.inv[t.exp[faila]];
  for (size_t i = 0; i < len; i++) {
    uint8_t p = 0, qd = Q[i];
    for (int z = 0; z < disks - 2; z++) {
      if (z == faila || !ptrs[z]) continue;
      p ^= ptrs[z][i];
      qd ^= t.mul[t.exp[z]][ptrs[z][i]];
    }
    const uint8_t da = t.mul[qinv][qd];
    Da[i] = da;
    P[i] = p ^ da;
  }
}

}  // namespace kernels
}  // namespace dmae
