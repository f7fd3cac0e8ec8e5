// SPDX-License-Identifier: GPL-2.0
/*
 * dmae_soft: a test-only dmaengine provider whose channels do their work on the CPU.
 *
 * Test equipment for the dmaengine npm package's kernel lane: it registers a real dma_device
 * with real channels, so the kernel's own dmatest, async_tx and /sys/class/dma meet something
 * that behaves like a memory-to-memory engine inside a QEMU guest that has none.
 * Written from the documented provider contract (Documentation/driver-api/dmaengine/provider.rst
 * and include/linux/dmaengine.h), not from any driver.
 *
 * Model: prep_* allocates a descriptor; tx_submit gives it the channel's next cookie and queues
 * it as pending; issue_pending moves pending to issued and kicks the channel's work item; the
 * work item runs issued descriptors in order on the CPU (addresses are dma-direct, i.e.
 * physical, so phys_to_virt reaches them), advances completed_cookie, unmaps, calls the
 * callback, runs dependencies, then frees acked descriptors (unacked ones wait on a list until
 * the client acks them).
 * Locking: one spinlock per channel guards the lists and cookies (irqsave: prep and submit may
 * be called with interrupts off); callbacks and dependencies run without it.
 *
 * Parameters (load time): channels, caps (comma list of memcpy,memset,xor,pq,xor_val,pq_val,
 * interrupt), max_xor, max_pq, private (DMA_PRIVATE: only dma_request_channel users, never
 * async_tx), align (log2 of the copy/xor/pq/fill alignment the device demands).
 * Fault injection (writable at run time, reached per descriptor): a descriptor whose length
 * is fault_len does nothing and completes with result fault_result (1 read failed, 2 write
 * failed, 3 aborted) and its whole length as residue.
 *
 * Slave channels (slave_channels=N, default 0): a second dma_device, DMA_SLAVE | DMA_PRIVATE,
 * whose channels move data between memory and a modelled peripheral: device-to-memory reads
 * a pattern source (byte at stream position p is (p * 7) ^ (p >> 7), truncated to 8 bits; the
 * position restarts at each dmaengine_slave_config), memory-to-device writes a checksummed
 * sink (sink_bytes and the FNV-1a 64 hash sink_fnv, both reset by each slave config).
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/dmaengine.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/string.h>
#include <linux/io.h>

static unsigned int channels = 2;
module_param(channels, uint, 0444);
MODULE_PARM_DESC(channels, "number of channels (1-32, default 2)");

static char *caps = "memcpy,memset,xor,pq,xor_val,pq_val,interrupt";
module_param(caps, charp, 0444);
MODULE_PARM_DESC(caps, "capabilities: comma list of memcpy,memset,xor,pq,xor_val,pq_val,interrupt");

static unsigned int max_xor = 8;
module_param(max_xor, uint, 0444);
MODULE_PARM_DESC(max_xor, "most xor sources per descriptor (2-128, default 8)");

static unsigned int max_pq = 8;
module_param(max_pq, uint, 0444);
MODULE_PARM_DESC(max_pq, "most P+Q sources per descriptor (1-64, default 8)");

static unsigned int align;
module_param(align, uint, 0444);
MODULE_PARM_DESC(align, "log2 of the alignment of addresses and lengths (0-6, default 0)");

static unsigned long fault_len;
module_param(fault_len, ulong, 0644);
MODULE_PARM_DESC(fault_len, "descriptors of this length fail (0: none)");

static unsigned int fault_result = DMA_TRANS_READ_FAILED;
module_param(fault_result, uint, 0644);
MODULE_PARM_DESC(fault_result, "the dmaengine_tx_result a faulted descriptor reports (1-3)");

static unsigned int slave_channels;
module_param(slave_channels, uint, 0444);
MODULE_PARM_DESC(slave_channels, "slave channels on a second dma_device (0-8, default 0)");

#define SOFT_FNV_BASIS 0xcbf29ce484222325ULL
#define SOFT_FNV_PRIME 0x100000001b3ULL

static unsigned long sink_bytes;
module_param(sink_bytes, ulong, 0444);
MODULE_PARM_DESC(sink_bytes, "bytes the modelled peripheral received (memory-to-device)");

static unsigned long sink_fnv = SOFT_FNV_BASIS;
module_param(sink_fnv, ulong, 0444);
MODULE_PARM_DESC(sink_fnv, "FNV-1a 64 hash of those bytes");

static bool priv;
module_param_named(private, priv, bool, 0444);
MODULE_PARM_DESC(private, "register the device DMA_PRIVATE (default N: public)");

enum soft_op {
	SOFT_MEMCPY, SOFT_MEMSET, SOFT_XOR, SOFT_PQ, SOFT_XOR_VAL, SOFT_PQ_VAL, SOFT_INTR,
	SOFT_SLAVE,
};

#define SOFT_MAX_SRC 128

struct soft_desc {
	struct dma_async_tx_descriptor txd;
	struct list_head node;
	enum soft_op op;
	unsigned long flags;
	size_t len;
	dma_addr_t dst[2];
	unsigned int src_cnt;
	int value;
	enum sum_check_flags *result;	/* *_val: where the verdict goes */
	unsigned char coef[SOFT_MAX_SRC];
	dma_addr_t src[];
};

