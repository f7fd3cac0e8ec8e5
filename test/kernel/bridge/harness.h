// The guest-side test program of the dmaengine bridge (dmabridge_test): shared helpers.
// Built on the host by scripts/kernel-lane/build-modules.sh against native/bridge, run in the
// lane's 6.12 guest by test/kernel/70.kernel.bridge.test.ts. Each subcommand prints what it
// checked and exits non-zero on the first failed check. Single-threaded.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../../../native/bridge/bridge.h"

#define CHECK(cond, ...)                                                        \
  do {                                                                          \
    if (!(cond)) {                                                              \
      std::fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);      \
      std::fprintf(stderr, __VA_ARGS__);                                        \
      std::fprintf(stderr, "\n");                                               \
      std::exit(1);                                                             \
    }                                                                           \
  } while (0)

#define CHECK_OK(expr)                                                          \
  do {                                                                          \
    int r_ = (expr);                                                            \
    CHECK(r_ == 0, "%s returned %d (%s)", #expr, r_, std::strerror(-r_));        \
  } while (0)

namespace bt {

// xorshift64*: fixed seeds, reproducible runs.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed ? seed : 1) {}
  uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ULL;
  }
  uint64_t below(uint64_t n) { return n ? next() % n : 0; }
};

// A buffer the CPU sees (mapping) and the bridge knows (handle).
struct Buf {
  std::string kind;
  int dmabufFd = -1;
  int memfd = -1;  // udmabuf: the memfd whose pages it shares
  uint8_t* cpu = nullptr;
  size_t size = 0;
  uint32_t handle = 0;
  uint32_t segments = 0;
};

// kind: "udmabuf", "heap", "alloc", "alloc-contig". Imports (or allocates) for chan.
Buf makeBuf(dmabridge::Bridge& br, uint32_t chan, const std::string& kind, size_t size);
void freeBuf(dmabridge::Bridge& br, Buf& b);
void cpuBegin(const Buf& b);  // DMA_BUF_IOCTL_SYNC around CPU access
void cpuEnd(const Buf& b);

// GF(2^8), polynomial 0x11d (the RAID-6 field).
uint8_t gfMul(uint8_t a, uint8_t b);

// Waits for n entries (at most timeoutMs in all); returns them.
std::vector<dmabridge_completion> drain(dmabridge::Bridge& br, size_t n, int timeoutMs);

// Runs a program (argv[0] a path); returns its exit status, -1 when it could not run.
int runProgram(const std::vector<std::string>& argv);

// Subcommands.
int testOps(int argc, char** argv);
int testFaults(int argc, char** argv);
int testTerminate(int argc, char** argv);
int testClose(int argc, char** argv);
int testRmmod(int argc, char** argv);
int testModels(int argc, char** argv);
int testFuzz(int argc, char** argv);
int testAccess(int argc, char** argv);
int testSlave(int argc, char** argv);
int testProbe(int argc, char** argv);
int testAlign(int argc, char** argv);

}  // namespace bt
