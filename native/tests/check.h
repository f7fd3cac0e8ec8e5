// A minimal test harness for the native unit tests (no external framework to download).
// CHECK(cond) records a failure with file:line and goes on; each test binary ends with
// `return dmae_test::summary("name");`, which prints "N passed, N failed" and returns the
// exit status ctest reads.
#pragma once

#include <cstdio>

namespace dmae_test {
inline int& passed() { static int n = 0; return n; }
inline int& failed() { static int n = 0; return n; }
inline void record(bool ok, const char* expr, const char* file, int line) {
  if (ok) { passed()++; return; }
  failed()++;
  if (failed() <= 50) std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, expr);
}
inline int summary(const char* name) {
  std::printf("%s: %d passed, %d failed\n", name, passed(), failed());
  return failed() ? 1 : 0;
}
}  // namespace dmae_test

#define CHECK(cond) ::dmae_test::record(static_cast<bool>(cond), #cond, __FILE__, __LINE__)
