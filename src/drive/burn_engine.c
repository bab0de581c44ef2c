/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The write engine thread: one burn from validation to verification, paced
 * on the recorder's clock.  See burn.h for the sequence.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/crc32.h"
#include "discfs/disc.h"
#include "drive_internal.h"
#include "discfs/read.h"

#define NS_PER_S 1000000000.0
/* Through the volume recognition area: the image is checked first. */
#define START_BYTES ((VOLUME_ISO_PVD_LBA + VOLUME_DESCRIPTORS_MAX) * 2048)
#define LONG_WRITE_RETRY_NS 10000000ull	/* 10 ms on the recorder's clock */
#define BUFFER_CHECK_EVERY 8		/* chunks between READ BUFFER CAPACITY */
#define BUFFER_HIGH 0.95		/* libburn's watermarks: wait above 95 %, */
#define BUFFER_LOW 0.65			/* until below 65 % */
#define RATE_WINDOW_NS 500000000ull
#define PACE_SLICE_NS 100000000ull	/* a cancel is noticed within 0.1 s of pacing */

struct pace {
	bool on;
	double start_sps, end_sps;
	uint64_t sectors;	/* the range the plan spans */
	double drain_bytes_per_s;	/* the drive's own speed, for buffer waits */
};

struct engine {
	struct burn *b;
	struct drive *d;
	struct media_info media;
	struct burn_settings settings;
	struct pace pace;
	struct image_plan plan;
	uint32_t start_lba, lba;
	uint32_t chunk_sectors;
	uint64_t written;	/* sectors */
	uint64_t t0;
	uint64_t rate_mark_ns, rate_mark_sectors;
	bool tray_locked;
	bool exclusive;
};

static void set_action(struct engine *e, enum burn_action action)
{
	pthread_mutex_lock(&e->b->lock);
	e->b->progress.action = action;
	e->b->progress.state = BURN_RUNNING;
	burn_changed_locked(e->b);
	pthread_mutex_unlock(&e->b->lock);
}

static bool cancelled(struct engine *e)
{
	bool c;

	pthread_mutex_lock(&e->b->lock);
	c = e->b->cancel;
	pthread_mutex_unlock(&e->b->lock);
	return c;
}

/* Waits for the plan's next deadline, in slices, so a cancel during a slow
 * burn takes effect at once. */
static void pace_until(struct engine *e, uint64_t deadline)
{
	uint64_t now;

	while ((now = drive_now_ns(e->d)) < deadline && !cancelled(e))
		drive_sleep_until_ns(e->d, deadline - now > PACE_SLICE_NS ? now + PACE_SLICE_NS : deadline);
}

static int command(struct engine *e, const struct mmc_cmd *cmd, void *data, struct mmc_sense *sense)
{
	return drive_command(e->d, cmd, data, 0, sense);
}

static void formatting_progress(void *ctx, double fraction)
{
	struct engine *e = ctx;

	pthread_mutex_lock(&e->b->lock);
	e->b->progress.op_fraction = fraction;
	drive_changed(e->d);
	pthread_mutex_unlock(&e->b->lock);
}

/* An unformatted DVD+RW or BD-RE is formatted before its first burn. */
static int format_if_needed(struct engine *e)
{
	const struct profile_info *p = e->media.profile;
	int rc;

	if (p->model != WRITE_MODEL_OVERWRITE || e->media.disc_status != MMC_DISC_EMPTY || !disc_format_type(&e->media))
		return 0;
	set_action(e, ACTION_FORMATTING);
	rc = disc_format(e->d, &e->media, formatting_progress, e);
	if (rc == 0) {
		drive_refresh_media(e->d);
		drive_media(e->d, &e->media);
	}
	return rc;
}

static double resolve_speed(const struct speed_request *r, const struct media_info *m, bool ending)
{
	if (r->kind == SPEED_AUTO)
		return ending ? m->estimate_end_sps : m->estimate_start_sps;
	return speed_request_sps(r, m->profile->family);
}

/* The slowest constant-speed descriptor that keeps up with the plan, so the
 * drive never has to wait on the host; the fastest when none does. */
