// /proc/self/fdinfo/<fd> parsing for dma-bufs: the kernel prints "size:\t%zu", "count:\t%ld",
// "exp_name:\t%s" and, once named, "name:\t%s", after the generic pos/flags/mnt_id/ino lines.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "dmabuf/dmabuf.h"

namespace dmae {
namespace dmabuf {

namespace {
bool parseInt(const std::string& s, int base, int64_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, base);
  if (errno != 0 || end == s.c_str() || *end != '\0') return false;
  *out = v;
  return true;
}
}  // namespace

FdInfo parseFdinfo(const char* text, size_t len) {
  FdInfo info;
  size_t i = 0;
  while (i < len) {
    size_t eol = i;
    while (eol < len && text[eol] != '\n') eol++;
    size_t colon = i;
    while (colon < eol && text[colon] != ':') colon++;
    if (colon < eol) {
      std::string key(text + i, colon - i);
      size_t v = colon + 1;
      while (v < eol && (text[v] == '\t' || text[v] == ' ')) v++;
      std::string value(text + v, eol - v);
      int64_t n;
      if (key == "size" && parseInt(value, 10, &n)) info.size = n;
      else if (key == "count" && parseInt(value, 10, &n)) info.count = n;
      else if (key == "flags" && parseInt(value, 8, &n)) info.flags = n;
      else if (key == "exp_name") {
        info.expName = value;
        info.isDmaBuf = true;
      } else if (key == "name") {
        info.name = value;
        info.hasName = true;
      }
    }
    i = eol + 1;
  }
  return info;
}

int readFdinfo(int fd, FdInfo* out) {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
  int f = open(path, O_RDONLY | O_CLOEXEC);
  if (f < 0) return -errno;
  std::string text;
  char buf[1024];
  for (;;) {
    ssize_t n = read(f, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = -errno;
      close(f);
      return e;
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > (1u << 20)) break;  // fdinfo is small; never grow without bound
  }
  close(f);
  *out = parseFdinfo(text.data(), text.size());
  return 0;
}

}  // namespace dmabuf
}  // namespace dmae
