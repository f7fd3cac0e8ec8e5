// SPDX-License-Identifier: GPL-2.0
/*
 * dmaengine_bridge: user-space access to the kernel's dmaengine channels.
 *
 * /dev/dmaengine_bridge: each open file is a context that requests channels (exclusive or
 * shared), imports or allocates dma-bufs for a channel's device, submits batches of
 * operations and reads their completions from a ring mapped from the fd; poll() says when
 * entries are there. The interface is uapi/dmaengine_bridge.h.
 *
 * Security model: the node is root-only (0600) unless the gid parameter names a group, which
 * then owns it with mode 0660. A context sees only its own handles; user space never learns a
 * kernel or DMA address. The module cannot be unloaded while a file is open (the cdev's
 * owner), and each held channel pins its DMA driver.
 *
 * Locking: ctx->lock is taken for every ioctl and for mmap; release runs when no other user
 * of the file is left and takes nothing but what the stop paths take (see bridge.h).
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/poll.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/uaccess.h>
#include "bridge.h"

static int gid = -1;
module_param(gid, int, 0444);
MODULE_PARM_DESC(gid, "group owning /dev/dmaengine_bridge, mode 0660 (default -1: root only, 0600)");

static dev_t bridge_devt;
static struct cdev bridge_cdev;
static struct class bridge_class = { .name = "dmaengine_bridge" };
static struct device *bridge_dev;

static int bridge_open(struct inode *inode, struct file *f)
{
	struct bridge_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	idr_init(&ctx->chans);
	idr_init(&ctx->bufs);
	spin_lock_init(&ctx->ring.lock);
	init_waitqueue_head(&ctx->wq);
	atomic_set(&ctx->inflight, 0);
	f->private_data = ctx;
	return stream_open(inode, f);
}

/* The last reference is gone: stop every channel, then unmap and detach, then release. */
static int bridge_release(struct inode *inode, struct file *f)
{
	struct bridge_ctx *ctx = f->private_data;
	struct bridge_chan *bc;
	struct bridge_buf *b;
	int id;

	idr_for_each_entry(&ctx->chans, bc, id)
		bridge_chan_stop(bc);
	idr_for_each_entry(&ctx->bufs, b, id)
		bridge_buf_free(ctx, b);
	idr_for_each_entry(&ctx->chans, bc, id) {
		idr_remove(&ctx->chans, id);
		bridge_chan_put(bc);
	}
	idr_destroy(&ctx->bufs);
	idr_destroy(&ctx->chans);
	bridge_ring_free(ctx);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	return 0;
}

static int ioctl_version(void __user *arg)
{
	struct dmabridge_version v = {
		.abi = DMABRIDGE_ABI_VERSION,
		.max_batch = DMABRIDGE_MAX_BATCH,
		.max_operands = DMABRIDGE_MAX_OPERANDS,
		.max_sources = DMABRIDGE_MAX_SOURCES,
		.max_chunks = DMABRIDGE_MAX_CHUNKS,
		.max_ring = DMABRIDGE_MAX_RING,
		.max_channels = DMABRIDGE_MAX_CHANNELS,
		.max_buffers = DMABRIDGE_MAX_BUFFERS,
	};

	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

/* Copies the argument in, runs fn under ctx->lock, copies it back when fn succeeded. */
#define WITH_ARG(type, fn) ({						\
	type a_;							\
	long r_ = copy_from_user(&a_, arg, sizeof(a_)) ? -EFAULT : fn(ctx, &a_); \
	if (!r_ && copy_to_user(arg, &a_, sizeof(a_)))			\
		r_ = -EFAULT;						\
	r_; })

static long bridge_ioctl_locked(struct bridge_ctx *ctx, unsigned int cmd, void __user *arg)
{
	u32 h;

	switch (cmd) {
	case DMABRIDGE_IOC_ENUMERATE:
		return WITH_ARG(struct dmabridge_enumerate, bridge_enumerate);
	case DMABRIDGE_IOC_CHAN_REQUEST:
		return WITH_ARG(struct dmabridge_chan_request, bridge_chan_request);
	case DMABRIDGE_IOC_BUF_IMPORT:
		return WITH_ARG(struct dmabridge_buf_import, bridge_buf_import);
	case DMABRIDGE_IOC_BUF_ALLOC:
		return WITH_ARG(struct dmabridge_buf_alloc, bridge_buf_alloc);
	case DMABRIDGE_IOC_RING_SETUP:
		return WITH_ARG(struct dmabridge_ring_setup, bridge_ring_setup);
	case DMABRIDGE_IOC_SUBMIT:
		return WITH_ARG(struct dmabridge_submit, bridge_submit);
	case DMABRIDGE_IOC_SLAVE_CONFIG:
		return WITH_ARG(struct dmabridge_slave_config, bridge_slave_config);
	}
	if (get_user(h, (u32 __user *)arg))
		return -EFAULT;
	switch (cmd) {
	case DMABRIDGE_IOC_CHAN_RELEASE:
		return bridge_chan_release(ctx, h);
	case DMABRIDGE_IOC_BUF_RELEASE:
		return bridge_buf_release(ctx, h);
	case DMABRIDGE_IOC_ISSUE:
		return bridge_issue(ctx, h);
	case DMABRIDGE_IOC_TERMINATE:
		return bridge_terminate(ctx, h);
	}
	return -ENOTTY;
}