static const struct speed_descriptor *choose_descriptor(const struct media_info *m, double need_sps)
{
	for (size_t i = 0; i < m->nspeeds; i++)
		if (!m->speeds[i].cav && m->speeds[i].sps >= need_sps * 0.99)
			return &m->speeds[i];
	return m->nspeeds ? &m->speeds[m->nspeeds - 1] : NULL;
}

static void note_speed(struct engine *e, const char *fmt, double a, double b)
{
	pthread_mutex_lock(&e->b->lock);
	snprintf(e->b->progress.speed_note, sizeof(e->b->progress.speed_note), fmt, a, b);
	pthread_mutex_unlock(&e->b->lock);
}

static void request_speed(struct engine *e, const struct speed_descriptor *s)
{
	uint8_t params[28];
	struct mmc_cmd cmd;
	int rc;

	if (e->media.profile->family == MEDIA_FAMILY_CD) {
		mmc_build_set_cd_speed(&cmd, 0xFFFF, s->kbps > 0xFFFF ? 0xFFFF : (uint16_t)s->kbps, s->cav);
		rc = command(e, &cmd, NULL, NULL);
	} else {
		mmc_build_set_streaming(&cmd);
		mmc_build_streaming_descriptor(params, 0, s->end_lba ? s->end_lba : e->media.total_sectors - 1,
					       s->kbps, s->kbps, s->cav);
		rc = command(e, &cmd, params, NULL);
	}
	/* Drives often ignore or refuse speed requests: the host pacing
	 * below keeps the plan either way. */
	if (rc)
		note_speed(e, "drive refused %.0f sectors/s (%.1fx); pacing on the host", s->sps, s->xfactor);
}

static void plan_speed(struct engine *e)
{
	struct drive *d = e->d;
	struct speed_request starting, ending;
	const struct speed_descriptor *s;
	double start, end;

	drive_speed_get(d, false, &starting);
	drive_speed_get(d, true, &ending);
	e->pace.drain_bytes_per_s = e->media.estimate_end_sps * 2048;
	if (starting.kind == SPEED_AUTO && ending.kind == SPEED_AUTO) {
		note_speed(e, "the drive's own speed (%.0f to %.0f sectors/s)", e->media.estimate_start_sps,
			   e->media.estimate_end_sps);
		return;
	}
	if (starting.kind == SPEED_MAX || ending.kind == SPEED_MAX) {
		s = e->media.nspeeds ? &e->media.speeds[e->media.nspeeds - 1] : NULL;
		if (s) {
			request_speed(e, s);
			e->pace.drain_bytes_per_s = s->sps * 2048.0;
		}
		note_speed(e, "maximum: %.0f sectors/s (%.1fx)", s ? s->sps : 0, s ? s->xfactor : 0);
		return;
	}
	start = resolve_speed(&starting, &e->media, false);
	end = resolve_speed(&ending, &e->media, true);
	e->pace = (struct pace){ .on = start > 0 && end > 0, .start_sps = start, .end_sps = end };
	s = choose_descriptor(&e->media, start > end ? start : end);
	if (s) {
		request_speed(e, s);
		e->pace.drain_bytes_per_s = s->sps * 2048.0;
	}
	/* Without buffer underrun protection a drive whose buffer runs dry
	 * ruins the track, so the host must never hold data back: the
	 * drive's own speed, the one nearest the plan, sets the pace. */
	if (!e->settings.buffer_underrun_free && disc_uses_write_parameters(e->media.profile)) {
		e->pace.on = false;
		note_speed(e, "no underrun protection: the drive's %.0f sectors/s (%.1fx) sets the pace",
			   s ? s->sps : 0, s ? s->xfactor : 0);
		return;
	}
	note_speed(e, "planned %.0f to %.0f sectors/s", start, end);
}

static int calibrate(struct engine *e)
{
	struct mmc_cmd cmd;

	if (e->media.profile->model != WRITE_MODEL_SEQUENTIAL || e->media.profile->family == MEDIA_FAMILY_BD)
		return 0;
	set_action(e, ACTION_CALIBRATING);
	mmc_build_send_opc(&cmd);
	return command(e, &cmd, NULL, NULL);
}

