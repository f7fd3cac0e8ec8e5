/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dmaengine_bridge: user-space access to the kernel's dmaengine channels through
 * /dev/dmaengine_bridge. This header is the single definition of the ioctl interface: the
 * module and the user-space library (native/bridge) both include it.
 *
 * Every struct has a fixed size, explicit padding and 64-bit fields for user pointers, so
 * 32- and 64-bit processes share one layout. Fields named reserved must be zero; the module
 * refuses anything else with EINVAL, which leaves room to give them a meaning later.
 *
 * Model: a file descriptor owns channels (handles), buffers (handles) and one completion
 * ring. Operations name (buffer handle, offset, length), never addresses. A batch is
 * prepared and submitted with DMABRIDGE_IOC_SUBMIT and started with DMABRIDGE_IOC_ISSUE;
 * completions appear in the ring (mmap of the fd at offset 0) and make the fd readable.
 */
#ifndef _UAPI_LINUX_DMAENGINE_BRIDGE_H
#define _UAPI_LINUX_DMAENGINE_BRIDGE_H

#include <linux/const.h>
#include <linux/types.h>
#include <linux/ioctl.h>

#define DMABRIDGE_ABI_VERSION	1
#define DMABRIDGE_DEVICE_PATH	"/dev/dmaengine_bridge"

/* Limits of one fd and one call (also reported by DMABRIDGE_IOC_VERSION). */
#define DMABRIDGE_MAX_BATCH	1024	/* operations per DMABRIDGE_IOC_SUBMIT */
#define DMABRIDGE_MAX_OPERANDS	8192	/* operands per DMABRIDGE_IOC_SUBMIT */
#define DMABRIDGE_MAX_SOURCES	128	/* sources of one xor / pq operation */
#define DMABRIDGE_MAX_CHUNKS	4096	/* hardware descriptors one operation may become */
#define DMABRIDGE_MIN_RING	16	/* completion ring entries, a power of two */
#define DMABRIDGE_MAX_RING	65536
#define DMABRIDGE_MAX_CHANNELS	64	/* channels held by one fd */
#define DMABRIDGE_MAX_BUFFERS	1024	/* buffers held by one fd */
#define DMABRIDGE_NAME_LEN	64

/* Capabilities (bit numbers of cap_mask); the bridge's own numbering, stable across kernels. */
#define DMABRIDGE_CAP_MEMCPY	_BITULL(0)
#define DMABRIDGE_CAP_XOR	_BITULL(1)
#define DMABRIDGE_CAP_PQ	_BITULL(2)
#define DMABRIDGE_CAP_XOR_VAL	_BITULL(3)
#define DMABRIDGE_CAP_PQ_VAL	_BITULL(4)
#define DMABRIDGE_CAP_MEMSET	_BITULL(5)
#define DMABRIDGE_CAP_INTERRUPT	_BITULL(6)
#define DMABRIDGE_CAP_PRIVATE	_BITULL(7)
#define DMABRIDGE_CAP_SLAVE	_BITULL(8)
#define DMABRIDGE_CAP_CYCLIC	_BITULL(9)
#define DMABRIDGE_CAP_ALL	(_BITULL(10) - 1)

/* Channel models. */
#define DMABRIDGE_MODEL_NONE		0	/* enumerated, not held */
#define DMABRIDGE_MODEL_EXCLUSIVE	1	/* dma_request_channel: the fd owns it */
#define DMABRIDGE_MODEL_SHARED		2	/* dmaengine_get + dma_find_channel: shared */

/* How an exclusive request picks its channel (dmabridge_chan_request.by). */
#define DMABRIDGE_BY_ANY	0	/* the first free channel with cap_mask */
#define DMABRIDGE_BY_NAME	1	/* the channel named name, e.g. "dma0chan1" */
#define DMABRIDGE_BY_DEVICE	2	/* a channel of the dma_device whose dev_name is name */

/* dmabridge_chan_info.flags */
#define DMABRIDGE_CHAN_PQ_CONTINUE	0x1U	/* native P+Q continuation */
#define DMABRIDGE_CHAN_HELD_HERE	0x2U	/* held by this fd (enumerate) */