struct soft_chan {
	struct dma_chan chan;
	spinlock_t lock;		/* the lists and the cookies */
	struct list_head pending;   /* submitted, not issued */
	struct list_head issued;    /* issued, not yet run */
	struct list_head unacked;   /* completed, waiting for the client's ack */
	struct work_struct work;
	enum dma_transfer_direction slave_dir;	/* set by device_config */
	u64 source_pos;			/* the pattern source's stream position */
};

struct soft_dev {
	struct dma_device ddev;
	struct dma_device sdev;		/* the slave channels' device */
	bool sdev_registered;
	unsigned int nr;
	struct soft_chan chans[];
};

static struct platform_device *soft_pdev;

static inline struct soft_chan *to_soft_chan(struct dma_chan *c)
{
	return container_of(c, struct soft_chan, chan);
}

static inline struct soft_desc *to_soft_desc(struct dma_async_tx_descriptor *t)
{
	return container_of(t, struct soft_desc, txd);
}

/* GF(2^8) with the RAID-6 polynomial x^8+x^4+x^3+x^2+1, by shift and add. */
static u8 gf_mul(u8 a, u8 b)
{
	u8 r = 0;

	while (b) {
		if (b & 1)
			r ^= a;
		a = (a << 1) ^ ((a & 0x80) ? 0x1d : 0);
		b >>= 1;
	}
	return r;
}

static void *bus_to_cpu(dma_addr_t a)
{
	return phys_to_virt((phys_addr_t)a);
}

/* xor_val: do the sources xor to zero? pq_val: do P and Q match the sources? */
static void soft_run_val(struct soft_desc *d)
{
	bool want_p = !(d->flags & DMA_PREP_PQ_DISABLE_P);
	bool want_q = d->op == SOFT_PQ_VAL && !(d->flags & DMA_PREP_PQ_DISABLE_Q);
	u8 *p = d->op == SOFT_PQ_VAL && want_p ? bus_to_cpu(d->dst[0]) : NULL;
	u8 *q = want_q ? bus_to_cpu(d->dst[1]) : NULL;
	enum sum_check_flags r = 0;
	unsigned int s;
	size_t i;

	for (i = 0; i < d->len; i++) {
		u8 pv = 0, qv = 0;

		for (s = 0; s < d->src_cnt; s++) {
			u8 b = ((u8 *)bus_to_cpu(d->src[s]))[i];

			pv ^= b;
			qv ^= gf_mul(b, d->coef[s]);
		}
		if (d->op == SOFT_XOR_VAL ? pv != 0 : (p && pv != p[i]))
			r |= SUM_CHECK_P_RESULT;
		if (q && qv != q[i])
			r |= SUM_CHECK_Q_RESULT;
	}
	*d->result = r;
}

/* Slave: src[] holds (address, length) pairs; the peripheral is a source or a sink. */
static void soft_run_slave(struct soft_desc *d)
{
	struct soft_chan *sc = to_soft_chan(d->txd.chan);
	unsigned int s;
	size_t i;

	for (s = 0; s + 1 < d->src_cnt; s += 2) {
		u8 *m = bus_to_cpu(d->src[s]);

		for (i = 0; i < d->src[s + 1]; i++) {
			if (d->value == DMA_DEV_TO_MEM) {
				u64 p = sc->source_pos++;

				m[i] = (u8)((p * 7) ^ (p >> 7));
			} else {
				sink_fnv = (sink_fnv ^ m[i]) * SOFT_FNV_PRIME;
				sink_bytes++;
			}
		}
	}
}