static void lock_tray(struct engine *e, bool lock)
{
	if (disc_lock(e->d, lock) == 0 || !lock)
		e->tray_locked = lock;
}

static void read_drive_buffer(struct engine *e)
{
	uint8_t reply[12] = { 0 };
	struct mmc_buffer_capacity cap;
	struct mmc_cmd cmd;

	mmc_build_read_buffer_capacity(&cmd, false);
	/* A drive that cannot tell its buffer's fill is simply not asked to wait. */
	if (drive_probe(e->d, &cmd, reply, NULL) || mmc_parse_buffer_capacity(reply, sizeof(reply), &cap) < 0)
		return;
	pthread_mutex_lock(&e->b->lock);
	e->b->progress.drive_size = cap.length;
	e->b->progress.drive_used = cap.length - cap.blank;
	drive_changed(e->d);
	pthread_mutex_unlock(&e->b->lock);
	/* Rather than hammer a full drive with WRITEs it must refuse, wait
	 * for it to drain to the low watermark. */
	if (cap.length && e->pace.drain_bytes_per_s > 0 && cap.length - cap.blank > BUFFER_HIGH * cap.length) {
		double excess = (double)(cap.length - cap.blank) - BUFFER_LOW * cap.length;

		drive_sleep_until_ns(e->d, drive_now_ns(e->d) + (uint64_t)(excess / e->pace.drain_bytes_per_s * NS_PER_S));
	}
}

static double planned_sps(const struct engine *e)
{
	if (e->pace.on)
		return speed_plan_rate(e->pace.start_sps, e->pace.end_sps, e->written, e->pace.sectors);
	return e->pace.drain_bytes_per_s / 2048;
}

/* driveN/last_burn/: the position, both rates and both buffers now; the
 * caller holds the burn's lock. */
static void sample_locked(struct engine *e, uint64_t now, bool last)
{
	struct burn *b = e->b;
	struct burn_sample s = {
		.t_ns = now - e->t0,
		.lba = e->start_lba + (uint32_t)e->written,
		.planned_sps = (float)planned_sps(e),
		.host_used = fifo_pending(b->source, b->reader),
		.drive_used = b->progress.drive_used,
	};

	burn_log_add(&b->log, &s, b->progress.drive_size, last);
}

static void record_progress(struct engine *e, uint32_t sectors, bool starved)
{
	struct burn *b = e->b;
	uint64_t now = drive_now_ns(e->d);
	double elapsed = (double)(now - e->t0) / NS_PER_S;

	pthread_mutex_lock(&b->lock);
	b->progress.last_written_lba = (int64_t)e->lba + sectors - 1;
	b->progress.sectors_written = e->written;
	b->progress.elapsed_s = (double)(now - b->started_ns) / NS_PER_S;
	if (starved)
		b->progress.underruns++;
	if (now - e->rate_mark_ns >= RATE_WINDOW_NS) {
		b->progress.rate_sps = (double)(e->written - e->rate_mark_sectors) * NS_PER_S /
				       (double)(now - e->rate_mark_ns);
		e->rate_mark_ns = now;
		e->rate_mark_sectors = e->written;
	}
	sample_locked(e, now, false);
	if (b->expected && elapsed > 0 && e->written) {
		double left = (double)(b->expected / 2048) - (double)e->written;

		b->progress.remaining_s = left > 0 ? left * elapsed / (double)e->written : 0;
	}
	drive_changed(e->d);
	pthread_mutex_unlock(&b->lock);
}

/* Room for a CRC of every chunk that fits on the medium, taken before the
 * paced loop so that it never allocates. */
static int reserve_crcs(struct engine *e, uint64_t limit_sectors)
{
	struct burn *b = e->b;
	size_t need = (size_t)(limit_sectors / e->chunk_sectors) + 1;
	uint32_t *crcs;

	if (e->settings.verify == VERIFY_NONE || need <= b->chunk_capacity)
		return 0;
	crcs = realloc(b->chunk_crcs, need * sizeof(*crcs));
	if (!crcs)
		return -ENOMEM;
	b->chunk_crcs = crcs;
	b->chunk_capacity = need;
	return 0;
}

