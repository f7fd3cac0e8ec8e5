// SPDX-License-Identifier: GPL-2.0
/*
 * dmaengine_bridge: channels. Both of the kernel's client models:
 * - exclusive: dma_request_channel with a filter (by channel name, by device, or any channel
 *   with the capabilities); the fd owns the channel, may configure it for slave transfers and
 *   terminate it;
 * - shared: dmaengine_get + dma_find_channel(capability), the memory-to-memory channel the
 *   kernel's own async_tx users get; others submit to it too, so it is never terminated:
 *   the bridge waits for its own operations instead.
 * Either way the channel's driver module is pinned (dma_chan_get) until it is released.
 *
 * The bridge is one dmaengine client however many shared channels its files hold: it calls
 * dmaengine_get once for the first and dmaengine_put after the last. In 6.12 (and since
 * 5.x) dma_chan_get takes the dma_device's kref only for a channel's first client while
 * dma_chan_put always drops it, so several dmaengine_get holders of one public channel drive
 * that kref to zero and free the device under its users (seen in the lane as a refcount
 * underflow). Kernel clients of their own (async_tx) still count once each.
 *
 * Locking: everything here runs under ctx->lock (the ioctl path) or in the final release of
 * the fd; chan->ops_lock is taken only to take the list of unfinished operations after the
 * channel was stopped. The enumerate filter runs under the dmaengine core's dma_list_mutex and
 * only copies fields.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/dma-mapping.h>
#include <linux/device.h>
#include "bridge.h"

static const struct {
	u64 bit;
	enum dma_transaction_type type;
} cap_map[] = {
	{ DMABRIDGE_CAP_MEMCPY, DMA_MEMCPY },
	{ DMABRIDGE_CAP_XOR, DMA_XOR },
	{ DMABRIDGE_CAP_PQ, DMA_PQ },
	{ DMABRIDGE_CAP_XOR_VAL, DMA_XOR_VAL },
	{ DMABRIDGE_CAP_PQ_VAL, DMA_PQ_VAL },
	{ DMABRIDGE_CAP_MEMSET, DMA_MEMSET },
	{ DMABRIDGE_CAP_INTERRUPT, DMA_INTERRUPT },
	{ DMABRIDGE_CAP_PRIVATE, DMA_PRIVATE },
	{ DMABRIDGE_CAP_SLAVE, DMA_SLAVE },
	{ DMABRIDGE_CAP_CYCLIC, DMA_CYCLIC },
};

/* The capabilities a shared request may name: those with a dma_find_channel table. */
#define SHARED_CAPS (DMABRIDGE_CAP_MEMCPY | DMABRIDGE_CAP_XOR | DMABRIDGE_CAP_PQ | \
		     DMABRIDGE_CAP_XOR_VAL | DMABRIDGE_CAP_PQ_VAL | DMABRIDGE_CAP_MEMSET)

static u64 caps_of(struct dma_device *dd)
{
	u64 m = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(cap_map); i++)
		if (dma_has_cap(cap_map[i].type, dd->cap_mask))
			m |= cap_map[i].bit;
	return m;
}

static void fill_info(struct dmabridge_chan_info *in, struct dma_chan *chan)
{
	struct dma_device *dd = chan->device;
	struct device *dev = dd->dev;

	memset(in, 0, sizeof(*in));
	in->cap_mask = caps_of(dd);
	if (dma_has_cap(DMA_XOR, dd->cap_mask))
		in->max_xor = dd->max_xor;
	if (dma_has_cap(DMA_PQ, dd->cap_mask))
		in->max_pq = dma_maxpq(dd, 0);
	if (dma_dev_has_pq_continue(dd))
		in->flags |= DMABRIDGE_CHAN_PQ_CONTINUE;
	in->copy_align = dd->copy_align;
	in->xor_align = dd->xor_align;
	in->pq_align = dd->pq_align;
	in->fill_align = dd->fill_align;
	in->numa_node = dev_to_node(dev);
	in->directions = dd->directions;
	in->max_seg = dma_get_max_seg_size(dev);
	strscpy(in->name, dma_chan_name(chan), sizeof(in->name));
	strscpy(in->device, dev_name(dev), sizeof(in->device));
	if (dev->driver)
		strscpy(in->driver, dev->driver->name, sizeof(in->driver));
}

