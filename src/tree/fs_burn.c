/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * driveN/burn, and files dropped into driveN/ by a file manager: writing
 * one streams an image into the write engine (burn.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Whether any process still has a descriptor open on path.  A drive (and
 * all/) has one burn stream and a burn file cannot be opened for reading,
 * so any such descriptor is a copy of the stream being closed.  FUSE says
 * nothing of copies: the kernel sends a flush for every close() and the
 * release only after the last flush has returned. */
bool fs_held_elsewhere(const char *path)
{
	DIR *proc = opendir("/proc");
	struct dirent *p;
	bool held = false;

	if (!proc)
		return false;
	while (!held && (p = readdir(proc))) {
		char fd_dir[32];
		struct dirent *fd;
		DIR *fds;
		int dir;

		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(fd_dir, sizeof(fd_dir), "%.20s/fd", p->d_name);
		dir = openat(dirfd(proc), fd_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		/* Gone, or another user's: either way not ours to see. */
		fds = dir < 0 ? NULL : fdopendir(dir);
		if (!fds) {
			if (dir >= 0)
				close(dir);
			continue;
		}
		while (!held && (fd = readdir(fds))) {
			char target[4096];
			ssize_t n = readlinkat(dirfd(fds), fd->d_name, target, sizeof(target) - 1);

			if (n > 0) {
				target[n] = '\0';
				held = strcmp(target, path) == 0;
			}
		}
		closedir(fds);
	}
	closedir(proc);
	return held;
}

/* close(): the image ends at the last close, which fails when the image
 * stopped short; a copy closed while another still writes ends nothing. */
int fs_burn_flush(struct open_file *f, const char *mountpoint)
{
	struct burn *b = drive_burn(f->drive);
	bool last = true;

	if (mountpoint && burn_stream_incomplete(b)) {
		char name[256], path[4096];

		if (burn_stream_name(b, name, sizeof(name))) {
			snprintf(path, sizeof(path), "%s/drive%u/%s", mountpoint, drive_index(f->drive), name);
			last = !fs_held_elsewhere(path);
		}
	}
	return burn_flush(b, last);
}

/* fsync(): the caller's own descriptor stays open, so it ends nothing; a
 * whole image's fsync waits for the burn. */
int fs_burn_fsync(struct open_file *f)
{
	return burn_flush(drive_burn(f->drive), false);
}

void fs_burn_release(struct open_file *f)
{
	burn_end(drive_burn(f->drive));
	fs_open_untrack(f);
	free(f);
}