/* Never past the room reserve_crcs took: the limit check comes first. */
static void remember_crc(struct engine *e, const uint8_t *chunk, size_t len)
{
	struct burn *b = e->b;

	if (e->settings.verify != VERIFY_NONE && b->nchunks < b->chunk_capacity)
		b->chunk_crcs[b->nchunks++] = crc32_update(0, chunk, len);
}

static int write_chunk(struct engine *e, const uint8_t *chunk, uint32_t sectors)
{
	struct mmc_sense sense;
	struct mmc_cmd cmd;
	int rc;

	mmc_build_write10(&cmd, e->lba, (uint16_t)sectors);
	for (;;) {
		memset(&sense, 0, sizeof(sense));
		rc = command(e, &cmd, (void *)chunk, &sense);
		/* "Long write in progress": the buffer is full, try again. */
		if (rc && sense.key == SK_NOT_READY && sense.asc == ASC_NOT_READY &&
		    sense.ascq == ASCQ_LONG_WRITE_IN_PROGRESS) {
			drive_sleep_until_ns(e->d, drive_now_ns(e->d) + LONG_WRITE_RETRY_NS);
			continue;
		}
		return rc;
	}
}

/* Each chunk goes out at the plan's time for its first sector, a deadline
 * on the recorder's clock counted from the first WRITE, never from the
 * previous wake-up: a late one (the host was busy) is caught up at once,
 * as fast as the drive and its buffer take the data. */
static int write_data(struct engine *e)
{
	uint32_t chunk_bytes = e->chunk_sectors * 2048;
	uint8_t *chunk = malloc(chunk_bytes);
	uint64_t limit_sectors, chunks = 0;
	struct pacing_thread saved;
	int rc = 0;

	if (!chunk)
		return -ENOMEM;
	set_action(e, ACTION_WRITING);
	pthread_mutex_lock(&e->b->lock);
	limit_sectors = e->b->limit / 2048;
	rc = reserve_crcs(e, limit_sectors);
	if (rc) {
		pthread_mutex_unlock(&e->b->lock);
		free(chunk);
		return rc;
	}
	e->pace.sectors = e->b->expected ? e->b->expected / 2048 : limit_sectors;
	burn_log_start(&e->b->log, e->start_lba, e->start_lba + (uint32_t)e->pace.sectors, e->b->source->size);
	e->t0 = e->rate_mark_ns = drive_now_ns(e->d);
	pthread_mutex_unlock(&e->b->lock);
	if (e->pace.on)
		pacing_thread_enter(&saved);
	for (;;) {
		struct fifo *source = e->b->source;
		unsigned reader = e->b->reader;
		bool starved = fifo_pending(source, reader) < chunk_bytes;
		const void *ring;
		size_t got = fifo_peek(source, reader, &ring, chunk_bytes);
		/* A whole chunk lying contiguous in the FIFO is written from
		 * there, sparing a copy of every byte burned; a short one (the
		 * last, or one the ring's end splits) is copied out. */
		bool in_place = got == chunk_bytes;
		const uint8_t *data = in_place ? ring : chunk;
		uint32_t sectors;

		if (!in_place)
			got = fifo_get(source, reader, chunk, chunk_bytes);
		sectors = (uint32_t)((got + 2047) / 2048);
		if (cancelled(e)) {
			rc = -ECANCELED;
			break;
		}
		if (got == 0)
			break;
		/* The last partial sector is padded with zeros; on restricted
		 * overwrite the last partial block too (writes take whole
		 * 16-sector blocks, MMC-6 4.5.3). */
		if (!in_place && PROFILE_CAN(e->media.profile, PROFILE_ECC_BLOCK_WRITES))
			sectors = e->chunk_sectors;
		if (!in_place)
			memset(chunk + got, 0, (size_t)sectors * 2048 - got);
		if (e->written + sectors > limit_sectors) {
			rc = drive_fail(e->d, COND_IMAGE_TOO_LARGE, NULL);
			break;
		}
		if (e->pace.on)
			pace_until(e, e->t0 + (uint64_t)(speed_plan_seconds(e->pace.start_sps, e->pace.end_sps,
									  e->written, e->pace.sectors) *
							   NS_PER_S));
		if (cancelled(e)) {
			rc = -ECANCELED;
			break;
		}
		if (chunks++ % BUFFER_CHECK_EVERY == 0)
			read_drive_buffer(e);
		rc = write_chunk(e, data, sectors);
		if (rc == 0)
			remember_crc(e, data, (size_t)sectors * 2048);
		if (in_place)
			fifo_consume(source, reader, got);
		if (rc)
			break;
		e->written += sectors;
		record_progress(e, sectors, starved && got == chunk_bytes && e->written > sectors);
		e->lba += sectors;
	}
	if (e->pace.on)
		pacing_thread_leave(&saved);
	if (rc == 0) {
		pthread_mutex_lock(&e->b->lock);
		sample_locked(e, drive_now_ns(e->d), true);
		pthread_mutex_unlock(&e->b->lock);
	}
	free(chunk);
	return rc;
}

