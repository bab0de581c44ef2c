/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A file dropped into driveN/ by cp or a file manager: an ISO 9660 or UDF
 * image is burned as it stands, anything else (a photo, a document) is
 * staged in driveN/files/ for the next commit.  Its volume recognition
 * area (32 to 64 KiB) decides; until that has arrived the file is staged, and
 * when it turns out to be an image its first bytes move into a burn
 * (burn.c) and the staged copy goes.  A file that ends before 64 KiB (a
 * small image: genisoimage -no-pad of a few files) is decided at its last
 * close, on the part of the area it holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/burn.h"
#include "discfs/fs.h"
#include "discfs/volume.h"

#define MOVE_BYTES (64 * 1024)
/* start_burn's end for "up to the staged copy's end of file". */
#define TO_END UINT64_MAX

struct dropped {
	struct open_file base;
	struct open_file *staged;	/* the staged copy, until burning */
	char staged_path[PATH_MAX];	/* /driveN/files/NAME */
	char name[256];
	bool decided, burning;
};

int fs_drop_create(struct drive *d, const char *path, const char *name, mode_t mode, struct fuse_file_info *fi)
{
	const char *slash = strchr(path + 1, '/');
	struct dropped *f;
	int rc;

	if (!drive_master(d))
		return fs_burn_open(d, name, fi);
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	snprintf(f->name, sizeof(f->name), "%s", name);
	if (snprintf(f->staged_path, sizeof(f->staged_path), "%.*s/" FS_STAGED_DIR "%s", (int)(slash - path), path,
		     slash) >= (int)sizeof(f->staged_path)) {
		free(f);
		return -ENAMETOOLONG;
	}
	/* Read and write: its first bytes are read back to decide. */
	fi->flags = (fi->flags & ~O_ACCMODE) | O_RDWR;
	rc = fs_files_create(f->staged_path, mode, fi);
	if (rc) {
		free(f);
		return rc;
	}
	f->staged = (struct open_file *)(uintptr_t)fi->fh;
	f->base.is_drop = true;
	f->base.drive = d;
	fs_open_track(&f->base);
	fi->fh = (uintptr_t)f;
	/* As for a burn: each write() arrives in order and learns the outcome. */
	fi->direct_io = 1;
	return 0;
}

/* The staged copy turned out to be an image: burn it instead, from its
 * first byte up to end (TO_END: all of it). */
static int start_burn(struct dropped *f, uint64_t end)
{
	struct drive *d = f->base.drive;
	char owner[DRIVE_OWNER_MAX], *buf = malloc(MOVE_BYTES);
	int rc;

	if (!buf)
		return -ENOMEM;
	fs_caller_name(owner, sizeof(owner));
	rc = burn_begin(drive_burn(d), f->name, owner);
	/* Once begun, the burn is this writer's: later writes, close and
	 * release go to it, and learn how it ended. */
	f->burning = rc == 0;
	for (uint64_t at = 0; rc == 0 && at < end;) {
		size_t want = end - at < MOVE_BYTES ? (size_t)(end - at) : MOVE_BYTES;
		int n = fs_files_read(f->staged, buf, want, (off_t)at);

		if (n == 0 && end == TO_END)
			break;
		rc = n <= 0 ? (n < 0 ? n : -EIO) : burn_write(drive_burn(d), buf, (size_t)n, (off_t)at);
		if (rc > 0) {
			at += (uint64_t)rc;
			rc = 0;
		}
	}
	free(buf);
	fs_files_release(f->staged);
	f->staged = NULL;
	fs_files_unlink(f->staged_path);
	return rc;
}

/* Whether the staged copy is an image, by as much of its volume recognition
 * area as it holds (volume.c's rule: under one whole sector, it is not). */
static int staged_is_image(struct dropped *f, bool *image)
{
	uint8_t *area = malloc(VOLUME_RECOGNITION_BYTES);
	int n;

	if (!area)
		return -ENOMEM;
	n = fs_files_read(f->staged, (char *)area, VOLUME_RECOGNITION_BYTES, VOLUME_RECOGNITION_OFFSET);
	*image = n > 0 && volume_recognised(area, (size_t)n);
	free(area);
	return n < 0 ? n : 0;
}

int fs_drop_write(struct open_file *of, const char *buf, size_t size, off_t offset)
{
	struct dropped *f = (struct dropped *)of;
	uint64_t end = (uint64_t)offset + size;
	bool image;
	int rc;

	if (f->burning)
		return burn_write(drive_burn(of->drive), buf, size, offset);
	if (!f->staged)
		return -EIO;
	rc = fs_files_write(f->staged, buf, size, offset);
	if (rc < 0 || f->decided || end < VOLUME_RECOGNITION_OFFSET + VOLUME_RECOGNITION_BYTES)
		return rc;
	f->decided = true;
	if (staged_is_image(f, &image) || !image)
		return rc;
	rc = start_burn(f, end);
	return rc ? rc : (int)size;
}

int fs_drop_read(struct open_file *of, char *buf, size_t size, off_t offset)
{
	struct dropped *f = (struct dropped *)of;

	return f->staged ? fs_files_read(f->staged, buf, size, offset) : -EBADF;
}

/* Whether a process other than the closing one still holds the dropped
 * file open (a script's `exec 3>`): only the last close decides. */
static bool held_elsewhere(const struct dropped *f, const char *mountpoint)
{
	char path[PATH_MAX];

	if (!mountpoint ||
	    snprintf(path, sizeof(path), "%s/drive%u/%s", mountpoint, drive_index(f->base.drive), f->name) >=
		    (int)sizeof(path))
		return false;
	return fs_held_elsewhere(path);
}

/* Once burning, close() and fsync() are a burn's (fs_burn.c).  A file that
 * ended before its whole recognition area is decided at its last close: an
 * image burns and close() tells how, as it would for driveN/burn. */
int fs_drop_flush(struct open_file *of, const char *mountpoint)
{
	struct dropped *f = (struct dropped *)of;
	bool image;
	int rc;

	if (f->burning)
		return fs_burn_flush(of, mountpoint);
	if (f->decided || !f->staged)
		return 0;
	rc = staged_is_image(f, &image);
	if (rc || !image || held_elsewhere(f, mountpoint))
		return rc;
	f->decided = true;
	rc = start_burn(f, TO_END);
	return rc ? rc : burn_flush(drive_burn(of->drive), true);
}

int fs_drop_fsync(struct open_file *of)
{
	struct dropped *f = (struct dropped *)of;

	return f->burning ? fs_burn_fsync(of) : 0;
}

void fs_drop_release(struct open_file *of)
{
	struct dropped *f = (struct dropped *)of;

	if (f->burning)
		burn_end(drive_burn(of->drive));
	if (f->staged)
		fs_files_release(f->staged);
	fs_open_untrack(of);
	free(f);
}