static void soft_run(struct soft_desc *d)
{
	size_t i;
	unsigned int s;

	switch (d->op) {
	case SOFT_MEMCPY:
		memmove(bus_to_cpu(d->dst[0]), bus_to_cpu(d->src[0]), d->len);
		break;
	case SOFT_MEMSET:
		memset(bus_to_cpu(d->dst[0]), d->value & 0xff, d->len);
		break;
	case SOFT_XOR: {
		u8 *dst = bus_to_cpu(d->dst[0]);

		/* Byte by byte across all sources: dst may be one of the sources. */
		for (i = 0; i < d->len; i++) {
			u8 v = 0;

			for (s = 0; s < d->src_cnt; s++)
				v ^= ((u8 *)bus_to_cpu(d->src[s]))[i];
			dst[i] = v;
		}
		break;
	}
	case SOFT_PQ: {
		bool want_p = !(d->flags & DMA_PREP_PQ_DISABLE_P);
		bool want_q = !(d->flags & DMA_PREP_PQ_DISABLE_Q);
		bool cont = d->flags & DMA_PREP_CONTINUE;
		u8 *p = want_p ? bus_to_cpu(d->dst[0]) : NULL;
		u8 *q = want_q ? bus_to_cpu(d->dst[1]) : NULL;

		for (i = 0; i < d->len; i++) {
			u8 pv = cont && p ? p[i] : 0;
			u8 qv = cont && q ? q[i] : 0;

			for (s = 0; s < d->src_cnt; s++) {
				u8 b = ((u8 *)bus_to_cpu(d->src[s]))[i];

				pv ^= b;
				qv ^= gf_mul(b, d->coef[s]);
			}
			if (p)
				p[i] = pv;
			if (q)
				q[i] = qv;
		}
		break;
	}
	case SOFT_XOR_VAL:
	case SOFT_PQ_VAL:
		soft_run_val(d);
		break;
	case SOFT_SLAVE:
		soft_run_slave(d);
		break;
	case SOFT_INTR:
		break;
	}
}

static void soft_free_acked(struct soft_chan *sc)
{
	struct soft_desc *d, *n;
	unsigned long fl;
	LIST_HEAD(done);

	spin_lock_irqsave(&sc->lock, fl);
	list_for_each_entry_safe(d, n, &sc->unacked, node)
		if (async_tx_test_ack(&d->txd))
			list_move_tail(&d->node, &done);
	spin_unlock_irqrestore(&sc->lock, fl);
	list_for_each_entry_safe(d, n, &done, node)
		kfree(d);
}

static void soft_work(struct work_struct *w)
{
	struct soft_chan *sc = container_of(w, struct soft_chan, work);
	struct soft_desc *d;
	unsigned long fl;

	for (;;) {
		struct dmaengine_result res = { .result = DMA_TRANS_NOERROR, .residue = 0 };

		spin_lock_irqsave(&sc->lock, fl);
		d = list_first_entry_or_null(&sc->issued, struct soft_desc, node);
		if (d)
			list_del_init(&d->node);
		spin_unlock_irqrestore(&sc->lock, fl);
		if (!d)
			break;

		if (fault_len && d->len == fault_len) {
			res.result = clamp_t(unsigned int, fault_result, DMA_TRANS_READ_FAILED,
					     DMA_TRANS_ABORTED);
			res.residue = d->len;
		} else {
			soft_run(d);
		}

		spin_lock_irqsave(&sc->lock, fl);
		sc->chan.completed_cookie = d->txd.cookie;
		spin_unlock_irqrestore(&sc->lock, fl);

		dma_descriptor_unmap(&d->txd);
		if (d->txd.callback_result)
			d->txd.callback_result(d->txd.callback_param, &res);
		else if (d->txd.callback)
			d->txd.callback(d->txd.callback_param);
		dma_run_dependencies(&d->txd);

		spin_lock_irqsave(&sc->lock, fl);
		list_add_tail(&d->node, &sc->unacked);
		spin_unlock_irqrestore(&sc->lock, fl);
		cond_resched();
	}
	soft_free_acked(sc);
}