/* growisofs on overwrite media: the appended image's descriptors go to
 * LBA 16 so that readers find the new session's directory. */
static int copy_descriptors(struct engine *e)
{
	uint8_t sectors[VOLUME_DESCRIPTORS_MAX * 2048];
	uint32_t count = e->plan.descriptor_end - VOLUME_ISO_PVD_LBA + 1;

	pthread_mutex_lock(&e->b->lock);
	memcpy(sectors, e->b->head, sizeof(sectors));
	pthread_mutex_unlock(&e->b->lock);
	return disc_put_descriptors(e->d, sectors, count, (uint32_t)(e->start_lba + e->written));
}

static int finalize(struct engine *e, bool close_disc)
{
	uint16_t track;
	int rc;

	set_action(e, ACTION_FINALIZING);
	rc = disc_synchronize(e->d);
	if (rc == 0 && e->plan.append)
		rc = copy_descriptors(e);
	/* The drive's buffer is empty once the cache is synchronized. */
	if (rc == 0)
		read_drive_buffer(e);
	if (rc || e->media.profile->model != WRITE_MODEL_SEQUENTIAL || e->written == 0)
		return rc;
	rc = disc_track_at(e->d, e->start_lba, &track);
	if (rc == 0)
		rc = disc_close_track(e->d, track);
	if (rc == 0)
		rc = disc_close_session(e->d, &e->media, close_disc);
	return rc;
}

static int verify(struct engine *e)
{
	struct burn *b = e->b;
	uint32_t chunk_bytes = e->chunk_sectors * 2048;
	uint8_t *chunk;
	size_t step = 1;
	int rc = 0;

	if (e->settings.verify == VERIFY_NONE || b->nchunks == 0 || e->settings.simulate)
		return 0;	/* a dry run recorded nothing to read back */
	set_action(e, ACTION_VERIFYING);
	chunk = malloc(chunk_bytes);
	if (!chunk)
		return -ENOMEM;
	/* Quick: about ten chunks spread over the image, the last included. */
	if (e->settings.verify == VERIFY_QUICK && b->nchunks > 10)
		step = b->nchunks / 10;
	for (size_t i = 0; i < b->nchunks && rc == 0; i += step) {
		uint32_t first = (uint32_t)(i * e->chunk_sectors);
		uint64_t left = e->written - first;
		uint32_t sectors = left < e->chunk_sectors ? (uint32_t)left : e->chunk_sectors;
		int got = drive_read_sectors_owned(e->d, e->start_lba + first, sectors, chunk);

		/* Short: the next sector cannot be read, and last_error says which. */
		rc = got < 0 ? got : (uint32_t)got < sectors ? -EIO : 0;
		if (rc == 0 && crc32_update(0, chunk, (size_t)sectors * 2048) != b->chunk_crcs[i])
			rc = drive_fail(e->d, COND_VERIFY_FAILED, NULL);
		if (i + step >= b->nchunks && i != b->nchunks - 1)
			i = b->nchunks - 1 - step;
	}
	free(chunk);
	if (rc == 0) {
		pthread_mutex_lock(&b->lock);
		b->progress.verified = true;
		drive_changed(b->drive);
		pthread_mutex_unlock(&b->lock);
	}
	return rc;
}

