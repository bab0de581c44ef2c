/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MMC profiles and speed units: the facts behind every media-dependent rule. */
#include <math.h>
#include <string.h>

#include "discfs/profile.h"

/* IMAPI_MEDIA_PHYSICAL_TYPE values (imapi2.h). */
enum {
	IMAPI_MEDIA_UNKNOWN = 0,
	IMAPI_MEDIA_CDROM = 1,
	IMAPI_MEDIA_CDR = 2,
	IMAPI_MEDIA_CDRW = 3,
	IMAPI_MEDIA_DVDROM = 4,
	IMAPI_MEDIA_DVDRAM = 5,
	IMAPI_MEDIA_DVDPLUSR = 6,
	IMAPI_MEDIA_DVDPLUSRW = 7,
	IMAPI_MEDIA_DVDPLUSR_DUALLAYER = 8,
	IMAPI_MEDIA_DVDDASHR = 9,
	IMAPI_MEDIA_DVDDASHRW = 10,
	IMAPI_MEDIA_DVDDASHR_DUALLAYER = 11,
	IMAPI_MEDIA_DVDPLUSRW_DUALLAYER = 13,
	IMAPI_MEDIA_BDROM = 17,
	IMAPI_MEDIA_BDR = 18,
	IMAPI_MEDIA_BDRE = 19,
};

#define WP PROFILE_WRITE_PARAMETERS
#define IT PROFILE_FREE_IN_INVISIBLE_TRACK
#define BG PROFILE_BACKGROUND_FORMAT
#define ECC PROFILE_ECC_BLOCK_WRITES
#define IS PROFILE_INCREMENTAL_STREAMING
#define TW PROFILE_TEST_WRITE

/* Columns: number, words, family, write model, erasable, IMAPI type,
 * capabilities, format type, finalizing close function.  Format types (MMC-5,
 * FORMAT UNIT; the Formattable Capacity Descriptors of READ FORMAT
 * CAPACITIES, 6.24.3.3): 15h quick DVD-RW to restricted overwrite, 26h
 * DVD+RW, 30h BD-RE with the default spare areas. */
