/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * driveN/burn, and files dropped into driveN/ by a file manager: writing
 * one streams an image into the write engine (burn.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "discfs/burn.h"
#include "discfs/fs.h"

int fs_burn_open(struct drive *d, const char *name, struct fuse_file_info *fi)
{
	struct open_file *f;
	char owner[DRIVE_OWNER_MAX];
	int rc;

	if ((fi->flags & O_ACCMODE) == O_RDONLY)
		return -EACCES;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	fs_caller_name(owner, sizeof(owner));
	rc = burn_begin(drive_burn(d), name, owner);
	if (rc) {
		free(f);
		return rc;
	}
	f->is_stream = true;
	f->drive = d;
	fs_open_track(f);
	fi->fh = (uintptr_t)f;
	/* Every write() reaches the engine as it happens: back-pressure
	 * and errors go to the writer, not to a page cache. */
	fi->direct_io = 1;
	return 0;
}

int fs_burn_write(struct open_file *f, const char *buf, size_t size, off_t offset)
{
	return burn_write(drive_burn(f->drive), buf, size, offset);
}

int fs_burn_flush(struct open_file *f)
{
	return burn_flush(drive_burn(f->drive));
}

void fs_burn_release(struct open_file *f)
{
	burn_end(drive_burn(f->drive));
	fs_open_untrack(f);
	free(f);
}
