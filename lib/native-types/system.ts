/** Machine facts from native/addon/system_binding.cc. */
export interface SystemAddon {
  /** The CPU the calling thread runs on (sched_getcpu), 0 if unknown. */
  schedGetcpu(): number;
}
