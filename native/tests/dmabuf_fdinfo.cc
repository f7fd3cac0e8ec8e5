// fdinfo parsing: the real kernel's dma-buf layout, a memfd's (no exp_name), odd spacing,
// truncation at every length, and seeded random bytes (must never read past len).
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "dmabuf/dmabuf.h"
#include "tests/check.h"

using dmae::dmabuf::parseFdinfo;

int main() {
  const std::string dmabufText =
      "pos:\t0\nflags:\t02000002\nmnt_id:\t15\nino:\t1045\nsize:\t1048576\ncount:\t2\n"
      "exp_name:\tsystem\nname:\tframes\n";
  auto a = parseFdinfo(dmabufText.data(), dmabufText.size());
  CHECK(a.isDmaBuf);
  CHECK(a.size == 1048576);
  CHECK(a.count == 2);
  CHECK(a.expName == "system");
  CHECK(a.hasName && a.name == "frames");
  CHECK(a.flags == 02000002);

  const std::string unnamed = "pos:\t0\nflags:\t02\nsize:\t8192\ncount:\t1\nexp_name:\tudmabuf\n";
  auto b = parseFdinfo(unnamed.data(), unnamed.size());
  CHECK(b.isDmaBuf && b.expName == "udmabuf" && !b.hasName && b.size == 8192);

  const std::string memfd = "pos:\t0\nflags:\t0100002\nmnt_id:\t1\nino:\t7\n";
  auto c = parseFdinfo(memfd.data(), memfd.size());
  CHECK(!c.isDmaBuf && c.size == -1 && c.count == -1);

  const std::string spaces = "size:   4096\ncount: x\nexp_name: a b\n";  // bad count is ignored
  auto d = parseFdinfo(spaces.data(), spaces.size());
  CHECK(d.size == 4096 && d.count == -1 && d.expName == "a b");

  // Every prefix of the real text parses without reading past its end (ASan checks this).
  for (size_t n = 0; n <= dmabufText.size(); n++) {
    std::vector<char> copy(dmabufText.begin(), dmabufText.begin() + n);
    auto p = parseFdinfo(copy.data(), copy.size());
    if (n == dmabufText.size()) CHECK(p.isDmaBuf);
  }
  // Seeded random input: must not crash; isDmaBuf only when "exp_name" appears as a key.
  uint32_t x = 12345;
  for (int round = 0; round < 2000; round++) {
    std::vector<char> buf(1 + round % 97);
    for (auto& ch : buf) {
      x ^= x << 13; x ^= x >> 17; x ^= x << 5;
      const char alphabet[] = "exp_name:\t\nsizecount0123 ";
      ch = alphabet[x % (sizeof(alphabet) - 1)];
    }
    auto r = parseFdinfo(buf.data(), buf.size());
    std::string s(buf.begin(), buf.end());
    if (r.isDmaBuf) CHECK(s.find("exp_name:") != std::string::npos);
  }
  return dmae_test::summary("dmabuf_fdinfo");
}
