/** The software engine's native surface (native/addon/engine_binding.cc). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface EngineAddon {}