/**
 * struct dmabridge_version - DMABRIDGE_IOC_VERSION: the ABI and the limits.
 * @abi: DMABRIDGE_ABI_VERSION of the running module.
 * @max_batch: most operations per submit.
 * @max_operands: most operands per submit.
 * @max_sources: most sources of one xor / pq operation (the channel may allow fewer).
 * @max_chunks: most hardware descriptors one operation may be split into.
 * @max_ring: most completion ring entries.
 * @max_channels: most channels one fd may hold.
 * @max_buffers: most buffers one fd may hold.
 * @reserved: zero.
 */
struct dmabridge_version {
	__u32 abi;
	__u32 max_batch;
	__u32 max_operands;
	__u32 max_sources;
	__u32 max_chunks;
	__u32 max_ring;
	__u32 max_channels;
	__u32 max_buffers;
	__u64 reserved[2];
};

/**
 * struct dmabridge_chan_info - what a channel can do, as its driver registered it.
 * @handle: the fd's handle for a held channel; 0 for one only enumerated.
 * @model: DMABRIDGE_MODEL_*.
 * @cap_mask: DMABRIDGE_CAP_* bits of the channel's dma_device.
 * @max_xor: most xor sources per descriptor (0 without DMA_XOR).
 * @max_pq: most P+Q sources per descriptor (0 without DMA_PQ).
 * @copy_align: log2 of the byte alignment of memcpy addresses and lengths.
 * @xor_align: the same for xor and xor_val.
 * @pq_align: the same for pq and pq_val.
 * @fill_align: the same for memset.
 * @numa_node: the NUMA node of the dma_device's struct device, -1 when none.
 * @flags: DMABRIDGE_CHAN_*.
 * @directions: slave directions, bit n = enum dma_transfer_direction n.
 * @max_seg: largest segment one descriptor may cover (dma_get_max_seg_size).
 * @name: the channel name, e.g. "dma0chan1".
 * @device: dev_name of the dma_device's struct device, e.g. "dmae_soft".
 * @driver: the name of that device's driver.
 * @reserved: zero.
 */
struct dmabridge_chan_info {
	__u32 handle;
	__u32 model;
	__u64 cap_mask;
	__u32 max_xor;
	__u32 max_pq;
	__u32 copy_align;
	__u32 xor_align;
	__u32 pq_align;
	__u32 fill_align;
	__s32 numa_node;
	__u32 flags;
	__u32 directions;
	__u32 max_seg;
	char name[DMABRIDGE_NAME_LEN];
	char device[DMABRIDGE_NAME_LEN];
	char driver[DMABRIDGE_NAME_LEN];
	__u64 reserved[2];
};

/**
 * struct dmabridge_enumerate - DMABRIDGE_IOC_ENUMERATE: channels reachable from this fd.
 * @infos: user pointer to an array of @capacity struct dmabridge_chan_info.
 * @capacity: entries at @infos.
 * @count: out: entries written (at most @capacity).
 * @total: out: entries there were (the caller retries with a larger array if above).
 * @reserved: zero.
 *
 * Lists the channels this fd holds, then every free channel an exclusive request could get
 * (the filter dma_request_channel runs over; the kernel offers no other walk of its
 * devices). Channels other clients hold are not listed: /sys/class/dma has them all.
 */
struct dmabridge_enumerate {
	__u64 infos;
	__u32 capacity;
	__u32 count;
	__u32 total;
	__u32 reserved;
};

/**
 * struct dmabridge_chan_request - DMABRIDGE_IOC_CHAN_REQUEST.
 * @model: DMABRIDGE_MODEL_EXCLUSIVE or DMABRIDGE_MODEL_SHARED.
 * @by: exclusive: DMABRIDGE_BY_*; shared: 0.
 * @cap_mask: exclusive: the DMABRIDGE_CAP_* the channel must have (0: any);
 *	shared: exactly one of MEMCPY, XOR, PQ, XOR_VAL, PQ_VAL, MEMSET.
 * @name: NUL-terminated channel or device name for DMABRIDGE_BY_NAME / _BY_DEVICE; else
 *	all zero.
 * @info: out: the channel (its @handle names it from now on).
 * @reserved: zero.
 */
