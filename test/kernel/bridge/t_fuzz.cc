// dmabridge_test fuzz <calls> [seed]: a bounded random-ioctl fuzzer. Random commands (valid
// and not), random handles (live, stale, wild), offsets, lengths, counts, flags and reserved
// fields, near-valid more often than not so that work really runs. Pointers the kernel writes
// through are either real scratch memory or addresses that must fault (null, a PROT_NONE
// page, non-canonical, kernel space), so the fuzzer cannot corrupt itself. The mocha side
// then reads the kernel log for oops, WARN and BUG.
#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"

namespace bt {

namespace {

struct Fuzz {
  Rng rng;
  dmabridge::Bridge br;
  std::vector<uint32_t> chans;
  std::vector<uint32_t> bufs;
  std::vector<Buf> owned;  // dma-bufs whose fds can be imported
  void* noaccess = nullptr;
  std::vector<uint8_t> scratch = std::vector<uint8_t>(256 * 1024);
  size_t calls = 0, ok = 0;

  explicit Fuzz(uint64_t seed) : rng(seed) {}

  uint64_t wildPtr() {
    switch (rng.below(5)) {
      case 0: return 0;
      case 1: return reinterpret_cast<uintptr_t>(noaccess) + rng.below(4096);
      case 2: return 0x8000000000000000ULL + rng.below(1 << 20);
      case 3: return 0xffffffff81000000ULL;
      default: return 1 + rng.below(4096);
    }
  }
  // A pointer to scratch (most of the time) or one that faults.
  uint64_t outPtr(size_t bytes) {
    if (bytes <= scratch.size() && rng.below(8)) return reinterpret_cast<uintptr_t>(scratch.data());
    return wildPtr();
  }
  uint32_t handle(const std::vector<uint32_t>& live) {
    uint64_t r = rng.below(10);
    if (r < 6 && !live.empty()) return live[rng.below(live.size())];
    if (r < 8) return static_cast<uint32_t>(rng.below(70));
    return static_cast<uint32_t>(rng.next());
  }
  uint64_t num(uint64_t typical) {
    switch (rng.below(6)) {
      case 0: return 0;
      case 1: return rng.next();
      case 2: return typical + rng.below(3) - 1;
      case 3: return rng.below(typical + 1);
      default: return rng.below(typical / 16 + 2);
    }
  }
  uint32_t bits(uint32_t valid) {
    return rng.below(4) ? static_cast<uint32_t>(rng.next()) & valid
                        : static_cast<uint32_t>(rng.next());
  }
  int call(unsigned long cmd, void* arg) {
    calls++;
    int r = ioctl(br.fd(), cmd, arg);
    if (r == 0) ok++;
    return r == 0 ? 0 : -errno;
  }

