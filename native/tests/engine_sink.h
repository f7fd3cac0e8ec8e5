// A CompletionSink for the engine tests: records every completion and lets the test wait
// (with a timeout, so a bug fails the test instead of hanging ctest) for a count.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "engine/engine.h"

namespace dmae_test {

class RecordingSink : public dmae::engine::CompletionSink {
 public:
  void onComplete(const dmae::engine::Completion& c) override {
    std::lock_guard<std::mutex> lk(mu_);
    all_.push_back(c);
    at_.push_back(std::chrono::steady_clock::now());
    cv_.notify_all();
  }
  // Waits until at least n completions arrived (or 10 s passed); returns how many did.
  size_t waitFor(size_t n, int ms = 10000) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait_for(lk, std::chrono::milliseconds(ms), [&] { return all_.size() >= n; });
    return all_.size();
  }
  size_t count() {
    std::lock_guard<std::mutex> lk(mu_);
    return all_.size();
  }
  std::vector<dmae::engine::Completion> snapshot() {
    std::lock_guard<std::mutex> lk(mu_);
    return all_;
  }
  // When each completion arrived, in the order of snapshot().
  std::vector<std::chrono::steady_clock::time_point> arrivals() {
    std::lock_guard<std::mutex> lk(mu_);
    return at_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<dmae::engine::Completion> all_;
  std::vector<std::chrono::steady_clock::time_point> at_;
};

}  // namespace dmae_test