static int validate(struct engine *e)
{
	struct drive *d = e->d;
	int rc;

	set_action(e, ACTION_VALIDATING);
	drive_media(d, &e->media);
	if (e->media.error)
		return e->media.error;
	if (e->settings.simulate && !PROFILE_CAN(e->media.profile, PROFILE_TEST_WRITE))
		return drive_fail(d, COND_MEDIA_NOT_WRITABLE, "simulate needs a CD-R/RW or DVD-R/RW (Test Write)");
	e->chunk_sectors = e->media.profile->family == MEDIA_FAMILY_BD ? 32 : 16;
	pthread_mutex_lock(&e->b->lock);
	/* Where image_check put it: the NWA, 0, the end of an overwrite
	 * medium's volume for an image made for there, or where a producer
	 * growing the volume said. */
	e->plan = e->b->plan;
	e->start_lba = e->lba = e->plan.start_lba;
	e->b->progress.start_lba = e->start_lba;
	e->b->progress.sector_count = (uint32_t)(e->b->expected / 2048);
	drive_changed(d);
	pthread_mutex_unlock(&e->b->lock);
	rc = drive_exclusive(d, true);
	if (rc)
		return rc;
	e->exclusive = true;
	lock_tray(e, true);
	return 0;
}

static bool ended_short(struct engine *e)
{
	bool short_image;

	pthread_mutex_lock(&e->b->lock);
	short_image = e->b->ended_short;
	pthread_mutex_unlock(&e->b->lock);
	return short_image;
}

static bool should_close_disc(struct engine *e)
{
	uint64_t free_after;

	if (e->media.profile->model != WRITE_MODEL_SEQUENTIAL)
		return false;
	free_after = e->media.free_sectors > e->written ? e->media.free_sectors - e->written : 0;
	return e->settings.force_close || drive_space_is_final(free_after, e->media.total_sectors);
}

static int run(struct engine *e)
{
	int rc = validate(e);

	if (rc == 0)
		rc = format_if_needed(e);
	if (rc == 0) {
		set_action(e, ACTION_INITIALIZING);
		plan_speed(e);
		/* Page 05h's multisession field must be right before the data:
		 * a CD's session is closed as page 05h said at write time. */
		rc = disc_set_write_parameters(e->d, &e->media, e->settings.buffer_underrun_free,
					       e->settings.force_close, e->settings.simulate);
	}
	if (rc == 0)
		rc = calibrate(e);
	if (rc == 0)
		rc = write_data(e);
	if (rc == 0 && ended_short(e))
		return -EIO;
	if (rc == 0 && should_close_disc(e) && !e->settings.force_close)
		rc = disc_set_write_parameters(e->d, &e->media, e->settings.buffer_underrun_free, true,
					       e->settings.simulate);
	if (rc == 0)
		rc = finalize(e, should_close_disc(e));
	if (rc == 0)
		rc = verify(e);
	return rc;
}

/* What a failed burn left on the medium, for status. */
static void leave_note(struct engine *e, const char *fmt, uint64_t sectors)
{
	pthread_mutex_lock(&e->b->lock);
	snprintf(e->b->progress.left_on_disc, sizeof(e->b->progress.left_on_disc), fmt,
		 (unsigned long long)sectors);
	pthread_mutex_unlock(&e->b->lock);
}

/* An image that ended short leaves no volume that pretends to be whole
 * where a reader would look: on write-once media its track and session are
 * closed (the disc stays appendable, the partial session is the last one
 * until another is burned); on overwrite media the descriptor at LBA 16 is
 * cleared, or, for an append, was never copied there. */
