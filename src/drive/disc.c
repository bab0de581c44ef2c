/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Multi-command disc operations; see disc.h. */
#include <errno.h>
#include <string.h>

#include "discfs/disc.h"
#include "drive_internal.h"

#define POLL_INTERVAL_NS 200000000ull	/* 0.2 s on the recorder's clock */
#define LONG_OP_LIMIT_NS (3600ull * 1000000000ull)
#define MODE_PAGE_ALLOC 72

int disc_wait_ready(struct drive *d, disc_progress_fn progress, void *ctx)
{
	uint64_t deadline = drive_now_ns(d) + LONG_OP_LIMIT_NS;
	struct mmc_cmd cmd;

	mmc_build_test_unit_ready(&cmd);
	for (;;) {
		struct mmc_sense sense;
		int rc = drive_probe(d, &cmd, NULL, &sense);

		if (rc == 0) {
			if (progress)
				progress(ctx, 1.0);
			return 0;
		}
		/* "Not ready, in progress" is the answer polled for; anything
		 * else ends the operation, and says why. */
		if (sense.key != SK_NOT_READY || sense.asc != ASC_NOT_READY)
			return drive_probe_failed(d, &sense, mmc_opcode_name(MMC_TEST_UNIT_READY), NULL, rc);
		if (progress && sense.progress_valid)
			progress(ctx, sense.progress / 65536.0);
		if (drive_now_ns(d) > deadline)
			return drive_fail(d, COND_TIMEOUT, "the drive stayed busy for over an hour");
		drive_sleep_until_ns(d, drive_now_ns(d) + POLL_INTERVAL_NS);
	}
}

bool disc_uses_write_parameters(const struct profile_info *p)
{
	return PROFILE_CAN(p, PROFILE_WRITE_PARAMETERS);
}

/* Mode page 05h: write type, multisession, Test Write and buffer underrun
 * protection, for the media that have it (CD and DVD-R/-RW; not DVD+R,
 * +RW or BD). */
int disc_set_write_parameters(struct drive *d, const struct media_info *m, bool buffer_underrun_free,
			      bool close_disc, bool test_write)
{
	const struct profile_info *p = m->profile;
	uint8_t reply[MODE_PAGE_ALLOC] = { 0 };
	uint8_t params[MODE_PAGE_ALLOC] = { 0 };
	struct mmc_write_params wp;
	const uint8_t *page;
	struct mmc_cmd cmd;
	size_t page_len;
	int rc;

	if (!disc_uses_write_parameters(p))
		return 0;
	mmc_build_mode_sense10(&cmd, 0x05, 0, sizeof(reply));
	rc = drive_command(d, &cmd, reply, 0, NULL);
	if (rc)
		return rc;
	if (mmc_find_mode_page(reply, sizeof(reply), 0x05, &page, &page_len) < 0 || page_len + 8 > sizeof(params) ||
	    mmc_parse_write_params(page, page_len, &wp) < 0)
		return drive_fail(d, COND_INVALID_RESPONSE, "mode page 05h");
	wp.bufe = buffer_underrun_free;
	wp.test_write = test_write;
	wp.multi_session = close_disc ? 0 : 3;
	wp.data_block_type = 8;
	if (p->family == MEDIA_FAMILY_CD) {
		wp.write_type = 1;
		wp.track_mode = 4;
	} else {
		wp.write_type = 0;
		wp.track_mode = 5;
		wp.ls_v = true;
		wp.link_size = 16;
		wp.fixed_packet = true;
		wp.packet_size = 16;
	}
	memcpy(params + 8, page, page_len);
	params[8] &= 0x7F;	/* PS must be zero in MODE SELECT */
	if (mmc_store_write_params(params + 8, page_len, &wp) < 0)
		return drive_fail(d, COND_INVALID_RESPONSE, "mode page 05h");
	mmc_build_mode_select10(&cmd, (uint16_t)(8 + page_len));
	return drive_command(d, &cmd, params, 0, NULL);
}

int disc_synchronize(struct drive *d)
{
	struct mmc_cmd cmd;
	int rc;

	mmc_build_sync_cache(&cmd, true);
	rc = drive_command(d, &cmd, NULL, 0, NULL);
	return rc ? rc : disc_wait_ready(d, NULL, NULL);
}

int disc_track_at(struct drive *d, uint32_t lba, uint16_t *track)
{
	struct mmc_track_info ti;
	int rc = drive_track_info(d, 0, lba, &ti);

	if (rc == 0)
		*track = ti.track;
	return rc;
}

static int close_op(struct drive *d, uint8_t func, uint16_t track)
{
	struct mmc_cmd cmd;
	int rc;

	mmc_build_close_track_session(&cmd, func, track, true);
	rc = drive_command(d, &cmd, NULL, 0, NULL);
	return rc ? rc : disc_wait_ready(d, NULL, NULL);
}

int disc_close_track(struct drive *d, uint16_t track)
{
	return close_op(d, 1, track);
}

int disc_close_session(struct drive *d, const struct media_info *m, bool finalize)
{
	uint8_t func = 2;	/* on CD and DVD-R, page 05h says whether this finalizes */

	if (finalize && !disc_uses_write_parameters(m->profile))
		func = m->profile->finalize_function;
	return close_op(d, func, 0);
}

uint8_t disc_format_type(const struct media_info *m)
{
	return m->profile->format_type;
}

int disc_format(struct drive *d, const struct media_info *m, disc_progress_fn progress, void *ctx)
{
	uint8_t type = disc_format_type(m);
	uint8_t params[12];
	struct mmc_cmd cmd;
	int rc;

	if (!type)
		return drive_fail(d, COND_MEDIA_NOT_WRITABLE, "this medium cannot be formatted");
	mmc_build_format_unit(&cmd);
	/* DVD+RW takes "all of it" as FFFFFFFFh; the others their capacity. */
	mmc_build_format_descriptor(params, type == 0x26 ? 0xFFFFFFFFu : m->total_sectors, type, 0, true);
	rc = drive_command(d, &cmd, params, 0, NULL);
	return rc ? rc : disc_wait_ready(d, progress, ctx);
}

int disc_erase(struct drive *d, bool full, disc_progress_fn progress, void *ctx)
{
	struct mmc_cmd cmd;
	int rc;

	mmc_build_blank(&cmd, full ? 0 : 1, true);
	rc = drive_command(d, &cmd, NULL, 0, NULL);
	return rc ? rc : disc_wait_ready(d, progress, ctx);
}

int disc_lock(struct drive *d, bool lock)
{
	struct mmc_cmd cmd;
	int rc;

	mmc_build_prevent_allow(&cmd, lock);
	rc = drive_command(d, &cmd, NULL, 0, NULL);
	/* A drive that has gone away holds no lock any more: a reconnected
	 * drive starts unlocked, so `locked` must not stay 1 for it. */
	if (rc == 0 || (!lock && rc == -ENODEV)) {
		pthread_mutex_lock(&d->lock);
		d->tray_locked = lock;
		pthread_mutex_unlock(&d->lock);
		drive_changed(d);
	}
	return rc;
}

int disc_tray(struct drive *d, bool load)
{
	struct mmc_cmd cmd;
	int rc = load ? 0 : disc_lock(d, false);

	if (rc)
		return rc;
	mmc_build_start_stop(&cmd, true, load, false);
	return drive_command(d, &cmd, NULL, 0, NULL);
}