static const struct profile_info profiles[] = {
	{ 0x0000, "none", "none", MEDIA_FAMILY_NONE, WRITE_MODEL_READ_ONLY, false, IMAPI_MEDIA_UNKNOWN, 0, 0, 0 },
	{ 0x0008, "cd-rom", "CD-ROM", MEDIA_FAMILY_CD, WRITE_MODEL_READ_ONLY, false, IMAPI_MEDIA_CDROM, IT, 0, 0 },
	{ 0x0009, "cd-r", "CD-R", MEDIA_FAMILY_CD, WRITE_MODEL_SEQUENTIAL, false, IMAPI_MEDIA_CDR, WP | IT | IS | TW, 0, 0 },
	{ 0x000A, "cd-rw", "CD-RW", MEDIA_FAMILY_CD, WRITE_MODEL_SEQUENTIAL, true, IMAPI_MEDIA_CDRW, WP | IT | IS | TW, 0, 0 },
	{ 0x0010, "dvd-rom", "DVD-ROM", MEDIA_FAMILY_DVD, WRITE_MODEL_READ_ONLY, false, IMAPI_MEDIA_DVDROM, 0, 0, 0 },
	{ 0x0011, "dvd-r", "DVD-R sequential", MEDIA_FAMILY_DVD, WRITE_MODEL_SEQUENTIAL, false,
	  IMAPI_MEDIA_DVDDASHR, WP | IS | TW, 0, 0 },
	{ 0x0012, "dvd-ram", "DVD-RAM", MEDIA_FAMILY_DVD, WRITE_MODEL_OVERWRITE, false, IMAPI_MEDIA_DVDRAM, 0, 0, 0 },
	{ 0x0013, "dvd-rw-ro", "DVD-RW restricted overwrite", MEDIA_FAMILY_DVD, WRITE_MODEL_OVERWRITE, true,
	  IMAPI_MEDIA_DVDDASHRW, ECC, 0x15, 0 },
	{ 0x0014, "dvd-rw", "DVD-RW sequential", MEDIA_FAMILY_DVD, WRITE_MODEL_SEQUENTIAL, true,
	  IMAPI_MEDIA_DVDDASHRW, WP | IS | TW, 0x15, 0 },
	{ 0x0015, "dvd-r-dl", "DVD-R DL sequential", MEDIA_FAMILY_DVD, WRITE_MODEL_SEQUENTIAL, false,
	  IMAPI_MEDIA_DVDDASHR_DUALLAYER, WP, 0, 0 },
	{ 0x001A, "dvd+rw", "DVD+RW", MEDIA_FAMILY_DVD, WRITE_MODEL_OVERWRITE, false, IMAPI_MEDIA_DVDPLUSRW, BG, 0x26, 0 },
	{ 0x001B, "dvd+r", "DVD+R", MEDIA_FAMILY_DVD, WRITE_MODEL_SEQUENTIAL, false, IMAPI_MEDIA_DVDPLUSR, IT, 0, 5 },
	{ 0x002A, "dvd+rw-dl", "DVD+RW DL", MEDIA_FAMILY_DVD, WRITE_MODEL_OVERWRITE, false,
	  IMAPI_MEDIA_DVDPLUSRW_DUALLAYER, 0, 0, 0 },
	{ 0x002B, "dvd+r-dl", "DVD+R DL", MEDIA_FAMILY_DVD, WRITE_MODEL_SEQUENTIAL, false,
	  IMAPI_MEDIA_DVDPLUSR_DUALLAYER, IT, 0, 5 },
	{ 0x0040, "bd-rom", "BD-ROM", MEDIA_FAMILY_BD, WRITE_MODEL_READ_ONLY, false, IMAPI_MEDIA_BDROM, 0, 0, 0 },
	{ 0x0041, "bd-r", "BD-R sequential", MEDIA_FAMILY_BD, WRITE_MODEL_SEQUENTIAL, false, IMAPI_MEDIA_BDR, IS, 0, 6 },
	{ 0x0042, "bd-r-rrm", "BD-R random", MEDIA_FAMILY_BD, WRITE_MODEL_OVERWRITE, false, IMAPI_MEDIA_BDR, 0, 0, 0 },
	{ 0x0043, "bd-re", "BD-RE", MEDIA_FAMILY_BD, WRITE_MODEL_OVERWRITE, false, IMAPI_MEDIA_BDRE, BG, 0x30, 0 },
};

static const struct profile_info unknown_profile = {
	0xFFFF, "unknown", "unknown", MEDIA_FAMILY_NONE, WRITE_MODEL_READ_ONLY, false, IMAPI_MEDIA_UNKNOWN, 0, 0, 0
};

const struct profile_info *profile_by_number(uint16_t profile)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (profiles[i].profile == profile)
			return &profiles[i];
	return &unknown_profile;
}

const struct profile_info *profile_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

int profile_sps_1x(enum media_family family)
{
	switch (family) {
	case MEDIA_FAMILY_CD:
		return IMAPI_SPS_1X_CD;
	case MEDIA_FAMILY_BD:
		return IMAPI_SPS_1X_BD;
	case MEDIA_FAMILY_DVD:
	case MEDIA_FAMILY_NONE:
		break;
	}
	return IMAPI_SPS_1X_DVD;
}

double profile_kbps_1x(enum media_family family)
{
	switch (family) {
	case MEDIA_FAMILY_CD:
		return MMC_KBPS_1X_CD;
	case MEDIA_FAMILY_BD:
		return MMC_KBPS_1X_BD;
	case MEDIA_FAMILY_DVD:
	case MEDIA_FAMILY_NONE:
		break;
	}
	return MMC_KBPS_1X_DVD;
}

/* Bytes on the wire per sector: a CD frame carries 2048 user bytes in 2352. */
static double wire_bytes_per_sector(enum media_family family)
{
	return family == MEDIA_FAMILY_CD ? 2352.0 : 2048.0;
}

double kbps_to_sps(enum media_family family, double kbps)
{
	return kbps * 1000.0 / wire_bytes_per_sector(family);
}

uint32_t sps_to_kbps(enum media_family family, double sps)
{
	double kbps = ceil(sps * wire_bytes_per_sector(family) / 1000.0);

	return kbps > UINT32_MAX ? UINT32_MAX : (uint32_t)kbps;
}

double kbps_to_xfactor(enum media_family family, double kbps)
{
	return kbps / profile_kbps_1x(family);
}
