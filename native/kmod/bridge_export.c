// SPDX-License-Identifier: GPL-2.0
/*
 * dmaengine_bridge: buffers the module allocates, for engines that need memory they can
 * reach (contiguous for those without scatter-gather). Pages are allocated (zeroed), exported
 * as a dma-buf of the bridge's own (mmappable, shareable with any other importer), and then
 * imported for the channel's device exactly like a foreign dma-buf (bridge_buf_attach).
 *
 * The exporter maps an attachment with dma_map_sgtable for the attaching device (so an
 * IOMMU is honoured) and syncs every mapped attachment around CPU access
 * (DMA_BUF_IOCTL_SYNC), so engines that are not cache-coherent see the CPU's writes.
 *
 * Locking: xbuf->lock (mutex) guards the attachment list; map/unmap are called by the dma-buf
 * core with the reservation lock held and touch only their own attachment; CPU-access
 * callbacks take xbuf->lock. The dma-buf holds a reference on this module (exp owner), so
 * the module outlives every exported buffer.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/scatterlist.h>
#include <linux/dma-mapping.h>
#include <linux/fcntl.h>
#include "bridge.h"

#define XBUF_MAX_SIZE (64ULL << 20)

#ifdef MAX_PAGE_ORDER
#define XBUF_MAX_ORDER MAX_PAGE_ORDER
#else
#define XBUF_MAX_ORDER (MAX_ORDER - 1)
#endif

struct xbuf {
	struct page **pages;
	unsigned long npages;
	struct mutex lock;		/* attachments and their mapped state */
	struct list_head attachments;
};

struct xattach {
	struct list_head node;
	struct device *dev;
	struct sg_table sgt;
	enum dma_data_direction dir;
	bool mapped;
};

static void xbuf_free(struct xbuf *xb)
{
	unsigned long i;

	for (i = 0; i < xb->npages; i++)
		if (xb->pages[i])
			__free_page(xb->pages[i]);
	kvfree(xb->pages);
	mutex_destroy(&xb->lock);
	kfree(xb);
}

static int xb_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *at)
{
	struct xbuf *xb = dmabuf->priv;
	struct xattach *xa = kzalloc(sizeof(*xa), GFP_KERNEL);
	int ret;

	if (!xa)
		return -ENOMEM;
	ret = sg_alloc_table_from_pages(&xa->sgt, xb->pages, xb->npages, 0,
					xb->npages << PAGE_SHIFT, GFP_KERNEL);
	if (ret) {
		kfree(xa);
		return ret;
	}
	xa->dev = at->dev;
	at->priv = xa;
	mutex_lock(&xb->lock);
	list_add(&xa->node, &xb->attachments);
	mutex_unlock(&xb->lock);
	return 0;
}

static void xb_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *at)
{
	struct xbuf *xb = dmabuf->priv;
	struct xattach *xa = at->priv;

	mutex_lock(&xb->lock);
	list_del(&xa->node);
	mutex_unlock(&xb->lock);
	sg_free_table(&xa->sgt);
	kfree(xa);
}

static struct sg_table *xb_map(struct dma_buf_attachment *at, enum dma_data_direction dir)
{
	struct xbuf *xb = at->dmabuf->priv;
	struct xattach *xa = at->priv;
	int ret;

	mutex_lock(&xb->lock);
	if (xa->mapped) {
		mutex_unlock(&xb->lock);
		return ERR_PTR(-EBUSY);
	}
	ret = dma_map_sgtable(at->dev, &xa->sgt, dir, 0);
	if (!ret) {
		xa->mapped = true;
		xa->dir = dir;
	}
	mutex_unlock(&xb->lock);
	return ret ? ERR_PTR(ret) : &xa->sgt;
}

static void xb_unmap(struct dma_buf_attachment *at, struct sg_table *sgt,
		     enum dma_data_direction dir)
{
	struct xbuf *xb = at->dmabuf->priv;
	struct xattach *xa = at->priv;

	mutex_lock(&xb->lock);
	dma_unmap_sgtable(at->dev, sgt, dir, 0);
	xa->mapped = false;
	mutex_unlock(&xb->lock);
}

