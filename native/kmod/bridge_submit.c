// SPDX-License-Identifier: GPL-2.0
/*
 * dmaengine_bridge: batches of operations. For each operation: every field is checked, the
 * buffers and ranges resolved, the ranges walked once to split them where any operand's DMA
 * segment ends (or the device's largest segment) and to check each piece against the device's
 * alignment; only then is a ring slot reserved and the descriptors prepared and submitted.
 * Every descriptor calls back; the operation is over when all of its descriptors are, and its
 * entry is posted then.
 *
 * Locking: submit runs under ctx->lock. The callback (chunk_done) runs in the driver's
 * completion context, atomic: it only updates the operation's atomics, unlinks it under
 * chan->ops_lock and posts under ring->lock (bridge_ring_finish). An operation is freed by
 * whoever finishes it: the last callback, the submit path (if none of its descriptors went)
 * or bridge_op_abort after the channel was terminated (when no callback can run).
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/overflow.h>
#include <linux/dma-mapping.h>
#include "bridge.h"

struct cursor {
	const struct bridge_buf *b;
	unsigned int seg;
	u64 in;				/* offset inside the segment */
};

struct op_plan {
	u32 opcode;
	u32 nsrc;
	u32 nact;			/* operands with a buffer (disabled P/Q excluded) */
	int dst_slots;			/* operands before the sources: 0, 1 or 2 */
	bool pq_off[2];
	unsigned long dflags;
	unsigned int align;
	u64 len;
	u32 max_seg;
	unsigned int chunks;
	struct bridge_buf *buf[DMABRIDGE_MAX_SOURCES + 2];
	u64 off[DMABRIDGE_MAX_SOURCES + 2];
	struct cursor cur[DMABRIDGE_MAX_SOURCES + 2];
	dma_addr_t addr[DMABRIDGE_MAX_SOURCES + 2];
	unsigned char coef[DMABRIDGE_MAX_SOURCES];
};

/* Ends op: posts its entry (unless quiet), releases its buffers and slot, frees it. */
static void op_finish(struct bridge_op *op, int status, bool unlink, bool quiet)
{
	struct bridge_chan *bc = op->bc;
	struct dmabridge_completion c = { };
	unsigned long fl;
	unsigned int i;
	bool post;

	if (unlink) {
		spin_lock_irqsave(&bc->ops_lock, fl);
		list_del(&op->node);
		spin_unlock_irqrestore(&bc->ops_lock, fl);
	}
	c.user_tag = op->user_tag;
	c.chan = bc->handle;
	c.result = atomic_read(&op->result);
	c.residue = atomic_read(&op->residue);
	for (i = 0; i < op->nvals; i++)
		c.val |= op->vals[i] & (DMABRIDGE_VAL_P_MISMATCH | DMABRIDGE_VAL_Q_MISMATCH);
	if (status)
		c.status = status;
	else if (op->status)
		c.status = op->status;
	else if (c.result)
		c.status = -EIO;
	post = !quiet && (c.status || (op->flags & DMABRIDGE_F_COMPLETION));
	for (i = 0; i < op->nbufs; i++)
		atomic_dec(&op->bufs[i]->inflight);
	kfree(op);
	bridge_ring_finish(bc->ctx, bc, &c, post);
}

static void chunk_done(void *param, const struct dmaengine_result *res)
{
	struct bridge_op *op = param;

	if (res) {
		if (res->result != DMA_TRANS_NOERROR)
			atomic_cmpxchg(&op->result, 0, res->result);
		atomic_add(res->residue, &op->residue);
	}
	if (atomic_dec_and_test(&op->remaining))
		op_finish(op, 0, true, false);
}

/* After dmaengine_terminate_sync: the driver dropped what was left of op. */
void bridge_op_abort(struct bridge_op *op)
{
	atomic_cmpxchg(&op->result, 0, DMA_TRANS_ABORTED);
	op_finish(op, -ECANCELED, false, false);
}

static struct bridge_buf *buf_find(struct bridge_ctx *ctx, u32 handle)
{
	if (!handle || handle > INT_MAX)
		return NULL;
	return idr_find(&ctx->bufs, handle);
}

