/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GET CONFIGURATION: the profiles and features of the emulated drive, with
 * the Current bit set for what applies to the loaded medium.
 */
#include <string.h>

#include "emu_internal.h"

#define HEADER_LEN 8
#define REPLY_MAX 1024

struct feature_list {
	uint8_t buf[REPLY_MAX];
	size_t len;
	uint8_t rt;		/* 0 all, 1 current only, 2 the starting feature only */
	uint16_t first;
};

static void add(struct feature_list *l, uint16_t code, uint8_t version, bool persistent, bool current,
		const uint8_t *data, uint8_t n)
{
	uint8_t *p = l->buf + l->len;

	if (code < l->first || (l->rt == 1 && !current) || (l->rt == 2 && code != l->first))
		return;
	if (l->len + 4u + n > sizeof(l->buf))
		return;
	mmc_put16(p, code);
	p[2] = (uint8_t)(version << 2 | (persistent ? 0x02 : 0) | (current ? 0x01 : 0));
	p[3] = n;
	if (n)
		memcpy(p + 4, data, n);
	l->len += 4u + n;
}

static void add_profiles(struct feature_list *l, uint16_t current)
{
	uint8_t data[4 * 16];
	size_t n = emu_drive_profile_count;

	memset(data, 0, sizeof(data));
	for (size_t i = 0; i < n; i++) {
		mmc_put16(data + 4 * i, emu_drive_profiles[i]);
		data[4 * i + 2] = emu_drive_profiles[i] == current;
	}
	add(l, MMC_FEATURE_PROFILE_LIST, 0, true, true, data, (uint8_t)(4 * n));
}

static uint16_t blocking(enum media_family family)
{
	return family == MEDIA_FAMILY_BD ? 32 : family == MEDIA_FAMILY_DVD ? 16 : 1;
}

