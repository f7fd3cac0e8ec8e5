// The syscall layer on any machine: memfd create/seal/map/size, the MAP_SHARED property, and
// the error returns where the kernel lacks a feature (udmabuf/heap device missing, a memfd
// given to the dma-buf ioctls). udmabuf and heaps for real are tested in the kernel lane.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dmabuf/dmabuf.h"
#include "tests/check.h"

namespace db = dmae::dmabuf;

int main() {
  const long page = db::pageSize();
  CHECK(page >= 4096 && (page & (page - 1)) == 0);

  int fd = db::memfdCreate("dmae-test", 2 * page, true);
  CHECK(fd >= 0);
  CHECK(db::fdSize(fd) == 2 * page);
  // F_SEAL_SHRINK is in place: shrinking fails with EPERM.
  CHECK(ftruncate(fd, page) < 0 && errno == EPERM);

  int err = 1;
  auto* p = static_cast<unsigned char*>(db::mapShared(fd, 2 * page, &err));
  CHECK(p != nullptr && err == 0);
  if (p) {
    p[page + 3] = 0x42;
    unsigned char got = 0;
    CHECK(pread(fd, &got, 1, page + 3) == 1 && got == 0x42);  // MAP_SHARED: visible via the fd
    CHECK(db::unmap(p, 2 * page) == 0);
  }

  // A memfd is not a dma-buf: the dma-buf ioctls answer ENOTTY, fdinfo has no exp_name.
  CHECK(db::sync(fd, db::kSyncStart | db::kSyncRw) == -ENOTTY);
  CHECK(db::setName(fd, "x") == -ENOTTY);
  CHECK(db::setName(fd, "0123456789012345678901234567890123") == -ENAMETOOLONG);
  CHECK(db::exportSyncFile(fd, 1) == -ENOTTY);
  db::FdInfo fi;
  CHECK(db::readFdinfo(fd, &fi) == 0 && !fi.isDmaBuf);

  int dup = db::dupFd(fd);
  CHECK(dup > 2 && dup != fd);
  CHECK(db::closeFd(dup) == 0);
  CHECK(db::closeFd(fd) == 0);
  CHECK(db::closeFd(fd) == -EBADF);
  CHECK(db::readFdinfo(fd, &fi) == -ENOENT);

  // Missing devices: -ENOENT from open, nothing else to clean up.
  CHECK(db::openDevice("/nonexistent/udmabuf", true) == -ENOENT);
  // Mapping past the end of a file is refused (it would SIGBUS on touch).
  {
    int small = db::memfdCreate("dmae-small", page, true);
    CHECK(db::mapShared(small, 2 * page, &err) == nullptr && err == -EOVERFLOW);
    db::closeFd(small);
  }
  // Mapping a bad fd fails cleanly.
  CHECK(db::mapShared(-1, page, &err) == nullptr && err == -EBADF);
  // udmabuf ioctls on something that is not /dev/udmabuf fail, never crash.
  int m = db::memfdCreate("dmae-test2", page, true);
  db::UdmabufItem item{m, 0, static_cast<uint64_t>(page)};
  CHECK(db::udmabufCreateList(m, &item, 0) == -EINVAL);
  CHECK(db::udmabufCreateList(m, &item, 1) < 0);
  CHECK(db::udmabufCreate(m, m, 0, page) < 0);
  CHECK(db::heapAlloc(m, page) < 0);
  db::closeFd(m);
  return dmae_test::summary("dmabuf_memfd");
}
