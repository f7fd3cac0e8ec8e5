/** dma-buf's native surface (native/addon/dmabuf_binding.cc). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface DmabufAddon {}