/* Opcode → capability, operand layout and flags it may carry. */
static int plan_opcode(struct bridge_chan *bc, const struct dmabridge_op *o, struct op_plan *p)
{
	struct dma_device *dd = bc->chan->device;
	u32 pqflags = DMABRIDGE_F_PQ_DISABLE_P | DMABRIDGE_F_PQ_DISABLE_Q;
	enum dma_transaction_type cap;
	u32 allowed = DMABRIDGE_F_FENCE | DMABRIDGE_F_COMPLETION;
	bool fn;

	p->opcode = o->opcode;
	switch (o->opcode) {
	case DMABRIDGE_OP_MEMCPY:
		cap = DMA_MEMCPY;
		fn = !!dd->device_prep_dma_memcpy;
		p->dst_slots = 1;
		p->nsrc = 1;
		p->align = dd->copy_align;
		break;
	case DMABRIDGE_OP_MEMSET:
		cap = DMA_MEMSET;
		fn = !!dd->device_prep_dma_memset;
		p->dst_slots = 1;
		p->nsrc = 0;
		p->align = dd->fill_align;
		break;
	case DMABRIDGE_OP_XOR:
	case DMABRIDGE_OP_XOR_VAL:
		cap = o->opcode == DMABRIDGE_OP_XOR ? DMA_XOR : DMA_XOR_VAL;
		fn = o->opcode == DMABRIDGE_OP_XOR ? !!dd->device_prep_dma_xor :
						     !!dd->device_prep_dma_xor_val;
		p->dst_slots = o->opcode == DMABRIDGE_OP_XOR ? 1 : 0;
		if (o->count < p->dst_slots + 2)
			return -EINVAL;
		p->nsrc = o->count - p->dst_slots;
		p->align = dd->xor_align;
		break;
	case DMABRIDGE_OP_PQ:
	case DMABRIDGE_OP_PQ_VAL:
		cap = o->opcode == DMABRIDGE_OP_PQ ? DMA_PQ : DMA_PQ_VAL;
		fn = o->opcode == DMABRIDGE_OP_PQ ? !!dd->device_prep_dma_pq :
						    !!dd->device_prep_dma_pq_val;
		allowed |= pqflags;
		if (o->opcode == DMABRIDGE_OP_PQ)
			allowed |= DMABRIDGE_F_PQ_CONTINUE;
		p->dst_slots = 2;
		if (o->count < 3)
			return -EINVAL;
		p->nsrc = o->count - 2;
		p->align = dd->pq_align;
		break;
	case DMABRIDGE_OP_INTERRUPT:
		cap = DMA_INTERRUPT;
		fn = !!dd->device_prep_dma_interrupt;
		p->dst_slots = 0;
		p->nsrc = 0;
		break;
	case DMABRIDGE_OP_SLAVE:
		cap = DMA_SLAVE;
		fn = !!dd->device_prep_slave_sg;
		p->dst_slots = 1;
		p->nsrc = 0;
		break;
	default:
		return -EINVAL;
	}
	if (o->flags & ~allowed)
		return -EINVAL;
	if ((o->flags & pqflags) == pqflags)
		return -EINVAL;
	if (o->count != p->dst_slots + p->nsrc || p->nsrc > DMABRIDGE_MAX_SOURCES)
		return -EINVAL;
	if (o->opcode == DMABRIDGE_OP_INTERRUPT ? o->len != 0 : o->len == 0)
		return -EINVAL;
	if (o->opcode == DMABRIDGE_OP_MEMSET ? o->value > 255 :
	    o->opcode == DMABRIDGE_OP_SLAVE ? (o->value != DMABRIDGE_SLAVE_MEM_TO_DEV &&
					       o->value != DMABRIDGE_SLAVE_DEV_TO_MEM) :
	    o->value != 0)
		return -EINVAL;
	if (!dma_has_cap(cap, dd->cap_mask) || !fn)
		return -EOPNOTSUPP;
	if (o->opcode == DMABRIDGE_OP_SLAVE &&
	    (bc->model != DMABRIDGE_MODEL_EXCLUSIVE || !bc->slave_ready ||
	     o->value != bc->slave_dir))
		return -EINVAL;

	p->dflags = DMA_CTRL_ACK | DMA_PREP_INTERRUPT;
	if (o->flags & DMABRIDGE_F_FENCE)
		p->dflags |= DMA_PREP_FENCE;
	if (o->flags & DMABRIDGE_F_PQ_DISABLE_P)
		p->dflags |= DMA_PREP_PQ_DISABLE_P;
	if (o->flags & DMABRIDGE_F_PQ_DISABLE_Q)
		p->dflags |= DMA_PREP_PQ_DISABLE_Q;
	if (o->flags & DMABRIDGE_F_PQ_CONTINUE)
		p->dflags |= DMA_PREP_CONTINUE;
	p->pq_off[0] = o->flags & DMABRIDGE_F_PQ_DISABLE_P;
	p->pq_off[1] = o->flags & DMABRIDGE_F_PQ_DISABLE_Q;

	/* What the device can take: beyond it, user space runs the operation itself. */
	if ((o->opcode == DMABRIDGE_OP_XOR || o->opcode == DMABRIDGE_OP_XOR_VAL) &&
	    p->nsrc > dd->max_xor)
		return -EINVAL;
	if ((o->opcode == DMABRIDGE_OP_PQ || o->opcode == DMABRIDGE_OP_PQ_VAL) &&
	    (int)p->nsrc > dma_maxpq(dd, p->dflags))
		return -EINVAL;
	return 0;
}

