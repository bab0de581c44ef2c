/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Commands that describe the medium: disc and track information, capacity,
 * format capacities and the table of contents, all derived from the layout.
 */
#include <string.h>

#include "emu_internal.h"

#define DISC_INFO_LEN 34
#define TRACK_INFO_LEN 48
#define INVALID_TRACK 0

static bool is_cd(const struct emu *e)
{
	return emu_disc_family(&e->disc) == MEDIA_FAMILY_CD;
}

/* Track numbers of the last session, first and last, including the invisible track. */
static void last_session_tracks(const struct emu_disc *d, unsigned *first, unsigned *last)
{
	uint16_t session = emu_disc_session_count(d);
	unsigned i;

	if (emu_disc_model(d) == WRITE_MODEL_OVERWRITE) {
		*first = *last = 1;
		return;
	}
	for (i = 0; i < d->ntracks && d->tracks[i].session < session; i++)
		;
	*first = i + 1;
	*last = emu_disc_has_invisible_track(d) ? d->ntracks + 1 : d->ntracks;
	if (*last < *first)
		*last = *first;
}

int emu_cmd_read_disc_info(struct emu *e, struct emu_cmd *c)
{
	const struct emu_disc *d = &e->disc;
	uint8_t b[DISC_INFO_LEN];
	uint8_t status = emu_disc_status(d);
	uint16_t sessions = emu_disc_session_count(d);
	bool erasable = emu_disc_info(d)->erasable || emu_disc_model(d) == WRITE_MODEL_OVERWRITE;
	unsigned first, last;

	if (c->cdb[1] & 0x07)
		return emu_invalid_field(c);	/* only standard disc information */
	last_session_tracks(d, &first, &last);
	memset(b, 0, sizeof(b));
	mmc_put16(b, DISC_INFO_LEN - 2);
	b[2] = (uint8_t)((erasable ? 0x10 : 0) | emu_disc_last_session_state(d) << 2 | status);
	b[3] = 1;
	b[4] = (uint8_t)sessions;
	b[9] = (uint8_t)(sessions >> 8);
	b[5] = (uint8_t)first;
	b[10] = (uint8_t)(first >> 8);
	b[6] = (uint8_t)last;
	b[11] = (uint8_t)(last >> 8);
	b[7] = 0x20;	/* URU */
	if (PROFILE_CAN(emu_disc_info(d), PROFILE_BACKGROUND_FORMAT))
		b[7] |= d->formatted ? 3 : 0;	/* background format complete, or none */
	if (is_cd(e) && status == 2) {
		mmc_put32(b + 16, 0xFFFFFFFF);	/* a complete CD has no next session */
		mmc_put32(b + 20, 0xFFFFFFFF);
	} else if (is_cd(e)) {
		/* The next session's lead-in precedes its pre-gap and first track. */
		mmc_put32(b + 16, emu_msf_field((int64_t)emu_disc_nwa(d) - 150 - 4500));
		mmc_put32(b + 20, emu_msf_field(d->capacity));
	} else {
		mmc_put32(b + 20, d->capacity);
	}
	return emu_reply(c, b, sizeof(b), mmc_get16(c->cdb + 7));
}

/* ---- READ TRACK INFORMATION ---- */

/* The track an LBA falls in (an open track reaches to the end of the disc). */
static unsigned track_of_lba(const struct emu_disc *d, uint32_t lba)
{
	if (emu_disc_model(d) == WRITE_MODEL_OVERWRITE)
		return lba < d->capacity ? 1 : INVALID_TRACK;
	for (unsigned i = 0; i < d->ntracks; i++) {
		const struct emu_track *t = &d->tracks[i];
		uint32_t end = t->closed ? t->start + t->size : d->capacity;

		if (lba >= t->start && lba < end)
			return i + 1;
	}
	if (emu_disc_has_invisible_track(d) && lba >= d->next_start && lba < d->capacity)
		return d->ntracks + 1;
	return INVALID_TRACK;
}