  void chanRequest() {
    dmabridge_chan_request rq{};
    rq.model = static_cast<uint32_t>(rng.below(4));
    rq.by = static_cast<uint32_t>(rng.below(4));
    rq.cap_mask = rng.below(3) ? (1ULL << rng.below(11)) : rng.next();
    const char* names[] = {"dmae_soft", "dma0chan1", "dma0chan2", "", "nope"};
    std::strncpy(rq.name, names[rng.below(5)], sizeof(rq.name) - 1);
    if (!rng.below(10)) rq.name[rng.below(sizeof(rq.name))] = 'x';
    if (!rng.below(10)) rq.reserved[rng.below(2)] = 1;
    if (call(DMABRIDGE_IOC_CHAN_REQUEST, &rq) == 0) chans.push_back(rq.info.handle);
  }
  void bufImport() {
    dmabridge_buf_import im{};
    im.fd = owned.empty() || !rng.below(4) ? static_cast<int>(rng.below(20)) - 2
                                           : owned[rng.below(owned.size())].dmabufFd;
    im.chan = handle(chans);
    im.dir = static_cast<uint32_t>(rng.below(4));
    if (!rng.below(10)) im.reserved = 1;
    if (call(DMABRIDGE_IOC_BUF_IMPORT, &im) == 0) bufs.push_back(im.handle);
  }
  void bufAlloc() {
    dmabridge_buf_alloc al{};
    al.size = rng.below(3) ? 1 + rng.below(1 << 18) : rng.next();
    al.chan = handle(chans);
    al.flags = bits(DMABRIDGE_ALLOC_CONTIGUOUS);
    if (call(DMABRIDGE_IOC_BUF_ALLOC, &al) == 0) {
      bufs.push_back(al.handle);
      close(al.fd);
    }
  }
  void submit() {
    uint32_t nops = static_cast<uint32_t>(rng.below(8) ? 1 + rng.below(16) : rng.below(3000));
    uint32_t nods = static_cast<uint32_t>(rng.below(8) ? rng.below(64) : rng.below(10000));
    std::vector<dmabridge_op> ops(std::min<uint32_t>(nops, 2000));
    std::vector<dmabridge_operand> ods(std::min<uint32_t>(nods, 9000));
    for (auto& o : ops) {
      o.user_tag = rng.next();
      o.opcode = static_cast<uint32_t>(rng.below(10));
      o.flags = bits(DMABRIDGE_F_ALL);
      o.len = num(rng.below(2) ? 4096 : 300000);
      o.first = static_cast<uint32_t>(num(ods.size()));
      o.count = static_cast<uint32_t>(rng.below(6) ? rng.below(8) : rng.next());
      o.value = static_cast<uint32_t>(rng.below(4) ? rng.below(3) : rng.next());
      o.reserved = rng.below(20) ? 0 : 1;
    }
    for (auto& d : ods) {
      d.buf = handle(bufs);
      d.offset = num(1 << 18);
      d.coef = static_cast<uint8_t>(rng.below(2) ? 0 : rng.next());
      d.reserved[0] = rng.below(30) ? 0 : 1;
    }
    dmabridge_submit sb{};
    sb.chan = handle(chans);
    sb.flags = bits(DMABRIDGE_SUBMIT_ISSUE | DMABRIDGE_SUBMIT_STOP);
    sb.nops = nops;
    sb.noperands = nods;
    sb.ops = nops <= ops.size() && rng.below(10) ? reinterpret_cast<uintptr_t>(ops.data())
                                                 : wildPtr();
    sb.operands = nods <= ods.size() && rng.below(10) ? reinterpret_cast<uintptr_t>(ods.data())
                                                      : wildPtr();
    sb.results = outPtr(nops * sizeof(int32_t));
    if (!rng.below(20)) sb.reserved = 1;
    call(DMABRIDGE_IOC_SUBMIT, &sb);
  }
  void enumerate() {
    dmabridge_enumerate en{};
    en.capacity = static_cast<uint32_t>(rng.below(4) ? rng.below(40) : rng.next());
    en.infos = outPtr(static_cast<size_t>(std::min<uint32_t>(en.capacity, 1024)) *
                      sizeof(dmabridge_chan_info));
    if (!rng.below(10)) en.reserved = 1;
    call(DMABRIDGE_IOC_ENUMERATE, &en);
  }
  void slaveConfig() {
    dmabridge_slave_config sc{};
    sc.chan = handle(chans);
    sc.direction = static_cast<uint32_t>(rng.below(4));
    sc.addr_width = static_cast<uint32_t>(rng.below(10));
    sc.maxburst = static_cast<uint32_t>(num(64));
    sc.dev_addr = rng.next();
    call(DMABRIDGE_IOC_SLAVE_CONFIG, &sc);
  }
  void releaseOrControl() {
    uint32_t h;
    switch (rng.below(5)) {
      case 0:
        h = handle(chans);
        if (call(DMABRIDGE_IOC_CHAN_RELEASE, &h) == 0)
          chans.erase(std::find(chans.begin(), chans.end(), h));
        break;
      case 1:
        h = handle(bufs);
        if (call(DMABRIDGE_IOC_BUF_RELEASE, &h) == 0)
          bufs.erase(std::find(bufs.begin(), bufs.end(), h));
        break;
      case 2: h = handle(chans); call(DMABRIDGE_IOC_ISSUE, &h); break;
      case 3: h = handle(chans); call(DMABRIDGE_IOC_TERMINATE, &h); break;
      default: call(DMABRIDGE_IOC_CHAN_RELEASE, reinterpret_cast<void*>(wildPtr())); break;
    }
  }
  void wild() {
    unsigned long cmds[] = {DMABRIDGE_IOC_VERSION, DMABRIDGE_IOC_SUBMIT, DMABRIDGE_IOC_RING_SETUP,
                            _IOWR(0xDB, 0x0c, uint64_t), _IO(0xDB, 0x08), 0x5401};
    unsigned long cmd = rng.below(2) ? cmds[rng.below(6)] : rng.next();
    calls++;
    if (ioctl(br.fd(), cmd, reinterpret_cast<void*>(rng.below(2) ? wildPtr() : outPtr(4096))) == 0)
      ok++;
  }
  void drainSome() {
    dmabridge_completion tmp[256];
    br.readCompletions(tmp, 256);
    if (!rng.below(50)) {
      // Scribble the head: the kernel must ignore nonsense.
      auto* hdr = static_cast<dmabridge_ring_header*>(
          mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, br.fd(), 0));
      if (hdr != MAP_FAILED) {
        uint32_t keep = hdr->head;
        hdr->head = static_cast<uint32_t>(rng.next());
        pollfd p{br.fd(), POLLIN, 0};
        poll(&p, 1, 0);
        hdr->head = keep;
        munmap(hdr, 4096);
      }
    }
  }
};

}  // namespace

