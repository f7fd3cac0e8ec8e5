// dma-buf mechanism, libc only (no Node): the uapi of include/uapi/linux/dma-buf.h,
// udmabuf.h and dma-heap.h, written from the reference (spec §5), not copied from headers, so
// it builds on machines whose kernel headers predate these features.
//
// Model: a dma-buf is a file descriptor. It comes from a dma-heap (/dev/dma_heap/<name>,
// DMA_HEAP_IOCTL_ALLOC), from /dev/udmabuf over a sealed memfd (UDMABUF_CREATE[_LIST]), or from
// elsewhere (imported). CPU access: mmap(MAP_SHARED), then DMA_BUF_IOCTL_SYNC START … END.
// Call order: create → mapShared → sync(START) … sync(END) → munmap/close (any order: the
// mapping keeps the pages alive after the fd is closed).
// Errors: every function returns -errno (negative) on failure and never sets anything else.
// Threading: all functions are plain syscalls, safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace dmae {
namespace dmabuf {

// ioctl numbers (x86-64 and arm64 layouts; the structs have no pointer-size dependence except
// SET_NAME, for which both the 32- and 64-bit variants are defined).
constexpr unsigned long kDmaBufIoctlSync = 0x40086200UL;
constexpr unsigned long kDmaBufSetNameA = 0x40046201UL;
constexpr unsigned long kDmaBufSetNameB = 0x40086201UL;
constexpr unsigned long kDmaBufExportSyncFile = 0xC0086202UL;
constexpr unsigned long kDmaBufImportSyncFile = 0x40086203UL;
constexpr unsigned long kUdmabufCreate = 0x40187542UL;
constexpr unsigned long kUdmabufCreateList = 0x40087543UL;
constexpr unsigned long kDmaHeapIoctlAlloc = 0xC0184800UL;

// DMA_BUF_SYNC_* flags.
constexpr uint64_t kSyncRead = 1, kSyncWrite = 2, kSyncRw = 3, kSyncStart = 0, kSyncEnd = 4;
constexpr size_t kNameLen = 32;  // DMA_BUF_NAME_LEN, NUL included

struct UdmabufItem {
  int memfd;
  uint64_t offset;
  uint64_t size;
};

long pageSize();

// memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING), ftruncate(size), and with `sealShrink`
// F_SEAL_SHRINK (what udmabuf requires). Returns the fd or -errno; closes it on failure.
int memfdCreate(const char* name, uint64_t size, bool sealShrink);
// open(path, O_RDWR | O_CLOEXEC) (or O_RDONLY when !readWrite). fd or -errno.
int openDevice(const char* path, bool readWrite);
int closeFd(int fd);
// F_DUPFD_CLOEXEC. fd or -errno.
int dupFd(int fd);

// UDMABUF_CREATE with UDMABUF_FLAGS_CLOEXEC: a new dma-buf fd or -errno.
int udmabufCreate(int devFd, int memfd, uint64_t offset, uint64_t size);
// UDMABUF_CREATE_LIST over `count` items. fd or -errno (-EINVAL for count 0).
int udmabufCreateList(int devFd, const UdmabufItem* items, uint32_t count);
// DMA_HEAP_IOCTL_ALLOC of len bytes, fd_flags O_RDWR | O_CLOEXEC. fd or -errno.
int heapAlloc(int heapFd, uint64_t len);

// DMA_BUF_IOCTL_SYNC with the given flags (START/END | READ/WRITE/RW). 0 or -errno.
int sync(int fd, uint64_t flags);
// DMA_BUF_SET_NAME (tries the 64-bit variant, then the 32-bit one). 0 or -errno;
// -ENAMETOOLONG if the name does not fit DMA_BUF_NAME_LEN.
int setName(int fd, const char* name);
// DMA_BUF_IOCTL_EXPORT_SYNC_FILE: a sync_file fd or -errno.
int exportSyncFile(int fd, uint32_t flags);
// DMA_BUF_IOCTL_IMPORT_SYNC_FILE. 0 or -errno.
int importSyncFile(int fd, int syncFd, uint32_t flags);

// Size by lseek(SEEK_END) then back to 0 (dma-buf only supports SEEK_END/SEEK_SET with 0).
int64_t fdSize(int fd);

// mmap(PROT_READ|PROT_WRITE, MAP_SHARED) of [0, len). Returns the address or nullptr with
// *err = -errno; -EOVERFLOW when len runs past the file's size (touching it would SIGBUS).
void* mapShared(int fd, size_t len, int* err);
int unmap(void* addr, size_t len);

// The dma-buf fields of /proc/self/fdinfo/<fd>. `isDmaBuf` is false when exp_name is absent.
struct FdInfo {
  bool isDmaBuf = false;
  int64_t size = -1;
  int64_t count = -1;
  std::string expName;
  std::string name;
  bool hasName = false;
  int64_t flags = -1;  // octal in the file
};
// Parses fdinfo text (lines "key:\tvalue"). Pure: never reads past `len`.
FdInfo parseFdinfo(const char* text, size_t len);
// Reads /proc/self/fdinfo/<fd> and parses it. 0 or -errno.
int readFdinfo(int fd, FdInfo* out);

}  // namespace dmabuf
}  // namespace dmae
