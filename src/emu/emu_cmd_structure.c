/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * READ DISC STRUCTURE (MMC-6 6.22): the physical format of a DVD (book type,
 * disc size, layers, the data zone), the disc information and spare areas of
 * a BD, the write protection of any medium, and the list of what is offered.
 */
#include <string.h>

#include "emu_internal.h"

#define HEADER_LEN 4
#define DVD_PHYSICAL_LEN 2048		/* layer descriptor, then reserved bytes */
#define BD_DI_LEN 4096			/* DI units, the rest zero */
#define BD_DI_UNIT_LEN 112		/* a BD-R/RE DI unit */
#define BD_SPARE_LEN 12
#define WRITE_PROTECTION_LEN 4
#define STRUCTURE_LIST_MAX 8
#define DVD_FIRST_PSN 0x030000		/* start of a single-layer DVD's data zone */
#define BD_FIRST_AUN 0x100000		/* LBA 0 of a BD */
#define MAX_REPLY (HEADER_LEN + BD_DI_LEN)

enum { MEDIA_TYPE_DVD = 0, MEDIA_TYPE_BD = 1 };
enum { PHYSICAL = 0x00, BD_SPARE = 0x0A, WRITE_PROTECTION = 0xC0, STRUCTURE_LIST = 0xFF };

/* Book type and part version (byte 0), layer type (byte 2). */
static void dvd_book(uint16_t profile, uint8_t *book, uint8_t *layer_type)
{
	switch (profile) {
	case 0x11: *book = 0x25; *layer_type = 0x02; break;		/* DVD-R for General 2.0 */
	case 0x13: case 0x14: *book = 0x32; *layer_type = 0x04; break;	/* DVD-RW 1.2 */
	case 0x1A: *book = 0x92; *layer_type = 0x04; break;		/* DVD+RW */
	case 0x1B: *book = 0xA1; *layer_type = 0x02; break;		/* DVD+R */
	default: *book = 0x01; *layer_type = 0x01; break;		/* DVD-ROM, embossed */
	}
}

/* The layer descriptor of a single-layer 120 mm disc.  A recordable's data
 * zone is the whole medium, a pressed one's what it holds. */
static size_t dvd_physical(const struct emu_disc *d, uint8_t *p)
{
	uint8_t book, layer_type;
	uint32_t sectors = d->profile == 0x10 ? d->capacity : d->medium->capacity;

	dvd_book(d->profile, &book, &layer_type);
	memset(p, 0, DVD_PHYSICAL_LEN);
	p[0] = book;
	p[1] = d->profile == 0x10 ? 0x02 : 0x0F;	/* 120 mm; 10.08 Mbps or not specified */
	p[2] = layer_type;				/* one layer, parallel track path */
	p[3] = 0x00;					/* 0.267 um/bit, 0.74 um/track */
	mmc_put32(p + 4, DVD_FIRST_PSN);
	mmc_put32(p + 8, DVD_FIRST_PSN + sectors - 1);
	return DVD_PHYSICAL_LEN;
}

/* One DI unit for layer 0: "DI", format 1, one unit per block, the disc
 * type identifier, one layer of 25 GB, the data zone in AUNs, and who made
 * the disc (this emulator). */
static size_t bd_disc_information(const struct emu_disc *d, uint8_t *p)
{
	uint32_t sectors = d->medium->max_capacity;

	memset(p, 0, BD_DI_LEN);
	p[0] = 'D';
	p[1] = 'I';
	p[2] = 1;
	p[3] = 1 << 3;
	p[6] = BD_DI_UNIT_LEN;
	memcpy(p + 8, d->profile == 0x43 ? "BDW" : d->profile == 0x41 ? "BDR" : "BDO", 3);
	p[11] = d->profile == 0x43 ? 0x02 : 0x01;	/* 120 mm, class 0, version */
	p[12] = 1 << 4;
	p[13] = 0x01;					/* 74.5 nm channel: 25 GB a layer */
	p[16] = 0x01;					/* BCA present */
	memcpy(p + 100, "DISCFS", 6);			/* disc manufacturer ID */
	memcpy(p + 106, "EMU", 3);			/* media type ID */
	mmc_put32(p + 20, BD_FIRST_AUN + sectors - 1);
	mmc_put32(p + 24, BD_FIRST_AUN);
	mmc_put32(p + 28, BD_FIRST_AUN + sectors - 1);
	return BD_DI_LEN;
}