struct bridge_chan *bridge_chan_find(struct bridge_ctx *ctx, u32 handle)
{
	if (!handle || handle > INT_MAX)
		return NULL;
	return idr_find(&ctx->chans, handle);
}

struct chan_filter {
	u32 by;
	const char *name;
};

static bool chan_filter_fn(struct dma_chan *chan, void *param)
{
	struct chan_filter *f = param;

	switch (f->by) {
	case DMABRIDGE_BY_NAME:
		return !strcmp(dma_chan_name(chan), f->name);
	case DMABRIDGE_BY_DEVICE:
		return !strcmp(dev_name(chan->device->dev), f->name);
	default:
		return true;
	}
}

static int name_ok(const char *name, bool wanted)
{
	size_t n = strnlen(name, DMABRIDGE_NAME_LEN);

	if (n == DMABRIDGE_NAME_LEN)
		return -EINVAL;
	if (!wanted)
		return n ? -EINVAL : 0;
	if (!n)
		return -EINVAL;
	/* Bytes after the terminator must be zero too: nothing unchecked is accepted. */
	return memchr_inv(name + n, 0, DMABRIDGE_NAME_LEN - n) ? -EINVAL : 0;
}

static struct dma_chan *request_exclusive(struct dmabridge_chan_request *rq)
{
	struct chan_filter f = { .by = rq->by, .name = rq->name };
	dma_cap_mask_t mask;
	int i;

	dma_cap_zero(mask);
	for (i = 0; i < ARRAY_SIZE(cap_map); i++)
		if (rq->cap_mask & cap_map[i].bit)
			dma_cap_set(cap_map[i].type, mask);
	return dma_request_channel(mask, chan_filter_fn, &f);
}

static DEFINE_MUTEX(shared_lock);	/* shared_users */
static unsigned int shared_users;	/* shared channels held, all files together */

static void shared_get(void)
{
	mutex_lock(&shared_lock);
	if (!shared_users++)
		dmaengine_get();
	mutex_unlock(&shared_lock);
}

static void shared_put(void)
{
	mutex_lock(&shared_lock);
	if (!--shared_users)
		dmaengine_put();
	mutex_unlock(&shared_lock);
}

static struct dma_chan *request_shared(u64 cap)
{
	struct dma_chan *chan;
	int i;

	for (i = 0; i < ARRAY_SIZE(cap_map); i++)
		if (cap_map[i].bit == cap)
			break;
	shared_get();
	chan = dma_find_channel(cap_map[i].type);
	if (!chan)
		shared_put();
	return chan;
}

