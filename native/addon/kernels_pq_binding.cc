// Synchronous bindings of the RAID-6 kernels: P+Q generate, read-modify-write, check, and the
// two recoveries. `blocks` is (Uint8Array|null)[] of `disks` entries, data then P then Q, with
// a parallel `offs`. Everything is validated (kernels_args.h) before a byte is touched.
#include "addon/kernels_args.h"
#include "kernels/kernels.h"

namespace dmae {
namespace addon {

namespace {

// The disks allowed: 3..255 for generate (one data block is a valid, if odd, array), 4..255
// for everything that needs two data slots, as the kernel's async_gen_syndrome asks.
constexpr int kMinGenDisks = 3;
constexpr int kMinDisks = 4;

const uint8_t* const* cptrs(const BlockList& b) {
  return const_cast<const uint8_t* const*>(b.ptrs.data());
}

void needPorQ(Napi::Env env, const BlockList& b, const Napi::Value& blocks) {
  const size_t disks = b.ptrs.size();
  if (!b.ptrs[disks - 2] && !b.ptrs[disks - 1]) {
    throw Napi::TypeError::New(env, "Expected a Uint8Array or Buffer for \"blocks[" +
                                        std::to_string(disks - 2) + "]\" (P) or \"blocks[" +
                                        std::to_string(disks - 1) +
                                        "]\" (Q) but received null for both");
  }
}

// kernelPqGen(blocks, offs, len)
Napi::Value KernelPqGen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t len = intFast(info[2], "len", 1, kMaxSafe);
  BlockList b = blockListArg(env, info[0], "blocks", info[1], "offs", len, "len", kMinGenDisks,
                             kernels::kMaxDisks, [](int) { return true; });
  needPorQ(env, b, info[0]);
  kernels::pqGen(static_cast<int>(b.ptrs.size()), static_cast<size_t>(len), b.ptrs.data());
  return env.Undefined();
}

// kernelPqGenXor(blocks, offs, start, stop, len)
Napi::Value KernelPqGenXor(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t len = intFast(info[4], "len", 1, kMaxSafe);
  BlockList b = blockListArg(env, info[0], "blocks", info[1], "offs", len, "len", kMinGenDisks,
                             kernels::kMaxDisks, [](int) { return true; });
  const int disks = static_cast<int>(b.ptrs.size());
  const int64_t start = intFast(info[2], "start", 0, disks - 3);
  const int64_t stop = intFast(info[3], "stop", start, disks - 3);
  needPorQ(env, b, info[0]);
  kernels::pqGenXor(disks, static_cast<int>(start), static_cast<int>(stop),
                    static_cast<size_t>(len), b.ptrs.data());
  return env.Undefined();
}

// kernelPqCheck(blocks, offs, len): bit 0 P mismatch, bit 1 Q mismatch
Napi::Value KernelPqCheck(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t len = intFast(info[2], "len", 1, kMaxSafe);
  BlockList b = blockListArg(env, info[0], "blocks", info[1], "offs", len, "len", kMinDisks,
                             kernels::kMaxDisks, [](int) { return true; });
  needPorQ(env, b, info[0]);
  const unsigned r = kernels::pqCheck(static_cast<int>(b.ptrs.size()), static_cast<size_t>(len), cptrs(b));
  return Napi::Number::New(env, r);
}

// kernel2DataRecov(blocks, offs, len, faila, failb)
Napi::Value Kernel2DataRecov(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t len = intFast(info[2], "len", 1, kMaxSafe);
  // The disk count bounds faila/failb, which decide which slots may be null: read the array's
  // length first (arrayArg again inside blockListArg re-reads the same elements).
  const int disks = static_cast<int>(arrayArg(info[0], "blocks", kMinDisks, kernels::kMaxDisks).size());
  const int64_t faila = intFast(info[3], "faila", 0, disks - 4);
  const int64_t failb = intFast(info[4], "failb", faila + 1, disks - 3);
  BlockList b = blockListArg(env, info[0], "blocks", info[1], "offs", len, "len", disks, disks,
                             [&](int i) { return i < disks - 2 && i != faila && i != failb; });
  kernels::raid6_2dataRecov(disks, static_cast<size_t>(len), static_cast<int>(faila),
                            static_cast<int>(failb), b.ptrs.data());
  return env.Undefined();
}

// kernelDatapRecov(blocks, offs, len, faila)
Napi::Value KernelDatapRecov(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t len = intFast(info[2], "len", 1, kMaxSafe);
  const int disks = static_cast<int>(arrayArg(info[0], "blocks", kMinDisks, kernels::kMaxDisks).size());
  const int64_t faila = intFast(info[3], "faila", 0, disks - 3);
  BlockList b = blockListArg(env, info[0], "blocks", info[1], "offs", len, "len", disks, disks,
                             [&](int i) { return i < disks - 2 && i != faila; });
  kernels::raid6_datapRecov(disks, static_cast<size_t>(len), static_cast<int>(faila), b.ptrs.data());
  return env.Undefined();
}

}  // namespace

void InitKernelsPq(Napi::Env env, Napi::Object exports) {
  exports.Set("kernelPqGen", Napi::Function::New(env, KernelPqGen, "kernelPqGen"));
  exports.Set("kernelPqGenXor", Napi::Function::New(env, KernelPqGenXor, "kernelPqGenXor"));
  exports.Set("kernelPqCheck", Napi::Function::New(env, KernelPqCheck, "kernelPqCheck"));
  exports.Set("kernel2DataRecov", Napi::Function::New(env, Kernel2DataRecov, "kernel2DataRecov"));
  exports.Set("kernelDatapRecov", Napi::Function::New(env, KernelDatapRecov, "kernelDatapRecov"));
}

}  // namespace addon
}  // namespace dmae
