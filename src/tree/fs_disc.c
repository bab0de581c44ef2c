/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * driveN/disc, and a dropped file's listing once burned: the disc's data as
 * a read-only file.  Reads go to the drive model's read path (read.c) with
 * direct_io, so a sector the drive cannot read ends a read short and the
 * next read fails there with EIO, instead of a page cache filling it in.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/burn.h"
#include "discfs/fs.h"
#include "discfs/read.h"

struct open_disc {
	struct open_file base;
	uint64_t generation;	/* the medium it was opened on */
	uint32_t first_lba;
	uint64_t bytes;
};

off_t fs_disc_size(struct drive *d)
{
	uint64_t sectors;

	return drive_readable_end(d, &sectors) == 0 ? (off_t)(sectors * MMC_SECTOR_SIZE) : 0;
}

/* A dropped file's sectors: where its burn started and what it wrote. */
static int burned_extent(struct drive *d, const char *name, uint32_t *first_lba, uint64_t *bytes)
{
	int rc = burn_drop_extent(drive_burn(d), name, first_lba, bytes);

	if (rc == -EBUSY)
		return drive_fail(d, COND_BUSY, "the file is still being burned");
	return rc;
}

int fs_disc_open(struct drive *d, const char *name, struct fuse_file_info *fi)
{
	struct open_disc *o;
	struct media_info m;
	uint64_t sectors;
	int rc;

	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	rc = drive_media(d, &m);
	if (rc == -ENOMEDIUM)
		return drive_fail(d, COND_NO_MEDIA, NULL);
	if (rc)
		return rc;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->generation = m.generation;
	if (name) {
		rc = burned_extent(d, name, &o->first_lba, &o->bytes);
	} else {
		rc = drive_readable_end(d, &sectors);
		if (rc == -EBUSY)
			rc = drive_fail(d, COND_BUSY, "the disc cannot be read while it is being written");
		o->bytes = sectors * MMC_SECTOR_SIZE;
	}
	if (rc) {
		free(o);
		return rc;
	}
	o->base.is_disc = true;
	o->base.drive = d;
	fs_open_track(&o->base);
	fi->fh = (uintptr_t)o;
	/* Short reads and errors reach the reader as they are. */
	fi->direct_io = 1;
	return 0;
}

/* Still the disc this file was opened on? */
static int same_medium(struct open_disc *o)
{
	struct media_info m;
	int rc = drive_media(o->base.drive, &m);

	if (rc == -ENOMEDIUM || (rc == 0 && m.generation != o->generation))
		return drive_fail(o->base.drive, COND_NO_MEDIA, "the disc was changed while it was read; open it again");
	return rc;
}

/* What a read returns once the disc has been checked: data that came from
 * another disc than the one opened (swapped meanwhile) is not given out,
 * and a read that failed for the swap (a unit attention) says so.  Checked
 * after the read, so the data cannot come from a disc changed since; a
 * burn's EBUSY stands, as the burn itself renews the media snapshot. */
static int checked(struct open_disc *o, int rc)
{
	int changed = rc == -EBUSY ? 0 : same_medium(o);

	return changed ? changed : rc;
}

int fs_disc_read(struct open_file *f, char *buf, size_t size, off_t offset)
{
	struct open_disc *o = (struct open_disc *)f;
	uint64_t at, first, sectors, skip;
	uint8_t *bounce;
	int n;

	if (offset < 0)
		return -EINVAL;
	if ((uint64_t)offset >= o->bytes || size == 0)
		return 0;
	if (size > o->bytes - (uint64_t)offset)
		size = (size_t)(o->bytes - (uint64_t)offset);
	at = (uint64_t)o->first_lba * MMC_SECTOR_SIZE + (uint64_t)offset;
	first = at / MMC_SECTOR_SIZE;
	skip = at % MMC_SECTOR_SIZE;
	sectors = (skip + size + MMC_SECTOR_SIZE - 1) / MMC_SECTOR_SIZE;
	if (first + sectors > UINT32_MAX)
		return -EINVAL;
	/* Whole sectors land in the reader's buffer; a partial one goes through a bounce buffer. */
	if (skip == 0 && size % MMC_SECTOR_SIZE == 0) {
		n = drive_read_sectors(f->drive, (uint32_t)first, (uint32_t)sectors, buf);
		return checked(o, n < 0 ? n : n * MMC_SECTOR_SIZE);
	}
	bounce = malloc(sectors * MMC_SECTOR_SIZE);
	if (!bounce)
		return -ENOMEM;
	n = drive_read_sectors(f->drive, (uint32_t)first, (uint32_t)sectors, bounce);
	if (n > 0) {
		uint64_t got = (uint64_t)n * MMC_SECTOR_SIZE - skip;

		if (got < size)
			size = (size_t)got;
		memcpy(buf, bounce + skip, size);
		n = (int)size;
	}
	free(bounce);
	return checked(o, n);
}