int bridge_chan_request(struct bridge_ctx *ctx, struct dmabridge_chan_request *rq)
{
	struct bridge_chan *bc;
	struct dma_chan *chan;
	int id, ret;

	if (rq->reserved[0] || rq->reserved[1] || memchr_inv(&rq->info, 0, sizeof(rq->info)))
		return -EINVAL;
	if (rq->cap_mask & ~DMABRIDGE_CAP_ALL)
		return -EINVAL;
	if (rq->model == DMABRIDGE_MODEL_EXCLUSIVE) {
		if (rq->by > DMABRIDGE_BY_DEVICE || (rq->cap_mask & DMABRIDGE_CAP_PRIVATE))
			return -EINVAL;
		ret = name_ok(rq->name, rq->by != DMABRIDGE_BY_ANY);
	} else if (rq->model == DMABRIDGE_MODEL_SHARED) {
		if (rq->by || !rq->cap_mask || (rq->cap_mask & (rq->cap_mask - 1)) ||
		    !(rq->cap_mask & SHARED_CAPS))
			return -EINVAL;
		ret = name_ok(rq->name, false);
	} else {
		return -EINVAL;
	}
	if (ret)
		return ret;
	if (ctx->nchans >= DMABRIDGE_MAX_CHANNELS)
		return -EMFILE;

	bc = kzalloc(sizeof(*bc), GFP_KERNEL);
	if (!bc)
		return -ENOMEM;
	bc->ctx = ctx;
	bc->model = rq->model;
	spin_lock_init(&bc->ops_lock);
	INIT_LIST_HEAD(&bc->ops);
	atomic_set(&bc->inflight, 0);

	chan = rq->model == DMABRIDGE_MODEL_EXCLUSIVE ? request_exclusive(rq) :
							request_shared(rq->cap_mask);
	if (IS_ERR_OR_NULL(chan)) {
		kfree(bc);
		return chan ? PTR_ERR(chan) : -ENODEV;
	}
	bc->chan = chan;
	id = idr_alloc(&ctx->chans, bc, 1, INT_MAX, GFP_KERNEL);
	if (id < 0) {
		bridge_chan_put(bc);
		return id;
	}
	bc->handle = id;
	ctx->nchans++;
	fill_info(&rq->info, chan);
	rq->info.handle = bc->handle;
	rq->info.model = bc->model;
	return 0;
}

/* Gives the channel back to the kernel. Nothing may be in flight and no buffer bound. */
void bridge_chan_put(struct bridge_chan *bc)
{
	if (bc->model == DMABRIDGE_MODEL_EXCLUSIVE)
		dma_release_channel(bc->chan);
	else
		shared_put();
	kfree(bc);
}

/*
 * Ends everything this fd has in flight on the channel. Exclusive: terminate_sync (nothing
 * runs or calls back afterwards), then finish what the driver dropped as cancelled. Shared:
 * others' work is on it too, so issue and wait for ours instead. Sleeps.
 */
void bridge_chan_stop(struct bridge_chan *bc)
{
	struct bridge_op *op, *n;
	unsigned long fl;
	LIST_HEAD(dropped);

	if (bc->model == DMABRIDGE_MODEL_SHARED) {
		dma_async_issue_pending(bc->chan);
		while (!wait_event_timeout(bc->ctx->wq, !atomic_read(&bc->inflight), 10 * HZ))
			pr_warn_ratelimited("dmaengine_bridge: %s: %d operations still running\n",
					    dma_chan_name(bc->chan), atomic_read(&bc->inflight));
		bridge_ring_barrier(bc->ctx);
		return;
	}
	dmaengine_terminate_sync(bc->chan);
	spin_lock_irqsave(&bc->ops_lock, fl);
	list_splice_init(&bc->ops, &dropped);
	spin_unlock_irqrestore(&bc->ops_lock, fl);
	list_for_each_entry_safe(op, n, &dropped, node)
		bridge_op_abort(op);
	bridge_ring_barrier(bc->ctx);
}

int bridge_chan_release(struct bridge_ctx *ctx, u32 handle)
{
	struct bridge_chan *bc = bridge_chan_find(ctx, handle);

	if (!bc)
		return -EBADF;
	if (bc->nbufs || atomic_read(&bc->inflight))
		return -EBUSY;
	idr_remove(&ctx->chans, bc->handle);
	ctx->nchans--;
	bridge_chan_put(bc);
	return 0;
}

int bridge_terminate(struct bridge_ctx *ctx, u32 handle)
{
	struct bridge_chan *bc = bridge_chan_find(ctx, handle);

	if (!bc)
		return -EBADF;
	if (bc->model != DMABRIDGE_MODEL_EXCLUSIVE)
		return -EOPNOTSUPP;
	bridge_chan_stop(bc);
	return 0;
}

