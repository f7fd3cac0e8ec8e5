// Explicit-coefficient P+Q, generate (optionally XORed into P/Q) and check, written once over
// a vector type W: a two-output GF(2^8) dot product, as ISA-L's gf_2vect_dot_prod, where the
// first output's coefficients are all 1 (P) and the second's are the caller's (Q).
//
// Model: per column block, every source is loaded once, XORed into P and multiplied by its
// coefficient into Q (W::mul: two nibble-table vpshufb for AVX2/AVX-512BW, one
// vgf2p8affineqb for GFNI); outputs are stored only after the block's sources were all read,
// so a source that is P or Q itself reads the old bytes, as pq_coef_base.cc does. The
// per-source coefficient forms are built once per call. Wide vector sets (W::kGroupLoads)
// take sources in pairs, folding into P and Q with one three-way xor each; AVX2's sixteen
// registers do not hold a pair of four-vector blocks, so it goes one source at a time.
//
// Included after the ISA pragma; includes nothing; internal linkage only.
//
// Threading: reentrant.
#pragma once

namespace dmae {
namespace kernels {
namespace {

template <class W>
struct CoefDot {
  using V = typename W::V;
  const uint8_t* const* s;
  int n;
  typename W::Coef c[kMaxPqSources];

  CoefDot(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc) : s(srcs), n(nsrc) {
    for (int j = 0; j < n; j++) c[j] = W::coef(coefs[j]);
  }

  template <int C, class M>
  inline void at(size_t i, const M& m, V* p, V* q) const {
    for (int u = 0; u < C; u++) p[u] = q[u] = W::zero();
    int j = 0;
    if (W::kGroupLoads) {
      for (; j + 1 < n; j += 2) {
        V a[C], b[C];
        for (int u = 0; u < C; u++) a[u] = m.ldR(s[j] + i + u * W::kW);
        for (int u = 0; u < C; u++) b[u] = m.ldR(s[j + 1] + i + u * W::kW);
        for (int u = 0; u < C; u++) {
          p[u] = W::x3(p[u], a[u], b[u]);
          q[u] = W::x3(q[u], W::mul(a[u], c[j]), W::mul(b[u], c[j + 1]));
        }
      }
    }
    for (; j < n; j++) {
      for (int u = 0; u < C; u++) {
        const V a = m.ldR(s[j] + i + u * W::kW);
        p[u] = W::x(p[u], a);
        q[u] = W::x(q[u], W::mul(a, c[j]));
      }
    }
  }
};

template <class W, int U>
void pqGenCoefImpl(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, uint8_t* P, uint8_t* Q,
                   bool accumulate) {
  using V = typename W::V;
  const CoefDot<W> dot(srcs, coefs, nsrc);
  forColumns<W, U>(len, [&](size_t i, auto cols, auto m) {
    constexpr int C = decltype(cols)::n;
    V p[C], q[C];
    dot.template at<C>(i, m, p, q);
    if (accumulate) {
      if (P) for (int u = 0; u < C; u++) m.st(P + i + u * W::kW, W::x(p[u], m.ld(P + i + u * W::kW)));
      if (Q) for (int u = 0; u < C; u++) m.st(Q + i + u * W::kW, W::x(q[u], m.ld(Q + i + u * W::kW)));
    } else {
      if (P) for (int u = 0; u < C; u++) m.st(P + i + u * W::kW, p[u]);
      if (Q) for (int u = 0; u < C; u++) m.st(Q + i + u * W::kW, q[u]);
    }
    return true;
  });
}

template <class W, int U>
unsigned pqCheckCoefImpl(const uint8_t* const* srcs, const uint8_t* coefs, int nsrc, size_t len, const uint8_t* P,
                         const uint8_t* Q) {
  using V = typename W::V;
  const unsigned want = (P ? kPMismatch : 0u) | (Q ? kQMismatch : 0u);
  if (!want) return 0;
  unsigned res = 0;
  const CoefDot<W> dot(srcs, coefs, nsrc);
  forColumns<W, U>(len, [&](size_t i, auto cols, auto m) {
    constexpr int C = decltype(cols)::n;
    V p[C], q[C];
    dot.template at<C>(i, m, p, q);
    if (P && columnsDiffer<W, C>(p, P, i, m)) res |= kPMismatch;
    if (Q && columnsDiffer<W, C>(q, Q, i, m)) res |= kQMismatch;
    return res != want;
  });
  return res;
}

}  // namespace
}  // namespace kernels
}  // namespace dmae
