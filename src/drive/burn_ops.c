/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The drive's other long operations, asked for by writing to erase, format
 * and close: IDiscFormat2Erase, FORMAT UNIT on request, and finalizing an
 * appendable disc.  Each runs in the writer's thread, so `echo full > erase`
 * returns when the disc is erased, with an errno when it could not be; status
 * and progress show it meanwhile, as for a burn.
 */
#include <errno.h>

#include "discfs/disc.h"
#include "drive_internal.h"

typedef int (*operation_fn)(struct burn *b, const struct media_info *m, void *arg);

static void record_fraction(void *ctx, double fraction)
{
	struct burn *b = ctx;

	pthread_mutex_lock(&b->lock);
	b->progress.op_fraction = fraction;
	drive_changed(b->drive);
	pthread_mutex_unlock(&b->lock);
}

static int run_operation(struct burn *b, enum disc_operation op, const char *owner, operation_fn fn, void *arg)
{
	struct drive *d = b->drive;
	struct media_info m;
	uint64_t started;
	int rc;

	drive_clear_error(d);
	pthread_mutex_lock(&b->lock);
	rc = burn_running_locked(b) ? -EBUSY : drive_claim(d, owner);
	if (rc) {
		pthread_mutex_unlock(&b->lock);
		return drive_fail(d, COND_BUSY, NULL);
	}
	started = drive_now_ns(d);
	b->progress = (struct burn_progress){ .op = op, .state = BURN_RUNNING, .last_written_lba = -1 };
	drive_changed(d);
	pthread_mutex_unlock(&b->lock);

	drive_refresh_media(d);
	rc = drive_media(d, &m);
	if (rc == -ENOMEDIUM)
		rc = drive_fail(d, COND_NO_MEDIA, NULL);
	if (rc == 0)
		rc = drive_exclusive(d, true);
	if (rc == 0) {
		disc_lock(d, true);
		rc = fn(b, &m, arg);
		disc_lock(d, false);
		drive_exclusive(d, false);
	}
	drive_release(d);
	drive_refresh_media(d);

	pthread_mutex_lock(&b->lock);
	burn_finish_locked(b, rc);
	b->progress.elapsed_s = (double)(drive_now_ns(d) - started) / 1e9;
	drive_changed(d);
	pthread_mutex_unlock(&b->lock);
	return rc;
}

static int erase(struct burn *b, const struct media_info *m, void *arg)
{
	if (!m->profile->erasable)
		return drive_fail(b->drive, COND_NOT_ERASABLE, "only CD-RW and DVD-RW can be erased");
	return disc_erase(b->drive, *(bool *)arg, record_fraction, b);
}

static int format(struct burn *b, const struct media_info *m, void *arg)
{
	(void)arg;
	if (!disc_format_type(m))
		return drive_fail(b->drive, COND_MEDIA_NOT_WRITABLE, "only DVD+RW, DVD-RW and BD-RE can be formatted");
	return disc_format(b->drive, m, record_fraction, b);
}

/* A track an interrupted burn left open (a crash, a power loss) is closed
 * as it is, and its session with it, so the disc is appendable again and
 * can be finalized by another close (libburn's burn_disc_close_damaged). */
static int close_damaged(struct drive *d, struct burn *b, const struct media_info *m)
{
	int rc = disc_close_track(d, m->last_track);

	if (rc == 0)
		rc = disc_set_write_parameters(d, m, b->settings.buffer_underrun_free, false, false);
	return rc ? rc : disc_close_session(d, m, false);
}

/* Finalizes an appendable disc.  An incomplete session (a track left open)
 * is closed with the finalizing close function.  A complete one can be
 * finalized afterwards on DVD+R and BD-R only: on CD and DVD-R, page 05h
 * decided when that session was closed. */
static int close_disc(struct burn *b, const struct media_info *m, void *arg)
{
	struct drive *d = b->drive;
	uint16_t track;
	int rc;

	(void)arg;
	if (m->profile->model != WRITE_MODEL_SEQUENTIAL)
		return drive_fail(d, COND_MEDIA_NOT_WRITABLE, "only sequential media have sessions to close");
	if (m->status & MEDIA_FINALIZED)
		return drive_fail(d, COND_MEDIA_NOT_WRITABLE, "the disc is already closed");
	if (m->status & MEDIA_BLANK)
		return drive_fail(d, COND_MEDIA_NOT_WRITABLE, "the disc is blank: there is nothing to close");
	if ((m->status & MEDIA_DAMAGED) && !m->next_writable_valid)
		return close_damaged(d, b, m);
	if (m->last_session_state != MMC_SESSION_INCOMPLETE && disc_uses_write_parameters(m->profile))
		return drive_fail(d, COND_MEDIA_NOT_WRITABLE,
				  "on CD and DVD-R a closed session stays appendable: burn the last one with force_close=1");
	if (m->last_session_state == MMC_SESSION_INCOMPLETE && m->next_writable > 0) {
		rc = disc_track_at(d, m->next_writable - 1, &track);
		if (rc == 0)
			rc = disc_close_track(d, track);
		if (rc)
			return rc;
	}
	rc = disc_set_write_parameters(d, m, b->settings.buffer_underrun_free, true, false);
	return rc ? rc : disc_close_session(d, m, true);
}

int burn_erase(struct burn *b, bool full, const char *owner)
{
	return run_operation(b, OP_ERASE, owner, erase, &full);
}

int burn_format(struct burn *b, const char *owner)
{
	return run_operation(b, OP_FORMAT, owner, format, NULL);
}

int burn_close_disc(struct burn *b, const char *owner)
{
	return run_operation(b, OP_CLOSE, owner, close_disc, NULL);
}