/* Operands → buffers and offsets, each range inside its buffer and the right way round. */
static int plan_operands(struct bridge_ctx *ctx, struct bridge_chan *bc,
			 const struct dmabridge_op *o, const struct dmabridge_operand *ods,
			 struct op_plan *p)
{
	struct device *dev = bc->chan->device->dev;
	u32 i, k = 0;

	p->len = o->len;
	for (i = 0; i < o->count; i++) {
		const struct dmabridge_operand *od = &ods[o->first + i];
		bool is_dst = (int)i < p->dst_slots;
		bool writes = is_dst && p->opcode != DMABRIDGE_OP_PQ_VAL &&
			      !(p->opcode == DMABRIDGE_OP_SLAVE &&
				o->value == DMABRIDGE_SLAVE_MEM_TO_DEV);
		bool source = !is_dst;
		struct bridge_buf *b;

		if (od->reserved[0] || od->reserved[1] || od->reserved[2])
			return -EINVAL;
		if (p->dst_slots == 2 && i < 2 && p->pq_off[i]) {
			if (od->buf || od->offset || od->coef)
				return -EINVAL;
			continue;
		}
		if (od->coef && !(source && (p->opcode == DMABRIDGE_OP_PQ ||
					     p->opcode == DMABRIDGE_OP_PQ_VAL)))
			return -EINVAL;
		b = buf_find(ctx, od->buf);
		if (!b)
			return -EBADF;
		if (b->dev != dev)
			return -EXDEV;
		if (od->offset > b->size || p->len > b->size - od->offset)
			return -ERANGE;
		if ((writes && b->dir == DMA_TO_DEVICE) || (!writes && b->dir == DMA_FROM_DEVICE))
			return -EINVAL;
		if (source && (p->opcode == DMABRIDGE_OP_PQ || p->opcode == DMABRIDGE_OP_PQ_VAL))
			p->coef[i - 2] = od->coef;
		p->buf[k] = b;
		p->off[k] = od->offset;
		k++;
	}
	p->nact = k;
	p->max_seg = dma_get_max_seg_size(dev);
	if (!p->max_seg)
		p->max_seg = SZ_64K;
	return 0;
}

static void cursors_start(struct op_plan *p)
{
	u32 k;

	for (k = 0; k < p->nact; k++) {
		const struct bridge_buf *b = p->buf[k];
		unsigned int s = bridge_buf_seg(b, p->off[k]);

		p->cur[k].b = b;
		p->cur[k].seg = s;
		p->cur[k].in = p->off[k] - b->segs[s].off;
	}
}

/* The next piece: its length, with p->addr[] filled; cursors advanced past it. */
static u64 cursors_next(struct op_plan *p, u64 left)
{
	u64 n = min_t(u64, left, p->max_seg);
	u32 k;

	for (k = 0; k < p->nact; k++) {
		const struct bridge_seg *s = &p->cur[k].b->segs[p->cur[k].seg];

		n = min_t(u64, n, s->len - p->cur[k].in);
		p->addr[k] = s->addr + p->cur[k].in;
	}
	for (k = 0; k < p->nact; k++) {
		struct cursor *c = &p->cur[k];

		c->in += n;
		if (c->in == c->b->segs[c->seg].len && c->seg + 1 < c->b->nsegs) {
			c->seg++;
			c->in = 0;
		}
	}
	return n;
}

