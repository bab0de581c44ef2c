/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * CD session-at-once (MMC-6 4.2.3.5, 6.33 SEND CUE SHEET): the host sends
 * the session's layout as a cue sheet, then writes it whole from the first
 * track's pre-gap, at LBA -150 on a blank disc.  The drive writes the
 * lead-in before the first sector and the lead-out at SYNCHRONIZE CACHE
 * once the last sector is in.  One data track (CD-ROM Mode 1, 2048-byte user
 * data) a session, as data discs are written.
 */
#include <string.h>

#include "emu_internal.h"

#define CUE_ENTRY 8
#define ADR_POSITION 1		/* an entry that places an index; 2 and 3 carry MCN/ISRC */
#define TNO_LEAD_OUT 0xAA
#define DATA_FORM_MODE1 0x10	/* CD-ROM Mode 1: 2048 bytes, the drive adds header and EDC/ECC */
#define PREGAP 150
#define CD_LEADIN 4500

static int32_t cue_lba(const uint8_t *entry)
{
	return ((int32_t)entry[5] * 60 + entry[6]) * 75 + entry[7] - PREGAP;
}

bool emu_sao_mode(const struct emu *e)
{
	return emu_disc_family(&e->disc) == MEDIA_FAMILY_CD && emu_mode_write_type(e) == 2;
}

/* Accepts a cue sheet of a lead-in, one data track with a 150-sector
 * pre-gap (index 0) starting at the next writable address (index 1), and a
 * lead-out before the end of the medium. */
int emu_cmd_send_cue_sheet(struct emu *e, struct emu_cmd *c)
{
	const struct emu_disc *d = &e->disc;
	uint32_t len = (uint32_t)c->cdb[6] << 16 | mmc_get16(c->cdb + 7);
	const uint8_t *p = emu_param_list(c, len);
	int32_t pregap = INT32_MIN, start = INT32_MIN, lead_out = INT32_MIN;
	bool lead_in = false;

	if (!emu_sao_mode(e) || !emu_disc_has_invisible_track(d))
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR, 0x00);
	if (!p || len == 0 || len % CUE_ENTRY)
		return emu_invalid_field(c);
	for (const uint8_t *q = p; q < p + len; q += CUE_ENTRY) {
		if ((q[0] & 0x0F) != ADR_POSITION)
			continue;
		if (q[1] == 0 && !lead_in && pregap == INT32_MIN)
			lead_in = true;
		else if (q[1] == 1 && q[2] == 0 && pregap == INT32_MIN && (q[3] & 0x3F) == DATA_FORM_MODE1)
			pregap = cue_lba(q);
		else if (q[1] == 1 && q[2] == 1 && start == INT32_MIN && (q[3] & 0x3F) == DATA_FORM_MODE1)
			start = cue_lba(q);
		else if (q[1] == TNO_LEAD_OUT && start != INT32_MIN && lead_out == INT32_MIN)
			lead_out = cue_lba(q);
		else
			return emu_invalid_param(c);	/* audio, more tracks, or out of order */
	}
	if (!lead_in || start != (int32_t)emu_disc_nwa(d) || pregap != start - PREGAP || lead_out <= start ||
	    (uint32_t)lead_out > d->capacity)
		return emu_invalid_param(c);
	e->sao = (struct emu_sao){ .armed = true, .next = pregap, .start = (uint32_t)start,
				   .end = (uint32_t)lead_out };
	return MMC_GOOD;
}

/* A WRITE of the session the cue sheet laid out: the pre-gap is not data
 * the disc keeps; what follows lands in the track. */
int emu_sao_write(struct emu *e, struct emu_cmd *c, int32_t lba, uint32_t blocks)
{
	struct emu_sao *s = &e->sao;
	uint32_t skip, kept;
	struct emu_rate rate;

	if (!s->armed)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR, 0x00);	/* no cue sheet */
	if (lba != s->next)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0x02);	/* invalid address for write */
	if (blocks > (uint32_t)((int64_t)s->end - lba))
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0x00);
	skip = lba < (int32_t)s->start ? (uint32_t)((int64_t)s->start - lba) : 0;
	if (skip > blocks)
		skip = blocks;
	kept = emu_mode_test_write(e) ? 0 : blocks - skip;	/* a dry run keeps nothing */
	if (kept && emu_disc_append(&e->disc, kept) < 0)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_SESSION_FIXATION_ERROR, 0x05);
	if (kept && emu_image_write(e->fd, (uint32_t)(lba + (int32_t)skip), kept, c->out + (size_t)skip * MMC_SECTOR_SIZE) < 0)
		return emu_check(c, SK_MEDIUM_ERROR, ASC_WRITE_ERROR, 0x00);
	rate = emu_drain_rate(e);
	/* The drive writes the lead-in before the first sector it was sent. */
	if (lba == (int32_t)s->start - PREGAP)
		emu_buffer_add(&e->buffer, &rate, emu_now_ns(e), 0, CD_LEADIN);
	emu_buffer_add(&e->buffer, &rate, emu_now_ns(e), lba < 0 ? 0 : (uint32_t)lba, blocks);
	s->next = lba + (int32_t)blocks;
	e->dirty |= kept > 0;
	e->stats.sectors_written += blocks;
	c->transferred = (size_t)blocks * MMC_SECTOR_SIZE;
	emu_wait_for_fill(e, e->buffer.size);
	return MMC_GOOD;
}

/* The whole session is in: the drive closes it at SYNCHRONIZE CACHE. */
bool emu_sao_session_written(const struct emu *e)
{
	return e->sao.armed && e->sao.next == (int32_t)e->sao.end;
}