static dma_cookie_t soft_tx_submit(struct dma_async_tx_descriptor *txd)
{
	struct soft_chan *sc = to_soft_chan(txd->chan);
	struct soft_desc *d = to_soft_desc(txd);
	dma_cookie_t cookie;
	unsigned long fl;

	spin_lock_irqsave(&sc->lock, fl);
	cookie = sc->chan.cookie + 1;
	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	sc->chan.cookie = cookie;
	txd->cookie = cookie;
	list_add_tail(&d->node, &sc->pending);
	spin_unlock_irqrestore(&sc->lock, fl);
	return cookie;
}

static struct soft_desc *soft_desc_alloc(struct dma_chan *c, enum soft_op op, unsigned int nsrc,
					 size_t len, unsigned long flags)
{
	struct soft_desc *d;

	if (nsrc > SOFT_MAX_SRC)
		return NULL;
	d = kzalloc(struct_size(d, src, nsrc ? nsrc : 1), GFP_NOWAIT);
	if (!d)
		return NULL;
	dma_async_tx_descriptor_init(&d->txd, c);
	d->txd.tx_submit = soft_tx_submit;
	d->txd.flags = flags;
	d->txd.cookie = -EBUSY;
	INIT_LIST_HEAD(&d->node);
	d->op = op;
	d->flags = flags;
	d->len = len;
	d->src_cnt = nsrc;
	/* Reclaim what the client acked since the last completion. */
	soft_free_acked(to_soft_chan(c));
	return d;
}

static struct dma_async_tx_descriptor *
soft_prep_memcpy(struct dma_chan *c, dma_addr_t dst, dma_addr_t src, size_t len,
		 unsigned long flags)
{
	struct soft_desc *d = soft_desc_alloc(c, SOFT_MEMCPY, 1, len, flags);

	if (!d)
		return NULL;
	d->dst[0] = dst;
	d->src[0] = src;
	return &d->txd;
}

static struct dma_async_tx_descriptor *
soft_prep_memset(struct dma_chan *c, dma_addr_t dst, int value, size_t len, unsigned long flags)
{
	struct soft_desc *d = soft_desc_alloc(c, SOFT_MEMSET, 0, len, flags);

	if (!d)
		return NULL;
	d->dst[0] = dst;
	d->value = value;
	return &d->txd;
}

static struct dma_async_tx_descriptor *
soft_prep_xor(struct dma_chan *c, dma_addr_t dst, dma_addr_t *src, unsigned int src_cnt,
	      size_t len, unsigned long flags)
{
	struct soft_desc *d;

	if (src_cnt < 1 || src_cnt > max_xor)
		return NULL;
	d = soft_desc_alloc(c, SOFT_XOR, src_cnt, len, flags);
	if (!d)
		return NULL;
	d->dst[0] = dst;
	memcpy(d->src, src, src_cnt * sizeof(*src));
	return &d->txd;
}

static struct dma_async_tx_descriptor *
soft_prep_pq(struct dma_chan *c, dma_addr_t *dst, dma_addr_t *src, unsigned int src_cnt,
	     const unsigned char *scf, size_t len, unsigned long flags)
{
	struct soft_desc *d;

	if (src_cnt < 1 || src_cnt > max_pq)
		return NULL;
	d = soft_desc_alloc(c, SOFT_PQ, src_cnt, len, flags);
	if (!d)
		return NULL;
	d->dst[0] = dst[0];
	d->dst[1] = dst[1];
	memcpy(d->src, src, src_cnt * sizeof(*src));
	memcpy(d->coef, scf, src_cnt);
	return &d->txd;
}

static struct dma_async_tx_descriptor *
soft_prep_xor_val(struct dma_chan *c, dma_addr_t *src, unsigned int src_cnt, size_t len,
		  enum sum_check_flags *result, unsigned long flags)
{
	struct soft_desc *d;

	if (src_cnt < 2 || src_cnt > max_xor)
		return NULL;
	d = soft_desc_alloc(c, SOFT_XOR_VAL, src_cnt, len, flags);
	if (!d)
		return NULL;
	memcpy(d->src, src, src_cnt * sizeof(*src));
	d->result = result;
	return &d->txd;
}