static long bridge_ioctl(struct file *f, unsigned int cmd, unsigned long uarg)
{
	struct bridge_ctx *ctx = f->private_data;
	void __user *arg = (void __user *)uarg;
	long ret;

	switch (cmd) {
	case DMABRIDGE_IOC_VERSION:
		return ioctl_version(arg);
	case DMABRIDGE_IOC_ENUMERATE:
	case DMABRIDGE_IOC_CHAN_REQUEST:
	case DMABRIDGE_IOC_BUF_IMPORT:
	case DMABRIDGE_IOC_BUF_ALLOC:
	case DMABRIDGE_IOC_RING_SETUP:
	case DMABRIDGE_IOC_SUBMIT:
	case DMABRIDGE_IOC_SLAVE_CONFIG:
	case DMABRIDGE_IOC_CHAN_RELEASE:
	case DMABRIDGE_IOC_BUF_RELEASE:
	case DMABRIDGE_IOC_ISSUE:
	case DMABRIDGE_IOC_TERMINATE:
		break;
	default:
		return -ENOTTY;
	}
	if (mutex_lock_killable(&ctx->lock))
		return -EINTR;
	ret = bridge_ioctl_locked(ctx, cmd, arg);
	mutex_unlock(&ctx->lock);
	return ret;
}

static int bridge_mmap(struct file *f, struct vm_area_struct *vma)
{
	struct bridge_ctx *ctx = f->private_data;
	int ret;

	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	if (vma->vm_pgoff)
		return -EINVAL;
	mutex_lock(&ctx->lock);
	ret = ctx->ring.mem ? remap_vmalloc_range(vma, ctx->ring.mem, 0) : -ENXIO;
	mutex_unlock(&ctx->lock);
	return ret;
}

static __poll_t bridge_poll(struct file *f, poll_table *pt)
{
	struct bridge_ctx *ctx = f->private_data;

	poll_wait(f, &ctx->wq, pt);
	return bridge_ring_ready(ctx) ? EPOLLIN | EPOLLRDNORM : 0;
}

static const struct file_operations bridge_fops = {
	.owner = THIS_MODULE,
	.open = bridge_open,
	.release = bridge_release,
	.unlocked_ioctl = bridge_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = bridge_mmap,
	.poll = bridge_poll,
};

#ifdef BRIDGE_DEVNODE_CONST
static char *bridge_devnode(const struct device *dev, umode_t *mode, kuid_t *uid, kgid_t *g)
#else
static char *bridge_devnode(struct device *dev, umode_t *mode, kuid_t *uid, kgid_t *g)
#endif
{
	kgid_t k = make_kgid(&init_user_ns, gid);

	if (mode)
		*mode = gid_valid(k) ? 0660 : 0600;
	if (g && gid_valid(k))
		*g = k;
	return NULL;
}

static const struct device_type bridge_type = {
	.name = "dmaengine_bridge",
	.devnode = bridge_devnode,
};

static void bridge_dev_release(struct device *dev)
{
	kfree(dev);
}

static int __init bridge_init(void)
{
	int ret;

	if (gid < -1)
		return -EINVAL;
	ret = alloc_chrdev_region(&bridge_devt, 0, 1, "dmaengine_bridge");
	if (ret)
		return ret;
	cdev_init(&bridge_cdev, &bridge_fops);
	bridge_cdev.owner = THIS_MODULE;
	ret = cdev_add(&bridge_cdev, bridge_devt, 1);
	if (ret)
		goto unregion;
	ret = class_register(&bridge_class);
	if (ret)
		goto uncdev;
	bridge_dev = kzalloc(sizeof(*bridge_dev), GFP_KERNEL);
	if (!bridge_dev) {
		ret = -ENOMEM;
		goto unclass;
	}
	device_initialize(bridge_dev);
	bridge_dev->devt = bridge_devt;
	bridge_dev->class = &bridge_class;
	bridge_dev->type = &bridge_type;
	bridge_dev->release = bridge_dev_release;
	ret = dev_set_name(bridge_dev, "dmaengine_bridge");
	if (!ret)
		ret = device_add(bridge_dev);
	if (ret) {
		put_device(bridge_dev);
		goto unclass;
	}
	pr_info("dmaengine_bridge: ABI %d, /dev/dmaengine_bridge %s\n", DMABRIDGE_ABI_VERSION,
		gid >= 0 ? "0660 for the gid parameter's group" : "root only");
	return 0;
unclass:
	class_unregister(&bridge_class);
uncdev:
	cdev_del(&bridge_cdev);
unregion:
	unregister_chrdev_region(bridge_devt, 1);
	return ret;
}

static void __exit bridge_exit(void)
{
	device_unregister(bridge_dev);
	class_unregister(&bridge_class);
	cdev_del(&bridge_cdev);
	unregister_chrdev_region(bridge_devt, 1);
}

module_init(bridge_init);
module_exit(bridge_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("dmaengine channels, dma-bufs and completions for user space");
MODULE_IMPORT_NS(DMA_BUF);
