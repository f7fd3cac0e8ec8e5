// The dma-buf, udmabuf and dma-heap syscalls (see dmabuf.h): thin, -errno on failure.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "dmabuf/dmabuf.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#endif
#ifndef F_SEAL_SHRINK
#define F_SEAL_SHRINK 0x0002
#endif

namespace dmae {
namespace dmabuf {

namespace {
// The uapi structs, laid out as the kernel expects (sizes asserted).
struct UdmabufCreate {
  uint32_t memfd;
  uint32_t flags;
  uint64_t offset;
  uint64_t size;
};
static_assert(sizeof(UdmabufCreate) == 24, "udmabuf_create is 24 bytes");
struct UdmabufCreateItem {
  uint32_t memfd;
  uint32_t pad;
  uint64_t offset;
  uint64_t size;
};
static_assert(sizeof(UdmabufCreateItem) == 24, "udmabuf_create_item is 24 bytes");
struct HeapAllocation {
  uint64_t len;
  uint32_t fd;
  uint32_t fdFlags;
  uint64_t heapFlags;
};
static_assert(sizeof(HeapAllocation) == 24, "dma_heap_allocation_data is 24 bytes");
struct SyncFileArg {
  uint32_t flags;
  int32_t fd;
};
static_assert(sizeof(SyncFileArg) == 8, "dma_buf_export_sync_file is 8 bytes");
constexpr uint32_t kUdmabufFlagsCloexec = 0x01;

int retry(int r) { return r < 0 ? -errno : r; }
int ioctlRetry(int fd, unsigned long req, void* arg) {
  int r;
  do r = ioctl(fd, req, arg);
  while (r < 0 && errno == EINTR);
  return r < 0 ? -errno : r;
}
}  // namespace

long pageSize() {
  long p = sysconf(_SC_PAGESIZE);
  return p > 0 ? p : 4096;
}

int memfdCreate(const char* name, uint64_t size, bool sealShrink) {
  int fd = static_cast<int>(syscall(SYS_memfd_create, name, MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (fd < 0) return -errno;
  if (ftruncate(fd, static_cast<off_t>(size)) < 0 ||
      (sealShrink && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) < 0)) {
    int e = -errno;
    close(fd);
    return e;
  }
  return fd;
}

int openDevice(const char* path, bool readWrite) {
  return retry(open(path, (readWrite ? O_RDWR : O_RDONLY) | O_CLOEXEC));
}

int closeFd(int fd) { return close(fd) < 0 ? -errno : 0; }

int dupFd(int fd) { return retry(fcntl(fd, F_DUPFD_CLOEXEC, 3)); }

int udmabufCreate(int devFd, int memfd, uint64_t offset, uint64_t size) {
  UdmabufCreate c{static_cast<uint32_t>(memfd), kUdmabufFlagsCloexec, offset, size};
  return ioctlRetry(devFd, kUdmabufCreate, &c);
}

int udmabufCreateList(int devFd, const UdmabufItem* items, uint32_t count) {
  if (count == 0) return -EINVAL;
  // Header {flags, count} then the items, in one allocation (a flexible array in the uapi).
  std::vector<uint8_t> buf(8 + sizeof(UdmabufCreateItem) * count, 0);
  uint32_t hdr[2] = {kUdmabufFlagsCloexec, count};
  std::memcpy(buf.data(), hdr, sizeof(hdr));
  for (uint32_t i = 0; i < count; i++) {
    UdmabufCreateItem it{static_cast<uint32_t>(items[i].memfd), 0, items[i].offset, items[i].size};
    std::memcpy(buf.data() + 8 + i * sizeof(it), &it, sizeof(it));
  }
  return ioctlRetry(devFd, kUdmabufCreateList, buf.data());
}

int heapAlloc(int heapFd, uint64_t len) {
  HeapAllocation a{len, 0, static_cast<uint32_t>(O_RDWR | O_CLOEXEC), 0};
  int r = ioctlRetry(heapFd, kDmaHeapIoctlAlloc, &a);
  return r < 0 ? r : static_cast<int>(a.fd);
}

int sync(int fd, uint64_t flags) {
  uint64_t f = flags;
  int r = ioctlRetry(fd, kDmaBufIoctlSync, &f);
  return r < 0 ? r : 0;
}

int setName(int fd, const char* name) {
  if (std::strlen(name) >= kNameLen) return -ENAMETOOLONG;
  // The kernel matches _A (u32 size) and _B (u64 size); the argument is the string pointer.
  int r = ioctl(fd, sizeof(void*) == 8 ? kDmaBufSetNameB : kDmaBufSetNameA, name);
  return r < 0 ? -errno : 0;
}

int exportSyncFile(int fd, uint32_t flags) {
  SyncFileArg a{flags, -1};
  int r = ioctlRetry(fd, kDmaBufExportSyncFile, &a);
  return r < 0 ? r : a.fd;
}

int importSyncFile(int fd, int syncFd, uint32_t flags) {
  SyncFileArg a{flags, syncFd};
  int r = ioctlRetry(fd, kDmaBufImportSyncFile, &a);
  return r < 0 ? r : 0;
}

int64_t fdSize(int fd) {
  off_t end = lseek(fd, 0, SEEK_END);
  if (end < 0) return -errno;
  lseek(fd, 0, SEEK_SET);
  return static_cast<int64_t>(end);
}

void* mapShared(int fd, size_t len, int* err) {
  // Pages past the end of the file would SIGBUS on first touch: refuse them here. (dma-buf
  // inodes carry the buffer size; memfds are sealed against shrinking by their creator.)
  struct stat st;
  if (fstat(fd, &st) < 0) {
    *err = -errno;
    return nullptr;
  }
  if (st.st_size >= 0 && static_cast<uint64_t>(st.st_size) < len) {
    *err = -EOVERFLOW;
    return nullptr;
  }
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) {
    *err = -errno;
    return nullptr;
  }
  *err = 0;
  return p;
}

int unmap(void* addr, size_t len) { return munmap(addr, len) < 0 ? -errno : 0; }

}  // namespace dmabuf
}  // namespace dmae