static struct dma_async_tx_descriptor *
soft_prep_pq_val(struct dma_chan *c, dma_addr_t *pq, dma_addr_t *src, unsigned int src_cnt,
		 const unsigned char *scf, size_t len, enum sum_check_flags *pqres,
		 unsigned long flags)
{
	struct soft_desc *d;

	if (src_cnt < 1 || src_cnt > max_pq)
		return NULL;
	d = soft_desc_alloc(c, SOFT_PQ_VAL, src_cnt, len, flags);
	if (!d)
		return NULL;
	d->dst[0] = pq[0];
	d->dst[1] = pq[1];
	memcpy(d->src, src, src_cnt * sizeof(*src));
	memcpy(d->coef, scf, src_cnt);
	d->result = pqres;
	return &d->txd;
}

static int soft_config(struct dma_chan *c, struct dma_slave_config *cfg)
{
	struct soft_chan *sc = to_soft_chan(c);

	if (cfg->direction != DMA_DEV_TO_MEM && cfg->direction != DMA_MEM_TO_DEV)
		return -EINVAL;
	sc->slave_dir = cfg->direction;
	sc->source_pos = 0;
	sink_bytes = 0;
	sink_fnv = SOFT_FNV_BASIS;
	return 0;
}

static struct dma_async_tx_descriptor *
soft_prep_slave_sg(struct dma_chan *c, struct scatterlist *sgl, unsigned int sg_len,
		   enum dma_transfer_direction dir, unsigned long flags, void *context)
{
	struct soft_desc *d;
	struct scatterlist *sg;
	unsigned int i;
	size_t len = 0;

	if (dir != to_soft_chan(c)->slave_dir || !sg_len || sg_len > SOFT_MAX_SRC / 2)
		return NULL;
	for_each_sg(sgl, sg, sg_len, i)
		len += sg_dma_len(sg);
	d = soft_desc_alloc(c, SOFT_SLAVE, 2 * sg_len, len, flags);
	if (!d)
		return NULL;
	d->value = dir;
	for_each_sg(sgl, sg, sg_len, i) {
		d->src[2 * i] = sg_dma_address(sg);
		d->src[2 * i + 1] = sg_dma_len(sg);
	}
	return &d->txd;
}

static struct dma_async_tx_descriptor *soft_prep_interrupt(struct dma_chan *c, unsigned long flags)
{
	struct soft_desc *d = soft_desc_alloc(c, SOFT_INTR, 0, 0, flags);

	return d ? &d->txd : NULL;
}

static void soft_issue_pending(struct dma_chan *c)
{
	struct soft_chan *sc = to_soft_chan(c);
	unsigned long fl;

	spin_lock_irqsave(&sc->lock, fl);
	list_splice_tail_init(&sc->pending, &sc->issued);
	spin_unlock_irqrestore(&sc->lock, fl);
	queue_work(system_unbound_wq, &sc->work);
}

static enum dma_status soft_tx_status(struct dma_chan *c, dma_cookie_t cookie,
				      struct dma_tx_state *st)
{
	struct soft_chan *sc = to_soft_chan(c);
	dma_cookie_t done, used;
	unsigned long fl;

	spin_lock_irqsave(&sc->lock, fl);
	done = c->completed_cookie;
	used = c->cookie;
	spin_unlock_irqrestore(&sc->lock, fl);
	dma_set_tx_state(st, done, used, 0);
	return dma_async_is_complete(cookie, done, used);
}

static void soft_drop_lists(struct soft_chan *sc, bool all)
{
	struct soft_desc *d, *n;
	unsigned long fl;
	LIST_HEAD(drop);

	spin_lock_irqsave(&sc->lock, fl);
	list_splice_tail_init(&sc->pending, &drop);
	list_splice_tail_init(&sc->issued, &drop);
	if (all)
		list_splice_tail_init(&sc->unacked, &drop);
	spin_unlock_irqrestore(&sc->lock, fl);
	list_for_each_entry_safe(d, n, &drop, node) {
		dma_descriptor_unmap(&d->txd);
		kfree(d);
	}
}

static int soft_terminate_all(struct dma_chan *c)
{
	soft_drop_lists(to_soft_chan(c), false);
	return 0;
}

static void soft_synchronize(struct dma_chan *c)
{
	flush_work(&to_soft_chan(c)->work);
}

