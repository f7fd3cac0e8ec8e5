// How the engine's threads (channel workers, stripe helpers) are scheduled against the
// thread that feeds them (Node's event loop), which keeps its own policy and niceness.
//
// Model: each engine thread sets its own policy when it starts (Linux scheduling attributes
// are per thread). No privilege is needed: every policy here only lowers the thread's claim.
//  - kPolicyNormal: SCHED_OTHER at niceness `nice`.
//  - kPolicyBatch: SCHED_BATCH at niceness `nice` (no wake-up preemption of others).
//  - kPolicyIdle: SCHED_IDLE: any SCHED_OTHER thread of the same scheduling group that wakes
//    up preempts it at once (docs/engine.md, "Threading" says what it costs and when).
// Threading: call on the thread itself.
#pragma once

namespace dmae {
namespace engine {

// Applies `policy` (abi.h's WorkerPolicy) and `nice` to the calling thread. Returns whether
// the kernel accepted the policy; on refusal (or a system without it) the thread keeps
// SCHED_OTHER at niceness `nice`.
bool applyWorkerPolicy(int policy, int nice);

// CPUs the process may run on (its affinity mask; at least 1).
int usableCpus();

}  // namespace engine
}  // namespace dmae
