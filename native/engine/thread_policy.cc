// The engine threads' scheduling policy (model in thread_policy.h).
#include "engine/thread_policy.h"

#include "engine/abi.h"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

namespace dmae {
namespace engine {

bool applyWorkerPolicy(int policy, int nice) {
#ifdef __linux__
  // Niceness first: SCHED_IDLE ignores it, but it is what the thread falls back to, and what
  // /proc shows.
  const id_t tid = static_cast<id_t>(syscall(SYS_gettid));
  if (nice > 0) setpriority(PRIO_PROCESS, tid, nice);
  if (policy == kPolicyNormal) return true;
  const int which = policy == kPolicyIdle ? SCHED_IDLE : SCHED_BATCH;
  sched_param p{};
  p.sched_priority = 0;
  // sched_setscheduler on a tid sets that one thread (pthread_setschedparam would need a
  // pthread_t; both end in the same system call).
  return sched_setscheduler(static_cast<pid_t>(tid), which, &p) == 0;
#else
  (void)nice;
  return policy == kPolicyNormal;
#endif
}

int usableCpus() {
#ifdef __linux__
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
#endif
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

}  // namespace engine
}  // namespace dmae
