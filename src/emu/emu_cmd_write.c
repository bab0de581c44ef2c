/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading and writing sectors, and what ends a write: SYNCHRONIZE CACHE and
 * CLOSE TRACK/SESSION.  Data lands in the image at once; the drive buffer
 * only decides how long the host waits.
 */
#include "emu_internal.h"

/* Emulated seconds a close takes beyond draining the buffer. */
#define CLOSE_TRACK_SECONDS 1.0
#define CD_CLOSE_TRACK_SECONDS 2.0
#define DVD_CLOSE_SESSION_SECONDS 30.0
#define DVD_FINALIZE_SECONDS 60.0
#define BD_CLOSE_SESSION_SECONDS 10.0
#define BD_FINALIZE_SECONDS 20.0
/* Sectors a CD session's lead-in and lead-out take to write. */
#define CD_LEADIN 4500
#define CD_FIRST_LEADOUT 6750
#define CD_LATER_LEADOUT 2250

int emu_cmd_read10(struct emu *e, struct emu_cmd *c)
{
	const struct emu_disc *d = &e->disc;
	uint32_t lba = mmc_get32(c->cdb + 2), blocks = mmc_get16(c->cdb + 7), limit;

	c->logs_lba = true;
	c->lba = lba;
	c->blocks = blocks;
	if (blocks == 0)
		return MMC_GOOD;
	if ((size_t)blocks * MMC_SECTOR_SIZE > c->in_len)
		return emu_invalid_field(c);
	if (emu_disc_model(d) == WRITE_MODEL_OVERWRITE) {
		if (!d->formatted)
			return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INCOMPATIBLE_MEDIUM, 0x10);	/* medium not formatted */
		limit = d->capacity;
	} else {
		limit = emu_disc_recorded_end(d);
	}
	if (lba >= limit || blocks > limit - lba)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0x00);
	if (emu_fault_unreadable(e, lba, blocks) || emu_image_read(e->fd, lba, blocks, c->in) < 0)
		return emu_check(c, SK_MEDIUM_ERROR, ASC_UNRECOVERED_READ_ERROR, 0x00);
	c->transferred = (size_t)blocks * MMC_SECTOR_SIZE;
	emu_wait_locked(e, emu_read_deadline(e, lba, blocks));
	return MMC_GOOD;
}

/* A sequential write must continue the open track or start the next one at
 * the NWA.  A buffer that ran dry since the last WRITE is an underrun: BUF
 * hides it, unless the host turned BUFE off on media that have page 05h. */
static int check_sequential_write(struct emu *e, struct emu_cmd *c, uint32_t lba, uint32_t blocks)
{
	struct emu_disc *d = &e->disc;
	struct emu_track *t = emu_disc_open_track(d);
	uint32_t nwa = emu_disc_nwa(d);
	struct emu_rate r = emu_drain_rate(e);

	if (d->finalized)
		return emu_check(c, SK_DATA_PROTECT, ASC_WRITE_PROTECTED, 0x00);
	if (t && t->damaged)
		return emu_check(c, SK_MEDIUM_ERROR, ASC_WRITE_ERROR, 0x09);
	if (!t && !emu_disc_has_invisible_track(d))
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, nwa >= d->capacity ? 0x00 : 0x02);
	if (lba != nwa)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0x02);	/* invalid address for write */
	if (blocks > d->capacity - nwa || (e->reserved_end && nwa + blocks > e->reserved_end))
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0x00);	/* past the medium or the reservation */
	emu_buffer_advance(&e->buffer, &r, emu_now_ns(e));
	if (e->buffer.streaming && e->buffer.ran_dry) {
		e->buffer.ran_dry = false;
		if (t && emu_mode_page05_applies(e) && !emu_mode_bufe(e)) {
			t->damaged = true;
			e->dirty = true;
			return emu_check(c, SK_MEDIUM_ERROR, ASC_WRITE_ERROR, 0x09);	/* loss of streaming */
		}
		e->stats.buffer_underruns++;
	}
	return MMC_GOOD;
}

static int check_overwrite(struct emu *e, struct emu_cmd *c, uint32_t lba, uint32_t blocks)
{
	const struct emu_disc *d = &e->disc;

	if (!d->formatted)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INCOMPATIBLE_MEDIUM, 0x10);	/* medium not formatted */
	if (lba >= d->capacity || blocks > d->capacity - lba)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0x00);
	/* Restricted overwrite rewrites whole ECC blocks only. */
	if (PROFILE_CAN(emu_disc_info(d), PROFILE_ECC_BLOCK_WRITES) && (lba % 16 || blocks % 16))
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0x02);
	return MMC_GOOD;
}

