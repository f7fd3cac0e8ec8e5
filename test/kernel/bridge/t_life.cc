// dmabridge_test faults | terminate | close | rmmod | models | access | align: injected
// faults reaching per-operation entries, terminate mid-flight, close with 10^4 operations in
// flight, the DMA driver pinned while a channel is held, both channel models, the node's
// permissions, and refusals the device's alignment demands.
#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

#include "harness.h"

namespace bt {

namespace {

const uint64_t kAllCaps = DMABRIDGE_CAP_MEMCPY | DMABRIDGE_CAP_MEMSET;

dmabridge_chan_info exclusive(dmabridge::Bridge& br) {
  dmabridge_chan_info info{};
  CHECK_OK(br.requestExclusive(DMABRIDGE_BY_DEVICE, "dmae_soft", kAllCaps, &info));
  return info;
}

void writeParam(const char* name, const std::string& v) {
  std::string p = std::string("/sys/module/dmae_soft/parameters/") + name;
  FILE* f = std::fopen(p.c_str(), "w");
  CHECK(f, "open %s: %s", p.c_str(), strerror(errno));
  std::fprintf(f, "%s\n", v.c_str());
  CHECK(std::fclose(f) == 0, "write %s", p.c_str());
}

// n memcpy operations of len bytes between two buffers, submitted in batches and issued.
uint32_t flood(dmabridge::Bridge& br, uint32_t chan, const Buf& a, const Buf& b, size_t n,
               uint64_t len, uint32_t flags) {
  uint32_t total = 0;
  while (total < n) {
    dmabridge::Batch batch;
    size_t k = std::min<size_t>(1000, n - total);
    for (size_t i = 0; i < k; i++)
      batch.memcpy(total + i, flags, b.handle, ((total + i) * 4096) % (b.size - len), a.handle,
                   0, len);
    std::vector<int32_t> res(k);
    uint32_t sub = 0;
    CHECK_OK(br.submit(chan, batch.ops.data(), static_cast<uint32_t>(k), batch.operands.data(),
                       static_cast<uint32_t>(batch.operands.size()), res.data(),
                       DMABRIDGE_SUBMIT_ISSUE, &sub));
    CHECK(sub == k, "submitted %u of %zu (first refusal %d)", sub, k, res[0]);
    total += sub;
  }
  return total;
}

}  // namespace

int testFaults(int, char**) {
  dmabridge::Bridge br;
  CHECK_OK(br.open());
  CHECK_OK(br.setupRing(64));
  auto info = exclusive(br);
  Buf a = makeBuf(br, info.handle, "alloc-contig", 1 << 16);
  Buf b = makeBuf(br, info.handle, "alloc-contig", 1 << 16);
  std::memset(a.cpu, 0x5a, a.size);
  std::memset(b.cpu, 0x00, b.size);
  for (int result = 1; result <= 3; result++) {
    writeParam("fault_len", "4099");
    writeParam("fault_result", std::to_string(result));
    dmabridge::Batch batch;
    batch.memcpy(1, DMABRIDGE_F_COMPLETION, b.handle, 0, a.handle, 0, 4099);  // faults
    batch.memcpy(2, 0, b.handle, 8192, a.handle, 0, 4099);  // faults, no completion asked
    batch.memcpy(3, DMABRIDGE_F_COMPLETION, b.handle, 16384, a.handle, 0, 4098);  // runs
    batch.interrupt(4, DMABRIDGE_F_COMPLETION | DMABRIDGE_F_FENCE);  // in order, no data
    std::vector<int32_t> res(4);
    uint32_t sub = 0;
    CHECK_OK(br.submit(info.handle, batch.ops.data(), 4, batch.operands.data(),
                       static_cast<uint32_t>(batch.operands.size()), res.data(),
                       DMABRIDGE_SUBMIT_ISSUE, &sub));
    CHECK(sub == 4, "submitted %u", sub);
    auto done = drain(br, 4, 30000);
    CHECK(done.back().user_tag == 4, "the interrupt op completes last: tag %llu",
          (unsigned long long)done.back().user_tag);
    for (const auto& c : done) {
      if (c.user_tag == 3 || c.user_tag == 4) {
        CHECK(c.status == 0 && c.result == 0, "good op: status %d result %u", c.status, c.result);
      } else {
        CHECK(c.status == -EIO, "tag %llu: status %d, wanted -EIO", (unsigned long long)c.user_tag,
              c.status);
        CHECK(c.result == static_cast<uint32_t>(result), "result %u, injected %d", c.result, result);
        CHECK(c.residue == 4099, "residue %u", c.residue);
      }
    }
    for (size_t i = 0; i < 4099; i++)
      CHECK(b.cpu[i] == 0 && b.cpu[8192 + i] == 0, "a faulted copy wrote byte %zu", i);
    for (size_t i = 0; i < 4098; i++) CHECK(b.cpu[16384 + i] == 0x5a, "good copy byte %zu", i);
    std::memset(b.cpu, 0, b.size);
    std::printf("  fault_result=%d: two faulted copies reported (-EIO, residue 4099), one ran, "
                "then the interrupt op\n",
                result);
  }
  writeParam("fault_len", "0");
  freeBuf(br, a);
  freeBuf(br, b);
  return 0;
}

int testTerminate(int, char**) {
  dmabridge::Bridge br;
  CHECK_OK(br.open());
  CHECK_OK(br.setupRing(4096));
  auto info = exclusive(br);
  Buf a = makeBuf(br, info.handle, "udmabuf", 1 << 20);
  Buf b = makeBuf(br, info.handle, "udmabuf", 1 << 20);
  uint32_t n = flood(br, info.handle, a, b, 2000, 256 * 1024,
                     DMABRIDGE_F_COMPLETION | DMABRIDGE_F_FENCE);
  CHECK_OK(br.terminate(info.handle));
  auto done = drain(br, n, 5000);
  size_t ok = 0, cancelled = 0;
  for (const auto& c : done) {
    if (c.status == 0) ok++;
    else if (c.status == -ECANCELED && c.result == DMABRIDGE_RESULT_ABORTED) cancelled++;
    else CHECK(false, "status %d result %u", c.status, c.result);
  }
  CHECK(ok + cancelled == n && cancelled > 0, "%zu ran, %zu cancelled of %u", ok, cancelled, n);
  CHECK(br.releaseBuffer(a.handle) == 0, "buffer still busy after terminate");
  a.handle = 0;
  // The channel works after a terminate.
  dmabridge::Batch batch;
  batch.memset(7, DMABRIDGE_F_COMPLETION, b.handle, 100, 0xee, 5000);
  int32_t res = 0;
  CHECK_OK(br.submit(info.handle, batch.ops.data(), 1, batch.operands.data(), 1, &res,
                     DMABRIDGE_SUBMIT_ISSUE, nullptr));
  auto again = drain(br, 1, 30000);
  CHECK(again[0].user_tag == 7 && again[0].status == 0, "after terminate: %d", again[0].status);
  for (size_t i = 0; i < 5000; i++) CHECK(b.cpu[100 + i] == 0xee, "byte %zu", i);
  std::printf("  terminate: %zu ran, %zu cancelled (-ECANCELED), channel usable again\n", ok,
              cancelled);
  freeBuf(br, a);
  freeBuf(br, b);
  return 0;
}

int testClose(int argc, char** argv) {
  std::string model = argc > 0 ? argv[0] : "exclusive";
  for (int round = 0; round < 2; round++) {
    dmabridge::Bridge br;
    CHECK_OK(br.open());
    CHECK_OK(br.setupRing(16384));
    dmabridge_chan_info info{};
    if (model == "shared") CHECK_OK(br.requestShared(DMABRIDGE_CAP_MEMCPY, &info));
    else info = exclusive(br);
    Buf a = makeBuf(br, info.handle, round ? "heap" : "udmabuf", 1 << 20);
    Buf b = makeBuf(br, info.handle, round ? "alloc" : "udmabuf", 1 << 20);
    uint32_t n = flood(br, info.handle, a, b, 10000, 4096, DMABRIDGE_F_COMPLETION);
    CHECK(n == 10000, "%u in flight", n);
    // Close with everything in flight: the fd's release terminates (or waits), unmaps and
    // detaches. The buffers' own fds and mappings stay valid.
    br.close();
    std::memset(a.cpu, 1, a.size);
    a.handle = b.handle = 0;
    freeBuf(br, a);
    freeBuf(br, b);
  }
  // A fresh fd works.
  dmabridge::Bridge br;
  CHECK_OK(br.open());
  CHECK_OK(br.setupRing(16));
  auto info = exclusive(br);
  Buf a = makeBuf(br, info.handle, "udmabuf", 1 << 16);
  dmabridge::Batch batch;
  batch.memset(1, DMABRIDGE_F_COMPLETION, a.handle, 0, 0x42, a.size);
  int32_t res = 0;
  CHECK_OK(br.submit(info.handle, batch.ops.data(), 1, batch.operands.data(), 1, &res,
                     DMABRIDGE_SUBMIT_ISSUE, nullptr));
  CHECK(drain(br, 1, 30000)[0].status == 0, "after close");
  CHECK(a.cpu[a.size - 1] == 0x42, "memset after close");
  freeBuf(br, a);
  std::printf("  close (%s) with 10000 operations in flight, twice; a new fd works\n",
              model.c_str());
  return 0;
}

int testRmmod(int, char**) {
  const char* bb = std::getenv("LANE_BUSYBOX");
  const char* dir = std::getenv("LANE_MODDIR");
  CHECK(bb && dir, "LANE_BUSYBOX and LANE_MODDIR must be set (run in the lane)");
  std::vector<std::string> rm{bb, "rmmod", "dmae_soft"};
  for (int shared = 0; shared < 2; shared++) {
    dmabridge::Bridge br;
    CHECK_OK(br.open());
    dmabridge_chan_info info{};
    if (shared) CHECK_OK(br.requestShared(DMABRIDGE_CAP_MEMCPY, &info));
    else info = exclusive(br);
    CHECK(runProgram(rm) != 0, "rmmod dmae_soft succeeded while the bridge held %s", info.name);
    CHECK(access("/sys/module/dmae_soft", F_OK) == 0, "dmae_soft gone while held");
    CHECK_OK(br.releaseChannel(info.handle));
    CHECK(runProgram(rm) == 0, "rmmod dmae_soft refused after release");
    std::vector<std::string> ins{bb, "insmod", std::string(dir) + "/dmae_soft.ko"};
    std::string params = std::getenv("LANE_SOFT_PARAMS") ? std::getenv("LANE_SOFT_PARAMS") : "";
    for (size_t p = 0, q; p < params.size(); p = q + 1) {
      q = params.find(' ', p);
      if (q == std::string::npos) q = params.size();
      if (q > p) ins.push_back(params.substr(p, q - p));
    }
    CHECK(runProgram(ins) == 0, "insmod dmae_soft back");
    std::printf("  %s channel %s: rmmod dmae_soft refused while held, allowed after release\n",
                shared ? "shared" : "exclusive", info.name);
  }
  return 0;
}

int testModels(int, char**) {
  dmabridge::Bridge br;
  CHECK_OK(br.open());
  dmabridge_version v{};
  CHECK_OK(br.version(&v));
  CHECK(v.abi == DMABRIDGE_ABI_VERSION && v.max_batch == DMABRIDGE_MAX_BATCH, "version");
  std::vector<dmabridge_chan_info> all;
  CHECK_OK(br.enumerate(&all));
  size_t soft = 0;
  for (const auto& c : all) soft += std::strcmp(c.device, "dmae_soft") == 0;
  CHECK(soft >= 2, "enumerate lists %zu dmae_soft channels", soft);
  std::printf("  enumerate: %zu channels (%zu dmae_soft), first %s driver %s\n", all.size(), soft,
              all[0].name, all[0].driver);
  // Exclusive by name: the second channel enumerated.
  dmabridge_chan_info byName{};
  CHECK_OK(br.requestExclusive(DMABRIDGE_BY_NAME, all[1].name, 0, &byName));
  CHECK(std::strcmp(byName.name, all[1].name) == 0, "asked %s got %s", all[1].name, byName.name);
  dmabridge_chan_info again{};
  CHECK(br.requestExclusive(DMABRIDGE_BY_NAME, all[1].name, 0, &again) == -ENODEV,
        "the same channel twice");
  CHECK(br.requestExclusive(DMABRIDGE_BY_NAME, "dma99chan99", 0, &again) == -ENODEV, "no such");
  std::vector<dmabridge_chan_info> held;
  CHECK_OK(br.enumerate(&held));
  CHECK(held[0].handle == byName.handle && (held[0].flags & DMABRIDGE_CHAN_HELD_HERE), "held");
  // A public device with a channel held exclusively became private: no shared channel of it.
  dmabridge_chan_info sh{};
  int r = br.requestShared(DMABRIDGE_CAP_MEMCPY, &sh);
  CHECK(r == -ENODEV || std::strcmp(sh.device, "dmae_soft") != 0, "shared while private: %d", r);
  CHECK_OK(br.releaseChannel(byName.handle));
  // Shared: the kernel's table channel; two fds may share it.
  dmabridge::Bridge br2;
  CHECK_OK(br2.open());
  dmabridge_chan_info s1{}, s2{};
  CHECK_OK(br.requestShared(DMABRIDGE_CAP_XOR, &s1));
  CHECK_OK(br2.requestShared(DMABRIDGE_CAP_XOR, &s2));
  CHECK(s1.model == DMABRIDGE_MODEL_SHARED && std::strcmp(s1.name, s2.name) == 0, "shared");
  CHECK(br.terminate(s1.handle) == -EOPNOTSUPP, "terminate of a shared channel");
  dmabridge_chan_info bad{};
  CHECK(br.requestShared(DMABRIDGE_CAP_MEMCPY | DMABRIDGE_CAP_XOR, &bad) == -EINVAL, "two caps");
  CHECK(br.requestShared(DMABRIDGE_CAP_INTERRUPT, &bad) == -EINVAL, "interrupt");
  CHECK_OK(br.releaseChannel(s1.handle));
  CHECK_OK(br2.releaseChannel(s2.handle));
  std::printf("  exclusive by name/device/caps, shared by capability (%s), both refused right\n",
              s1.name);
  return 0;
}

int testProbe(int, char**) {
  // The 6.1 control boot: the module built for that kernel loads and answers.
  dmabridge::Bridge br;
  CHECK_OK(br.open());
  dmabridge_version v{};
  CHECK_OK(br.version(&v));
  std::vector<dmabridge_chan_info> all;
  CHECK_OK(br.enumerate(&all));
  CHECK_OK(br.setupRing(16));
  dmabridge_chan_info info{};
  int r = br.requestShared(DMABRIDGE_CAP_MEMCPY, &info);
  CHECK(all.empty() ? r == -ENODEV : true, "no channels listed, yet shared request gave %d", r);
  std::printf("  ABI %u, %zu channels reachable\n", v.abi, all.size());
  return 0;
}

int testAccess(int, char**) {
  // Run as uid/gid 65534 by the mocha side: the node is root-only unless gid= names a group.
  int fd = open(DMABRIDGE_DEVICE_PATH, O_RDWR);
  if (fd >= 0) {
    std::printf("  opened as uid %d gid %d\n", getuid(), getgid());
    close(fd);
    return 0;
  }
  std::printf("  open as uid %d: %s\n", getuid(), strerror(errno));
  return errno == EACCES ? 3 : 1;
}

int testAlign(int, char**) {
  dmabridge::Bridge br;
  CHECK_OK(br.open());
  CHECK_OK(br.setupRing(16));
  auto info = exclusive(br);
  CHECK(info.copy_align == 3, "dmae_soft loaded with align=3, channel says %u", info.copy_align);
  Buf a = makeBuf(br, info.handle, "alloc-contig", 1 << 16);
  dmabridge::Batch batch;
  batch.memcpy(1, DMABRIDGE_F_COMPLETION, a.handle, 8, a.handle, 4096, 64);    // aligned
  batch.memcpy(2, DMABRIDGE_F_COMPLETION, a.handle, 9, a.handle, 4096, 64);    // odd dst
  batch.memcpy(3, DMABRIDGE_F_COMPLETION, a.handle, 16, a.handle, 4096, 63);   // odd length
  batch.memset(4, DMABRIDGE_F_COMPLETION, a.handle, 100, 1, 8);                // odd offset
  std::vector<int32_t> res(4);
  uint32_t sub = 0;
  CHECK_OK(br.submit(info.handle, batch.ops.data(), 4, batch.operands.data(),
                     static_cast<uint32_t>(batch.operands.size()), res.data(),
                     DMABRIDGE_SUBMIT_ISSUE, &sub));
  CHECK(sub == 1 && res[0] == 0 && res[1] == -EINVAL && res[2] == -EINVAL && res[3] == -EINVAL,
        "results %d %d %d %d", res[0], res[1], res[2], res[3]);
  CHECK(drain(br, 1, 30000)[0].user_tag == 1, "the aligned copy completes");
  std::printf("  align=3: the aligned copy ran; odd offset/length refused per op with EINVAL\n");
  freeBuf(br, a);
  return 0;
}

}  // namespace bt
