/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The size of the file system volume on a disc, as growisofs computes it for
 * overwrite media: the ISO 9660 volume space size, or the end of the UDF
 * partition, whichever reaches further.
 */
#ifndef DISCFS_VOLUME_H
#define DISCFS_VOLUME_H

#include <stdint.h>

/* Reads one 2048-byte sector; 0 on success. */
typedef int (*volume_read_fn)(void *ctx, uint32_t lba, uint8_t *sector);

/* Sectors the volume occupies from LBA 0; 0 when no volume is recognised. */
uint32_t volume_size_sectors(volume_read_fn read, void *ctx);

#endif
