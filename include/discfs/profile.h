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

#define PROFILE_ECC_BLOCK_SECTORS 16	/* a DVD ECC block (ECMA-338 13.1) */

/* What a medium can do or needs, beyond its family and write model; tested
 * with PROFILE_CAN, as the kernel's cdrom.c tests CDC_* with CDROM_CAN, so
 * no rule spells out profile numbers. */
enum profile_capability {
	/* The Write Parameters mode page (05h) sets the write type, BUFE and
	 * multisession (CD-R/RW, DVD-R/-RW sequential; MMC-5 clause 7). */
	PROFILE_WRITE_PARAMETERS = 1 << 0,
	/* The free space is the invisible track's: READ TRACK INFORMATION
	 * of track FFh gives it (CD, DVD+R). */
	PROFILE_FREE_IN_INVISIBLE_TRACK = 1 << 1,
	/* Formatted in the background: READ DISC INFORMATION's BG Format
	 * Status applies (DVD+RW, BD-RE; MMC-5 6.22.3.1.13). */
	PROFILE_BACKGROUND_FORMAT = 1 << 2,
	/* Written in whole ECC blocks of PROFILE_ECC_BLOCK_SECTORS (DVD-RW
	 * restricted overwrite). */
	PROFILE_ECC_BLOCK_WRITES = 1 << 3,
	/* Written in tracks at the NWA with Incremental Streaming Writable,
	 * feature 0021h (CD-R/RW, DVD-R/-RW sequential, BD-R). */
	PROFILE_INCREMENTAL_STREAMING = 1 << 4,
	/* A drive can dry-run a write to it: Test Write of mode page 05h
	 * (CD-R/RW, DVD-R/-RW; MMC-6 7.5.4.4). */
	PROFILE_TEST_WRITE = 1 << 5,
};

struct profile_info {
	uint16_t profile;	/* MMC profile number */
	const char *name;	/* sysfs word: "dvd+rw", "cd-r", ... */
	const char *mmc_name;	/* "DVD+RW", "CD-R", ... */
	enum media_family family;
	enum write_model model;
	bool erasable;		/* BLANK applies (CD-RW, DVD-RW) */
	int imapi_media_type;	/* IMAPI_MEDIA_PHYSICAL_TYPE value */
	unsigned caps;		/* enum profile_capability bits */
	uint8_t format_type;	/* FORMAT UNIT format type that makes it writable, 0 none */
	/* The CLOSE TRACK/SESSION function that finalizes the disc where the
	 * write parameters page does not: 5 DVD+R, 6 BD-R; 0 otherwise. */
	uint8_t finalize_function;
};

#define PROFILE_CAN(p, cap) (((p)->caps & (cap)) != 0)

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