/* Test Write: the drive goes through the motions at the real speed and
 * records nothing (MMC-6 7.5.4.4); its own next address still moves on. */
static int dry_run_write(struct emu *e, struct emu_cmd *c, uint32_t lba, uint32_t blocks)
{
	struct emu_disc *d = &e->disc;
	int64_t next = e->test_write_next >= 0 ? e->test_write_next : emu_disc_nwa(d);
	struct emu_rate rate;

	if (d->finalized)
		return emu_check(c, SK_DATA_PROTECT, ASC_WRITE_PROTECTED, 0x00);
	if (!emu_disc_open_track(d) && !emu_disc_has_invisible_track(d))
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0x00);
	if (lba != next)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0x02);
	if (blocks > d->capacity - lba)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0x00);
	rate = emu_drain_rate(e);
	emu_buffer_add(&e->buffer, &rate, emu_now_ns(e), lba, blocks);
	e->test_write_next = (int64_t)lba + blocks;
	c->transferred = (size_t)blocks * MMC_SECTOR_SIZE;
	emu_wait_for_fill(e, e->buffer.size);
	return MMC_GOOD;
}

/* A real recorder keeps what it wrote through a power loss, so the layout
 * is saved as a track opens and every SAVE_EVERY_SECTORS of it (after the
 * data): a crash mid-burn leaves the open track a reload shows damaged. */
static void persist_progress(struct emu *e, uint32_t blocks, bool opens_track)
{
	e->disc.writing = true;
	e->unsaved_sectors += blocks;
	if (opens_track || e->unsaved_sectors >= SAVE_EVERY_SECTORS) {
		e->unsaved_sectors = 0;
		emu_layout_changed(e);
	}
}

int emu_cmd_write(struct emu *e, struct emu_cmd *c)
{
	bool write12 = c->cdb[0] == MMC_WRITE12;
	uint32_t lba = mmc_get32(c->cdb + 2);
	uint32_t blocks = write12 ? mmc_get32(c->cdb + 6) : mmc_get16(c->cdb + 7);
	enum write_model model = emu_disc_model(&e->disc);
	struct emu_rate rate;
	bool opens_track;
	int status;

	c->logs_lba = true;
	c->lba = lba;
	c->blocks = blocks;
	if (blocks == 0)
		return MMC_GOOD;
	if ((uint64_t)blocks * MMC_SECTOR_SIZE > c->out_len || !c->out)
		return emu_invalid_field(c);
	if (model == WRITE_MODEL_READ_ONLY)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INCOMPATIBLE_MEDIUM, 0x05);	/* cannot write: incompatible format */
	if (model == WRITE_MODEL_SEQUENTIAL && emu_sao_mode(e))
		return emu_sao_write(e, c, (int32_t)lba, blocks);
	if (model == WRITE_MODEL_SEQUENTIAL && emu_mode_test_write(e))
		return dry_run_write(e, c, lba, blocks);
	status = model == WRITE_MODEL_SEQUENTIAL ? check_sequential_write(e, c, lba, blocks)
						 : check_overwrite(e, c, lba, blocks);
	if (status != MMC_GOOD)
		return status;
	opens_track = model == WRITE_MODEL_SEQUENTIAL && !emu_disc_open_track(&e->disc);
	if (model == WRITE_MODEL_SEQUENTIAL && emu_disc_append(&e->disc, blocks) < 0)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_SESSION_FIXATION_ERROR, 0x05);	/* no more track reservations */
	if (emu_image_write(e->fd, lba, blocks, c->out) < 0)
		return emu_check(c, SK_MEDIUM_ERROR, ASC_WRITE_ERROR, 0x00);
	if (model == WRITE_MODEL_SEQUENTIAL)
		persist_progress(e, blocks, opens_track);
	rate = emu_drain_rate(e);
	emu_buffer_add(&e->buffer, &rate, emu_now_ns(e), lba, blocks);
	e->buffer.streaming = model == WRITE_MODEL_SEQUENTIAL;
	e->dirty |= model == WRITE_MODEL_SEQUENTIAL;
	e->stats.sectors_written += blocks;
	c->transferred = (size_t)blocks * MMC_SECTOR_SIZE;
	/* The command ends when its last sector has entered the buffer. */
	emu_wait_for_fill(e, e->buffer.size);
	return MMC_GOOD;
}

