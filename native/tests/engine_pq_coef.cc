// The engine's explicit-coefficient P+Q ops (kPqCoef, kPqCoefVal): bytes against a bit-by-bit
// GF(2^8) reference, P or Q disabled, accumulate (continuation), result bits, and that the
// coefficients are copied at submit (the caller's array may change afterwards).
#include <cstdint>
#include <vector>

#include "engine/engine.h"
#include "tests/check.h"
#include "tests/engine_sink.h"

using namespace dmae::engine;

namespace {
uint8_t gfmul(uint8_t a, uint8_t b) {
  unsigned p = 0, x = a;
  for (int i = 0; i < 8; i++) {
    if (b & 1) p ^= x;
    b >>= 1;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  return static_cast<uint8_t>(p);
}

DescriptorSpec coefSpec(OpCode op, std::vector<std::vector<uint8_t>>& srcs, const std::vector<uint8_t>& coefs,
                        uint8_t* p, uint8_t* q, size_t len, uint32_t flags = 0) {
  DescriptorSpec s;
  s.op = op;
  s.len = len;
  s.flags = flags;
  for (auto& b : srcs) s.ptrs.push_back(b.data());
  s.ptrs.push_back(p);
  s.ptrs.push_back(q);
  s.coefs = coefs;
  return s;
}

void genAndCheck() {
  dmae_test::RecordingSink sink;
  Engine e(EngineOptions{1, 0}, &sink);
  const size_t len = 3001;
  std::vector<std::vector<uint8_t>> srcs(3, std::vector<uint8_t>(len));
  uint32_t seed = 7;
  for (auto& b : srcs) {
    for (auto& v : b) {
      seed = seed * 1103515245u + 12345u;
      v = static_cast<uint8_t>(seed >> 16);
    }
  }
  std::vector<uint8_t> coefs{1, 0x8e, 200};
  std::vector<uint8_t> p(len, 0xee), q(len, 0xee), q2(len, 0x11);
  DescriptorSpec s = coefSpec(OpCode::kPqCoef, srcs, coefs, p.data(), q.data(), len);
  e.submit(0, s);
  s.coefs[1] = 0;  // copied at submit: this does not reach the queued descriptor
  e.submit(0, coefSpec(OpCode::kPqCoef, srcs, coefs, nullptr, q2.data(), len));
  e.issuePending(0);
  CHECK(sink.waitFor(2) == 2);
  bool ok = true;
  for (size_t i = 0; i < len; i++) {
    uint8_t rp = 0, rq = 0;
    for (size_t k = 0; k < 3; k++) {
      rp ^= srcs[k][i];
      rq ^= gfmul(coefs[k], srcs[k][i]);
    }
    ok = ok && p[i] == rp && q[i] == rq && q2[i] == rq;
  }
  CHECK(ok);
  // accumulate: P/Q ^= the contribution of one more source
  std::vector<std::vector<uint8_t>> more(1, std::vector<uint8_t>(len, 0x5a));
  e.submit(0, coefSpec(OpCode::kPqCoef, more, {3}, p.data(), q.data(), len, kAccumulate));
  e.submit(0, coefSpec(OpCode::kPqCoefVal, srcs, coefs, p.data(), q.data(), len));
  e.issuePending(0);
  CHECK(sink.waitFor(4) == 4);
  auto g = sink.snapshot();
  CHECK(g[3].valResult == (kPResult | kQResult));  // p/q now include the extra source
  uint8_t rp = 0x5a, rq = gfmul(3, 0x5a);
  for (size_t k = 0; k < 3; k++) {
    rp ^= srcs[k][0];
    rq ^= gfmul(coefs[k], srcs[k][0]);
  }
  CHECK(p[0] == rp && q[0] == rq);
  srcs.push_back(more[0]);
  std::vector<uint8_t> coefs4{1, 0x8e, 200, 3};
  e.submit(0, coefSpec(OpCode::kPqCoefVal, srcs, coefs4, p.data(), q.data(), len));
  e.submit(0, coefSpec(OpCode::kPqCoefVal, srcs, coefs4, nullptr, q2.data(), len));
  e.issuePending(0);
  CHECK(sink.waitFor(6) == 6);
  g = sink.snapshot();
  CHECK(g[4].valResult == 0);
  CHECK(g[5].valResult == kQResult);  // q2 lacks the fourth source
}
}  // namespace

int main() {
  genAndCheck();
  return dmae_test::summary("engine_pq_coef");
}