static void close_short_image(struct engine *e)
{
	if (e->settings.simulate)
		return;		/* a dry run recorded nothing */
	if (e->media.profile->model == WRITE_MODEL_SEQUENTIAL) {
		/* Never finalized, force_close or not: the disc must take the
		 * whole image again. */
		if (disc_set_write_parameters(e->d, &e->media, e->settings.buffer_underrun_free, false, false) == 0 &&
		    disc_close_session(e->d, &e->media, false) == 0)
			leave_note(e, "a closed session holding the %llu sectors written: burn the whole image again",
				   e->written);
		return;
	}
	if (e->plan.append) {
		leave_note(e, "the volume there is unchanged (%llu sectors written past it)", e->written);
		return;
	}
	if (disc_clear_descriptors(e->d) == 0)
		leave_note(e, "no volume: the descriptor at sector 16 was cleared (%llu sectors written)", e->written);
}

/* Whatever happened, leave the drive usable: data flushed, track closed,
 * tray unlocked, exclusive access given back. */
static void clean_up(struct engine *e, int rc)
{
	uint16_t track;

	if (rc && e->written) {
		bool sequential = e->media.profile->model == WRITE_MODEL_SEQUENTIAL;

		disc_synchronize(e->d);
		if (e->settings.simulate)
			leave_note(e, "nothing: a dry run of %llu sectors records none", e->written);
		else
			leave_note(e, sequential ? "%llu sectors in a closed track, its session open (echo 1 > close finalizes the disc)"
						 : "%llu sectors written over what was there",
				   e->written);
		if (sequential && disc_track_at(e->d, e->start_lba, &track) == 0)
			disc_close_track(e->d, track);
		if (ended_short(e))
			close_short_image(e);
	}
	if (e->tray_locked)
		lock_tray(e, false);
	if (e->exclusive)
		drive_exclusive(e->d, false);
}

/* Waits until the writer has sent the image's volume recognition area (so
 * it is checked and its size known before anything is written) or has
 * finished. */
static bool wait_for_data(struct burn *b)
{
	bool go;

	pthread_mutex_lock(&b->lock);
	while (b->received < START_BYTES && !b->stream_ended && !b->cancel && b->progress.result == 0)
		pthread_cond_wait(&b->changed, &b->lock);
	go = !b->cancel && (b->progress.result == 0 || b->ended_short) && b->received > 0 && b->inspected;
	pthread_mutex_unlock(&b->lock);
	return go;
}

void *burn_engine_main(void *arg)
{
	struct burn *b = arg;
	struct engine e = { .b = b, .d = b->drive };
	bool started = wait_for_data(b);
	int rc = 0;

	pthread_mutex_lock(&b->lock);
	e.settings = b->settings;
	b->progress.simulated = e.settings.simulate;
	b->started_ns = drive_now_ns(e.d);
	drive_changed(e.d);
	pthread_mutex_unlock(&b->lock);
	if (started) {
		rc = run(&e);
		clean_up(&e, rc);
	}
	drive_release(b->drive);
	drive_refresh_media(b->drive);

	pthread_mutex_lock(&b->lock);
	if (b->progress.result == 0)
		b->progress.result = rc;
	rc = b->progress.result;
	if (rc)
		fifo_drop(b->source, b->reader, rc);
	if (rc && !b->progress.left_on_disc[0])
		snprintf(b->progress.left_on_disc, sizeof(b->progress.left_on_disc), "nothing was written");
	if (!started && rc == 0) {
		/* Opened and closed without data: nothing was burned, and
		 * status and the listing say what they said before. */
		b->progress = b->previous;
		burn_drop_discard_locked(b);
	} else {
		burn_finish_locked(b, rc);
		burn_drop_end_locked(b);
		if (rc == 0)
			b->progress.action = ACTION_COMPLETED;
	}
	b->progress.remaining_s = 0;
	/* What was written counts, when the image held more than its volume. */
	if (b->progress.sectors_written > b->progress.sector_count)
		b->progress.sector_count = (uint32_t)b->progress.sectors_written;
	/* The whole burn, closing the session included, on the recorder's clock. */
	if (started)
		b->progress.elapsed_s = (double)(drive_now_ns(e.d) - b->started_ns) / NS_PER_S;
	b->engine_done = true;
	burn_changed_locked(b);
	pthread_mutex_unlock(&b->lock);
	return NULL;
}