static unsigned track_by_number(const struct emu_disc *d, uint32_t number)
{
	if (emu_disc_model(d) == WRITE_MODEL_OVERWRITE)
		return number == 1 ? 1 : INVALID_TRACK;
	if (number == 0xFF) {
		if (d->ntracks && !d->tracks[d->ntracks - 1].closed)
			return d->ntracks;
		return emu_disc_has_invisible_track(d) ? d->ntracks + 1 : INVALID_TRACK;
	}
	if (number >= 1 && number <= d->ntracks)
		return number;
	if (number == d->ntracks + 1 && emu_disc_has_invisible_track(d))
		return number;
	return INVALID_TRACK;
}

static unsigned track_of_session(const struct emu_disc *d, uint32_t session)
{
	if (emu_disc_model(d) == WRITE_MODEL_OVERWRITE)
		return session == 1 ? 1 : INVALID_TRACK;
	for (unsigned i = 0; i < d->ntracks; i++)
		if (d->tracks[i].session == session)
			return i + 1;
	if (session == d->sessions_closed + 1u && emu_disc_has_invisible_track(d))
		return d->ntracks + 1;
	return INVALID_TRACK;
}

struct track_view {
	uint32_t start, size, nwa, free, lra, packet_size;
	uint16_t session;
	bool blank, damaged, nwa_valid, lra_valid, packet, fixed_packet;
};

static struct track_view view_track(const struct emu *e, unsigned number)
{
	const struct emu_disc *d = &e->disc;
	struct track_view v = { .session = 1 };
	bool incremental = emu_disc_family(d) == MEDIA_FAMILY_DVD && emu_mode_page05_applies(e) &&
			   emu_mode_write_type(e) == 0;

	if (emu_disc_model(d) == WRITE_MODEL_OVERWRITE) {
		v.size = v.free = d->formatted ? d->capacity : d->medium->max_capacity;
		v.blank = !d->formatted;
		v.nwa_valid = d->formatted;
		return v;
	}
	if (number > d->ntracks) {	/* the invisible track */
		v.start = v.nwa = d->next_start;
		v.size = v.free = d->capacity - d->next_start;
		v.session = (uint16_t)(d->sessions_closed + 1);
		v.blank = v.nwa_valid = true;
	} else {
		const struct emu_track *t = &d->tracks[number - 1];

		v.start = t->start;
		v.session = t->session;
		v.damaged = t->damaged;
		v.blank = t->size == 0;
		v.lra_valid = t->size > 0;
		v.lra = t->start + t->size - (t->size > 0);
		if (t->closed) {
			v.size = t->size;
		} else {
			v.size = d->capacity - t->start;
			v.nwa = t->start + t->size;
			v.free = d->capacity - v.nwa;
			v.nwa_valid = !t->damaged;
		}
	}
	if (v.nwa_valid && incremental) {
		/* A track takes its packet type when written into; a blank one
		 * (the invisible track) is variable-packet whatever page 05h says. */
		v.packet = true;
		v.fixed_packet = !v.blank && (e->write_params[3] & 0x20);
		v.packet_size = v.fixed_packet ? mmc_get32(e->write_params + 10) : 0;
	}
	return v;
}

int emu_cmd_read_track_info(struct emu *e, struct emu_cmd *c)
{
	uint32_t number = mmc_get32(c->cdb + 2);
	uint8_t b[TRACK_INFO_LEN];
	unsigned track;
	struct track_view v;

	switch (c->cdb[1] & 0x03) {
	case 0:
		track = track_of_lba(&e->disc, number);
		break;
	case 1:
		track = track_by_number(&e->disc, number);
		break;
	case 2:
		track = track_of_session(&e->disc, number);
		break;
	default:
		return emu_invalid_field(c);
	}
	if (track == INVALID_TRACK)
		return emu_invalid_field(c);
	v = view_track(e, track);
	memset(b, 0, sizeof(b));
	mmc_put16(b, TRACK_INFO_LEN - 2);
	b[2] = (uint8_t)track;
	b[32] = (uint8_t)(track >> 8);
	b[3] = (uint8_t)v.session;
	b[33] = (uint8_t)(v.session >> 8);
	b[5] = (uint8_t)((v.damaged ? 0x20 : 0) | (is_cd(e) ? 4 : 7));
	b[6] = (uint8_t)((v.blank ? 0x40 : 0) | (v.packet ? 0x20 : 0) | (v.fixed_packet ? 0x10 : 0) | 1);
	b[7] = (uint8_t)((v.lra_valid ? 0x02 : 0) | (v.nwa_valid ? 0x01 : 0));
	mmc_put32(b + 8, v.start);
	mmc_put32(b + 12, v.nwa);
	mmc_put32(b + 16, v.free);
	mmc_put32(b + 20, v.packet_size);
	mmc_put32(b + 24, v.size);
	mmc_put32(b + 28, v.lra);
	return emu_reply(c, b, sizeof(b), mmc_get16(c->cdb + 7));
}

