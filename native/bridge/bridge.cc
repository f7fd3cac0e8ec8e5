// dmabridge::Bridge: the ioctls of uapi/dmaengine_bridge.h and the completion ring.
// The ring protocol: load the kernel's tail with acquire order, copy the entries before it,
// store the new head with release order (the kernel ignores a head that makes no sense).
#include "bridge.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace dmabridge {

static_assert(sizeof(dmabridge_op) == 40, "dmabridge_op layout");
static_assert(sizeof(dmabridge_operand) == 16, "dmabridge_operand layout");
static_assert(sizeof(dmabridge_completion) == 32, "dmabridge_completion layout");
static_assert(sizeof(dmabridge_ring_header) == 128, "dmabridge_ring_header layout");
static_assert(sizeof(dmabridge_submit) == 48, "dmabridge_submit layout");
static_assert(sizeof(dmabridge_chan_info) % 8 == 0, "dmabridge_chan_info layout");

Bridge::~Bridge() { close(); }

int Bridge::ioctl(unsigned long cmd, void* arg) const {
  if (fd_ < 0) return -EBADF;
  for (;;) {
    if (::ioctl(fd_, cmd, arg) == 0) return 0;
    if (errno != EINTR) return -errno;
  }
}

int Bridge::open(const char* path) {
  if (fd_ >= 0) return -EBUSY;
  int fd = ::open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return -errno;
  fd_ = fd;
  dmabridge_version v{};
  int r = version(&v);
  if (r == 0 && v.abi != DMABRIDGE_ABI_VERSION) r = -EPROTO;
  if (r) close();
  return r;
}