static bool piece_aligned(const struct op_plan *p, u64 n)
{
	u64 acc = n;
	u32 k;

	for (k = 0; k < p->nact; k++)
		acc |= p->addr[k];
	return !(acc & ((1ULL << p->align) - 1));
}

/* Pass 1: count the pieces and check each against the device's alignment. */
static int plan_pieces(struct op_plan *p)
{
	u64 left = p->len;

	p->chunks = 0;
	if (p->opcode == DMABRIDGE_OP_INTERRUPT) {
		p->chunks = 1;
		return 0;
	}
	cursors_start(p);
	while (left) {
		u64 n = cursors_next(p, left);

		if (!piece_aligned(p, n))
			return -EINVAL;
		if (++p->chunks > DMABRIDGE_MAX_CHUNKS)
			return -E2BIG;
		left -= n;
	}
	return 0;
}

static struct dma_async_tx_descriptor *prep_piece(struct bridge_chan *bc, struct op_plan *p,
						  u64 n, const struct dmabridge_op *o,
						  enum sum_check_flags *val)
{
	struct dma_device *dd = bc->chan->device;
	struct dma_chan *c = bc->chan;
	dma_addr_t pq[2] = { 0, 0 };
	int k = 0, i;

	switch (p->opcode) {
	case DMABRIDGE_OP_MEMCPY:
		return dd->device_prep_dma_memcpy(c, p->addr[0], p->addr[1], n, p->dflags);
	case DMABRIDGE_OP_MEMSET:
		return dd->device_prep_dma_memset(c, p->addr[0], o->value, n, p->dflags);
	case DMABRIDGE_OP_XOR:
		return dd->device_prep_dma_xor(c, p->addr[0], &p->addr[1], p->nsrc, n,
					       p->dflags);
	case DMABRIDGE_OP_XOR_VAL:
		return dd->device_prep_dma_xor_val(c, p->addr, p->nsrc, n, val, p->dflags);
	case DMABRIDGE_OP_PQ:
	case DMABRIDGE_OP_PQ_VAL:
		for (i = 0; i < 2; i++)
			if (!p->pq_off[i])
				pq[i] = p->addr[k++];
		if (p->opcode == DMABRIDGE_OP_PQ)
			return dd->device_prep_dma_pq(c, pq, &p->addr[k], p->nsrc, p->coef, n,
						      p->dflags);
		return dd->device_prep_dma_pq_val(c, pq, &p->addr[k], p->nsrc, p->coef, n, val,
						  p->dflags);
	case DMABRIDGE_OP_INTERRUPT:
		return dd->device_prep_dma_interrupt(c, p->dflags);
	case DMABRIDGE_OP_SLAVE:
		return dmaengine_prep_slave_single(c, p->addr[0], n, o->value, p->dflags);
	}
	return NULL;
}

static bool is_val(u32 opcode)
{
	return opcode == DMABRIDGE_OP_XOR_VAL || opcode == DMABRIDGE_OP_PQ_VAL;
}

/* Pass 2: the operation object, then one descriptor per piece. */
static int submit_pieces(struct bridge_chan *bc, struct op_plan *p, const struct dmabridge_op *o)
{
	struct bridge_ctx *ctx = bc->ctx;
	unsigned int nvals = is_val(p->opcode) ? p->chunks : 0, sent = 0;
	struct bridge_op *op;
	u64 left = p->len;
	unsigned long fl;
	u32 k;
	int ret;

	ret = bridge_ring_reserve(ctx);
	if (ret)
		return ret;
	op = kzalloc(struct_size(op, vals, nvals), GFP_KERNEL);
	if (!op) {
		bridge_ring_unreserve(ctx);
		return -ENOMEM;
	}
	op->bc = bc;
	op->user_tag = o->user_tag;
	op->flags = o->flags;
	op->nvals = nvals;
	atomic_set(&op->remaining, p->chunks);
	for (k = 0; k < p->nact; k++) {
		op->bufs[k] = p->buf[k];
		atomic_inc(&p->buf[k]->inflight);
	}
	op->nbufs = p->nact;
	atomic_inc(&bc->inflight);
	atomic_inc(&ctx->inflight);
	spin_lock_irqsave(&bc->ops_lock, fl);
	list_add_tail(&op->node, &bc->ops);
	spin_unlock_irqrestore(&bc->ops_lock, fl);

	if (p->opcode != DMABRIDGE_OP_INTERRUPT)
		cursors_start(p);
	while (sent < p->chunks) {
		struct dma_async_tx_descriptor *tx;
		u64 n = 0;

		if (p->opcode != DMABRIDGE_OP_INTERRUPT) {
			n = cursors_next(p, left);
			left -= n;
		}
		tx = prep_piece(bc, p, n, o, nvals ? &op->vals[sent] : NULL);
		if (!tx)
			break;
		tx->callback_result = chunk_done;
		tx->callback_param = op;
		if (dma_submit_error(dmaengine_submit(tx)))
			break;
		sent++;
	}
	if (sent == p->chunks)
		return 0;
	if (!sent) {
		/* Nothing reached the driver: undo as if it had never been. */
		op_finish(op, -ENOMEM, true, true);
		return -ENOMEM;
	}
	/* Some pieces went: the entry comes when they are done, saying ENOMEM. */
	op->status = -ENOMEM;
	if (atomic_sub_and_test(p->chunks - sent, &op->remaining))
		op_finish(op, 0, true, false);
	return 0;
}

