// dmabridge_test ops <exclusive|shared> <kind>...: memcpy, memset, xor, xor_val, pq (with
// coefficients, P/Q disabled, continuation) and pq_val through the bridge on dmae_soft,
// compared byte for byte with a CPU reference, over buffers of the given kinds at odd offsets
// and lengths that cross many DMA segments and the device's segment limit.
#include <algorithm>

#include "harness.h"

namespace bt {

namespace {

constexpr int kBufs = 6;
constexpr size_t kSize = (1u << 20) + 3 * 4096;

struct Expect {
  uint32_t val;
};

struct World {
  dmabridge::Bridge* br;
  uint32_t chan;
  Buf buf[kBufs];
  std::vector<uint8_t> ref[kBufs];
  dmabridge_chan_info info;
};

uint8_t* R(World& w, int b, uint64_t off) { return w.ref[b].data() + off; }

// One random operation appended to the batch and applied to the reference.
void randomOp(World& w, Rng& rng, dmabridge::Batch& batch, uint64_t tag, Expect* ex) {
  int perm[kBufs];
  for (int i = 0; i < kBufs; i++) perm[i] = i;
  for (int i = kBufs - 1; i > 0; i--) std::swap(perm[i], perm[rng.below(i + 1)]);
  uint64_t len = 1 + rng.below(rng.below(4) == 0 ? 300000 : 20000);
  auto off = [&]() { return rng.below(kSize - len + 1); };
  const uint32_t F = DMABRIDGE_F_FENCE | DMABRIDGE_F_COMPLETION;
  ex->val = 0;
  int kind = static_cast<int>(rng.below(6));
  if (kind == 0) {
    uint64_t d = off(), s = off();
    batch.memcpy(tag, F, w.buf[perm[0]].handle, d, w.buf[perm[1]].handle, s, len);
    std::memmove(R(w, perm[0], d), R(w, perm[1], s), len);
  } else if (kind == 1) {
    uint64_t d = off();
    uint8_t v = static_cast<uint8_t>(rng.next());
    batch.memset(tag, F, w.buf[perm[0]].handle, d, v, len);
    std::memset(R(w, perm[0], d), v, len);
  } else if (kind == 2 || kind == 3) {
    // Validating a parity made here needs a parity of at least two sources: n >= 3.
    bool makeValid = kind == 3 && rng.below(2);
    uint32_t lo = makeValid ? 3 : 2;
    uint32_t n = lo + static_cast<uint32_t>(rng.below(std::min<uint32_t>(w.info.max_xor, 5) - lo + 1));
    std::vector<dmabridge_operand> srcs(n);
    std::vector<uint8_t> acc(len, 0);
    for (uint32_t i = 0; i < n; i++) {
      srcs[i] = dmabridge_operand{off(), w.buf[perm[1 + i]].handle, 0, {0, 0, 0}};
      for (uint64_t j = 0; j < len; j++) acc[j] ^= R(w, perm[1 + i], srcs[i].offset)[j];
    }
    if (kind == 2) {
      uint64_t d = off();
      batch.xorOp(tag, F, w.buf[perm[0]].handle, d, srcs, len);
      std::memcpy(R(w, perm[0], d), acc.data(), len);
    } else {
      // Half the time make it validate: the first source's range becomes the parity.
      if (makeValid) {
        batch.xorOp(tag | (1ULL << 62), DMABRIDGE_F_FENCE, w.buf[perm[1]].handle,
                    srcs[0].offset, std::vector<dmabridge_operand>(srcs.begin() + 1, srcs.end()),
                    len);
        std::vector<uint8_t> par(len, 0);
        for (uint32_t i = 1; i < n; i++)
          for (uint64_t j = 0; j < len; j++) par[j] ^= R(w, perm[1 + i], srcs[i].offset)[j];
        std::memcpy(R(w, perm[1], srcs[0].offset), par.data(), len);
        std::fill(acc.begin(), acc.end(), 0);
      }
      batch.xorVal(tag, F, srcs, len);
      for (uint64_t j = 0; j < len; j++)
        if (acc[j]) ex->val = DMABRIDGE_VAL_P_MISMATCH;
    }
  } else {
    bool validate = kind == 5;
    uint32_t n = 1 + static_cast<uint32_t>(rng.below(std::min<uint32_t>(w.info.max_pq, 4)));
    uint32_t flags = F;
    int dis = static_cast<int>(rng.below(4));  // 0,1 both; 2 no P; 3 no Q
    if (dis == 2) flags |= DMABRIDGE_F_PQ_DISABLE_P;
    if (dis == 3) flags |= DMABRIDGE_F_PQ_DISABLE_Q;
    bool cont = !validate && rng.below(3) == 0 && (w.info.flags & DMABRIDGE_CHAN_PQ_CONTINUE);
    if (cont) flags |= DMABRIDGE_F_PQ_CONTINUE;
    std::vector<dmabridge_operand> srcs(n);
    std::vector<uint8_t> p(len, 0), q(len, 0);
    for (uint32_t i = 0; i < n; i++) {
      uint8_t c = static_cast<uint8_t>(rng.next());
      srcs[i] = dmabridge_operand{off(), w.buf[perm[2 + i]].handle, c, {0, 0, 0}};
      const uint8_t* s = R(w, perm[2 + i], srcs[i].offset);
      for (uint64_t j = 0; j < len; j++) {
        p[j] ^= s[j];
        q[j] ^= gfMul(s[j], c);
      }
    }
    uint64_t po = off(), qo = off();
    dmabridge_operand P{po, w.buf[perm[0]].handle, 0, {0, 0, 0}};
    dmabridge_operand Q{qo, w.buf[perm[1]].handle, 0, {0, 0, 0}};
    if (dis == 2) P = dmabridge_operand{};
    if (dis == 3) Q = dmabridge_operand{};
    if (validate && rng.below(2)) {
      // Generate first so that validation passes, then validate.
      batch.pq(tag | (1ULL << 62), flags & ~DMABRIDGE_F_COMPLETION, P, Q, srcs, len);
      if (dis != 2) std::memcpy(R(w, perm[0], po), p.data(), len);
      if (dis != 3) std::memcpy(R(w, perm[1], qo), q.data(), len);
    }
    batch.pq(tag, flags, P, Q, srcs, len, validate);
    uint8_t* rp = R(w, perm[0], po);
    uint8_t* rq = R(w, perm[1], qo);
    for (uint64_t j = 0; j < len; j++) {
      if (validate) {
        if (dis != 2 && rp[j] != p[j]) ex->val |= DMABRIDGE_VAL_P_MISMATCH;
        if (dis != 3 && rq[j] != q[j]) ex->val |= DMABRIDGE_VAL_Q_MISMATCH;
      } else {
        if (dis != 2) rp[j] = cont ? rp[j] ^ p[j] : p[j];
        if (dis != 3) rq[j] = cont ? rq[j] ^ q[j] : q[j];
      }
    }
  }
}

void compareAll(World& w, const char* when) {
  for (int b = 0; b < kBufs; b++) {
    cpuBegin(w.buf[b]);
    for (size_t i = 0; i < kSize; i++)
      CHECK(w.buf[b].cpu[i] == w.ref[b][i], "%s: %s buffer %d byte %zu: 0x%02x, reference 0x%02x",
            when, w.buf[b].kind.c_str(), b, i, w.buf[b].cpu[i], w.ref[b][i]);
    cpuEnd(w.buf[b]);
  }
}

void runKind(dmabridge::Bridge& br, const dmabridge_chan_info& info, const std::string& kind,
             uint64_t seed) {
  World w;
  w.br = &br;
  w.chan = info.handle;
  w.info = info;
  Rng rng(seed);
  for (int b = 0; b < kBufs; b++) {
    w.buf[b] = makeBuf(br, w.chan, kind, kSize);
    w.ref[b].resize(kSize);
    for (auto& x : w.ref[b]) x = static_cast<uint8_t>(rng.next());
    cpuBegin(w.buf[b]);
    std::memcpy(w.buf[b].cpu, w.ref[b].data(), kSize);
    cpuEnd(w.buf[b]);
  }
  std::printf("  %s: segments %u %u %u %u %u %u\n", kind.c_str(), w.buf[0].segments,
              w.buf[1].segments, w.buf[2].segments, w.buf[3].segments, w.buf[4].segments,
              w.buf[5].segments);
  if (kind == "udmabuf")
    CHECK(w.buf[0].segments > 16, "udmabuf of %zu bytes in %u segments", kSize, w.buf[0].segments);
  if (kind == "alloc-contig") CHECK(w.buf[0].segments == 1, "contiguous: %u", w.buf[0].segments);

  size_t ops = 0;
  for (int round = 0; round < 4; round++) {
    dmabridge::Batch batch;
    std::vector<Expect> ex(24);
    for (uint64_t t = 0; t < ex.size(); t++) randomOp(w, rng, batch, t, &ex[t]);
    std::vector<int32_t> res(batch.ops.size());
    uint32_t submitted = 0;
    CHECK_OK(br.submit(w.chan, batch.ops.data(), static_cast<uint32_t>(batch.ops.size()),
                       batch.operands.data(), static_cast<uint32_t>(batch.operands.size()),
                       res.data(), DMABRIDGE_SUBMIT_ISSUE, &submitted));
    for (size_t i = 0; i < res.size(); i++)
      CHECK(res[i] == 0, "op %zu (opcode %u) refused: %d", i, batch.ops[i].opcode, res[i]);
    CHECK(submitted == batch.ops.size(), "submitted %u of %zu", submitted, batch.ops.size());
    auto done = drain(br, ex.size(), 120000);
    std::vector<bool> seen(ex.size(), false);
    for (const auto& c : done) {
      CHECK(c.user_tag < ex.size(), "unexpected tag %llx", (unsigned long long)c.user_tag);
      CHECK(c.status == 0 && c.result == 0 && c.residue == 0, "tag %llu: status %d result %u",
            (unsigned long long)c.user_tag, c.status, c.result);
      CHECK(c.chan == w.chan, "entry names channel %u", c.chan);
      CHECK(c.val == ex[c.user_tag].val, "tag %llu: val %u, reference %u",
            (unsigned long long)c.user_tag, c.val, ex[c.user_tag].val);
      CHECK(!seen[c.user_tag], "tag %llu twice", (unsigned long long)c.user_tag);
      seen[c.user_tag] = true;
    }
    ops += batch.ops.size();
    compareAll(w, kind.c_str());
  }
  std::printf("  %s: %zu operations match the CPU reference\n", kind.c_str(), ops);
  for (auto& b : w.buf) freeBuf(br, b);
}

}  // namespace

int testOps(int argc, char** argv) {
  CHECK(argc >= 2, "usage: ops <exclusive|shared> <kind>...");
  std::string model = argv[0];
  dmabridge::Bridge br;
  CHECK_OK(br.open());
  CHECK_OK(br.setupRing(1024));
  dmabridge_chan_info info{};
  uint64_t caps = DMABRIDGE_CAP_MEMCPY | DMABRIDGE_CAP_MEMSET | DMABRIDGE_CAP_XOR |
                  DMABRIDGE_CAP_PQ | DMABRIDGE_CAP_XOR_VAL | DMABRIDGE_CAP_PQ_VAL;
  if (model == "shared")
    CHECK_OK(br.requestShared(DMABRIDGE_CAP_PQ, &info));
  else
    CHECK_OK(br.requestExclusive(DMABRIDGE_BY_DEVICE, "dmae_soft", caps, &info));
  std::printf("  channel %s (%s, driver %s) model %u caps 0x%llx max_xor %u max_pq %u "
              "align %u/%u/%u/%u node %d max_seg %u\n",
              info.name, info.device, info.driver, info.model,
              (unsigned long long)info.cap_mask, info.max_xor, info.max_pq, info.copy_align,
              info.xor_align, info.pq_align, info.fill_align, info.numa_node, info.max_seg);
  CHECK((info.cap_mask & caps) == caps, "caps 0x%llx", (unsigned long long)info.cap_mask);
  CHECK(std::strcmp(info.device, "dmae_soft") == 0, "device %s", info.device);
  for (int i = 1; i < argc; i++) runKind(br, info, argv[i], 1000 + i);
  CHECK_OK(br.releaseChannel(info.handle));
  return 0;
}

}  // namespace bt