static void add_features(struct feature_list *l, const struct emu *e)
{
	bool present = emu_has_medium(e);
	uint16_t p = present ? e->disc.profile : 0;
	const struct profile_info *info = profile_by_number(p);
	enum media_family family = info->family;
	bool sequential = info->model == WRITE_MODEL_SEQUENTIAL;
	uint8_t d[32];

	add_profiles(l, p);
	memset(d, 0, sizeof(d));
	mmc_put32(d, 2);	/* ATAPI */
	d[4] = 0x01;		/* DBE */
	add(l, MMC_FEATURE_CORE, 2, true, true, d, 8);
	memset(d, 0, sizeof(d));
	d[0] = 0x02;		/* OCEvent */
	add(l, MMC_FEATURE_MORPHING, 1, true, true, d, 4);
	d[0] = 0x20 | 0x10 | 0x08 | 0x01;	/* tray, load, eject, lock */
	add(l, MMC_FEATURE_REMOVABLE_MEDIUM, 1, true, true, d, 4);

	memset(d, 0, sizeof(d));
	mmc_put32(d, MMC_SECTOR_SIZE);
	mmc_put16(d + 4, blocking(family));
	d[6] = 0x01;		/* PP */
	add(l, MMC_FEATURE_RANDOM_READABLE, 0, false, present, d, 8);
	memset(d, 0, sizeof(d));
	add(l, MMC_FEATURE_CD_READ, 2, false, family == MEDIA_FAMILY_CD, d, 4);
	add(l, MMC_FEATURE_DVD_READ, 1, false, family == MEDIA_FAMILY_DVD, d, 4);

	mmc_put32(d, present && e->disc.capacity ? e->disc.capacity - 1 : 0);
	mmc_put32(d + 4, MMC_SECTOR_SIZE);
	mmc_put16(d + 8, blocking(family));
	d[10] = 0x01;
	add(l, MMC_FEATURE_RANDOM_WRITABLE, 1, false, info->model == WRITE_MODEL_OVERWRITE &&
	    !PROFILE_CAN(info, PROFILE_ECC_BLOCK_WRITES) && e->disc.formatted, d, 12);

	memset(d, 0, sizeof(d));
	mmc_put16(d, 1u << 8 | 1u << 10);	/* data block types 8 and 10: 2048-byte user data */
	d[2] = 0x01;		/* BUF */
	d[3] = 1;		/* one link size: */
	d[4] = 16;
	add(l, MMC_FEATURE_INCREMENTAL_STREAMING_WRITABLE, 1, false, PROFILE_CAN(info, PROFILE_INCREMENTAL_STREAMING),
	    d, 8);

	memset(d, 0, sizeof(d));
	add(l, MMC_FEATURE_FORMATTABLE, 0, false, info->format_type != 0, d, 8);
	d[0] = 0x80;		/* SSA */
	add(l, MMC_FEATURE_HARDWARE_DEFECT_MANAGEMENT, 0, false, p == 0x43, d, 4);
	d[0] = 0;
	add(l, MMC_FEATURE_RESTRICTED_OVERWRITE, 0, false, PROFILE_CAN(info, PROFILE_ECC_BLOCK_WRITES), d, 4);
	d[0] = 0x01;		/* Write */
	add(l, MMC_FEATURE_DVD_PLUS_RW, 1, false, p == 0x1A, d, 4);
	add(l, MMC_FEATURE_DVD_PLUS_R, 0, false, p == 0x1B, d, 4);

	memset(d, 0, sizeof(d));
	d[0] = 0x40 | 0x04 | 0x02;	/* BUF, Test Write, CD-RW */
	mmc_put16(d + 2, 1u << 8 | 1u << 10);
	add(l, MMC_FEATURE_CD_TRACK_AT_ONCE, 2, false, family == MEDIA_FAMILY_CD && sequential, d, 4);
	mmc_put16(d + 2, 0);
	d[0] = 0x40 | 0x20 | 0x04 | 0x02;	/* BUF, SAO, Test Write, CD-RW */
	d[2] = 0x04;			/* cue sheets of up to 1024 bytes */
	add(l, MMC_FEATURE_CD_MASTERING, 1, false, family == MEDIA_FAMILY_CD && sequential, d, 4);
	d[2] = 0;
	d[0] = 0x40 | 0x04 | 0x02;	/* BUF, Test Write, DVD-RW */
	add(l, MMC_FEATURE_DVD_R_RW_WRITE, 1, false,
	    family == MEDIA_FAMILY_DVD && PROFILE_CAN(info, PROFILE_WRITE_PARAMETERS), d, 4);

	/* Class 0 versions 1 and 2 of BD-RE, BD-R and BD-ROM. */
	memset(d, 0, sizeof(d));
	mmc_put16(d + 4, 0x0006);
	mmc_put16(d + 12, 0x0006);
	mmc_put16(d + 20, 0x0006);
	add(l, MMC_FEATURE_BD_READ, 1, false, family == MEDIA_FAMILY_BD, d, 28);
	add(l, MMC_FEATURE_BD_WRITE, 1, false, family == MEDIA_FAMILY_BD && info->model != WRITE_MODEL_READ_ONLY, d, 20);

	add(l, MMC_FEATURE_POWER_MANAGEMENT, 0, true, true, NULL, 0);
	memset(d, 0, sizeof(d));
	d[0] = 0x10 | 0x08 | 0x04 | 0x02 | 0x01;	/* RBCB, SCS, MP2A, WSPD, SW */
	add(l, MMC_FEATURE_REAL_TIME_STREAMING, 3, false, present, d, 4);
}

int emu_cmd_get_configuration(struct emu *e, struct emu_cmd *c)
{
	struct feature_list l = { .len = HEADER_LEN };

	l.rt = c->cdb[1] & 0x03;
	l.first = mmc_get16(c->cdb + 2);
	if (l.rt == 3)
		return emu_invalid_field(c);
	memset(l.buf, 0, HEADER_LEN);
	add_features(&l, e);
	mmc_put32(l.buf, (uint32_t)(l.len - 4));
	mmc_put16(l.buf + 6, emu_has_medium(e) ? e->disc.profile : 0);
	return emu_reply(c, l.buf, l.len, mmc_get16(c->cdb + 7));
}
