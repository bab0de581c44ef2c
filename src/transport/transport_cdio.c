/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The libcdio transport: real recorders through libcdio's MMC pass-through
 * (on Linux, the CDROM_SEND_PACKET ioctl on /dev/srN).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cdio/cdio.h>
#include <cdio/mmc.h>

#include "discfs/transport.h"

struct cdio_transport {
	struct transport base;
	CdIo_t *cdio;
};

static struct cdio_transport *to_cdio(struct transport *t)
{
	return (struct cdio_transport *)t;
}

static int errno_from_driver(driver_return_code_t rc)
{
	switch (rc) {
	case DRIVER_OP_NOT_PERMITTED:
		return -EPERM;
	case DRIVER_OP_BAD_PARAMETER:
	case DRIVER_OP_BAD_POINTER:
		return -EINVAL;
	case DRIVER_OP_UNSUPPORTED:
	case DRIVER_OP_NO_DRIVER:
	case DRIVER_OP_UNINIT:
		return -ENODEV;
	default:
		return -EIO;
	}
}

static void cdio_exec(struct transport *t, const struct mmc_cmd *cmd, void *data, unsigned timeout_ms,
		      struct mmc_reply *reply)
{
	static const cdio_mmc_direction_t dirs[] = {
		[MMC_DIR_NONE] = SCSI_MMC_DATA_NONE,
		[MMC_DIR_READ] = SCSI_MMC_DATA_READ,
		[MMC_DIR_WRITE] = SCSI_MMC_DATA_WRITE,
	};
	struct cdio_transport *ct = to_cdio(t);
	cdio_mmc_request_sense_t *sense = NULL;
	mmc_cdb_t cdb;
	driver_return_code_t rc;
	int sense_len;

	memset(reply, 0, sizeof(*reply));
	memset(&cdb, 0, sizeof(cdb));
	memcpy(cdb.field, cmd->cdb, cmd->cdb_len);
	rc = mmc_run_cmd_len(ct->cdio, timeout_ms, &cdb, cmd->cdb_len, dirs[cmd->dir], cmd->xfer_len, data);
	if (rc == DRIVER_OP_SUCCESS) {
		reply->transferred = cmd->xfer_len;
		return;
	}
	/* libcdio does not tell a CHECK CONDITION from a transport failure;
	 * sense data that came back is what tells them apart. */
	sense_len = mmc_last_cmd_sense(ct->cdio, &sense);
	if (sense_len > 0 && sense) {
		reply->status = -EIO;
		reply->sense_len = (size_t)sense_len < sizeof(reply->sense) ? (size_t)sense_len : sizeof(reply->sense);
		memcpy(reply->sense, sense, reply->sense_len);
	} else {
		reply->status = errno_from_driver(rc);
	}
	free(sense);
}

static uint64_t real_now_ns(struct transport *t)
{
	struct timespec ts;

	(void)t;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void real_sleep_until_ns(struct transport *t, uint64_t deadline_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(deadline_ns / 1000000000u),
			       .tv_nsec = (long)(deadline_ns % 1000000000u) };

	(void)t;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int cdio_set_exclusive(struct transport *t, int exclusive)
{
	struct cdio_transport *ct = to_cdio(t);
	CdIo_t *reopened = cdio_open_am(t->device, DRIVER_LINUX, exclusive ? "MMC_RDWR_EXCL" : "MMC_RDWR");

	if (!reopened)
		return exclusive ? -EBUSY : -ENODEV;
	cdio_destroy(ct->cdio);
	ct->cdio = reopened;
	return 0;
}

static void cdio_transport_destroy(struct transport *t)
{
	struct cdio_transport *ct = to_cdio(t);

	cdio_destroy(ct->cdio);
	free(ct);
}

static const struct transport_ops cdio_ops = {
	.exec = cdio_exec,
	.now_ns = real_now_ns,
	.sleep_until_ns = real_sleep_until_ns,
	.set_exclusive = cdio_set_exclusive,
	.destroy = cdio_transport_destroy,
};

struct transport *transport_cdio_open(const char *device)
{
	struct cdio_transport *ct = calloc(1, sizeof(*ct));

	if (!ct)
		return NULL;
	ct->cdio = cdio_open_am(device, DRIVER_LINUX, "MMC_RDWR");
	if (!ct->cdio) {
		free(ct);
		errno = ENODEV;
		return NULL;
	}
	ct->base.ops = &cdio_ops;
	snprintf(ct->base.device, sizeof(ct->base.device), "%s", device);
	return &ct->base;
}

char **transport_cdio_list(void)
{
	return cdio_get_devices(DRIVER_LINUX);
}

void transport_cdio_free_list(char **list)
{
	if (list)
		cdio_free_device_list(list);
}
