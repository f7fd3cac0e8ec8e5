/**
 * dma-buf buffers: memory shared between the CPU and devices, as Linux exports it to user
 * space (dma-heaps, udmabuf) or, where the kernel has neither, plain shared memory (memfd).
 * Call order: allocDmaBuf → syncStart → use bytes → syncEnd → close. See docs/dmabuf.md.
 * Threading: JS thread only.
 */
export { DmaBuf, type DmaBufSource, type DmaBufDirection, type DmaBufInfo } from './dmabuf';
export {
  allocDmaBuf, udmabufCreateList, importDmaBuf, availableSources, pageSize,
  UDMABUF_DEVICE, DMA_HEAP_DIR, type AllocDmaBufOptions, type AllocSource, type UdmabufListItem,
} from './alloc';
export { udmabufLimits, checkUdmabufLimits, UDMABUF_PARAMS, type UdmabufLimits } from './limits';
export { dmaBufOfView, type DmaBufView } from './registry';