/* Free and allocated spare clusters: what formatting set aside. */
static size_t bd_spare(const struct emu_disc *d, uint8_t *p)
{
	uint32_t spare = d->formatted ? (d->medium->max_capacity - d->capacity) / EMU_BD_CLUSTER : 0;

	memset(p, 0, BD_SPARE_LEN);
	mmc_put32(p + 4, spare);
	mmc_put32(p + 8, spare);
	return BD_SPARE_LEN;
}

static void list_entry(uint8_t *p, uint8_t format, uint16_t len)
{
	p[0] = format;
	p[1] = 0x40;	/* RDS: READ DISC STRUCTURE returns it */
	mmc_put16(p + 2, (uint16_t)(len + 2));
}

int emu_cmd_read_disc_structure(struct emu *e, struct emu_cmd *c)
{
	const struct emu_disc *d = &e->disc;
	uint8_t media_type = c->cdb[1] & 0x0F, layer = c->cdb[6], format = c->cdb[7];
	enum media_family family = emu_disc_family(d);
	bool matches = (media_type == MEDIA_TYPE_DVD && family == MEDIA_FAMILY_DVD) ||
		       (media_type == MEDIA_TYPE_BD && family == MEDIA_FAMILY_BD);
	uint8_t b[MAX_REPLY];
	size_t len;

	if (media_type > MEDIA_TYPE_BD)
		return emu_invalid_field(c);
	memset(b, 0, HEADER_LEN);
	switch (format) {
	case PHYSICAL:
		if (!matches)
			return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INCOMPATIBLE_MEDIUM, 0x02);	/* incompatible format */
		if (layer != 0)
			return emu_invalid_field(c);	/* one layer */
		len = media_type == MEDIA_TYPE_DVD ? dvd_physical(d, b + HEADER_LEN) : bd_disc_information(d, b + HEADER_LEN);
		break;
	case BD_SPARE:
		if (media_type != MEDIA_TYPE_BD)
			return emu_invalid_field(c);
		if (!matches)
			return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INCOMPATIBLE_MEDIUM, 0x02);
		len = bd_spare(d, b + HEADER_LEN);
		break;
	case WRITE_PROTECTION:
		/* MSWI, CWP, PWP, SWPP: the emulated media carry no protection. */
		memset(b + HEADER_LEN, 0, WRITE_PROTECTION_LEN);
		len = WRITE_PROTECTION_LEN;
		break;
	case STRUCTURE_LIST:
		len = 0;
		if (matches) {
			list_entry(b + HEADER_LEN + len, PHYSICAL, media_type == MEDIA_TYPE_DVD ? DVD_PHYSICAL_LEN : BD_DI_LEN);
			len += 4;
			if (media_type == MEDIA_TYPE_BD) {
				list_entry(b + HEADER_LEN + len, BD_SPARE, BD_SPARE_LEN);
				len += 4;
			}
		}
		list_entry(b + HEADER_LEN + len, WRITE_PROTECTION, WRITE_PROTECTION_LEN);
		len += 4;
		list_entry(b + HEADER_LEN + len, STRUCTURE_LIST, STRUCTURE_LIST_MAX * 4);
		len += 4;
		break;
	default:
		return emu_invalid_field(c);
	}
	mmc_put16(b, (uint16_t)(len + 2));
	return emu_reply(c, b, HEADER_LEN + len, mmc_get16(c->cdb + 8));
}