int bridge_issue(struct bridge_ctx *ctx, u32 handle)
{
	struct bridge_chan *bc = bridge_chan_find(ctx, handle);

	if (!bc)
		return -EBADF;
	dma_async_issue_pending(bc->chan);
	return 0;
}

int bridge_slave_config(struct bridge_ctx *ctx, struct dmabridge_slave_config *sc)
{
	struct bridge_chan *bc = bridge_chan_find(ctx, sc->chan);
	struct dma_slave_config cfg = { };
	enum dma_slave_buswidth w;
	int ret;

	if (!bc)
		return -EBADF;
	if (sc->reserved[0] || sc->reserved[1])
		return -EINVAL;
	if (bc->model != DMABRIDGE_MODEL_EXCLUSIVE ||
	    !dma_has_cap(DMA_SLAVE, bc->chan->device->cap_mask))
		return -EOPNOTSUPP;
	if (sc->direction != DMABRIDGE_SLAVE_MEM_TO_DEV &&
	    sc->direction != DMABRIDGE_SLAVE_DEV_TO_MEM)
		return -EINVAL;
	if (sc->addr_width != 1 && sc->addr_width != 2 && sc->addr_width != 4 &&
	    sc->addr_width != 8)
		return -EINVAL;
	if (sc->maxburst > 65536)
		return -EINVAL;
	if (atomic_read(&bc->inflight))
		return -EBUSY;
	w = (enum dma_slave_buswidth)sc->addr_width;
	cfg.direction = sc->direction;
	cfg.src_addr_width = w;
	cfg.dst_addr_width = w;
	cfg.src_maxburst = sc->maxburst;
	cfg.dst_maxburst = sc->maxburst;
	if (sc->direction == DMABRIDGE_SLAVE_DEV_TO_MEM)
		cfg.src_addr = sc->dev_addr;
	else
		cfg.dst_addr = sc->dev_addr;
	bc->slave_ready = false;
	ret = dmaengine_slave_config(bc->chan, &cfg);
	if (ret)
		return ret;
	bc->slave_ready = true;
	bc->slave_dir = sc->direction;
	return 0;
}

struct enum_state {
	struct dmabridge_chan_info *infos;
	u32 capacity;
	u32 total;
};

/* Runs under the core's dma_list_mutex for every free channel; takes none of them. */
static bool enum_filter_fn(struct dma_chan *chan, void *param)
{
	struct enum_state *st = param;

	if (st->total < st->capacity)
		fill_info(&st->infos[st->total], chan);
	st->total++;
	return false;
}

#define ENUM_MAX 1024

int bridge_enumerate(struct bridge_ctx *ctx, struct dmabridge_enumerate *en)
{
	struct enum_state st = { };
	struct bridge_chan *bc;
	dma_cap_mask_t mask;
	int id, ret = 0;
	size_t bytes;

	if (en->reserved || en->count || en->total)
		return -EINVAL;
	if (en->capacity && !en->infos)
		return -EFAULT;
	st.capacity = min_t(u32, en->capacity, ENUM_MAX);
	if (st.capacity) {
		st.infos = kvcalloc(st.capacity, sizeof(*st.infos), GFP_KERNEL);
		if (!st.infos)
			return -ENOMEM;
	}
	idr_for_each_entry(&ctx->chans, bc, id) {
		if (st.total < st.capacity) {
			fill_info(&st.infos[st.total], bc->chan);
			st.infos[st.total].handle = bc->handle;
			st.infos[st.total].model = bc->model;
			st.infos[st.total].flags |= DMABRIDGE_CHAN_HELD_HERE;
		}
		st.total++;
	}
	dma_cap_zero(mask);
	dma_request_channel(mask, enum_filter_fn, &st);
	en->count = min(st.total, st.capacity);
	en->total = st.total;
	bytes = (size_t)en->count * sizeof(*st.infos);
	if (bytes && copy_to_user(u64_to_user_ptr(en->infos), st.infos, bytes))
		ret = -EFAULT;
	kvfree(st.infos);
	return ret;
}