static int soft_alloc_chan_resources(struct dma_chan *c)
{
	struct soft_chan *sc = to_soft_chan(c);

	c->cookie = DMA_MIN_COOKIE;
	c->completed_cookie = DMA_MIN_COOKIE;
	INIT_LIST_HEAD(&sc->pending);
	INIT_LIST_HEAD(&sc->issued);
	INIT_LIST_HEAD(&sc->unacked);
	return 0;
}

static void soft_free_chan_resources(struct dma_chan *c)
{
	struct soft_chan *sc = to_soft_chan(c);

	cancel_work_sync(&sc->work);
	soft_drop_lists(sc, true);
}

/* caps=... → the capability mask; -EINVAL names the word it does not know. */
static const struct {
	const char *name;
	enum dma_transaction_type type;
} soft_cap_names[] = {
	{ "memcpy", DMA_MEMCPY }, { "memset", DMA_MEMSET }, { "xor", DMA_XOR }, { "pq", DMA_PQ },
	{ "xor_val", DMA_XOR_VAL }, { "pq_val", DMA_PQ_VAL }, { "interrupt", DMA_INTERRUPT },
};

static int soft_parse_caps(dma_cap_mask_t *mask)
{
	char buf[128], *cur, *tok;
	unsigned int i;

	dma_cap_zero(*mask);
	strscpy(buf, caps ? caps : "", sizeof(buf));
	cur = buf;
	while ((tok = strsep(&cur, ",")) != NULL) {
		if (!*tok)
			continue;
		for (i = 0; i < ARRAY_SIZE(soft_cap_names); i++)
			if (!strcmp(tok, soft_cap_names[i].name))
				break;
		if (i == ARRAY_SIZE(soft_cap_names)) {
			pr_err("dmae_soft: unknown capability \"%s\" in caps\n", tok);
			return -EINVAL;
		}
		dma_cap_set(soft_cap_names[i].type, *mask);
	}
	return 0;
}

static void soft_ops(struct dma_device *dd)
{
	dd->device_alloc_chan_resources = soft_alloc_chan_resources;
	dd->device_free_chan_resources = soft_free_chan_resources;
	dd->device_tx_status = soft_tx_status;
	dd->device_issue_pending = soft_issue_pending;
	dd->device_terminate_all = soft_terminate_all;
	dd->device_synchronize = soft_synchronize;
}

static void soft_chan_init(struct soft_chan *sc, struct dma_device *dd)
{
	spin_lock_init(&sc->lock);
	INIT_LIST_HEAD(&sc->pending);
	INIT_LIST_HEAD(&sc->issued);
	INIT_LIST_HEAD(&sc->unacked);
	INIT_WORK(&sc->work, soft_work);
	sc->chan.device = dd;
	list_add_tail(&sc->chan.device_node, &dd->channels);
}

/* The slave device: channels after the memory-to-memory ones, same platform device. */
static int soft_register_slave(struct soft_dev *sd, struct device *dev)
{
	struct dma_device *dd = &sd->sdev;
	u32 widths = BIT(DMA_SLAVE_BUSWIDTH_1_BYTE) | BIT(DMA_SLAVE_BUSWIDTH_2_BYTES) |
		     BIT(DMA_SLAVE_BUSWIDTH_4_BYTES) | BIT(DMA_SLAVE_BUSWIDTH_8_BYTES);
	unsigned int i;
	int ret;

	dd->dev = dev;
	INIT_LIST_HEAD(&dd->channels);
	dma_cap_set(DMA_SLAVE, dd->cap_mask);
	dma_cap_set(DMA_PRIVATE, dd->cap_mask);
	soft_ops(dd);
	dd->device_config = soft_config;
	dd->device_prep_slave_sg = soft_prep_slave_sg;
	dd->directions = BIT(DMA_DEV_TO_MEM) | BIT(DMA_MEM_TO_DEV);
	dd->src_addr_widths = widths;
	dd->dst_addr_widths = widths;
	dd->residue_granularity = DMA_RESIDUE_GRANULARITY_DESCRIPTOR;
	for (i = 0; i < slave_channels; i++)
		soft_chan_init(&sd->chans[sd->nr + i], dd);
	ret = dma_async_device_register(dd);
	if (!ret)
		sd->sdev_registered = true;
	return ret;
}