static int submit_one(struct bridge_chan *bc, const struct dmabridge_op *o,
		      const struct dmabridge_operand *ods, u32 nods, struct op_plan *p)
{
	int ret;

	if (o->reserved)
		return -EINVAL;
	if (o->first > nods || o->count > nods - o->first)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	ret = plan_opcode(bc, o, p);
	if (ret)
		return ret;
	ret = plan_operands(bc->ctx, bc, o, ods, p);
	if (ret)
		return ret;
	ret = plan_pieces(p);
	if (ret)
		return ret;
	return submit_pieces(bc, p, o);
}

int bridge_submit(struct bridge_ctx *ctx, struct dmabridge_submit *sb)
{
	struct bridge_chan *bc = bridge_chan_find(ctx, sb->chan);
	struct dmabridge_operand *ods = NULL;
	struct dmabridge_op *ops;
	struct op_plan *plan;
	s32 *res;
	u32 i;
	int ret = 0;

	if (sb->reserved || sb->submitted)
		return -EINVAL;
	if (sb->flags & ~(DMABRIDGE_SUBMIT_ISSUE | DMABRIDGE_SUBMIT_STOP))
		return -EINVAL;
	if (!sb->nops || sb->nops > DMABRIDGE_MAX_BATCH || sb->noperands > DMABRIDGE_MAX_OPERANDS)
		return -EINVAL;
	if (!bc)
		return -EBADF;
	if (!ctx->ring.mem)
		return -ENXIO;
	/* Results are written before anything is submitted, so a bad pointer costs nothing. */
	if (clear_user(u64_to_user_ptr(sb->results), sb->nops * sizeof(*res)))
		return -EFAULT;
	ops = vmemdup_user(u64_to_user_ptr(sb->ops), sb->nops * sizeof(*ops));
	if (IS_ERR(ops))
		return PTR_ERR(ops);
	if (sb->noperands) {
		ods = vmemdup_user(u64_to_user_ptr(sb->operands),
				   sb->noperands * sizeof(*ods));
		if (IS_ERR(ods)) {
			ret = PTR_ERR(ods);
			ods = NULL;
			goto out_ops;
		}
	}
	res = kvcalloc(sb->nops, sizeof(*res), GFP_KERNEL);
	plan = kmalloc(sizeof(*plan), GFP_KERNEL);
	if (!res || !plan) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < sb->nops; i++) {
		res[i] = submit_one(bc, &ops[i], ods, sb->noperands, plan);
		if (!res[i]) {
			sb->submitted++;
		} else if (sb->flags & DMABRIDGE_SUBMIT_STOP) {
			while (++i < sb->nops)
				res[i] = -ECANCELED;
		}
	}
	if ((sb->flags & DMABRIDGE_SUBMIT_ISSUE) && sb->submitted)
		dma_async_issue_pending(bc->chan);
	if (copy_to_user(u64_to_user_ptr(sb->results), res, sb->nops * sizeof(*res)))
		ret = -EFAULT;
out:
	kfree(plan);
	kvfree(res);
	kvfree(ods);
out_ops:
	kvfree(ops);
	return ret;
}