/* Emulated ns until the buffer is empty; the buffer counts as flushed from now. */
static uint64_t flush_time(struct emu *e)
{
	struct emu_rate r = emu_drain_rate(e);
	uint64_t now = emu_now_ns(e), done;

	emu_buffer_advance(&e->buffer, &r, now);
	done = emu_buffer_time_at_fill(&e->buffer, &r, 0);
	e->buffer.fill = 0;
	e->buffer.streaming = false;
	e->buffer.ran_dry = false;
	return done > now ? done - now : 0;
}

/* DVD-R disc-at-once (write type 2): once the track reserved for it is
 * full, the drive writes the lead-out and closes the disc itself at
 * SYNCHRONIZE CACHE (MMC-6 4.5.3.4); the host sends no CLOSE. */
static bool dao_reservation_full(struct emu *e)
{
	const struct emu_track *t = emu_disc_open_track(&e->disc);

	return e->reserved_end && t && t->start + t->size >= e->reserved_end && emu_mode_page05_applies(e) &&
	       emu_mode_write_type(e) == 2 && emu_disc_family(&e->disc) == MEDIA_FAMILY_DVD;
}

/* Emulated seconds a CD lead-out of a session written at once takes. */
static double cd_lead_out_seconds(const struct emu *e)
{
	const struct emu_speed *s = emu_current_speed(e);
	uint32_t sectors = e->disc.sessions_closed == 0 ? CD_FIRST_LEADOUT : CD_LATER_LEADOUT;

	return sectors / kbps_to_sps(MEDIA_FAMILY_CD, s ? s->write_kbps : MMC_KBPS_1X_CD);
}

int emu_cmd_sync_cache(struct emu *e, struct emu_cmd *c)
{
	bool immed = c->cdb[1] & 0x02;
	uint64_t close = 0;

	if (dao_reservation_full(e)) {
		emu_disc_close_session(&e->disc, true);
		e->reserved_end = 0;
		emu_layout_changed(e);
		close = emu_seconds(DVD_FINALIZE_SECONDS);
	} else if (emu_sao_session_written(e)) {
		/* Page 05h's multi-session field decides whether the disc stays
		 * open; a dry run only takes the time. */
		close = emu_seconds(cd_lead_out_seconds(e));
		if (!emu_mode_test_write(e)) {
			emu_disc_close_session(&e->disc, emu_mode_multisession(e) != 3);
			emu_layout_changed(e);
		}
		e->sao.armed = false;
	}
	if (immed || close)
		emu_long_op(e, 0x08, flush_time(e) + close, immed);	/* long write in progress */
	else
		emu_drain(e);
	if (e->disc.writing) {
		e->disc.writing = false;
		e->dirty = true;
	}
	emu_save_if_dirty(e);
	return MMC_GOOD;
}

static double close_session_seconds(const struct emu *e, bool finalize)
{
	const struct emu_speed *s = emu_current_speed(e);

	switch (emu_disc_family(&e->disc)) {
	case MEDIA_FAMILY_CD: {
		uint32_t sectors = CD_LEADIN + (e->disc.sessions_closed == 0 ? CD_FIRST_LEADOUT : CD_LATER_LEADOUT);

		return sectors / kbps_to_sps(MEDIA_FAMILY_CD, s ? s->write_kbps : MMC_KBPS_1X_CD);
	}
	case MEDIA_FAMILY_BD:
		return finalize ? BD_FINALIZE_SECONDS : BD_CLOSE_SESSION_SECONDS;
	case MEDIA_FAMILY_DVD:
	case MEDIA_FAMILY_NONE:
		break;
	}
	return finalize ? DVD_FINALIZE_SECONDS : DVD_CLOSE_SESSION_SECONDS;
}

static int close_track(struct emu *e, struct emu_cmd *c, uint16_t number, double *seconds)
{
	struct emu_disc *d = &e->disc;
	struct emu_track *t = emu_disc_open_track(d);

	if (!t) {
		/* Closing a track that is already closed changes nothing. */
		return number >= 1 && number <= d->ntracks ? MMC_GOOD : emu_invalid_field(c);
	}
	if (number != 0 && number != d->ntracks)
		return emu_invalid_field(c);
	emu_disc_close_track(d);
	*seconds = emu_disc_family(d) == MEDIA_FAMILY_CD ? CD_CLOSE_TRACK_SECONDS : CLOSE_TRACK_SECONDS;
	return MMC_GOOD;
}

