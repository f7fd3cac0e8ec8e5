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
 * Parameters (load time): channels, caps (comma list of memcpy,memset,xor,pq,interrupt),
 * max_xor, max_pq, private (DMA_PRIVATE: only dma_request_channel users, never async_tx).
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

static char *caps = "memcpy,memset,xor,pq,interrupt";
module_param(caps, charp, 0444);
MODULE_PARM_DESC(caps, "capabilities: comma list of memcpy,memset,xor,pq,interrupt");

static unsigned int max_xor = 8;
module_param(max_xor, uint, 0444);
MODULE_PARM_DESC(max_xor, "most xor sources per descriptor (2-128, default 8)");

static unsigned int max_pq = 8;
module_param(max_pq, uint, 0444);
MODULE_PARM_DESC(max_pq, "most P+Q sources per descriptor (1-64, default 8)");

static bool priv;
module_param_named(private, priv, bool, 0444);
MODULE_PARM_DESC(private, "register the device DMA_PRIVATE (default N: public)");

enum soft_op { SOFT_MEMCPY, SOFT_MEMSET, SOFT_XOR, SOFT_PQ, SOFT_INTR };

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
	unsigned char coef[SOFT_MAX_SRC];
	dma_addr_t src[];
};

struct soft_chan {
	struct dma_chan chan;
	spinlock_t lock;
	struct list_head pending;   /* submitted, not issued */
	struct list_head issued;    /* issued, not yet run */
	struct list_head unacked;   /* completed, waiting for the client's ack */
	struct work_struct work;
};

struct soft_dev {
	struct dma_device ddev;
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

		soft_run(d);

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
soft_prep_memcpy(struct dma_chan *c, dma_addr_t dst, dma_addr_t src, size_t len, unsigned long flags)
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
static int soft_parse_caps(dma_cap_mask_t *mask)
{
	char buf[128], *cur, *tok;

	dma_cap_zero(*mask);
	strscpy(buf, caps ? caps : "", sizeof(buf));
	cur = buf;
	while ((tok = strsep(&cur, ",")) != NULL) {
		if (!*tok)
			continue;
		if (!strcmp(tok, "memcpy"))
			dma_cap_set(DMA_MEMCPY, *mask);
		else if (!strcmp(tok, "memset"))
			dma_cap_set(DMA_MEMSET, *mask);
		else if (!strcmp(tok, "xor"))
			dma_cap_set(DMA_XOR, *mask);
		else if (!strcmp(tok, "pq"))
			dma_cap_set(DMA_PQ, *mask);
		else if (!strcmp(tok, "interrupt"))
			dma_cap_set(DMA_INTERRUPT, *mask);
		else {
			pr_err("dmae_soft: unknown capability \"%s\" in caps\n", tok);
			return -EINVAL;
		}
	}
	return 0;
}

static int soft_probe(struct platform_device *pdev)
{
	struct soft_dev *sd;
	struct dma_device *dd;
	unsigned int i;
	int ret;

	if (channels < 1 || channels > 32 || max_xor < 2 || max_xor > SOFT_MAX_SRC ||
	    max_pq < 1 || max_pq > 64) {
		dev_err(&pdev->dev, "channels must be 1-32, max_xor 2-%d, max_pq 1-64\n", SOFT_MAX_SRC);
		return -EINVAL;
	}
	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	sd = devm_kzalloc(&pdev->dev, struct_size(sd, chans, channels), GFP_KERNEL);
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
	dd->device_alloc_chan_resources = soft_alloc_chan_resources;
	dd->device_free_chan_resources = soft_free_chan_resources;
	dd->device_tx_status = soft_tx_status;
	dd->device_issue_pending = soft_issue_pending;
	dd->device_terminate_all = soft_terminate_all;
	dd->device_synchronize = soft_synchronize;
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
	if (dma_has_cap(DMA_INTERRUPT, dd->cap_mask))
		dd->device_prep_dma_interrupt = soft_prep_interrupt;

	for (i = 0; i < channels; i++) {
		struct soft_chan *sc = &sd->chans[i];

		spin_lock_init(&sc->lock);
		INIT_LIST_HEAD(&sc->pending);
		INIT_LIST_HEAD(&sc->issued);
		INIT_LIST_HEAD(&sc->unacked);
		INIT_WORK(&sc->work, soft_work);
		sc->chan.device = dd;
		list_add_tail(&sc->chan.device_node, &dd->channels);
	}
	ret = dma_async_device_register(dd);
	if (ret)
		return ret;
	platform_set_drvdata(pdev, sd);
	dev_info(&pdev->dev, "%u channels, caps %s, max_xor %u, max_pq %u, %s\n", channels, caps,
		 max_xor, max_pq, priv ? "private" : "public");
	return 0;
}

static void soft_remove(struct platform_device *pdev)
{
	struct soft_dev *sd = platform_get_drvdata(pdev);

	if (sd)
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
