// SPDX-License-Identifier: GPL-2.0
/*
 * dmaengine_bridge: the completion ring, shared with user space through mmap of the fd.
 *
 * The module writes entries and the tail; user space reads them and writes the head. The
 * head is read, never trusted: a value that would move it backwards or past the tail is
 * ignored. Room is reserved when an operation is submitted (every operation holds one slot
 * until it finishes), so the callback never finds the ring full and never drops an entry.
 *
 * Locking: ring->lock (spinlock, irqsave) guards tail, head, reserved and the entries; the
 * descriptor callback posts under it from atomic context and drops the in-flight counts and
 * wakes the waitqueue before unlocking (see bridge_ring_barrier). Setup runs under ctx->lock.
 */
#include <linux/vmalloc.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include "bridge.h"

#define RING_HDR_SIZE sizeof(struct dmabridge_ring_header)

int bridge_ring_setup(struct bridge_ctx *ctx, struct dmabridge_ring_setup *rs)
{
	struct bridge_ring *r = &ctx->ring;
	size_t size;
	void *mem;
	unsigned long fl;

	if (rs->reserved[0] || rs->reserved[1] || rs->entry_size || rs->mmap_size ||
	    rs->entries_offset)
		return -EINVAL;
	if (rs->entries < DMABRIDGE_MIN_RING || rs->entries > DMABRIDGE_MAX_RING ||
	    !is_power_of_2(rs->entries))
		return -EINVAL;
	if (r->mem)
		return -EBUSY;
	size = RING_HDR_SIZE + (size_t)rs->entries * sizeof(struct dmabridge_completion);
	size = PAGE_ALIGN(size);
	mem = vmalloc_user(size);
	if (!mem)
		return -ENOMEM;
	spin_lock_irqsave(&r->lock, fl);
	r->mem = mem;
	r->size = size;
	r->hdr = mem;
	r->ent = mem + RING_HDR_SIZE;
	r->entries = rs->entries;
	r->mask = rs->entries - 1;
	r->tail = 0;
	r->head = 0;
	r->reserved = 0;
	r->hdr->entries = rs->entries;
	spin_unlock_irqrestore(&r->lock, fl);
	rs->entry_size = sizeof(struct dmabridge_completion);
	rs->mmap_size = size;
	rs->entries_offset = RING_HDR_SIZE;
	return 0;
}

void bridge_ring_free(struct bridge_ctx *ctx)
{
	vfree(ctx->ring.mem);
	ctx->ring.mem = NULL;
}

/* The consumer's head if it makes sense, else the last one that did. Under ring->lock. */
static u32 ring_head(struct bridge_ring *r)
{
	u32 h = READ_ONCE(r->hdr->head);

	if (h - r->head <= r->tail - r->head)
		r->head = h;
	return r->head;
}

/* One slot for an operation about to be submitted; -EBUSY when the ring has no room. */
int bridge_ring_reserve(struct bridge_ctx *ctx)
{
	struct bridge_ring *r = &ctx->ring;
	unsigned long fl;
	int ret = 0;

	spin_lock_irqsave(&r->lock, fl);
	if (!r->mem)
		ret = -ENXIO;
	else if ((r->tail - ring_head(r)) + r->reserved >= r->entries)
		ret = -EBUSY;
	else
		r->reserved++;
	spin_unlock_irqrestore(&r->lock, fl);
	return ret;
}

void bridge_ring_unreserve(struct bridge_ctx *ctx)
{
	unsigned long fl;

	spin_lock_irqsave(&ctx->ring.lock, fl);
	ctx->ring.reserved--;
	spin_unlock_irqrestore(&ctx->ring.lock, fl);
}

/*
 * An operation is over: post its entry (or just give its slot back), drop the channel's and
 * the context's in-flight counts and wake pollers and closers. Any context, atomic included.
 */
void bridge_ring_finish(struct bridge_ctx *ctx, struct bridge_chan *bc,
			const struct dmabridge_completion *c, bool post)
{
	struct bridge_ring *r = &ctx->ring;
	unsigned long fl;

	spin_lock_irqsave(&r->lock, fl);
	r->reserved--;
	if (post) {
		r->ent[r->tail & r->mask] = *c;
		r->tail++;
		/* Entries before the tail are complete when user space sees it. */
		smp_store_release(&r->hdr->tail, r->tail);
	}
	atomic_dec(&bc->inflight);
	atomic_dec(&ctx->inflight);
	wake_up_all(&ctx->wq);
	spin_unlock_irqrestore(&r->lock, fl);
}

bool bridge_ring_ready(struct bridge_ctx *ctx)
{
	struct bridge_ring *r = &ctx->ring;
	unsigned long fl;
	bool ready;

	spin_lock_irqsave(&r->lock, fl);
	ready = r->mem && r->tail != ring_head(r);
	spin_unlock_irqrestore(&r->lock, fl);
	return ready;
}

/* After the in-flight count was seen at zero: wait out a callback still inside finish. */
void bridge_ring_barrier(struct bridge_ctx *ctx)
{
	unsigned long fl;

	spin_lock_irqsave(&ctx->ring.lock, fl);
	spin_unlock_irqrestore(&ctx->ring.lock, fl);
}
