// dmabridge_test: buffers of every kind the bridge takes, CPU sync brackets, the ring drain,
// GF(2^8) and running helper programs (busybox rmmod/insmod).
#include <cerrno>

#include <fcntl.h>
#include <linux/dma-buf.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

extern char** environ;

namespace bt {

namespace {
struct UdmabufCreate {  // struct udmabuf_create
  uint32_t memfd;
  uint32_t flags;
  uint64_t offset;
  uint64_t size;
};
constexpr unsigned long kUdmabufCreate = _IOW('u', 0x42, UdmabufCreate);
struct HeapAlloc {  // struct dma_heap_allocation_data
  uint64_t len;
  uint32_t fd;
  uint32_t fdFlags;
  uint64_t heapFlags;
};
constexpr unsigned long kHeapAlloc = _IOWR('H', 0x0, HeapAlloc);
}  // namespace

Buf makeBuf(dmabridge::Bridge& br, uint32_t chan, const std::string& kind, size_t size) {
  Buf b;
  b.kind = kind;
  b.size = size;
  if (kind == "udmabuf") {
    b.memfd = memfd_create("bridge-test", MFD_ALLOW_SEALING | MFD_CLOEXEC);
    CHECK(b.memfd >= 0, "memfd_create: %s", strerror(errno));
    CHECK(ftruncate(b.memfd, size) == 0, "ftruncate: %s", strerror(errno));
    CHECK(fcntl(b.memfd, F_ADD_SEALS, F_SEAL_SHRINK) == 0, "seal: %s", strerror(errno));
    int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
    CHECK(dev >= 0, "/dev/udmabuf: %s", strerror(errno));
    UdmabufCreate c{static_cast<uint32_t>(b.memfd), 0x01 /* CLOEXEC */, 0, size};
    b.dmabufFd = ioctl(dev, kUdmabufCreate, &c);
    CHECK(b.dmabufFd >= 0, "UDMABUF_CREATE: %s", strerror(errno));
    close(dev);
    b.cpu = static_cast<uint8_t*>(
        mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, b.memfd, 0));
  } else if (kind == "heap") {
    int heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
    CHECK(heap >= 0, "/dev/dma_heap/system: %s", strerror(errno));
    HeapAlloc a{size, 0, O_RDWR | O_CLOEXEC, 0};
    CHECK(ioctl(heap, kHeapAlloc, &a) == 0, "DMA_HEAP_IOCTL_ALLOC: %s", strerror(errno));
    close(heap);
    b.dmabufFd = static_cast<int>(a.fd);
    b.cpu = static_cast<uint8_t*>(dmabridge::mapDmaBuf(b.dmabufFd, size));
  } else {
    dmabridge_buf_alloc al{};
    uint32_t flags = kind == "alloc-contig" ? DMABRIDGE_ALLOC_CONTIGUOUS : 0;
    CHECK_OK(br.allocBuffer(size, chan, flags, &al));
    b.dmabufFd = al.fd;
    b.handle = al.handle;
    b.segments = al.segments;
    b.cpu = static_cast<uint8_t*>(dmabridge::mapDmaBuf(b.dmabufFd, size));
  }
  CHECK(b.cpu && b.cpu != MAP_FAILED, "mmap of %s: %s", kind.c_str(), strerror(errno));
  if (!b.handle) {
    dmabridge_buf_import im{};
    CHECK_OK(br.importBuffer(b.dmabufFd, chan, DMABRIDGE_DIR_BIDIRECTIONAL, &im));
    CHECK(im.size == size, "imported size %llu, wanted %zu", (unsigned long long)im.size, size);
    b.handle = im.handle;
    b.segments = im.segments;
  }
  return b;
}

void freeBuf(dmabridge::Bridge& br, Buf& b) {
  if (b.handle) CHECK_OK(br.releaseBuffer(b.handle));
  if (b.cpu) munmap(b.cpu, b.size);
  if (b.dmabufFd >= 0) close(b.dmabufFd);
  if (b.memfd >= 0) close(b.memfd);
  b = Buf();
}

static void sync(const Buf& b, uint64_t flags) {
  dma_buf_sync s{flags | DMA_BUF_SYNC_RW};
  CHECK(ioctl(b.dmabufFd, DMA_BUF_IOCTL_SYNC, &s) == 0, "DMA_BUF_IOCTL_SYNC: %s",
        strerror(errno));
}
void cpuBegin(const Buf& b) { sync(b, DMA_BUF_SYNC_START); }
void cpuEnd(const Buf& b) { sync(b, DMA_BUF_SYNC_END); }

uint8_t gfMul(uint8_t a, uint8_t b) {
  uint8_t r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a = static_cast<uint8_t>((a << 1) ^ ((a & 0x80) ? 0x1d : 0));
    b >>= 1;
  }
  return r;
}

std::vector<dmabridge_completion> drain(dmabridge::Bridge& br, size_t n, int timeoutMs) {
  std::vector<dmabridge_completion> got;
  std::vector<dmabridge_completion> tmp(1024);
  int waited = 0;
  while (got.size() < n) {
    size_t k = br.readCompletions(tmp.data(), tmp.size());
    got.insert(got.end(), tmp.begin(), tmp.begin() + k);
    if (got.size() >= n) break;
    if (k) continue;
    CHECK(waited < timeoutMs, "%zu of %zu completions after %d ms", got.size(), n, waited);
    int r = br.wait(100);
    CHECK(r >= 0, "poll: %s", strerror(-r));
    waited += 100;
  }
  return got;
}

int runProgram(const std::vector<std::string>& argv) {
  std::vector<char*> a;
  for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
  a.push_back(nullptr);
  pid_t pid;
  if (posix_spawn(&pid, a[0], nullptr, nullptr, a.data(), environ) != 0) return -1;
  int st = 0;
  if (waitpid(pid, &st, 0) < 0) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

}  // namespace bt