int emu_cmd_read_capacity(struct emu *e, struct emu_cmd *c)
{
	const struct emu_disc *d = &e->disc;
	uint8_t b[8];
	uint32_t last;

	if (emu_disc_model(d) == WRITE_MODEL_OVERWRITE)
		last = d->formatted ? d->capacity - 1 : 0;
	else
		last = emu_disc_recorded_end(d) ? emu_disc_recorded_end(d) - 1 : 0;
	mmc_put32(b, last);
	mmc_put32(b + 4, MMC_SECTOR_SIZE);
	return emu_reply(c, b, sizeof(b), sizeof(b));
}

/* ---- READ FORMAT CAPACITIES ---- */


struct format_list {
	uint8_t buf[4 + 8 * 8];
	size_t len;
};

static void add_format(struct format_list *l, uint32_t blocks, uint8_t byte4, uint32_t param)
{
	uint8_t *p = l->buf + l->len;

	mmc_put32(p, blocks);
	p[4] = byte4;
	p[5] = (uint8_t)(param >> 16);
	p[6] = (uint8_t)(param >> 8);
	p[7] = (uint8_t)param;
	l->len += 8;
}

int emu_cmd_read_format_capacities(struct emu *e, struct emu_cmd *c)
{
	const struct emu_disc *d = &e->disc;
	struct format_list l = { .len = 4 };

	memset(l.buf, 0, sizeof(l.buf));
	if (!emu_has_medium(e)) {
		add_format(&l, 0, 3, MMC_SECTOR_SIZE);	/* no medium present */
	} else if (emu_disc_model(d) == WRITE_MODEL_OVERWRITE) {
		add_format(&l, d->formatted ? d->capacity : d->medium->max_capacity, d->formatted ? 2 : 1,
			   MMC_SECTOR_SIZE);
	} else {
		bool blank = emu_disc_status(d) == MMC_DISC_EMPTY;

		add_format(&l, blank ? d->capacity : emu_disc_recorded_end(d), blank && !d->formatted ? 1 : 2,
			   MMC_SECTOR_SIZE);
	}
	if (emu_has_medium(e)) {
		switch (d->profile) {
		case 0x1A:
			add_format(&l, d->medium->capacity, 0x26 << 2, 0);
			break;
		case 0x43:
			add_format(&l, d->medium->capacity, 0x30 << 2, 0);
			add_format(&l, EMU_BD_LARGE_SPARE_CAPACITY, 0x30 << 2, 0);
			add_format(&l, d->medium->max_capacity, 0x31 << 2, 0);
			break;
		case 0x41:
			/* A blank BD-R may be formatted for SRM+POW with spare
			 * areas: the default size, or a chosen one (MMC-6 6.5.4.2.15). */
			if (emu_disc_status(d) != 0 || d->formatted)
				break;
			add_format(&l, EMU_BD_DEFAULT_SPARE_CAPACITY, 0x00 << 2,
				   (d->medium->max_capacity - EMU_BD_DEFAULT_SPARE_CAPACITY) / EMU_BD_CLUSTER);
			add_format(&l, EMU_BD_DEFAULT_SPARE_CAPACITY, 0x32 << 2, 0);
			add_format(&l, EMU_BD_LARGE_SPARE_CAPACITY, 0x32 << 2, 1);
			add_format(&l, EMU_BD_SMALL_SPARE_CAPACITY, 0x32 << 2, 2);
			break;
		case 0x13:
		case 0x14:
			add_format(&l, d->medium->capacity, 0x00 << 2, 16);
			add_format(&l, d->medium->capacity, 0x13 << 2, 16);
			add_format(&l, d->medium->capacity, 0x15 << 2, 16);
			break;
		default:
			break;
		}
	}
	l.buf[3] = (uint8_t)(l.len - 4);
	return emu_reply(c, l.buf, l.len, mmc_get16(c->cdb + 7));
}