static int xb_begin_cpu(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	struct xbuf *xb = dmabuf->priv;
	struct xattach *xa;

	mutex_lock(&xb->lock);
	list_for_each_entry(xa, &xb->attachments, node)
		if (xa->mapped)
			dma_sync_sgtable_for_cpu(xa->dev, &xa->sgt, dir);
	mutex_unlock(&xb->lock);
	return 0;
}

static int xb_end_cpu(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	struct xbuf *xb = dmabuf->priv;
	struct xattach *xa;

	mutex_lock(&xb->lock);
	list_for_each_entry(xa, &xb->attachments, node)
		if (xa->mapped)
			dma_sync_sgtable_for_device(xa->dev, &xa->sgt, dir);
	mutex_unlock(&xb->lock);
	return 0;
}

static int xb_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct xbuf *xb = dmabuf->priv;

	return vm_map_pages(vma, xb->pages, xb->npages);
}

static void xb_release(struct dma_buf *dmabuf)
{
	xbuf_free(dmabuf->priv);
}

static const struct dma_buf_ops xbuf_ops = {
	.attach = xb_attach,
	.detach = xb_detach,
	.map_dma_buf = xb_map,
	.unmap_dma_buf = xb_unmap,
	.begin_cpu_access = xb_begin_cpu,
	.end_cpu_access = xb_end_cpu,
	.mmap = xb_mmap,
	.release = xb_release,
};

static int xbuf_pages(struct xbuf *xb, bool contig)
{
	unsigned long i;

	if (contig) {
		unsigned int order = get_order(xb->npages << PAGE_SHIFT);
		struct page *p;

		if (order > XBUF_MAX_ORDER)
			return -EINVAL;
		p = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, order);
		if (!p)
			return -ENOMEM;
		/* One reference per page, so each can be mapped and freed on its own. */
		split_page(p, order);
		for (i = 0; i < (1UL << order); i++) {
			if (i < xb->npages)
				xb->pages[i] = p + i;
			else
				__free_page(p + i);
		}
		return 0;
	}
	for (i = 0; i < xb->npages; i++) {
		xb->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!xb->pages[i])
			return -ENOMEM;
	}
	return 0;
}

int bridge_buf_alloc(struct bridge_ctx *ctx, struct dmabridge_buf_alloc *al)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp);
	struct bridge_chan *bc = bridge_chan_find(ctx, al->chan);
	struct dma_buf *dmabuf;
	struct bridge_buf *b;
	struct xbuf *xb;
	int ret, fd;

	if (al->reserved || al->handle || al->fd || al->segments)
		return -EINVAL;
	if (al->flags & ~DMABRIDGE_ALLOC_CONTIGUOUS)
		return -EINVAL;
	if (!al->size || al->size > XBUF_MAX_SIZE)
		return -EINVAL;
	if (!bc)
		return -EBADF;
	xb = kzalloc(sizeof(*xb), GFP_KERNEL);
	if (!xb)
		return -ENOMEM;
	mutex_init(&xb->lock);
	INIT_LIST_HEAD(&xb->attachments);
	xb->npages = PAGE_ALIGN(al->size) >> PAGE_SHIFT;
	xb->pages = kvcalloc(xb->npages, sizeof(*xb->pages), GFP_KERNEL);
	if (!xb->pages) {
		xb->npages = 0;
		xbuf_free(xb);
		return -ENOMEM;
	}
	ret = xbuf_pages(xb, al->flags & DMABRIDGE_ALLOC_CONTIGUOUS);
	if (ret) {
		xbuf_free(xb);
		return ret;
	}
	exp.ops = &xbuf_ops;
	exp.size = xb->npages << PAGE_SHIFT;
	exp.flags = O_RDWR | O_CLOEXEC;
	exp.priv = xb;
	dmabuf = dma_buf_export(&exp);
	if (IS_ERR(dmabuf)) {
		xbuf_free(xb);
		return PTR_ERR(dmabuf);
	}
	/* From here the dma-buf owns xb: its release frees it. */
	ret = bridge_buf_attach(ctx, bc, dmabuf, DMA_BIDIRECTIONAL, &b);
	if (ret) {
		dma_buf_put(dmabuf);
		return ret;
	}
	fd = dma_buf_fd(dmabuf, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		bridge_buf_free(ctx, b);
		dma_buf_put(dmabuf);
		return fd;
	}
	al->handle = b->handle;
	al->fd = fd;
	al->segments = b->nsegs;
	return 0;
}
