/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The size of the file system volume on a disc, as growisofs computes it for
 * overwrite media: the ISO 9660 volume space size, or the end of the UDF
 * partition, whichever reaches further.
 */
#ifndef DISCFS_VOLUME_H
#define DISCFS_VOLUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The ISO 9660 primary volume descriptor's sector, where every volume
 * recognition area begins: the first after the 16-sector system area
 * (ECMA-119 6.2.1, ECMA-167 2/8.3). */
#define VOLUME_ISO_PVD_LBA 16

/* The volume space size an ISO 9660 primary volume descriptor gives
 * (ECMA-119 8.4.8), in 2048-byte sectors; 0 when the sector is not one, or
 * its logical blocks (8.4.12) are not 2048 bytes as on every disc. */
uint32_t volume_iso9660_sectors(const uint8_t pvd[2048]);

/* Reads one 2048-byte sector; 0 on success. */
typedef int (*volume_read_fn)(void *ctx, uint32_t lba, uint8_t *sector);

/* Sectors the volume occupies from LBA 0; 0 when no volume is recognised. */
uint32_t volume_size_sectors(volume_read_fn read, void *ctx);

/* Where a volume says what it is, the volume recognition area: sectors 16
 * to 31, searched for the end of the descriptor set (ECMA-119 6.2.1, 8;
 * ECMA-167 2/8.3). */
#define VOLUME_RECOGNITION_OFFSET (VOLUME_ISO_PVD_LBA * 2048)
#define VOLUME_DESCRIPTORS_MAX 16
#define VOLUME_RECOGNITION_BYTES (VOLUME_DESCRIPTORS_MAX * 2048)

enum volume_kind { VOLUME_NONE, VOLUME_ISO9660, VOLUME_UDF };

/* What an image's volume recognition area says. */
struct volume_descriptors {
	enum volume_kind kind;
	uint32_t iso_sectors;		/* ISO 9660 volume space size, 0 without a PVD */
	/* The lowest address the PVD points at (type L path table or root
	 * directory): an image made for LBA y keeps its own structures just
	 * after its descriptors, so this tells y. */
	uint32_t first_reference;
	uint32_t terminator;		/* sector of the set terminator, 0 when not found */
};

/* Recognises an ISO 9660 (CD001 at sector 16, ECMA-119 8) or UDF (BEA01
 * then NSR02/NSR03 before TEA01, ECMA-167 2/9.1) image from the first bytes
 * of its recognition area (image offset VOLUME_RECOGNITION_OFFSET on);
 * sectors not among them count as absent.  VOLUME_NONE otherwise. */
void volume_recognise(const uint8_t *area, size_t bytes, struct volume_descriptors *out);
/* The same question answered yes or no: the one rule for what is an image
 * (a burn, a dropped file). */
bool volume_recognised(const uint8_t *area, size_t bytes);
/* Rewrites the volume space size (both byte orders) of a primary or
 * supplementary volume descriptor; other sectors are left alone. */
void volume_set_iso_sectors(uint8_t *descriptor, uint32_t sectors);

#endif