void Bridge::close() {
  if (ring_) munmap(ring_, ringSize_);
  ring_ = nullptr;
  ringSize_ = 0;
  ringEntries_ = 0;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

int Bridge::version(dmabridge_version* out) const {
  dmabridge_version v{};
  int r = ioctl(DMABRIDGE_IOC_VERSION, &v);
  if (!r) *out = v;
  return r;
}

int Bridge::enumerate(std::vector<dmabridge_chan_info>* out) const {
  std::vector<dmabridge_chan_info> v(16);
  for (;;) {
    dmabridge_enumerate e{};
    e.infos = reinterpret_cast<uintptr_t>(v.data());
    e.capacity = static_cast<uint32_t>(v.size());
    int r = ioctl(DMABRIDGE_IOC_ENUMERATE, &e);
    if (r) return r;
    if (e.total <= e.capacity || v.size() >= 1024) {
      v.resize(e.count);
      *out = std::move(v);
      return 0;
    }
    v.resize(e.total);
  }
}

int Bridge::requestExclusive(uint32_t by, const char* name, uint64_t caps,
                             dmabridge_chan_info* out) {
  dmabridge_chan_request rq{};
  rq.model = DMABRIDGE_MODEL_EXCLUSIVE;
  rq.by = by;
  rq.cap_mask = caps;
  if (name) {
    size_t n = strnlen(name, sizeof(rq.name));
    if (n == sizeof(rq.name)) return -ENAMETOOLONG;
    memcpy(rq.name, name, n);
  }
  int r = ioctl(DMABRIDGE_IOC_CHAN_REQUEST, &rq);
  if (!r) *out = rq.info;
  return r;
}

int Bridge::requestShared(uint64_t cap, dmabridge_chan_info* out) {
  dmabridge_chan_request rq{};
  rq.model = DMABRIDGE_MODEL_SHARED;
  rq.cap_mask = cap;
  int r = ioctl(DMABRIDGE_IOC_CHAN_REQUEST, &rq);
  if (!r) *out = rq.info;
  return r;
}

int Bridge::releaseChannel(uint32_t chan) { return ioctl(DMABRIDGE_IOC_CHAN_RELEASE, &chan); }

int Bridge::importBuffer(int dmabufFd, uint32_t chan, uint32_t dir, dmabridge_buf_import* out) {
  dmabridge_buf_import im{};
  im.fd = dmabufFd;
  im.chan = chan;
  im.dir = dir;
  int r = ioctl(DMABRIDGE_IOC_BUF_IMPORT, &im);
  if (!r) *out = im;
  return r;
}

int Bridge::allocBuffer(uint64_t size, uint32_t chan, uint32_t flags, dmabridge_buf_alloc* out) {
  dmabridge_buf_alloc al{};
  al.size = size;
  al.chan = chan;
  al.flags = flags;
  int r = ioctl(DMABRIDGE_IOC_BUF_ALLOC, &al);
  if (!r) *out = al;
  return r;
}

int Bridge::releaseBuffer(uint32_t buf) { return ioctl(DMABRIDGE_IOC_BUF_RELEASE, &buf); }

int Bridge::setupRing(uint32_t entries) {
  if (ring_) return -EBUSY;
  dmabridge_ring_setup rs{};
  rs.entries = entries;
  int r = ioctl(DMABRIDGE_IOC_RING_SETUP, &rs);
  if (r) return r;
  void* p = mmap(nullptr, rs.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) return -errno;
  ring_ = p;
  ringSize_ = rs.mmap_size;
  ringEntries_ = entries;
  entriesOffset_ = rs.entries_offset;
  return 0;
}

int Bridge::submit(uint32_t chan, const dmabridge_op* ops, uint32_t nops,
                   const dmabridge_operand* ods, uint32_t nods, int32_t* results, uint32_t flags,
                   uint32_t* submitted) {
  dmabridge_submit sb{};
  sb.ops = reinterpret_cast<uintptr_t>(ops);
  sb.operands = reinterpret_cast<uintptr_t>(ods);
  sb.results = reinterpret_cast<uintptr_t>(results);
  sb.chan = chan;
  sb.flags = flags;
  sb.nops = nops;
  sb.noperands = nods;
  int r = ioctl(DMABRIDGE_IOC_SUBMIT, &sb);
  if (!r && submitted) *submitted = sb.submitted;
  return r;
}

int Bridge::issue(uint32_t chan) { return ioctl(DMABRIDGE_IOC_ISSUE, &chan); }
int Bridge::terminate(uint32_t chan) { return ioctl(DMABRIDGE_IOC_TERMINATE, &chan); }

int Bridge::slaveConfig(const dmabridge_slave_config& cfg) {
  dmabridge_slave_config c = cfg;
  return ioctl(DMABRIDGE_IOC_SLAVE_CONFIG, &c);
}

size_t Bridge::readCompletions(dmabridge_completion* out, size_t max) {
  if (!ring_) return 0;
  auto* hdr = static_cast<dmabridge_ring_header*>(ring_);
  auto* ent = reinterpret_cast<const dmabridge_completion*>(static_cast<char*>(ring_) +
                                                            entriesOffset_);
  uint32_t head = __atomic_load_n(&hdr->head, __ATOMIC_RELAXED);
  uint32_t tail = __atomic_load_n(&hdr->tail, __ATOMIC_ACQUIRE);
  size_t n = 0;
  while (head != tail && n < max) out[n++] = ent[head++ & (ringEntries_ - 1)];
  __atomic_store_n(&hdr->head, head, __ATOMIC_RELEASE);
  return n;
}

int Bridge::wait(int timeoutMs) const {
  if (fd_ < 0) return -EBADF;
  pollfd p{fd_, POLLIN, 0};
  for (;;) {
    int r = ::poll(&p, 1, timeoutMs);
    if (r >= 0) return r > 0 ? 1 : 0;
    if (errno != EINTR) return -errno;
  }
}

void* mapDmaBuf(int fd, size_t size) {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  return p == MAP_FAILED ? nullptr : p;
}

void unmapDmaBuf(void* p, size_t size) {
  if (p) munmap(p, size);
}

dmabridge_op& Batch::add(uint64_t tag, uint32_t opcode, uint32_t flags, uint64_t len) {
  dmabridge_op o{};
  o.user_tag = tag;
  o.opcode = opcode;
  o.flags = flags;
  o.len = len;
  o.first = static_cast<uint32_t>(operands.size());
  ops.push_back(o);
  return ops.back();
}

void Batch::operand(uint32_t buf, uint64_t off, uint8_t coef) {
  dmabridge_operand d{};
  d.buf = buf;
  d.offset = off;
  d.coef = coef;
  operands.push_back(d);
  ops.back().count++;
}

void Batch::memcpy(uint64_t tag, uint32_t flags, uint32_t dst, uint64_t dstOff, uint32_t src,
                   uint64_t srcOff, uint64_t len) {
  add(tag, DMABRIDGE_OP_MEMCPY, flags, len);
  operand(dst, dstOff);
  operand(src, srcOff);
}

void Batch::memset(uint64_t tag, uint32_t flags, uint32_t dst, uint64_t off, uint8_t value,
                   uint64_t len) {
  add(tag, DMABRIDGE_OP_MEMSET, flags, len).value = value;
  operand(dst, off);
}

void Batch::xorOp(uint64_t tag, uint32_t flags, uint32_t dst, uint64_t dstOff,
                  const std::vector<dmabridge_operand>& srcs, uint64_t len) {
  add(tag, DMABRIDGE_OP_XOR, flags, len);
  operand(dst, dstOff);
  for (const auto& s : srcs) operand(s.buf, s.offset);
}

void Batch::xorVal(uint64_t tag, uint32_t flags, const std::vector<dmabridge_operand>& srcs,
                   uint64_t len) {
  add(tag, DMABRIDGE_OP_XOR_VAL, flags, len);
  for (const auto& s : srcs) operand(s.buf, s.offset);
}

void Batch::pq(uint64_t tag, uint32_t flags, dmabridge_operand p, dmabridge_operand q,
               const std::vector<dmabridge_operand>& srcs, uint64_t len, bool validate) {
  add(tag, validate ? DMABRIDGE_OP_PQ_VAL : DMABRIDGE_OP_PQ, flags, len);
  operand(p.buf, p.offset);
  operand(q.buf, q.offset);
  for (const auto& s : srcs) operand(s.buf, s.offset, s.coef);
}

void Batch::interrupt(uint64_t tag, uint32_t flags) {
  add(tag, DMABRIDGE_OP_INTERRUPT, flags, 0);
}

void Batch::slave(uint64_t tag, uint32_t flags, uint32_t buf, uint64_t off, uint64_t len,
                  uint32_t direction) {
  add(tag, DMABRIDGE_OP_SLAVE, flags, len).value = direction;
  operand(buf, off);
}

}  // namespace dmabridge
