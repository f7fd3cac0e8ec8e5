// Drives a libFuzzer-style target without libFuzzer (gcc builds, ctest runs): feeds it
// seeded pseudo-random inputs of random sizes. `--runs N` (default 10000), `--seed S`,
// `--max-len L` (default 4096). Files named on the command line are fed first, as corpora.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  unsigned long runs = 10000, seed = 12345, maxLen = 4096;
  std::vector<const char*> files;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::strtoul(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) seed = std::strtoul(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--max-len") && i + 1 < argc) maxLen = std::strtoul(argv[++i], nullptr, 10);
    else files.push_back(argv[i]);
  }
  for (const char* f : files) {
    std::ifstream in(f, std::ios::binary);
    std::vector<uint8_t> buf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(buf.data(), buf.size());
  }
  std::mt19937_64 rng(seed);
  std::vector<uint8_t> buf;
  for (unsigned long r = 0; r < runs; r++) {
    size_t len = rng() % (maxLen + 1);
    buf.resize(len);
    for (auto& b : buf) b = static_cast<uint8_t>(rng());
    LLVMFuzzerTestOneInput(buf.data(), buf.size());
  }
  std::printf("fuzz driver: %lu random inputs (seed %lu), no crash\n", runs, seed);
  return 0;
}
