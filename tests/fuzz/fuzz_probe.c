/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for the drive model's handling of a hostile or broken
 * drive: a fake transport answers every command from the fuzz input
 * (probe_script.h), and the whole path runs on it: drive_create (INQUIRY,
 * GET CONFIGURATION, then the media probe) and once more drive_probe_media
 * on what is left.
 *
 * What must hold, besides no crash and no out-of-bounds access:
 *   - garbage in GOOD replies maps to "invalid response from device"
 *     (EPROTO), or to ENOMEDIUM when the garbage says profile 0;
 *   - sense data and transport failures map to an errno of the error table;
 *   - a snapshot read without error is self-consistent (free space within
 *     the capacity, tables within their bounds), since df and every
 *     attribute file show it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "discfs/transport.h"
/* White-box: the harness checks the snapshot inside struct drive. */
#include "../../src/drive/drive_internal.h"
#include "probe_script.h"

/* The write engine's host FIFO: the probe never burns. */
#define FIFO_BYTES (64 << 10)

struct fake_transport {
	struct transport base;
	const uint8_t *next;
	size_t left;
	bool only_good;		/* every reply so far was GOOD (data may be garbage) */
};

static void fake_exec(struct transport *t, const struct mmc_cmd *cmd, void *data, unsigned timeout_ms,
		      struct mmc_reply *reply)
{
	struct fake_transport *f = (struct fake_transport *)t;
	uint8_t kind;
	size_t n;

	(void)timeout_ms;
	memset(reply, 0, sizeof(*reply));
	if (f->left < PROBE_SCRIPT_HEADER) {
		f->left = 0;
		return;	/* GOOD, no data */
	}
	kind = f->next[0] % 4;
	n = (size_t)f->next[1] << 8 | f->next[2];
	f->next += PROBE_SCRIPT_HEADER;
	f->left -= PROBE_SCRIPT_HEADER;
	if (kind == PROBE_SCRIPT_TRANSPORT) {
		f->only_good = false;
		reply->status = -probe_script_errnos[n % PROBE_SCRIPT_NERRNOS];
		return;
	}
	if (n > f->left)
		n = f->left;
	if (kind == PROBE_SCRIPT_CHECK) {
		f->only_good = false;
		reply->status = -EIO;
		reply->sense_len = n < sizeof(reply->sense) ? n : sizeof(reply->sense);
		memcpy(reply->sense, f->next, reply->sense_len);
	} else if (cmd->dir == MMC_DIR_READ && data) {
		size_t copy = n < cmd->xfer_len ? n : cmd->xfer_len;

		memcpy(data, f->next, copy);
		reply->transferred = copy;
	}
	f->next += n;
	f->left -= n;
}

static uint64_t fake_now(struct transport *t)
{
	(void)t;
	return 0;
}

static void fake_sleep(struct transport *t, uint64_t deadline_ns)
{
	(void)t;
	(void)deadline_ns;
}

static void fake_destroy(struct transport *t)
{
	free(t);
}

static const struct transport_ops fake_ops = {
	.exec = fake_exec,
	.now_ns = fake_now,
	.sleep_until_ns = fake_sleep,
	.destroy = fake_destroy,
};

/* Every errno the error table can produce, and the probe's own. */
static bool known_errno(int err)
{
	static const int known[] = { EPROTO, ENOMEDIUM, EAGAIN, EBUSY, EMEDIUMTYPE, EIO, EOPNOTSUPP, ENOSPC,
				     EINVAL, EROFS, ETIMEDOUT, ENODEV, EACCES, ENOMEM };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (err == known[i])
			return true;
	return false;
}

static void check_snapshot(const struct media_info *m, bool only_good)
{
	if (m->error) {
		CHECK(m->error < 0 && known_errno(-m->error));
		if (only_good)
			CHECK(m->error == -EPROTO || m->error == -ENOMEDIUM);
	}
	CHECK(m->profile != NULL);
	CHECK(m->ncurrent_features <= MMC_MAX_FEATURES);
	CHECK(m->nspeeds <= MMC_MAX_SPEEDS);
	for (size_t i = 1; i < m->nspeeds; i++)
		CHECK(m->speeds[i - 1].sps <= m->speeds[i].sps);
	if (m->error == 0) {
		CHECK(m->free_sectors <= m->total_sectors);
		CHECK(!m->next_writable_valid || m->next_writable <= m->total_sectors);
		CHECK(m->volume_sectors <= m->total_sectors);
		/* `sessions` shows this count: never more than the disc has. */
		CHECK(m->complete_sessions <= m->sessions || m->profile->model == WRITE_MODEL_OVERWRITE);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_transport *f = calloc(1, sizeof(*f));
	struct media_info again;
	struct drive *d;

	if (!f)
		return 0;
	f->base.ops = &fake_ops;
	snprintf(f->base.device, sizeof(f->base.device), "fuzz");
	f->next = data;
	f->left = size;
	f->only_good = true;
	d = drive_create(0, &f->base, NULL, 0, FIFO_BYTES);
	if (!d) {
		/* It failed on INQUIRY, and says why; it freed the transport. */
		CHECK(known_errno(errno));
		return 0;
	}
	check_snapshot(&d->media, f->only_good);
	drive_probe_media(d, &again);
	check_snapshot(&again, f->only_good);
	drive_destroy(d);
	return 0;
}
