// P+Q syndrome, generate / read-modify-write / check, written once over a vector type W.
//
// Model: for data slots start..stop at column i, P = ⊕ D_z and Q = ⊕ g^z·D_z (slot index z;
// a null slot is zero and keeps its index). Two ways to get Q, chosen by W::kCheapMul:
//  - Horner (AVX2, AVX-512BW, where a general multiply costs 6 ops but ·{02} costs 3):
//    from the highest slot down, Q = Q·{02} ⊕ D_z; the partial range start..stop yields
//    ⊕ g^(z-start)·D_z and is scaled by g^start once per column at the end.
//  - Direct (GFNI, where any multiply is one vgf2p8affineqb): null slots are dropped up front
//    and each block is multiplied by its own g^z, with no dependency chain between slots;
//    pairs of slots fold into P and Q with one three-way xor each.
// The check computes the same syndrome, xors it with the stored P/Q, ORs the difference per
// block and leaves as soon as every enabled parity is known to mismatch.
//
// Included after the ISA pragma; includes nothing; internal linkage only.
//
// Threading: reentrant.
#pragma once

namespace dmae {
namespace kernels {
namespace {

template <class W>
struct HornerSyndrome {
  using V = typename W::V;
  const uint8_t* const* s;
  int start, stop;
  bool scale;
  typename W::Coef k;

  HornerSyndrome(const uint8_t* const* ptrs, int first, int last) : s(ptrs), start(first), stop(last) {
    scale = first > 0;
    k = W::coef(scale ? gf256().exp[first] : 1);
  }

  template <int C, class M>
  inline void at(size_t i, const M& m, V* p, V* q) const {
    int z = stop;
    while (z >= start && !s[z]) z--;  // high null slots: Q is still zero, ·{02} changes nothing
    if (z < start) {
      for (int u = 0; u < C; u++) p[u] = q[u] = W::zero();
      return;
    }
    for (int u = 0; u < C; u++) p[u] = q[u] = m.ld(s[z] + i + u * W::kW);
    for (z--; z >= start; z--) {
      if (s[z]) {
        for (int u = 0; u < C; u++) {
          const V d = m.ldR(s[z] + i + u * W::kW);
          p[u] = W::x(p[u], d);
          q[u] = W::mul2x(q[u], d);
        }
      } else {
        for (int u = 0; u < C; u++) q[u] = W::mul2(q[u]);
      }
    }
    if (scale) {
      for (int u = 0; u < C; u++) q[u] = W::mul(q[u], k);
    }
  }
};

template <class W>
struct DirectSyndrome {
  using V = typename W::V;
  const uint8_t* d[kMaxDisks];  // slots first..last, all below kMaxDisks
  typename W::Coef c[kMaxDisks];
  int n = 0;

  DirectSyndrome(const uint8_t* const* ptrs, int first, int last) {
    const Gf256Tables& t = gf256();
    for (int z = first; z <= last; z++) {
      if (!ptrs[z]) continue;
      d[n] = ptrs[z];
      c[n] = W::coef(t.exp[z]);
      n++;
    }
  }

  // Each block of a slot is loaded whole before the next slot's: runs of 256 bytes per stream
  // measured faster from L2 than loads alternating between the pair.
  template <int C, class M>
  inline void at(size_t i, const M& m, V* p, V* q) const {
    for (int u = 0; u < C; u++) p[u] = q[u] = W::zero();
    int j = 0;
    for (; j + 1 < n; j += 2) {
      V a[C], b[C];
      for (int u = 0; u < C; u++) a[u] = m.ldR(d[j] + i + u * W::kW);
      for (int u = 0; u < C; u++) b[u] = m.ldR(d[j + 1] + i + u * W::kW);
      for (int u = 0; u < C; u++) {
        p[u] = W::x3(p[u], a[u], b[u]);
        q[u] = W::x3(q[u], W::mul(a[u], c[j]), W::mul(b[u], c[j + 1]));
      }
    }
    if (j < n) {
      for (int u = 0; u < C; u++) {
        const V a = m.ldR(d[j] + i + u * W::kW);
        p[u] = W::x(p[u], a);
        q[u] = W::x(q[u], W::mul(a, c[j]));
      }
    }
  }
};

template <bool B, class T, class F>
struct PickT {
  using type = T;
};
template <class T, class F>
struct PickT<false, T, F> {
  using type = F;
};
template <class W>
using Syndrome = typename PickT<W::kCheapMul, DirectSyndrome<W>, HornerSyndrome<W>>::type;

template <class W, int U>
void pqGenImpl(int disks, size_t len, uint8_t* const* ptrs) {
  using V = typename W::V;
  uint8_t* P = ptrs[disks - 2];
  uint8_t* Q = ptrs[disks - 1];
  const Syndrome<W> syn(ptrs, 0, disks - 3);
  forColumns<W, U>(len, [&](size_t i, auto cols, auto m) {
    constexpr int C = decltype(cols)::n;
    V p[C], q[C];
    syn.template at<C>(i, m, p, q);
    if (P) for (int u = 0; u < C; u++) m.st(P + i + u * W::kW, p[u]);
    if (Q) for (int u = 0; u < C; u++) m.st(Q + i + u * W::kW, q[u]);
    return true;
  });
}

template <class W, int U>
void pqGenXorImpl(int disks, int start, int stop, size_t len, uint8_t* const* ptrs) {
  using V = typename W::V;
  uint8_t* P = ptrs[disks - 2];
  uint8_t* Q = ptrs[disks - 1];
  const Syndrome<W> syn(ptrs, start, stop);
  forColumns<W, U>(len, [&](size_t i, auto cols, auto m) {
    constexpr int C = decltype(cols)::n;
    V p[C], q[C];
    syn.template at<C>(i, m, p, q);
    if (P) for (int u = 0; u < C; u++) m.st(P + i + u * W::kW, W::x(p[u], m.ld(P + i + u * W::kW)));
    if (Q) for (int u = 0; u < C; u++) m.st(Q + i + u * W::kW, W::x(q[u], m.ld(Q + i + u * W::kW)));
    return true;
  });
}

template <class W, int U>
unsigned pqCheckImpl(int disks, size_t len, const uint8_t* const* ptrs) {
  using V = typename W::V;
  const uint8_t* P = ptrs[disks - 2];
  const uint8_t* Q = ptrs[disks - 1];
  const unsigned want = (P ? kPMismatch : 0u) | (Q ? kQMismatch : 0u);
  if (!want) return 0;
  unsigned res = 0;
  const Syndrome<W> syn(ptrs, 0, disks - 3);
  forColumns<W, U>(len, [&](size_t i, auto cols, auto m) {
    constexpr int C = decltype(cols)::n;
    V p[C], q[C];
    syn.template at<C>(i, m, p, q);
    if (P && columnsDiffer<W, C>(p, P, i, m)) res |= kPMismatch;
    if (Q && columnsDiffer<W, C>(q, Q, i, m)) res |= kQMismatch;
    return res != want;
  });
  return res;
}

}  // namespace
}  // namespace kernels
}  // namespace dmae
