/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The emulator transport: hands each CDB to an emulated recorder. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/emu.h"
#include "discfs/transport.h"

struct emu_transport {
	struct transport base;
	struct emu *emu;
};

static struct emu *to_emu(struct transport *t)
{
	return ((struct emu_transport *)t)->emu;
}

static void emu_transport_exec(struct transport *t, const struct mmc_cmd *cmd, void *data, unsigned timeout_ms,
			       struct mmc_reply *reply)
{
	uint8_t sense[18];
	int status;

	(void)timeout_ms;
	memset(reply, 0, sizeof(*reply));
	status = emu_exec(to_emu(t), cmd->cdb, cmd->cdb_len, cmd->dir, data, cmd->xfer_len, &reply->transferred,
			  sense);
	if (status == MMC_CHECK_CONDITION) {
		reply->status = -EIO;
		memcpy(reply->sense, sense, sizeof(sense));
		reply->sense_len = sizeof(sense);
	} else if (status < 0) {
		/* The command never came back (an injected timeout, or the
		 * drive vanished): what a kernel driver would report. */
		reply->status = status;
	} else if (status != 0) {
		reply->status = -EIO;
	}
}

static uint64_t emu_transport_now(struct transport *t)
{
	return emu_now_ns(to_emu(t));
}

static void emu_transport_sleep_until(struct transport *t, uint64_t deadline_ns)
{
	emu_sleep_until_ns(to_emu(t), deadline_ns);
}

static void emu_transport_destroy(struct transport *t)
{
	emu_destroy(to_emu(t));
	free(t);
}

static const struct transport_ops emu_ops = {
	.exec = emu_transport_exec,
	.now_ns = emu_transport_now,
	.sleep_until_ns = emu_transport_sleep_until,
	.set_exclusive = NULL,
	.destroy = emu_transport_destroy,
};

struct transport *transport_emu_open(struct emu *emu)
{
	struct emu_transport *et = calloc(1, sizeof(*et));

	if (!et)
		return NULL;
	et->emu = emu;
	et->base.ops = &emu_ops;
	snprintf(et->base.device, sizeof(et->base.device), "emulated:%s", emu_media_name(emu));
	return &et->base;
}
