// dmabridge::Bridge: a small C++17 client of /dev/dmaengine_bridge (native/kmod), over the
// UAPI header only (no kernel headers, no Node): open, version, enumerate, channels of both
// models, dma-buf import and allocation, batches (one ioctl per doorbell), issue, terminate,
// the completion ring (mmap, poll) and slave configuration.
//
// Model: one Bridge is one fd = one kernel context; every handle it returns is meaningful only
// on it. Calls return 0 or -errno and never throw; nothing is written to an out-parameter on
// failure. Threading: a Bridge is not thread-safe; the ring may be drained from any one thread
// while another submits (the kernel serialises ioctls per fd; the ring's head is written only
// by readCompletions). Later wired to libuv poll in the addon.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../kmod/uapi/dmaengine_bridge.h"

namespace dmabridge {

class Bridge {
 public:
  Bridge() = default;
  ~Bridge();
  Bridge(const Bridge&) = delete;
  Bridge& operator=(const Bridge&) = delete;

  // Opens the node (O_RDWR | O_CLOEXEC) and checks the module's ABI; -EPROTO on a mismatch.
  int open(const char* path = DMABRIDGE_DEVICE_PATH);
  // Closes the fd: the kernel terminates (exclusive) or waits for (shared) what is in flight,
  // then unmaps and releases everything the fd held.
  void close();
  int fd() const { return fd_; }

  int version(dmabridge_version* out) const;
  int enumerate(std::vector<dmabridge_chan_info>* out) const;

  // by: DMABRIDGE_BY_*; name: channel or device name for BY_NAME / BY_DEVICE, else nullptr.
  int requestExclusive(uint32_t by, const char* name, uint64_t caps, dmabridge_chan_info* out);
  // cap: exactly one DMABRIDGE_CAP_* with a dma_find_channel table (memcpy, xor, pq, …).
  int requestShared(uint64_t cap, dmabridge_chan_info* out);
  int releaseChannel(uint32_t chan);

  int importBuffer(int dmabufFd, uint32_t chan, uint32_t dir, dmabridge_buf_import* out);
  // The returned out->fd is a dma-buf fd the caller owns (mmap it with mapDmaBuf).
  int allocBuffer(uint64_t size, uint32_t chan, uint32_t flags, dmabridge_buf_alloc* out);
  int releaseBuffer(uint32_t buf);

  // Creates and maps the completion ring (entries: a power of two, the most ops in flight).
  int setupRing(uint32_t entries);
  uint32_t ringEntries() const { return ringEntries_; }

  // One DMABRIDGE_IOC_SUBMIT. results has nops entries (0 or -errno per op).
  int submit(uint32_t chan, const dmabridge_op* ops, uint32_t nops, const dmabridge_operand* ods,
             uint32_t nods, int32_t* results, uint32_t flags, uint32_t* submitted);
  int issue(uint32_t chan);
  int terminate(uint32_t chan);
  int slaveConfig(const dmabridge_slave_config& cfg);

  // Copies up to max posted entries out of the ring and consumes them; returns the count.
  size_t readCompletions(dmabridge_completion* out, size_t max);
  // Waits until the ring has entries: 1 ready, 0 timed out, -errno.
  int wait(int timeoutMs) const;

 private:
  int ioctl(unsigned long cmd, void* arg) const;
  int fd_ = -1;
  void* ring_ = nullptr;
  size_t ringSize_ = 0;
  uint32_t ringEntries_ = 0;
  size_t entriesOffset_ = 0;
};

// mmap of a dma-buf fd (shared, read-write); nullptr on failure. Unmap with unmapDmaBuf.
void* mapDmaBuf(int fd, size_t size);
void unmapDmaBuf(void* p, size_t size);

// Helpers to build a batch: operations appended with their operands.
class Batch {
 public:
  void memcpy(uint64_t tag, uint32_t flags, uint32_t dst, uint64_t dstOff, uint32_t src,
              uint64_t srcOff, uint64_t len);
  void memset(uint64_t tag, uint32_t flags, uint32_t dst, uint64_t off, uint8_t value,
              uint64_t len);
  // xor: dst = src[0] ^ … ; xorVal: are the sources' xor all zero?
  void xorOp(uint64_t tag, uint32_t flags, uint32_t dst, uint64_t dstOff,
             const std::vector<dmabridge_operand>& srcs, uint64_t len);
  void xorVal(uint64_t tag, uint32_t flags, const std::vector<dmabridge_operand>& srcs,
              uint64_t len);
  // P and Q operands are {buf, offset}; a disabled one (flag) is passed as {0, 0}. Each
  // source's coef field carries its coefficient.
  void pq(uint64_t tag, uint32_t flags, dmabridge_operand p, dmabridge_operand q,
          const std::vector<dmabridge_operand>& srcs, uint64_t len, bool validate = false);
  void interrupt(uint64_t tag, uint32_t flags);
  void slave(uint64_t tag, uint32_t flags, uint32_t buf, uint64_t off, uint64_t len,
             uint32_t direction);
  void clear() { ops.clear(); operands.clear(); }

  std::vector<dmabridge_op> ops;
  std::vector<dmabridge_operand> operands;

 private:
  dmabridge_op& add(uint64_t tag, uint32_t opcode, uint32_t flags, uint64_t len);
  void operand(uint32_t buf, uint64_t off, uint8_t coef = 0);
};

}  // namespace dmabridge
