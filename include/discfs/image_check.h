/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Whether a stream is an image this disc can take, and where it goes,
 * decided from its volume descriptors before any sector is written
 * (IMAPI2 IDiscFormat2Data takes file system images; IWriteEngine2's raw
 * mode takes anything).
 */
#ifndef DISCFS_IMAGE_CHECK_H
#define DISCFS_IMAGE_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "discfs/volume.h"

struct drive;

/* The disc the image is to go on, as found when the burn began. */
struct image_target {
	bool overwrite;			/* DVD+RW, BD-RE, DVD-RAM, restricted overwrite */
	bool force_overwrite;
	bool raw;			/* take any bytes (driveN/raw) */
	/* Overwrite media: where a producer that grows the volume itself
	 * (the mastering layer) starts its session, past the volume; -1 when
	 * the image's descriptors decide. */
	int64_t start_at;
	uint32_t next_writable;		/* overwrite media: the end of the volume there */
	uint32_t volume_sectors;	/* overwrite media: 0 when no volume */
};

struct image_plan {
	uint32_t start_lba;
	uint64_t expected_bytes;	/* the image's own size, 0 unknown (raw) */
	/* Overwrite media, growisofs style: the image was made with -C for
	 * the end of the volume there; after it, its descriptors (sectors 16
	 * to the terminator) go to LBA 16 so readers find the merged volume. */
	bool append;
	uint32_t descriptor_end;	/* the terminator's sector in the image */
};

/* head holds the image's sectors 16..31 as far as they came (bytes of them).
 * 0 with *plan filled, or the negative errno with last_error set:
 * EINVAL for what is not an image or was made for another address, EEXIST
 * for a volume on overwrite media that would be replaced without
 * force_overwrite. */
int image_check(struct drive *d, const uint8_t *head, size_t bytes, const struct image_target *t,
		struct image_plan *plan);

#endif
