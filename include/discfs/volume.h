/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The size of the file system volume on a disc, as growisofs computes it for
 * overwrite media: the ISO 9660 volume space size, or the end of the UDF
 * partition, whichever reaches further.
 */
#ifndef DISCFS_VOLUME_H
#define DISCFS_VOLUME_H

#include <stdbool.h>
#include <stdint.h>

/* The ISO 9660 primary volume descriptor's sector: the first after the
 * 16-sector system area (ECMA-119 6.2.1). */
#define VOLUME_ISO_PVD_LBA 16

/* The volume space size an ISO 9660 primary volume descriptor gives
 * (ECMA-119 8.4.8), in 2048-byte sectors; 0 when the sector is not one, or
 * its logical blocks (8.4.12) are not 2048 bytes as on every disc. */
uint32_t volume_iso9660_sectors(const uint8_t pvd[2048]);

/* Where a volume says what it is: sector 16, the ECMA-119 primary volume
 * descriptor or the first descriptor of ECMA-167's volume recognition
 * sequence. */
#define VOLUME_RECOGNITION_OFFSET (VOLUME_ISO_PVD_LBA * 2048)
#define VOLUME_RECOGNITION_BYTES 6

/* Reads one 2048-byte sector; 0 on success. */
typedef int (*volume_read_fn)(void *ctx, uint32_t lba, uint8_t *sector);

/* Sectors the volume occupies from LBA 0; 0 when no volume is recognised. */
uint32_t volume_size_sectors(volume_read_fn read, void *ctx);

/* The 6 bytes at VOLUME_RECOGNITION_OFFSET start an ISO 9660 or UDF volume. */
bool volume_recognised(const uint8_t *descriptor);

#endif