int testFuzz(int argc, char** argv) {
  size_t target = argc > 0 ? std::strtoull(argv[0], nullptr, 10) : 100000;
  uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 12345;
  size_t reopened = 0;
  Fuzz* f = new Fuzz(seed);
  f->noaccess = mmap(nullptr, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(f->noaccess != MAP_FAILED, "mmap");
  size_t calls = 0, ok = 0;
  auto start = [&](Fuzz* z) {
    CHECK_OK(z->br.open());
    dmabridge_chan_info info{};
    CHECK_OK(z->br.requestExclusive(DMABRIDGE_BY_DEVICE, "dmae_soft", 0, &info));
    z->chans.push_back(info.handle);
    if (z->rng.below(4)) CHECK_OK(z->br.setupRing(z->rng.below(2) ? 16 : 4096));
    if (z->owned.empty()) {
      z->owned.push_back(makeBuf(z->br, info.handle, "udmabuf", 1 << 18));
      z->owned.push_back(makeBuf(z->br, info.handle, "heap", 1 << 18));
    } else {
      for (auto& b : z->owned) {
        dmabridge_buf_import im{};
        CHECK_OK(z->br.importBuffer(b.dmabufFd, info.handle, 0, &im));
        b.handle = im.handle;
      }
    }
    for (auto& b : z->owned) z->bufs.push_back(b.handle);
  };
  start(f);
  while (calls + f->calls < target) {
    switch (f->rng.below(20)) {
      case 0: f->chanRequest(); break;
      case 1: case 2: f->bufImport(); break;
      case 3: f->bufAlloc(); break;
      case 4: f->enumerate(); break;
      case 5: f->slaveConfig(); break;
      case 6: case 7: case 8: f->releaseOrControl(); break;
      case 9: f->wild(); break;
      case 10: f->drainSome(); break;
      default: f->submit(); break;
    }
    if (f->bufs.size() > 200 || f->rng.below(20000) == 0) {
      // Close with whatever is in flight, and start over on a fresh fd.
      calls += f->calls;
      ok += f->ok;
      f->calls = f->ok = 0;
      f->br.close();
      f->chans.clear();
      f->bufs.clear();
      start(f);
      reopened++;
    }
  }
  calls += f->calls;
  ok += f->ok;
  f->br.close();
  for (auto& b : f->owned) {
    b.handle = 0;
    freeBuf(f->br, b);
  }
  delete f;
  std::printf("  fuzz: %zu ioctls (%zu accepted), %zu fds closed mid-flight, seed %llu\n", calls,
              ok, reopened, static_cast<unsigned long long>(seed));
  CHECK(calls >= target && ok > calls / 100, "too few accepted calls: %zu of %zu", ok, calls);
  return 0;
}

}  // namespace bt
