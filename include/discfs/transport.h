/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A transport carries one MMC command to a recorder and brings back the
 * status, the data and the sense bytes.  Two implementations: libcdio for
 * real drives (transport_cdio.c) and the emulated recorder (transport_emu.c).
 * Everything above this line is the same code for both.
 *
 * A transport also owns the recorder's clock: the write engine paces itself
 * with now_ns()/sleep_until_ns(), so an emulated recorder whose clock runs N
 * times faster burns N times faster without any other change.
 */
#ifndef DISCFS_TRANSPORT_H
#define DISCFS_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "discfs/mmc.h"

struct transport;

struct transport_ops {
	/* data is cmd->xfer_len bytes, read into or written from. */
	void (*exec)(struct transport *t, const struct mmc_cmd *cmd, void *data, unsigned timeout_ms,
		     struct mmc_reply *reply);
	uint64_t (*now_ns)(struct transport *t);
	void (*sleep_until_ns)(struct transport *t, uint64_t deadline_ns);
	/* Reopens the device exclusively (O_EXCL) or shared; -EBUSY when another
	 * process holds it.  NULL when the transport has no such notion. */
	int (*set_exclusive)(struct transport *t, int exclusive);
	void (*destroy)(struct transport *t);
};

struct transport {
	const struct transport_ops *ops;
	char device[256];	/* "/dev/sr0" or "emulated:dvd+rw" */
};

static inline void transport_exec(struct transport *t, const struct mmc_cmd *cmd, void *data, unsigned timeout_ms,
				  struct mmc_reply *reply)
{
	t->ops->exec(t, cmd, data, timeout_ms, reply);
}

/* Opens a real recorder through libcdio (MMC_RDWR, shared).  NULL with errno. */
struct transport *transport_cdio_open(const char *device);
/* Device paths of every recorder libcdio finds; a NULL-terminated array to
 * free with transport_cdio_free_list. */
char **transport_cdio_list(void);
void transport_cdio_free_list(char **list);

struct emu;
/* Wraps an emulated recorder; the transport owns it afterwards. */
struct transport *transport_emu_open(struct emu *emu);

#endif