struct dmabridge_chan_request {
	__u32 model;
	__u32 by;
	__u64 cap_mask;
	char name[DMABRIDGE_NAME_LEN];
	struct dmabridge_chan_info info;
	__u64 reserved[2];
};

/* dmabridge_buf_import.dir and dmabridge_buf_alloc.dir (enum dma_data_direction). */
#define DMABRIDGE_DIR_BIDIRECTIONAL	0
#define DMABRIDGE_DIR_TO_DEVICE		1
#define DMABRIDGE_DIR_FROM_DEVICE	2

/**
 * struct dmabridge_buf_import - DMABRIDGE_IOC_BUF_IMPORT: a dma-buf for a channel's device.
 * @fd: the dma-buf file descriptor (udmabuf, a DMA heap, any exporter).
 * @chan: the channel handle whose dma_device the buffer is attached and mapped for.
 * @dir: DMABRIDGE_DIR_*.
 * @handle: out: the buffer handle.
 * @size: out: the dma-buf's size in bytes.
 * @segments: out: DMA segments of the mapping (after any IOMMU merging).
 * @reserved: zero.
 *
 * The channel cannot be released while the buffer exists; the buffer can be used on any
 * channel of the same dma_device.
 */
struct dmabridge_buf_import {
	__s32 fd;
	__u32 chan;
	__u32 dir;
	__u32 handle;
	__u64 size;
	__u32 segments;
	__u32 reserved;
};

/**
 * struct dmabridge_buf_alloc - DMABRIDGE_IOC_BUF_ALLOC: a buffer the module allocates.
 * @size: bytes (rounded up to pages; at most 64 MiB).
 * @chan: the channel handle whose dma_device the buffer is for.
 * @flags: DMABRIDGE_ALLOC_*.
 * @handle: out: the buffer handle, as for an import.
 * @fd: out: a dma-buf fd (O_RDWR | O_CLOEXEC) of the same memory, mmappable, shareable.
 * @segments: out: DMA segments (1 with DMABRIDGE_ALLOC_CONTIGUOUS).
 * @reserved: zero.
 */
struct dmabridge_buf_alloc {
	__u64 size;
	__u32 chan;
	__u32 flags;
	__u32 handle;
	__s32 fd;
	__u32 segments;
	__u32 reserved;
};

#define DMABRIDGE_ALLOC_CONTIGUOUS	0x1U	/* one physically contiguous run */

/* Operation codes (dmabridge_op.opcode) and their operands, in order. */
#define DMABRIDGE_OP_MEMCPY	1	/* [dst, src] */
#define DMABRIDGE_OP_MEMSET	2	/* [dst]; value: the byte */
#define DMABRIDGE_OP_XOR	3	/* [dst, src0 .. srcN-1], N >= 2 */
#define DMABRIDGE_OP_XOR_VAL	4	/* [src0 .. srcN-1], N >= 2: is their xor zero? */
#define DMABRIDGE_OP_PQ		5	/* [P, Q, src0 .. srcN-1], coef per source */
#define DMABRIDGE_OP_PQ_VAL	6	/* [P, Q, src0 .. srcN-1]: do P and Q match? */
#define DMABRIDGE_OP_INTERRUPT	7	/* []: a completion in order, no data */
#define DMABRIDGE_OP_SLAVE	8	/* [mem]: exclusive slave channel, dir in value */

/* Operation flags (dmabridge_op.flags). */
#define DMABRIDGE_F_FENCE	0x1U	/* later ops on the channel depend on this one */
#define DMABRIDGE_F_COMPLETION	0x2U	/* an entry on success too (errors always) */
#define DMABRIDGE_F_PQ_DISABLE_P 0x4U	/* pq/pq_val: no P (its operand must be zero) */
#define DMABRIDGE_F_PQ_DISABLE_Q 0x8U	/* pq/pq_val: no Q (its operand must be zero) */
#define DMABRIDGE_F_PQ_CONTINUE	0x10U	/* pq: fold in the P/Q already in the dsts */
#define DMABRIDGE_F_ALL		0x1fU

/**
 * struct dmabridge_operand - one buffer range of an operation.
 * @offset: byte offset in the buffer.
 * @buf: buffer handle (0 only for a disabled P or Q).
 * @coef: pq/pq_val sources: the GF(2^8) coefficient; 0 elsewhere.
 * @reserved: zero.
 */
