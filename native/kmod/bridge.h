/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaengine_bridge internals shared by its files.
 *
 * Objects: a bridge_ctx per open file; it owns channels (bridge_chan), buffers (bridge_buf),
 * the completion ring and the operations in flight (bridge_op, one per submitted operation,
 * covering one or more hardware descriptors).
 *
 * Locking rules (every file follows them):
 * - ctx->lock (mutex) serialises every ioctl, mmap setup and nothing else; it protects the
 *   handle tables, the counts of channels and buffers, a channel's bound-buffer count and the
 *   ring's creation. Sleeping calls (dma_request_channel, dma-buf attach/map, terminate_sync)
 *   are made under it, never under a spinlock.
 * - ring->lock (spinlock, irqsave) protects the ring's tail, head copy and reservations; the
 *   descriptor callbacks (atomic context) take it to post, drop their in-flight counts and
 *   wake the waitqueue inside it, so a closer that saw the counts reach zero and then took the
 *   lock once knows no callback is still touching the context.
 * - chan->ops_lock (spinlock, irqsave) protects chan->ops, the list of unfinished operations.
 * - In-flight counts (ctx, chan, buf) are atomics: submit raises them under ctx->lock, the
 *   callback lowers them; release paths refuse (EBUSY) or wait while they are not zero.
 * Order: ctx->lock, then chan->ops_lock or ring->lock, never both spinlocks at once.
 */
#ifndef DMAENGINE_BRIDGE_H
#define DMAENGINE_BRIDGE_H

#include <linux/dmaengine.h>
#include <linux/dma-buf.h>
#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/atomic.h>
#include "uapi/dmaengine_bridge.h"

struct bridge_ring {
	void *mem;				/* vmalloc_user: header + entries */
	size_t size;				/* bytes, page aligned */
	struct dmabridge_ring_header *hdr;
	struct dmabridge_completion *ent;
	u32 entries;
	u32 mask;
	spinlock_t lock;			/* the fields below, the entries */
	u32 tail;				/* entries posted */
	u32 head;				/* last head read from user space that made sense */
	u32 reserved;				/* operations in flight holding a slot */
};

struct bridge_ctx {
	struct mutex lock;			/* every ioctl, mmap setup */
	struct idr chans;
	struct idr bufs;
	unsigned int nchans;
	unsigned int nbufs;
	struct bridge_ring ring;
	wait_queue_head_t wq;			/* poll readiness and the closer's drain */
	atomic_t inflight;			/* operations not yet finished */
};

struct bridge_chan {
	struct bridge_ctx *ctx;
	struct dma_chan *chan;
	u32 handle;
	u32 model;				/* DMABRIDGE_MODEL_EXCLUSIVE / _SHARED */
	spinlock_t ops_lock;
	struct list_head ops;			/* unfinished bridge_op */
	atomic_t inflight;
	unsigned int nbufs;			/* buffers attached through this channel */
	bool slave_ready;			/* dmaengine_slave_config succeeded */
	enum dma_transfer_direction slave_dir;
};

struct bridge_seg {
	u64 off;				/* offset of the segment in the buffer */
	dma_addr_t addr;
	u32 len;
};

struct bridge_buf {
	u32 handle;
	struct bridge_chan *owner;		/* pins the dma_device the mapping is for */
	struct device *dev;
	struct dma_buf *dmabuf;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	enum dma_data_direction dir;
	u64 size;
	unsigned int nsegs;
	struct bridge_seg *segs;
	atomic_t inflight;			/* operations in flight naming it */
};

struct bridge_op {
	struct list_head node;			/* in chan->ops */
	struct bridge_chan *bc;
	u64 user_tag;
	u32 flags;				/* DMABRIDGE_F_* */
	atomic_t remaining;			/* descriptors not yet completed */
	atomic_t result;			/* first enum dmaengine_tx_result other than 0 */
	atomic_t residue;
	int status;				/* set at submit when not all descriptors went */
	unsigned int nbufs;
	unsigned int nvals;
	struct bridge_buf *bufs[DMABRIDGE_MAX_SOURCES + 2];
	enum sum_check_flags vals[];		/* one per descriptor of a *_val operation */
};

/* bridge_ring.c */
int bridge_ring_setup(struct bridge_ctx *ctx, struct dmabridge_ring_setup *rs);
void bridge_ring_free(struct bridge_ctx *ctx);
int bridge_ring_reserve(struct bridge_ctx *ctx);
void bridge_ring_unreserve(struct bridge_ctx *ctx);
void bridge_ring_finish(struct bridge_ctx *ctx, struct bridge_chan *bc,
			const struct dmabridge_completion *c, bool post);
bool bridge_ring_ready(struct bridge_ctx *ctx);
void bridge_ring_barrier(struct bridge_ctx *ctx);

/* bridge_chan.c */
int bridge_chan_request(struct bridge_ctx *ctx, struct dmabridge_chan_request *rq);
int bridge_chan_release(struct bridge_ctx *ctx, u32 handle);
void bridge_chan_stop(struct bridge_chan *bc);
void bridge_chan_put(struct bridge_chan *bc);
int bridge_enumerate(struct bridge_ctx *ctx, struct dmabridge_enumerate *en);
int bridge_terminate(struct bridge_ctx *ctx, u32 handle);
int bridge_issue(struct bridge_ctx *ctx, u32 handle);
int bridge_slave_config(struct bridge_ctx *ctx, struct dmabridge_slave_config *sc);
struct bridge_chan *bridge_chan_find(struct bridge_ctx *ctx, u32 handle);

/* bridge_buf.c */
int bridge_buf_import(struct bridge_ctx *ctx, struct dmabridge_buf_import *im);
int bridge_buf_attach(struct bridge_ctx *ctx, struct bridge_chan *bc, struct dma_buf *dmabuf,
		      enum dma_data_direction dir, struct bridge_buf **out);
int bridge_buf_release(struct bridge_ctx *ctx, u32 handle);
void bridge_buf_free(struct bridge_ctx *ctx, struct bridge_buf *b);
unsigned int bridge_buf_seg(const struct bridge_buf *b, u64 off);

/* bridge_export.c */
int bridge_buf_alloc(struct bridge_ctx *ctx, struct dmabridge_buf_alloc *al);

/* bridge_submit.c */
int bridge_submit(struct bridge_ctx *ctx, struct dmabridge_submit *sb);
void bridge_op_abort(struct bridge_op *op);

#endif /* DMAENGINE_BRIDGE_H */
