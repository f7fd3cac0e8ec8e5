// memcpy and memset, written once over the vector primitives the including file defines in its
// anonymous namespace: V, kW, kStreamBytes, ld, st, stA (aligned), stNt (streaming), copySmall,
// fillSmall (mem_avx2.cc, mem_avx512.cc).
//
// Model: below one vector, the ISA's small-size path; up to four vectors, overlapping loads and
// stores from both ends; beyond, one unaligned head, aligned stores in blocks of four, one
// unaligned tail; from kStreamBytes on, streaming stores and a fence.
//
// Included after the ISA pragma, inside namespace dmae::kernels::(anonymous); includes nothing.
// Threading: reentrant.
#pragma once

inline void copyBody(void* dst, const void* src, size_t len) {
  auto* d = static_cast<uint8_t*>(dst);
  auto* s = static_cast<const uint8_t*>(src);
  if (len < kW) return copySmall(d, s, len);
  if (len <= 4 * kW) {
    // Up to four vectors from each end, overlapping in the middle.
    const V a = ld(s), b = ld(s + len - kW);
    if (len > 2 * kW) {
      const V c = ld(s + kW), e = ld(s + len - 2 * kW);
      st(d + kW, c);
      st(d + len - 2 * kW, e);
    }
    st(d, a);
    st(d + len - kW, b);
    return;
  }
  const V head = ld(s), tail = ld(s + len - kW);
  st(d, head);
  const size_t skip = kW - (reinterpret_cast<uintptr_t>(d) & (kW - 1));
  uint8_t* p = d + skip;
  const uint8_t* q = s + skip;
  uint8_t* const end = d + len - kW;  // the tail vector covers [end, d + len)
  if (len >= kStreamBytes) {
    for (; p + 4 * kW <= end; p += 4 * kW, q += 4 * kW) {
      const V a = ld(q), b = ld(q + kW), c = ld(q + 2 * kW), e = ld(q + 3 * kW);
      stNt(p, a);
      stNt(p + kW, b);
      stNt(p + 2 * kW, c);
      stNt(p + 3 * kW, e);
    }
    _mm_sfence();
  } else {
    for (; p + 4 * kW <= end; p += 4 * kW, q += 4 * kW) {
      const V a = ld(q), b = ld(q + kW), c = ld(q + 2 * kW), e = ld(q + 3 * kW);
      stA(p, a);
      stA(p + kW, b);
      stA(p + 2 * kW, c);
      stA(p + 3 * kW, e);
    }
  }
  for (; p < end; p += kW, q += kW) stA(p, ld(q));
  st(end, tail);
}

inline void fillBody(void* dst, V v, size_t len) {
  auto* d = static_cast<uint8_t*>(dst);
  if (len < kW) return fillSmall(d, v, len);
  if (len <= 4 * kW) {
    st(d, v);
    st(d + len - kW, v);
    if (len > 2 * kW) {
      st(d + kW, v);
      st(d + len - 2 * kW, v);
    }
    return;
  }
  st(d, v);
  uint8_t* p = d + kW - (reinterpret_cast<uintptr_t>(d) & (kW - 1));
  uint8_t* const end = d + len - kW;
  if (len >= kStreamBytes) {
    for (; p + 4 * kW <= end; p += 4 * kW) {
      stNt(p, v);
      stNt(p + kW, v);
      stNt(p + 2 * kW, v);
      stNt(p + 3 * kW, v);
    }
    _mm_sfence();
  } else {
    for (; p + 4 * kW <= end; p += 4 * kW) {
      stA(p, v);
      stA(p + kW, v);
      stA(p + 2 * kW, v);
      stA(p + 3 * kW, v);
    }
  }
  for (; p < end; p += kW) stA(p, v);
  st(end, v);
}
