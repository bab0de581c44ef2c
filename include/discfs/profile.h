/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MMC profiles (media types) and the facts that follow from them: how the
 * medium is written, its speed unit, and how kB/s map to sectors per second.
 * Pure data and arithmetic; used by the drive model and by the emulator.
 */
#ifndef DISCFS_PROFILE_H
#define DISCFS_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

enum media_family { MEDIA_FAMILY_NONE, MEDIA_FAMILY_CD, MEDIA_FAMILY_DVD, MEDIA_FAMILY_BD };

enum write_model {
	WRITE_MODEL_READ_ONLY,
	WRITE_MODEL_SEQUENTIAL,	/* sessions and tracks, write at the NWA */
	WRITE_MODEL_OVERWRITE,	/* random/restricted overwrite from sector 0 */
};

/* DVD-RW in restricted overwrite mode: written in whole 16-sector blocks. */
#define PROFILE_DVD_RW_RESTRICTED 0x13
#define RESTRICTED_OVERWRITE_BLOCK 16

struct profile_info {
	uint16_t profile;	/* MMC profile number */
	const char *name;	/* sysfs word: "dvd+rw", "cd-r", ... */
	const char *mmc_name;	/* "DVD+RW", "CD-R", ... */
	enum media_family family;
	enum write_model model;
	bool erasable;		/* BLANK applies (CD-RW, DVD-RW) */
	int imapi_media_type;	/* IMAPI_MEDIA_PHYSICAL_TYPE value */
};

/* Known profiles; an unknown number yields a generic read-only entry. */
const struct profile_info *profile_by_number(uint16_t profile);
/* By sysfs word ("dvd+rw"); NULL when unknown. */
const struct profile_info *profile_by_name(const char *name);

/* IMAPI's 1x rates in sectors per second (IMAPI_SECTORS_PER_SECOND_AT_1X_*). */
#define IMAPI_SPS_1X_CD 75
#define IMAPI_SPS_1X_DVD 680
#define IMAPI_SPS_1X_BD 2195

/* MMC's 1x rates in kB/s (k = 1000). */
#define MMC_KBPS_1X_CD 176.4
#define MMC_KBPS_1X_DVD 1385.0
#define MMC_KBPS_1X_BD 4495.5

int profile_sps_1x(enum media_family family);
double profile_kbps_1x(enum media_family family);
/* kB/s as MMC reports them to sectors/s of 2048-byte user data: CD frames are
 * 2352 bytes on the wire, DVD and BD sectors 2048. */
double kbps_to_sps(enum media_family family, double kbps);
/* The inverse, rounded up so a drive that rounds down still lands on or
 * above the request. */
uint32_t sps_to_kbps(enum media_family family, double sps);
/* kB/s expressed as an x-factor of the family's MMC 1x rate. */
double kbps_to_xfactor(enum media_family family, double kbps);

#endif
