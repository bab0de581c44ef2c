/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The size of the file system volume on a disc, as growisofs computes it for
 * overwrite media: the ISO 9660 volume space size, or the end of the UDF
 * partition, whichever reaches further.
 */
#ifndef DISCFS_VOLUME_H
#define DISCFS_VOLUME_H

#include <stdint.h>

/* The ISO 9660 primary volume descriptor's sector: the first after the
 * 16-sector system area (ECMA-119 6.2.1). */
#define VOLUME_ISO_PVD_LBA 16

/* The volume space size an ISO 9660 primary volume descriptor gives
 * (ECMA-119 8.4.8), in 2048-byte sectors; 0 when the sector is not one, or
 * its logical blocks (8.4.12) are not 2048 bytes as on every disc. */
uint32_t volume_iso9660_sectors(const uint8_t pvd[2048]);

/* Reads one 2048-byte sector; 0 on success. */
typedef int (*volume_read_fn)(void *ctx, uint32_t lba, uint8_t *sector);

/* Sectors the volume occupies from LBA 0; 0 when no volume is recognised. */
uint32_t volume_size_sectors(volume_read_fn read, void *ctx);

#endif
