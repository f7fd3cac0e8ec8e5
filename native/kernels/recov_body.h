// RAID-6 recovery, written once over a vector type W, on top of pq_body.h's syndromes.
//
// Model (lib/raid6 maths, GF(2^8)/0x11d): with the lost slots treated as zero, the surviving
// data give P' and Q'. Then Pd = P ⊕ P' and Qd = Q ⊕ Q' hold only the lost blocks:
//   two data a < b:  Pd = Da ⊕ Db,  Qd = g^a·Da ⊕ g^b·Db, so
//                    Db = (1 ⊕ g^(b-a))^-1 · Pd ⊕ (g^a ⊕ g^b)^-1 · Qd,  Da = Pd ⊕ Db;
//   data a and P:    Qd = g^a·Da, so Da = g^-a · Qd and P = P' ⊕ Da.
// One pass per column: read the survivors, P and Q once, write the two outputs once. The lost
// slots' buffers are outputs only and are never read.
//
// Included after the ISA pragma and pq_body.h; includes nothing; internal linkage only.
//
// Threading: reentrant.
#pragma once

namespace dmae {
namespace kernels {
namespace {

template <class W, int U>
void recov2DataImpl(int disks, size_t len, int faila, int failb, uint8_t* const* ptrs) {
  using V = typename W::V;
  const Gf256Tables& t = gf256();
  const uint8_t* live[kMaxDisks];
  for (int z = 0; z < disks - 2; z++) live[z] = (z == faila || z == failb) ? nullptr : ptrs[z];
  const uint8_t* P = ptrs[disks - 2];
  const uint8_t* Q = ptrs[disks - 1];
  uint8_t* Da = ptrs[faila];
  uint8_t* Db = ptrs[failb];
  const typename W::Coef kp = W::coef(t.inv[t.exp[failb - faila] ^ 1]);
  const typename W::Coef kq = W::coef(t.inv[t.exp[faila] ^ t.exp[failb]]);
  const Syndrome<W> syn(live, 0, disks - 3);
  forColumns<W, U>(len, [&](size_t i, auto cols, auto m) {
    constexpr int C = decltype(cols)::n;
    V p[C], q[C];
    syn.template at<C>(i, m, p, q);
    for (int u = 0; u < C; u++) {
      const size_t o = i + u * W::kW;
      const V pd = W::x(p[u], m.ld(P + o));
      const V qd = W::x(q[u], m.ld(Q + o));
      const V db = W::x(W::mul(pd, kp), W::mul(qd, kq));
      m.st(Db + o, db);
      m.st(Da + o, W::x(pd, db));
    }
    return true;
  });
}

template <class W, int U>
void recovDataPImpl(int disks, size_t len, int faila, uint8_t* const* ptrs) {
  using V = typename W::V;
  const Gf256Tables& t = gf256();
  const uint8_t* live[kMaxDisks];
  for (int z = 0; z < disks - 2; z++) live[z] = z == faila ? nullptr : ptrs[z];
  uint8_t* P = ptrs[disks - 2];
  const uint8_t* Q = ptrs[disks - 1];
  uint8_t* Da = ptrs[faila];
  const typename W::Coef kq = W::coef(t.inv[t.exp[faila]]);
  const Syndrome<W> syn(live, 0, disks - 3);
  forColumns<W, U>(len, [&](size_t i, auto cols, auto m) {
    constexpr int C = decltype(cols)::n;
    V p[C], q[C];
    syn.template at<C>(i, m, p, q);
    for (int u = 0; u < C; u++) {
      const size_t o = i + u * W::kW;
      const V da = W::mul(W::x(q[u], m.ld(Q + o)), kq);
      m.st(Da + o, da);
      m.st(P + o, W::x(p[u], da));
    }
    return true;
  });
}

}  // namespace
}  // namespace kernels
}  // namespace dmae
