/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The media the emulated drive accepts: capacities and write speed descriptors. */
#include <string.h>

#include "emu_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* kB/s as real drives list them for these media, fastest first. */
static const struct emu_speed cd_r_speeds[] = {
	{ 8467, true }, { 4234, false }, { 2823, false }, { 1764, false }, { 706, false },
};
static const struct emu_speed cd_rw_speeds[] = {
	{ 4234, false }, { 2823, false }, { 1764, false }, { 706, false },
};
static const struct emu_speed dvd_r_speeds[] = {
	{ 22160, true }, { 11080, false }, { 5540, false }, { 3324, false },
};
static const struct emu_speed dvd_plus_rw_speeds[] = {
	{ 11080, false }, { 5540, false }, { 3324, false },
};
static const struct emu_speed dvd_rw_speeds[] = {
	{ 8310, false }, { 5540, false }, { 2770, false },
};
/* BD-R as a 12x drive lists it for 12x media: 12x to 6x CAV (WRC 01b, so a
 * rating is reached only at the outer edge: emu_speed_kbps_at), 4x and 2x CLV. */
static const struct emu_speed bd_r_speeds[] = {
	{ 53946, true }, { 44955, true }, { 35964, true }, { 26973, true }, { 17982, false }, { 8991, false },
};
static const struct emu_speed bd_re_speeds[] = {
	{ 8991, false },
};

/* 80-minute discs: a Taiyo Yuden CD-R (cyanine, 97:24:01) and a Mitsubishi
 * Ultra-Speed CD-RW (97:34:23, 8x to 24x); both may start the lead-out at
 * 79:59:74, LBA 359849, the capacity below. */
static const struct emu_atip cd_r_atip = {
	.lead_in = { 97, 24, 1 }, .lead_out = { 79, 59, 74 }, .writing_power = 5,
};
static const struct emu_atip cd_rw_atip = {
	.lead_in = { 97, 34, 23 }, .lead_out = { 79, 59, 74 }, .writing_power = 4, .reference_speed = 1,
	.rewritable = true, .sub_type = 2, .a1_valid = true, .a1 = { 0x38, 0, 0 },
};

#define SPEEDS(a) a, N(a)
#define CD_READ 8467
#define DVD_READ 22160
#define BD_READ 35964

static const struct emu_medium media[] = {
	{ "cd-r", 0x0009, 359849, 359849, CD_READ, SPEEDS(cd_r_speeds), &cd_r_atip },
	{ "cd-rw", 0x000A, 359849, 359849, CD_READ, SPEEDS(cd_rw_speeds), &cd_rw_atip },
	{ "dvd-r", 0x0011, 2298496, 2298496, DVD_READ, SPEEDS(dvd_r_speeds), NULL },
	{ "dvd-rw", 0x0014, 2297888, 2297888, DVD_READ, SPEEDS(dvd_rw_speeds), NULL },
	{ "dvd+r", 0x001B, 2295104, 2295104, DVD_READ, SPEEDS(dvd_r_speeds), NULL },
	{ "dvd+rw", 0x001A, 2295104, 2295104, DVD_READ, SPEEDS(dvd_plus_rw_speeds), NULL },
	{ "bd-r", 0x0041, 12219392, 12219392, BD_READ, SPEEDS(bd_r_speeds), NULL },
	{ "bd-re", 0x0043, 11826176, 12219392, BD_READ, SPEEDS(bd_re_speeds), NULL },
	/* Pressed media hold what the image holds; capacity is set at load. */
	{ "cd-rom", 0x0008, 0, 0, CD_READ, NULL, 0, NULL },
	{ "dvd-rom", 0x0010, 0, 0, DVD_READ, NULL, 0, NULL },
	{ "none", 0x0000, 0, 0, 0, NULL, 0, NULL },
};

const uint16_t emu_drive_profiles[] = { 0x43, 0x41, 0x40, 0x1B, 0x1A, 0x14, 0x13, 0x11, 0x10, 0x0A, 0x09, 0x08 };
const size_t emu_drive_profile_count = N(emu_drive_profiles);

const struct emu_medium *emu_medium_by_name(const char *name)
{
	for (size_t i = 0; name && i < N(media); i++)
		if (strcmp(media[i].name, name) == 0)
			return &media[i];
	return NULL;
}

double emu_speed_kbps_at(const struct emu_speed *speed, uint32_t lba, uint32_t capacity)
{
	double where;

	if (!speed->cav)
		return speed->write_kbps;
	where = capacity > 1 ? (double)lba / (capacity - 1) : 1.0;
	if (where > 1.0)
		where = 1.0;
	return speed->write_kbps * (0.4 + 0.6 * where);
}

const char *emu_state_refusal(const struct emu_medium *m, enum emu_disc_state state)
{
	if (state == EMU_STATE_DEFAULT)
		return NULL;
	if (m->profile == 0)
		return "an empty tray holds no disc to be blank, appendable or closed";
	switch (profile_by_number(m->profile)->model) {
	case WRITE_MODEL_OVERWRITE:
		/* Sessions are what is appended and closed: these have none. */
		if (state != EMU_STATE_BLANK)
			return "dvd+rw and bd-re have no sessions to append or close: state=blank gives an unformatted "
			       "disc; without state it is formatted, holding the ISO 9660 volume in image= if any";
		break;
	case WRITE_MODEL_READ_ONLY:
		if (state != EMU_STATE_CLOSED)
			return "a pressed disc (cd-rom, dvd-rom) is always closed";
		break;
	case WRITE_MODEL_SEQUENTIAL:
		break;
	}
	return NULL;
}