static int soft_probe(struct platform_device *pdev)
{
	struct soft_dev *sd;
	struct dma_device *dd;
	unsigned int i;
	int ret;

	if (channels < 1 || channels > 32 || max_xor < 2 || max_xor > SOFT_MAX_SRC ||
	    max_pq < 1 || max_pq > 64 || align > 6 || slave_channels > 8) {
		dev_err(&pdev->dev, "channels must be 1-32, max_xor 2-%d, max_pq 1-64, align 0-6\n",
			SOFT_MAX_SRC);
		return -EINVAL;
	}
	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	sd = devm_kzalloc(&pdev->dev, struct_size(sd, chans, channels + slave_channels),
			  GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->nr = channels;
	dd = &sd->ddev;
	ret = soft_parse_caps(&dd->cap_mask);
	if (ret)
		return ret;
	if (priv)
		dma_cap_set(DMA_PRIVATE, dd->cap_mask);
	dd->dev = &pdev->dev;
	INIT_LIST_HEAD(&dd->channels);
	soft_ops(dd);
	if (dma_has_cap(DMA_MEMCPY, dd->cap_mask))
		dd->device_prep_dma_memcpy = soft_prep_memcpy;
	if (dma_has_cap(DMA_MEMSET, dd->cap_mask))
		dd->device_prep_dma_memset = soft_prep_memset;
	if (dma_has_cap(DMA_XOR, dd->cap_mask)) {
		dd->device_prep_dma_xor = soft_prep_xor;
		dd->max_xor = max_xor;
	}
	if (dma_has_cap(DMA_PQ, dd->cap_mask)) {
		dd->device_prep_dma_pq = soft_prep_pq;
		dma_set_maxpq(dd, max_pq, 1);
	}
	if (dma_has_cap(DMA_XOR_VAL, dd->cap_mask)) {
		dd->device_prep_dma_xor_val = soft_prep_xor_val;
		dd->max_xor = max_xor;
	}
	if (dma_has_cap(DMA_PQ_VAL, dd->cap_mask)) {
		dd->device_prep_dma_pq_val = soft_prep_pq_val;
		dma_set_maxpq(dd, max_pq, 1);
	}
	if (dma_has_cap(DMA_INTERRUPT, dd->cap_mask))
		dd->device_prep_dma_interrupt = soft_prep_interrupt;
	dd->copy_align = align;
	dd->xor_align = align;
	dd->pq_align = align;
	dd->fill_align = align;

	for (i = 0; i < channels; i++)
		soft_chan_init(&sd->chans[i], dd);
	ret = dma_async_device_register(dd);
	if (ret)
		return ret;
	if (slave_channels) {
		ret = soft_register_slave(sd, &pdev->dev);
		if (ret) {
			dma_async_device_unregister(dd);
			return ret;
		}
	}
	platform_set_drvdata(pdev, sd);
	dev_info(&pdev->dev, "%u channels, caps %s, max_xor %u, max_pq %u, %s\n", channels, caps,
		 max_xor, max_pq, priv ? "private" : "public");
	return 0;
}

static void soft_remove(struct platform_device *pdev)
{
	struct soft_dev *sd = platform_get_drvdata(pdev);

	if (!sd)
		return;
	if (sd->sdev_registered)
		dma_async_device_unregister(&sd->sdev);
	dma_async_device_unregister(&sd->ddev);
}

static struct platform_driver soft_driver = {
	.probe = soft_probe,
	.remove = soft_remove,
	.driver = { .name = "dmae_soft" },
};

static int __init soft_init(void)
{
	int ret = platform_driver_register(&soft_driver);

	if (ret)
		return ret;
	soft_pdev = platform_device_register_simple("dmae_soft", -1, NULL, 0);
	if (IS_ERR(soft_pdev)) {
		platform_driver_unregister(&soft_driver);
		return PTR_ERR(soft_pdev);
	}
	if (!platform_get_drvdata(soft_pdev)) {
		/* Probe refused the parameters: fail the load so insmod reports it. */
		platform_device_unregister(soft_pdev);
		platform_driver_unregister(&soft_driver);
		return -EINVAL;
	}
	return 0;
}

static void __exit soft_exit(void)
{
	platform_device_unregister(soft_pdev);
	platform_driver_unregister(&soft_driver);
}

module_init(soft_init);
module_exit(soft_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("dmaengine test lane: a soft (CPU) dmaengine provider");