/* Close function 2, or 5 (DVD+R) / 6 (BD-R) which finalize.  On CD and
 * DVD-R page 05h decides: multi-session 11b keeps the disc appendable. */
static int close_session(struct emu *e, struct emu_cmd *c, uint8_t function, double *seconds)
{
	struct emu_disc *d = &e->disc;
	bool finalize = function != 2 || (emu_mode_page05_applies(e) && emu_mode_multisession(e) != 3);

	if ((function == 5 || function == 6) && function != emu_disc_info(d)->finalize_function)
		return emu_invalid_field(c);
	*seconds = close_session_seconds(e, finalize);
	if (emu_disc_open_session_has_tracks(d)) {
		emu_disc_close_session(d, finalize);
		return MMC_GOOD;
	}
	if (finalize && function != 2 && d->sessions_closed > 0) {
		d->finalized = true;	/* finalizing a disc whose sessions are all closed */
		return MMC_GOOD;
	}
	return emu_check(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR, 0x00);	/* nothing to close */
}

int emu_cmd_close_track_session(struct emu *e, struct emu_cmd *c)
{
	bool immed = c->cdb[1] & 0x01;
	uint8_t function = c->cdb[2] & 0x07;
	uint16_t number = mmc_get16(c->cdb + 4);
	double seconds = 0;
	uint64_t flush;
	int status;

	switch (emu_disc_model(&e->disc)) {
	case WRITE_MODEL_READ_ONLY:
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INCOMPATIBLE_MEDIUM, 0x05);
	case WRITE_MODEL_OVERWRITE:
		/* DVD+RW / BD-RE: stops background formatting, which is never left running here. */
		if (function > 2)
			return emu_invalid_field(c);
		emu_long_op(e, 0x07, flush_time(e), immed);
		return MMC_GOOD;
	case WRITE_MODEL_SEQUENTIAL:
		break;
	}
	if (e->disc.finalized)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR, 0x00);
	e->reserved_end = 0;
	if (emu_mode_test_write(e)) {
		/* A dry run: the close takes its time and closes nothing. */
		e->test_write_next = -1;
		seconds = function == 1 ? CLOSE_TRACK_SECONDS : close_session_seconds(e, false);
		emu_long_op(e, 0x07, flush_time(e) + emu_seconds(seconds), immed);
		return MMC_GOOD;
	}
	if (function == 1)
		status = close_track(e, c, number, &seconds);
	else if (function == 2 || function == 5 || function == 6)
		status = close_session(e, c, function, &seconds);
	else
		status = emu_invalid_field(c);
	if (status != MMC_GOOD)
		return status;
	flush = flush_time(e);
	emu_layout_changed(e);
	emu_long_op(e, 0x07, flush + emu_seconds(seconds), immed);
	return MMC_GOOD;
}

int emu_cmd_reserve_track(struct emu *e, struct emu_cmd *c)
{
	uint16_t p = e->disc.profile;
	uint32_t size = mmc_get32(c->cdb + 5);

	if (p != 0x11 && p != 0x14 && p != 0x1B && p != 0x41)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INCOMPATIBLE_MEDIUM, 0x05);	/* BD-R: in SRM, as this drive runs it */
	if (!emu_disc_has_invisible_track(&e->disc))
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR, 0x00);
	if (size > e->disc.capacity - e->disc.next_start)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0x00);
	/* The track is then written like any other; in DAO its end closes the disc. */
	e->reserved_end = e->disc.next_start + size;
	return MMC_GOOD;
}

int emu_cmd_send_opc(struct emu *e, struct emu_cmd *c)
{
	(void)e;
	(void)c;
	return MMC_GOOD;
}

int emu_cmd_read_buffer_capacity(struct emu *e, struct emu_cmd *c)
{
	struct emu_rate r = emu_drain_rate(e);
	uint8_t b[12] = { 0 };
	uint32_t free_sectors;

	emu_buffer_advance(&e->buffer, &r, emu_now_ns(e));
	free_sectors = emu_buffer_free(&e->buffer);
	mmc_put16(b, sizeof(b) - 2);
	if (c->cdb[1] & 0x01) {
		b[5] = 0x01;	/* Block: lengths in sectors */
		mmc_put32(b + 8, free_sectors);
	} else {
		mmc_put32(b + 4, e->buffer.size * MMC_SECTOR_SIZE);
		mmc_put32(b + 8, free_sectors * MMC_SECTOR_SIZE);
	}
	return emu_reply(c, b, sizeof(b), mmc_get16(c->cdb + 7));
}