struct dmabridge_operand {
	__u64 offset;
	__u32 buf;
	__u8 coef;
	__u8 reserved[3];
};

/**
 * struct dmabridge_op - one operation of a batch.
 * @user_tag: returned in the completion entry.
 * @len: bytes per operand (0 only for DMABRIDGE_OP_INTERRUPT).
 * @opcode: DMABRIDGE_OP_*.
 * @flags: DMABRIDGE_F_*.
 * @first: index of the operation's first operand in the batch's operand array.
 * @count: operands it uses (see the opcode list).
 * @value: memset: the byte (0-255); slave: DMABRIDGE_SLAVE_DEV_TO_MEM / _MEM_TO_DEV; else 0.
 * @reserved: zero.
 */
struct dmabridge_op {
	__u64 user_tag;
	__u64 len;
	__u32 opcode;
	__u32 flags;
	__u32 first;
	__u32 count;
	__u32 value;
	__u32 reserved;
};

#define DMABRIDGE_SLAVE_MEM_TO_DEV	1	/* enum dma_transfer_direction values */
#define DMABRIDGE_SLAVE_DEV_TO_MEM	2

/* dmabridge_submit.flags */
#define DMABRIDGE_SUBMIT_ISSUE		0x1U	/* issue_pending after the batch */
#define DMABRIDGE_SUBMIT_STOP		0x2U	/* stop at the first refused operation */

/**
 * struct dmabridge_submit - DMABRIDGE_IOC_SUBMIT: prepare and submit a batch on a channel.
 * @ops: user pointer to @nops struct dmabridge_op.
 * @operands: user pointer to @noperands struct dmabridge_operand.
 * @results: user pointer to @nops __s32, out: 0 submitted, or a negative errno: EINVAL the
 *	device cannot take it (alignment, source count, length: run it in software) or a field
 *	is malformed, EOPNOTSUPP the channel lacks the capability, EBADF an unknown buffer
 *	handle, ERANGE a range outside its buffer, E2BIG more than max_chunks descriptors,
 *	EBUSY the ring has no room, ENOMEM the driver gave no descriptor, ECANCELED not tried
 *	(after a refusal with DMABRIDGE_SUBMIT_STOP).
 * @chan: channel handle.
 * @flags: DMABRIDGE_SUBMIT_*.
 * @nops: operations (1 .. max_batch).
 * @noperands: operands (0 .. max_operands).
 * @submitted: out: operations submitted.
 * @reserved: zero.
 *
 * Every field of every operation is checked before any of its descriptors is prepared. An
 * operation over ranges that cross DMA segment ends becomes several descriptors, split where
 * any operand's segment ends; its completion entry comes when all of them are done.
 */
struct dmabridge_submit {
	__u64 ops;
	__u64 operands;
	__u64 results;
	__u32 chan;
	__u32 flags;
	__u32 nops;
	__u32 noperands;
	__u32 submitted;
	__u32 reserved;
};

/**
 * struct dmabridge_ring_setup - DMABRIDGE_IOC_RING_SETUP: create the fd's completion ring.
 * @entries: ring entries, a power of two (DMABRIDGE_MIN_RING .. max_ring). Also the most
 *	operations in flight on the fd.
 * @entry_size: out: sizeof(struct dmabridge_completion).
 * @mmap_size: out: bytes to mmap at offset 0 of the fd.
 * @entries_offset: out: where the entries start in that mapping.
 * @reserved: zero.
 */
struct dmabridge_ring_setup {
	__u32 entries;
	__u32 entry_size;
	__u64 mmap_size;
	__u64 entries_offset;
	__u64 reserved[2];
};

/**
 * struct dmabridge_ring_header - the start of the ring mapping.
 * @head: written by user space: entries consumed (free running, wraps at 2^32). The module
 *	reads it, never trusts it: a value that would un-consume or over-consume is ignored.
 * @pad0: keeps @tail on its own cache line.
 * @tail: written by the module: entries posted (free running). Read it with acquire order,
 *	then the entries before it are complete.
 * @entries: the ring size.
 * @dropped: always 0: room is reserved at submit, so no entry is ever dropped.
 * @pad1: to 128 bytes.
 */
