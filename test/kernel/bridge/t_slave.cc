// dmabridge_test slave: device-to-memory and memory-to-device on an exclusive slave channel of
// dmae_soft (loaded with slave_channels=1): dmaengine_slave_config, then DMABRIDGE_OP_SLAVE.
// The modelled peripheral is a pattern source (checked byte for byte, continuing across
// operations) and a checksummed sink (byte count and FNV-1a 64 read back from its parameters).
#include <cerrno>

#include "harness.h"

namespace bt {

namespace {

uint8_t pattern(uint64_t p) { return static_cast<uint8_t>((p * 7) ^ (p >> 7)); }

uint64_t readParam(const char* name) {
  std::string p = std::string("/sys/module/dmae_soft/parameters/") + name;
  FILE* f = std::fopen(p.c_str(), "r");
  CHECK(f, "open %s", p.c_str());
  unsigned long long v = 0;
  CHECK(std::fscanf(f, "%llu", &v) == 1, "read %s", p.c_str());
  std::fclose(f);
  return v;
}

void runOne(dmabridge::Bridge& br, uint32_t chan, uint32_t buf, uint64_t off, uint64_t len,
            uint32_t dir, uint64_t tag) {
  dmabridge::Batch batch;
  batch.slave(tag, DMABRIDGE_F_COMPLETION, buf, off, len, dir);
  int32_t res = 0;
  uint32_t sub = 0;
  CHECK_OK(br.submit(chan, batch.ops.data(), 1, batch.operands.data(), 1, &res,
                     DMABRIDGE_SUBMIT_ISSUE, &sub));
  CHECK(sub == 1 && res == 0, "slave op refused: %d", res);
  auto c = drain(br, 1, 60000)[0];
  CHECK(c.user_tag == tag && c.status == 0 && c.residue == 0, "slave op: status %d", c.status);
}

}  // namespace

int testSlave(int, char**) {
  dmabridge::Bridge br;
  CHECK_OK(br.open());
  CHECK_OK(br.setupRing(16));
  dmabridge_chan_info info{};
  CHECK_OK(br.requestExclusive(DMABRIDGE_BY_ANY, nullptr, DMABRIDGE_CAP_SLAVE, &info));
  CHECK(info.directions == ((1u << 1) | (1u << 2)), "directions 0x%x", info.directions);
  std::printf("  slave channel %s of %s\n", info.name, info.device);
  Buf b = makeBuf(br, info.handle, "udmabuf", 1 << 18);

  dmabridge_slave_config cfg{};
  cfg.chan = info.handle;
  cfg.direction = DMABRIDGE_SLAVE_DEV_TO_MEM;
  cfg.addr_width = 4;
  cfg.maxburst = 16;
  cfg.dev_addr = 0x1000;
  CHECK_OK(br.slaveConfig(cfg));

  // The wrong direction, and a memcpy on a slave-only channel, are refused before any prep.
  dmabridge::Batch bad;
  bad.slave(9, 0, b.handle, 0, 16, DMABRIDGE_SLAVE_MEM_TO_DEV);
  bad.memcpy(10, 0, b.handle, 0, b.handle, 64, 16);
  int32_t res[2] = {0, 0};
  CHECK_OK(br.submit(info.handle, bad.ops.data(), 2, bad.operands.data(),
                     static_cast<uint32_t>(bad.operands.size()), res, 0, nullptr));
  CHECK(res[0] == -EINVAL && res[1] == -EOPNOTSUPP, "refusals %d %d", res[0], res[1]);

  // Device to memory: two transfers continue the source's stream; both cross pages.
  std::memset(b.cpu, 0, b.size);
  runOne(br, info.handle, b.handle, 3, 100000, DMABRIDGE_SLAVE_DEV_TO_MEM, 1);
  runOne(br, info.handle, b.handle, 100003, 50001, DMABRIDGE_SLAVE_DEV_TO_MEM, 2);
  cpuBegin(b);
  CHECK(b.cpu[0] == 0 && b.cpu[1] == 0 && b.cpu[2] == 0, "wrote before the offset");
  for (uint64_t i = 0; i < 150001; i++)
    CHECK(b.cpu[3 + i] == pattern(i), "byte %llu: 0x%02x, source 0x%02x",
          (unsigned long long)i, b.cpu[3 + i], pattern(i));
  CHECK(b.cpu[3 + 150001] == 0, "wrote past the end");
  cpuEnd(b);

  // Memory to device: the sink's count and hash match the range sent.
  cfg.direction = DMABRIDGE_SLAVE_MEM_TO_DEV;
  CHECK_OK(br.slaveConfig(cfg));
  Rng rng(77);
  for (size_t i = 0; i < b.size; i++) b.cpu[i] = static_cast<uint8_t>(rng.next());
  uint64_t off = 4097, len = 200001;
  runOne(br, info.handle, b.handle, off, len, DMABRIDGE_SLAVE_MEM_TO_DEV, 3);
  uint64_t h = 0xcbf29ce484222325ULL;
  for (uint64_t i = 0; i < len; i++) h = (h ^ b.cpu[off + i]) * 0x100000001b3ULL;
  CHECK(readParam("sink_bytes") == len, "sink received %llu", (unsigned long long)readParam("sink_bytes"));
  CHECK(readParam("sink_fnv") == h, "sink hash %llx, sent %llx",
        (unsigned long long)readParam("sink_fnv"), (unsigned long long)h);
  std::printf("  device-to-memory: 150001 pattern bytes in place; memory-to-device: %llu bytes, "
              "hash matches\n", (unsigned long long)len);
  freeBuf(br, b);
  CHECK_OK(br.releaseChannel(info.handle));
  return 0;
}

}  // namespace bt
