/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * FORMAT UNIT and BLANK: the long operations that reset a rewritable medium.
 * Both clear the image (a formatted or blanked disc reads as zeros) and run
 * on the emulated clock, reporting progress through REQUEST SENSE.
 */
#include "emu_internal.h"

#define FORMAT_PARAM_LEN 12
#define DVD_PLUS_RW_FORMAT_SECONDS 20.0
#define BD_RE_FORMAT_SECONDS 60.0
#define DVD_RW_QUICK_FORMAT_SECONDS 60.0
#define MINIMAL_BLANK_SECONDS 60.0
#define BD_R_FORMAT_SECONDS 5.0

/* A full format or blank writes the whole disc at the slowest speed. */
static double whole_disc_seconds(const struct emu_disc *d)
{
	const struct emu_medium *m = d->medium;

	return m->capacity / kbps_to_sps(emu_disc_family(d), m->speeds[m->nspeeds - 1].write_kbps);
}

static void reset_medium(struct emu *e)
{
	emu_image_erase(e->fd);
	e->reserved_end = 0;
	e->sao.armed = false;
	e->test_write_next = -1;
	emu_buffer_reset(&e->buffer, e->buffer.size, emu_now_ns(e));
}

/* A blank BD-R formatted for SRM+POW (MMC-6 6.5.4.2.15): spare areas of
 * the default size (type 00h) or of one listed (32h) take their sectors
 * off the user area; it stays sequential and blank. */
static int format_bd_r(struct emu *e, struct emu_cmd *c, uint8_t type, uint32_t blocks, bool immed)
{
	struct emu_disc *d = &e->disc;
	uint32_t capacity;

	if (emu_disc_status(d) != 0 || d->formatted)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INCOMPATIBLE_MEDIUM, 0x06);	/* cannot format: not blank */
	if (type == 0x00)
		capacity = EMU_BD_DEFAULT_SPARE_CAPACITY;
	else if (type == 0x32 && (blocks == EMU_BD_DEFAULT_SPARE_CAPACITY || blocks == EMU_BD_LARGE_SPARE_CAPACITY ||
				  blocks == EMU_BD_SMALL_SPARE_CAPACITY))
		capacity = blocks;
	else
		return emu_invalid_param(c);
	d->capacity = capacity;
	d->formatted = true;
	emu_layout_changed(e);
	emu_long_op(e, 0x04, emu_seconds(BD_R_FORMAT_SECONDS), immed);
	return MMC_GOOD;
}

int emu_cmd_format_unit(struct emu *e, struct emu_cmd *c)
{
	struct emu_disc *d = &e->disc;
	const uint8_t *p = emu_param_list(c, FORMAT_PARAM_LEN);
	uint32_t blocks, capacity = d->medium->capacity;
	uint16_t profile = d->profile;
	uint8_t type;
	double seconds;
	bool immed;

	if ((c->cdb[1] & 0x17) != 0x11 || !p)
		return emu_invalid_field(c);	/* FmtData with format code 001b only */
	if (mmc_get16(p + 2) != 8)
		return emu_invalid_param(c);
	immed = p[1] & 0x02;
	blocks = mmc_get32(p + 4);
	type = p[8] >> 2;
	switch (d->profile) {
	case 0x41:
		return format_bd_r(e, c, type, blocks, immed);
	case 0x1A:
		if (type != 0x26)
			return emu_invalid_param(c);
		seconds = DVD_PLUS_RW_FORMAT_SECONDS;
		break;
	case 0x43:
		if (type == 0x31)
			capacity = d->medium->max_capacity;
		else if (type == 0x30 && blocks == EMU_BD_LARGE_SPARE_CAPACITY)
			capacity = EMU_BD_LARGE_SPARE_CAPACITY;
		else if (type != 0x30)
			return emu_invalid_param(c);
		seconds = BD_RE_FORMAT_SECONDS;
		break;
	case 0x13:
	case 0x14:
		if (type != 0x00 && type != 0x13 && type != 0x15)
			return emu_invalid_param(c);
		profile = 0x13;	/* restricted overwrite */
		seconds = type == 0x00 ? whole_disc_seconds(d) : DVD_RW_QUICK_FORMAT_SECONDS;
		break;
	default:
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INCOMPATIBLE_MEDIUM, 0x06);	/* cannot format: incompatible medium */
	}
	reset_medium(e);
	emu_disc_format(d, profile, capacity);
	emu_mode_reset(e);
	emu_layout_changed(e);
	emu_long_op(e, 0x04, emu_seconds(seconds), immed);	/* format in progress */
	return MMC_GOOD;
}

int emu_cmd_blank(struct emu *e, struct emu_cmd *c)
{
	struct emu_disc *d = &e->disc;
	bool immed = c->cdb[1] & 0x10;
	uint8_t type = c->cdb[1] & 0x07;
	double seconds;

	if (!emu_disc_info(d)->erasable)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INCOMPATIBLE_MEDIUM, 0x05);	/* not an erasable medium */
	if (type > 1)
		return emu_invalid_field(c);	/* full and minimal only */
	seconds = type == 0 ? whole_disc_seconds(d) : MINIMAL_BLANK_SECONDS;
	reset_medium(e);
	emu_disc_blank(d);
	emu_mode_reset(e);
	emu_layout_changed(e);
	emu_long_op(e, 0x07, emu_seconds(seconds), immed);
	return MMC_GOOD;
}
