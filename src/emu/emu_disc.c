/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The layout of the emulated medium: sessions of tracks on sequential media,
 * one formatted track on overwrite media, and the rules that move the next
 * writable address when a track or a session is closed.
 */
#include <string.h>

#include "emu_internal.h"

/* CD session overhead (lead-out + lead-in + pre-gap) as libburn's cookbook
 * measures it, and the run-out + pre-gap between TAO tracks. */
#define CD_FIRST_SESSION_OVERHEAD 11400
#define CD_LATER_SESSION_OVERHEAD 6900
#define CD_TRACK_GAP 152
#define DVD_ECC_BLOCK 16

const struct profile_info *emu_disc_info(const struct emu_disc *d)
{
	return profile_by_number(d->profile);
}

enum media_family emu_disc_family(const struct emu_disc *d)
{
	return emu_disc_info(d)->family;
}

enum write_model emu_disc_model(const struct emu_disc *d)
{
	return emu_disc_info(d)->model;
}

static uint32_t round_up(uint32_t v, uint32_t unit)
{
	uint64_t r = ((uint64_t)v + unit - 1) / unit * unit;

	return r > UINT32_MAX ? UINT32_MAX : (uint32_t)r;
}

static uint32_t saturating_add(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

/* Where the next track starts after one that ended at end. */
static uint32_t next_after(const struct emu_disc *d, uint32_t end, bool session)
{
	switch (emu_disc_family(d)) {
	case MEDIA_FAMILY_CD:
		if (!session)
			return saturating_add(end, CD_TRACK_GAP);
		return saturating_add(end, d->sessions_closed == 0 ? CD_FIRST_SESSION_OVERHEAD
							       : CD_LATER_SESSION_OVERHEAD);
	case MEDIA_FAMILY_BD:
		return round_up(end, EMU_BD_CLUSTER);
	case MEDIA_FAMILY_DVD:
	case MEDIA_FAMILY_NONE:
		break;
	}
	return round_up(end, DVD_ECC_BLOCK);
}

void emu_disc_init(struct emu_disc *d, const struct emu_medium *m, enum emu_disc_state state,
		   uint32_t recorded_sectors)
{
	memset(d, 0, sizeof(*d));
	if (!m || m->profile == 0)
		return;
	d->medium = m;
	d->profile = m->profile;
	d->capacity = m->capacity;
	if (recorded_sectors == 0)
		recorded_sectors = 1;
	switch (emu_disc_model(d)) {
	case WRITE_MODEL_READ_ONLY:
		d->capacity = recorded_sectors;
		d->tracks[0] = (struct emu_track){ .start = 0, .size = recorded_sectors, .session = 1, .closed = true };
		d->ntracks = 1;
		d->sessions_closed = 1;
		d->finalized = true;
		break;
	case WRITE_MODEL_OVERWRITE:
		if (state != EMU_STATE_BLANK)
			emu_disc_format(d, m->profile, m->capacity);
		break;
	case WRITE_MODEL_SEQUENTIAL:
		if (state != EMU_STATE_APPENDABLE && state != EMU_STATE_CLOSED)
			break;
		if (recorded_sectors > d->capacity)
			recorded_sectors = d->capacity;
		emu_disc_append(d, recorded_sectors);
		emu_disc_close_session(d, state == EMU_STATE_CLOSED);
		break;
	}
}

struct emu_track *emu_disc_open_track(struct emu_disc *d)
{
	if (d->ntracks == 0 || d->tracks[d->ntracks - 1].closed)
		return NULL;
	return &d->tracks[d->ntracks - 1];
}

bool emu_disc_has_invisible_track(const struct emu_disc *d)
{
	if (!d->medium || emu_disc_model(d) != WRITE_MODEL_SEQUENTIAL || d->finalized)
		return false;
	if (d->ntracks > 0 && !d->tracks[d->ntracks - 1].closed)
		return false;
	return d->next_start < d->capacity && d->ntracks < EMU_MAX_TRACKS;
}

uint32_t emu_disc_nwa(const struct emu_disc *d)
{
	if (d->ntracks > 0 && !d->tracks[d->ntracks - 1].closed)
		return d->tracks[d->ntracks - 1].start + d->tracks[d->ntracks - 1].size;
	return d->next_start;
}

uint32_t emu_disc_recorded_end(const struct emu_disc *d)
{
	if (d->ntracks == 0)
		return 0;
	return d->tracks[d->ntracks - 1].start + d->tracks[d->ntracks - 1].size;
}

bool emu_disc_open_session_has_tracks(const struct emu_disc *d)
{
	return d->ntracks > 0 && d->tracks[d->ntracks - 1].session > d->sessions_closed;
}

uint16_t emu_disc_session_count(const struct emu_disc *d)
{
	switch (emu_disc_model(d)) {
	case WRITE_MODEL_OVERWRITE:
		return 1;
	case WRITE_MODEL_SEQUENTIAL:
		/* The empty or incomplete session being written counts too. */
		return d->finalized ? d->sessions_closed : (uint16_t)(d->sessions_closed + 1);
	case WRITE_MODEL_READ_ONLY:
		break;
	}
	return d->sessions_closed;
}

uint8_t emu_disc_status(const struct emu_disc *d)
{
	switch (emu_disc_model(d)) {
	case WRITE_MODEL_OVERWRITE:
		return d->formatted ? MMC_DISC_OTHERS : MMC_DISC_EMPTY;
	case WRITE_MODEL_SEQUENTIAL:
		if (d->finalized)
			return MMC_DISC_COMPLETE;
		return d->ntracks == 0 ? MMC_DISC_EMPTY : MMC_DISC_INCOMPLETE;
	case WRITE_MODEL_READ_ONLY:
		break;
	}
	return MMC_DISC_COMPLETE;
}

uint8_t emu_disc_last_session_state(const struct emu_disc *d)
{
	switch (emu_disc_model(d)) {
	case WRITE_MODEL_OVERWRITE:
		return d->formatted ? MMC_SESSION_COMPLETE : MMC_SESSION_EMPTY;
	case WRITE_MODEL_SEQUENTIAL:
		if (d->finalized)
			return MMC_SESSION_COMPLETE;
		/* An appendable disc's last session is the new, empty one. */
		return emu_disc_open_session_has_tracks(d) ? MMC_SESSION_INCOMPLETE : MMC_SESSION_EMPTY;
	case WRITE_MODEL_READ_ONLY:
		break;
	}
	return MMC_SESSION_COMPLETE;
}

int emu_disc_append(struct emu_disc *d, uint32_t n)
{
	struct emu_track *t = emu_disc_open_track(d);

	if (!t) {
		if (d->ntracks >= EMU_MAX_TRACKS)
			return -1;
		t = &d->tracks[d->ntracks++];
		*t = (struct emu_track){ .start = d->next_start, .session = (uint16_t)(d->sessions_closed + 1) };
	}
	t->size += n;
	return 0;
}

void emu_disc_close_track(struct emu_disc *d)
{
	struct emu_track *t = emu_disc_open_track(d);

	if (!t)
		return;
	t->closed = true;
	d->writing = false;
	d->next_start = next_after(d, t->start + t->size, false);
}

void emu_disc_close_session(struct emu_disc *d, bool finalize)
{
	struct emu_track *t = emu_disc_open_track(d);

	if (t)
		t->closed = true;
	d->writing = false;
	d->next_start = next_after(d, emu_disc_recorded_end(d), true);
	d->sessions_closed++;
	if (finalize || d->next_start >= d->capacity)
		d->finalized = true;
}

void emu_disc_format(struct emu_disc *d, uint16_t profile, uint32_t capacity)
{
	d->profile = profile;
	d->capacity = capacity;
	d->formatted = true;
	d->finalized = false;
	d->next_start = 0;
	d->sessions_closed = 1;
	d->ntracks = 1;
	d->tracks[0] = (struct emu_track){ .start = 0, .size = capacity, .session = 1, .closed = true };
}

void emu_disc_blank(struct emu_disc *d)
{
	const struct emu_medium *m = d->medium;

	memset(d, 0, sizeof(*d));
	d->medium = m;
	d->profile = m->profile;
	d->capacity = m->capacity;
}
