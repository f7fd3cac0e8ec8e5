// SPDX-License-Identifier: GPL-2.0
/*
 * dmaengine_bridge: buffers. A dma-buf (imported from any exporter, or the bridge's own, see
 * bridge_export.c) attached and mapped for one channel's dma_device, the importer's way:
 * dma_buf_get, dma_buf_attach, dma_buf_map_attachment_unlocked (the reservation lock is taken
 * inside), then the DMA segments of the table are recorded with their offsets. Those are
 * addresses for that device, IOMMU included; user space never sees them.
 *
 * Locking: runs under ctx->lock. A buffer is freed only when no operation names it
 * (buf->inflight, lowered by the descriptor callbacks) and only on the ioctl or close path;
 * unmap and detach sleep, so never from a callback.
 */
#include <linux/slab.h>
#include <linux/scatterlist.h>
#include <linux/dma-mapping.h>
#include "bridge.h"

static int dir_of(u32 dir, enum dma_data_direction *out)
{
	switch (dir) {
	case DMABRIDGE_DIR_BIDIRECTIONAL:
		*out = DMA_BIDIRECTIONAL;
		return 0;
	case DMABRIDGE_DIR_TO_DEVICE:
		*out = DMA_TO_DEVICE;
		return 0;
	case DMABRIDGE_DIR_FROM_DEVICE:
		*out = DMA_FROM_DEVICE;
		return 0;
	}
	return -EINVAL;
}

/* The segment holding byte off (< size): binary search over the segment offsets. */
unsigned int bridge_buf_seg(const struct bridge_buf *b, u64 off)
{
	unsigned int lo = 0, hi = b->nsegs - 1;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo + 1) / 2;

		if (b->segs[mid].off <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * Whether a segment of len bytes at addr may grow by the next one (at next, next_len): the
 * two are adjacent in the device's address space, the sum fits the u32 length and stays
 * inside one of the device's segment-boundary windows, so every piece later cut from it
 * (at most the device's largest segment) is one the device takes. Fewer, longer segments
 * mean fewer hardware descriptors: a udmabuf maps page by page, and its pages are often
 * contiguous.
 */
static bool seg_merges(dma_addr_t addr, u64 len, dma_addr_t next, u64 next_len,
		       unsigned long boundary)
{
	u64 end = addr + len + next_len - 1;

	return addr + len == next && len + next_len <= U32_MAX &&
	       (addr | boundary) == (end | boundary);
}

/* The mapped ranges up to b->size, adjacent ones merged (the array sized for none merged). */
static int record_segments(struct bridge_buf *b)
{
	unsigned long boundary = dma_get_seg_boundary(b->dev);
	struct bridge_seg *cur = NULL;
	struct scatterlist *sg;
	unsigned int n = 0, i;
	u64 off = 0;

	for_each_sgtable_dma_sg(b->sgt, sg, i)
		if (sg_dma_len(sg))
			n++;
	if (!n)
		return -EINVAL;
	b->segs = kvcalloc(n, sizeof(*b->segs), GFP_KERNEL);
	if (!b->segs)
		return -ENOMEM;
	n = 0;
	for_each_sgtable_dma_sg(b->sgt, sg, i) {
		dma_addr_t a = sg_dma_address(sg);
		u64 l;

		if (!sg_dma_len(sg))
			continue;
		if (off >= b->size)
			break;
		l = min_t(u64, sg_dma_len(sg), b->size - off);
		if (cur && seg_merges(cur->addr, cur->len, a, l, boundary)) {
			cur->len += l;
		} else {
			cur = &b->segs[n++];
			cur->off = off;
			cur->addr = a;
			cur->len = l;
		}
		off += l;
	}
	b->nsegs = n;
	/* A mapping shorter than the buffer would let an offset run past it. */
	return off == b->size ? 0 : -EINVAL;
}

/* Attaches and maps dmabuf for bc's device; takes a reference of its own on dmabuf. */
int bridge_buf_attach(struct bridge_ctx *ctx, struct bridge_chan *bc, struct dma_buf *dmabuf,
		      enum dma_data_direction dir, struct bridge_buf **out)
{
	struct bridge_buf *b;
	int id, ret;

	if (ctx->nbufs >= DMABRIDGE_MAX_BUFFERS)
		return -EMFILE;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	get_dma_buf(dmabuf);
	b->dmabuf = dmabuf;
	b->owner = bc;
	b->dev = bc->chan->device->dev;
	b->dir = dir;
	b->size = dmabuf->size;
	atomic_set(&b->inflight, 0);
	b->attach = dma_buf_attach(dmabuf, b->dev);
	if (IS_ERR(b->attach)) {
		ret = PTR_ERR(b->attach);
		goto put;
	}
	b->sgt = dma_buf_map_attachment_unlocked(b->attach, dir);
	if (IS_ERR(b->sgt)) {
		ret = PTR_ERR(b->sgt);
		goto detach;
	}
	ret = record_segments(b);
	if (ret)
		goto unmap;
	id = idr_alloc(&ctx->bufs, b, 1, INT_MAX, GFP_KERNEL);
	if (id < 0) {
		ret = id;
		goto unmap;
	}
	b->handle = id;
	ctx->nbufs++;
	bc->nbufs++;
	*out = b;
	return 0;
unmap:
	kvfree(b->segs);
	dma_buf_unmap_attachment_unlocked(b->attach, b->sgt, dir);
detach:
	dma_buf_detach(dmabuf, b->attach);
put:
	dma_buf_put(dmabuf);
	kfree(b);
	return ret;
}

int bridge_buf_import(struct bridge_ctx *ctx, struct dmabridge_buf_import *im)
{
	struct bridge_chan *bc = bridge_chan_find(ctx, im->chan);
	enum dma_data_direction dir;
	struct dma_buf *dmabuf;
	struct bridge_buf *b;
	int ret;

	if (im->reserved || im->handle || im->size || im->segments)
		return -EINVAL;
	ret = dir_of(im->dir, &dir);
	if (ret)
		return ret;
	if (!bc)
		return -EBADF;
	dmabuf = dma_buf_get(im->fd);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	ret = bridge_buf_attach(ctx, bc, dmabuf, dir, &b);
	dma_buf_put(dmabuf);
	if (ret)
		return ret;
	im->handle = b->handle;
	im->size = b->size;
	im->segments = b->nsegs;
	return 0;
}

/* Unmaps, detaches and drops the buffer. Nothing may be in flight on it. Sleeps. */
void bridge_buf_free(struct bridge_ctx *ctx, struct bridge_buf *b)
{
	idr_remove(&ctx->bufs, b->handle);
	ctx->nbufs--;
	b->owner->nbufs--;
	dma_buf_unmap_attachment_unlocked(b->attach, b->sgt, b->dir);
	dma_buf_detach(b->dmabuf, b->attach);
	dma_buf_put(b->dmabuf);
	kvfree(b->segs);
	kfree(b);
}

int bridge_buf_release(struct bridge_ctx *ctx, u32 handle)
{
	struct bridge_buf *b = (handle && handle <= INT_MAX) ? idr_find(&ctx->bufs, handle) : NULL;

	if (!b)
		return -EBADF;
	if (atomic_read(&b->inflight))
		return -EBUSY;
	bridge_buf_free(ctx, b);
	return 0;
}
