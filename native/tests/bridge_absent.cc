// native/bridge on a host without the module: open reports the errno (missing node, a file
// that is not the bridge), every call on a closed Bridge is -EBADF and writes nothing, and the
// batch builder lays operations out as the UAPI header says. The module itself is tested in
// the kernel lane (test/kernel/70.kernel.bridge*).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bridge/bridge.h"
#include "tests/check.h"

using dmabridge::Batch;
using dmabridge::Bridge;

int main() {
  Bridge br;
  CHECK(br.open("/nonexistent/dmaengine_bridge") == -ENOENT);
  CHECK(br.fd() == -1);
  // Something that opens but is not the bridge: the version ioctl fails, the fd is closed.
  int r = br.open("/dev/null");
  CHECK(r == -ENOTTY || r == -EINVAL);
  CHECK(br.fd() == -1);

  dmabridge_version v;
  std::memset(&v, 0x5a, sizeof(v));
  CHECK(br.version(&v) == -EBADF);
  CHECK(reinterpret_cast<unsigned char*>(&v)[0] == 0x5a);  // nothing written on failure
  dmabridge_chan_info ci;
  std::memset(&ci, 0x5a, sizeof(ci));
  CHECK(br.requestShared(DMABRIDGE_CAP_MEMCPY, &ci) == -EBADF);
  CHECK(ci.handle == 0x5a5a5a5aU);
  CHECK(br.setupRing(16) == -EBADF);
  CHECK(br.issue(1) == -EBADF);
  CHECK(br.terminate(1) == -EBADF);
  CHECK(br.wait(0) == -EBADF);
  dmabridge_completion out[4];
  CHECK(br.readCompletions(out, 4) == 0);  // no ring: nothing read
  int32_t res[1] = {7};
  uint32_t submitted = 99;
  dmabridge_op op{};
  CHECK(br.submit(1, &op, 1, nullptr, 0, res, 0, &submitted) == -EBADF);
  CHECK(submitted == 99 && res[0] == 7);

  // The batch builder: operands in order, counts and first indices, coefficients on sources.
  Batch b;
  b.memcpy(10, DMABRIDGE_F_COMPLETION, 1, 64, 2, 128, 4096);
  b.memset(11, 0, 3, 0, 0xab, 512);
  std::vector<dmabridge_operand> srcs(3);
  for (int i = 0; i < 3; i++) {
    srcs[i].buf = 4 + i;
    srcs[i].offset = 4096u * i;
    srcs[i].coef = static_cast<uint8_t>(1u << i);
  }
  b.pq(12, DMABRIDGE_F_PQ_DISABLE_Q, {8, 9, 0, {}}, {0, 0, 0, {}}, srcs, 4096);  // {offset, buf}
  b.interrupt(13, DMABRIDGE_F_FENCE);
  CHECK(b.ops.size() == 4);
  CHECK(b.operands.size() == 2 + 1 + 5);
  CHECK(b.ops[0].opcode == DMABRIDGE_OP_MEMCPY && b.ops[0].first == 0 && b.ops[0].count == 2);
  CHECK(b.operands[0].buf == 1 && b.operands[0].offset == 64 && b.operands[1].offset == 128);
  CHECK(b.ops[1].opcode == DMABRIDGE_OP_MEMSET && b.ops[1].value == 0xab && b.ops[1].first == 2);
  CHECK(b.ops[2].opcode == DMABRIDGE_OP_PQ && b.ops[2].first == 3 && b.ops[2].count == 5);
  CHECK(b.operands[3].offset == 8 && b.operands[3].buf == 9 && b.operands[4].buf == 0);
  CHECK(b.operands[7].buf == 6 && b.operands[7].coef == 4 && b.operands[3].coef == 0);
  CHECK(b.ops[3].opcode == DMABRIDGE_OP_INTERRUPT && b.ops[3].count == 0 && b.ops[3].len == 0);
  CHECK(b.ops[2].user_tag == 12 && b.ops[2].flags == DMABRIDGE_F_PQ_DISABLE_Q);
  return dmae_test::summary("bridge_absent");
}