struct dmabridge_ring_header {
	__u32 head;
	__u32 pad0[15];
	__u32 tail;
	__u32 entries;
	__u32 dropped;
	__u32 pad1[13];
};

/* Completion status (dmabridge_completion.status): 0 or a negative errno. */
/* -EIO: the engine reported a failure (see result); -ECANCELED: terminated before it ran. */

/* dmabridge_completion.result: enum dmaengine_tx_result. */
#define DMABRIDGE_RESULT_NOERROR	0
#define DMABRIDGE_RESULT_READ_FAILED	1
#define DMABRIDGE_RESULT_WRITE_FAILED	2
#define DMABRIDGE_RESULT_ABORTED	3

/* dmabridge_completion.val: enum sum_check_flags. */
#define DMABRIDGE_VAL_P_MISMATCH	0x1U	/* xor_val: nonzero; pq_val: P wrong */
#define DMABRIDGE_VAL_Q_MISMATCH	0x2U	/* pq_val: Q wrong */

/**
 * struct dmabridge_completion - one ring entry.
 * @user_tag: the operation's user_tag.
 * @chan: the channel handle it ran on.
 * @status: 0, -EIO or -ECANCELED.
 * @result: the first DMABRIDGE_RESULT_* other than NOERROR among its descriptors.
 * @residue: bytes not transferred, summed over its descriptors.
 * @val: xor_val / pq_val: DMABRIDGE_VAL_* (all descriptors or-ed); else 0.
 * @reserved: zero.
 */
struct dmabridge_completion {
	__u64 user_tag;
	__u32 chan;
	__s32 status;
	__u32 result;
	__u32 residue;
	__u32 val;
	__u32 reserved;
};

/**
 * struct dmabridge_slave_config - DMABRIDGE_IOC_SLAVE_CONFIG: dmaengine_slave_config.
 * @chan: exclusive channel handle.
 * @direction: DMABRIDGE_SLAVE_*.
 * @addr_width: bytes per device access (1, 2, 4, 8).
 * @dev_addr: the device-side bus address (FIFO, register) as the peripheral's driver
 *	defines it. Root-only by the node's permissions: it reaches the device's address space.
 * @maxburst: words per burst (0: the driver's default).
 * @reserved: zero.
 */
struct dmabridge_slave_config {
	__u32 chan;
	__u32 direction;
	__u32 addr_width;
	__u32 maxburst;
	__u64 dev_addr;
	__u64 reserved[2];
};

#define DMABRIDGE_IOC_MAGIC	0xDB	/* the literal below, kept short */

#define DMABRIDGE_IOC_VERSION		_IOR(0xDB, 0x00, struct dmabridge_version)
#define DMABRIDGE_IOC_ENUMERATE		_IOWR(0xDB, 0x01, struct dmabridge_enumerate)
#define DMABRIDGE_IOC_CHAN_REQUEST	_IOWR(0xDB, 0x02, struct dmabridge_chan_request)
#define DMABRIDGE_IOC_CHAN_RELEASE	_IOW(0xDB, 0x03, __u32)
#define DMABRIDGE_IOC_BUF_IMPORT	_IOWR(0xDB, 0x04, struct dmabridge_buf_import)
#define DMABRIDGE_IOC_BUF_ALLOC		_IOWR(0xDB, 0x05, struct dmabridge_buf_alloc)
#define DMABRIDGE_IOC_BUF_RELEASE	_IOW(0xDB, 0x06, __u32)
#define DMABRIDGE_IOC_RING_SETUP	_IOWR(0xDB, 0x07, struct dmabridge_ring_setup)
#define DMABRIDGE_IOC_SUBMIT		_IOWR(0xDB, 0x08, struct dmabridge_submit)
#define DMABRIDGE_IOC_ISSUE		_IOW(0xDB, 0x09, __u32)
#define DMABRIDGE_IOC_TERMINATE		_IOW(0xDB, 0x0a, __u32)
#define DMABRIDGE_IOC_SLAVE_CONFIG	_IOW(0xDB, 0x0b, struct dmabridge_slave_config)

#endif /* _UAPI_LINUX_DMAENGINE_BRIDGE_H */
