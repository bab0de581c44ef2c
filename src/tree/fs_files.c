/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * driveN/files/: the files and folders staged for the next session, an
 * ordinary directory tree (cp -r, mkdir, mv, rm, ln -s, touch, chmod) kept
 * in the recorder's staging area on the host (src/master).  Each change
 * asks the mastering layer first: -EBUSY while a commit reads the tree,
 * -ENOSPC at the write that would make the next session too large.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discfs/fs.h"
#include "discfs/master.h"

struct staged_file {
	struct open_file base;
	int fd;
};

/* The staged tree's host path for a FUSE path under driveN/files; -EPERM
 * for any other path (mkdir, symlink elsewhere in the tree). */
static int host_path(const char *path, char *out, struct master **m)
{
	const char *sub;
	struct drive *d = fs_staged_drive(path, &sub);

	if (!d || !d->master)
		return -EPERM;
	*m = d->master;
	return master_path(d->master, sub, out, PATH_MAX);
}

bool fs_files_owns(const char *path)
{
	const char *sub;
	struct drive *d = fs_staged_drive(path, &sub);

	return d && d->master;
}

static int errno_or(int rc)
{
	return rc < 0 ? -errno : rc;
}

int fs_files_getattr(const char *path, struct stat *st)
{
	char host[PATH_MAX];
	struct master *m;
	int rc = host_path(path, host, &m);

	return rc ? rc : errno_or(lstat(host, st));
}

int fs_files_readdir(const char *path, void *buf, fuse_fill_dir_t filler)
{
	char host[PATH_MAX];
	struct master *m;
	struct dirent *e;
	DIR *dir;
	int rc = host_path(path, host, &m);

	if (rc)
		return rc;
	dir = opendir(host);
	if (!dir)
		return -errno;
	while ((e = readdir(dir)))
		filler(buf, e->d_name, NULL, 0, 0);
	closedir(dir);
	return 0;
}

/* Opens or creates a staged file; created tells whether it is new. */
static int open_staged(const char *path, int flags, mode_t mode, struct fuse_file_info *fi)
{
	struct staged_file *f;
	char host[PATH_MAX];
	struct master *m;
	struct stat st;
	bool existed;
	int rc = host_path(path, host, &m);

	if (rc)
		return rc;
	existed = lstat(host, &st) == 0;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))) {
		rc = master_may_change(m);
		if (rc == 0 && existed && (flags & O_TRUNC))
			rc = master_resize(m, (uint64_t)st.st_size, 0);
		if (rc)
			return rc;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->fd = open(host, flags | O_NOFOLLOW, mode);
	if (f->fd < 0) {
		rc = -errno;
		free(f);
		return rc;
	}
	if (!existed)
		master_added(m, S_IFREG);
	f->base.is_staged = true;
	f->base.drive = m->drive;
	fs_open_track(&f->base);
	fi->fh = (uintptr_t)f;
	return 0;
}

int fs_files_open(const char *path, struct fuse_file_info *fi)
{
	return open_staged(path, fi->flags & ~O_CREAT, 0, fi);
}

int fs_files_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return open_staged(path, fi->flags | O_CREAT, mode, fi);
}

int fs_files_read(struct open_file *of, char *buf, size_t size, off_t offset)
{
	struct staged_file *f = (struct staged_file *)of;

	return errno_or((int)pread(f->fd, buf, size, offset));
}

int fs_files_write(struct open_file *of, const char *buf, size_t size, off_t offset)
{
	struct staged_file *f = (struct staged_file *)of;
	struct master *m = of->drive->master;
	uint64_t end = (uint64_t)offset + size;
	struct stat st;
	ssize_t n;
	int rc;

	if (fstat(f->fd, &st) < 0)
		return -errno;
	rc = end > (uint64_t)st.st_size ? master_resize(m, (uint64_t)st.st_size, end) : master_may_change(m);
	if (rc)
		return rc;
	n = pwrite(f->fd, buf, size, offset);
	if (n < 0)
		rc = -errno;
	/* A short or failed write: the file's real size counts. */
	if ((size_t)n != size && end > (uint64_t)st.st_size && fstat(f->fd, &st) == 0)
		master_resize(m, end, (uint64_t)st.st_size > end ? end : (uint64_t)st.st_size);
	return rc ? rc : (int)n;
}

int fs_files_fsync(struct open_file *of)
{
	return errno_or(fdatasync(((struct staged_file *)of)->fd));
}

void fs_files_release(struct open_file *of)
{
	struct staged_file *f = (struct staged_file *)of;

	close(f->fd);
	fs_open_untrack(of);
	free(f);
}

int fs_files_truncate(const char *path, off_t size)
{
	char host[PATH_MAX];
	struct master *m;
	struct stat st;
	int rc = host_path(path, host, &m);

	if (rc)
		return rc;
	if (lstat(host, &st) < 0)
		return -errno;
	rc = master_resize(m, (uint64_t)st.st_size, (uint64_t)size);
	if (rc)
		return rc;
	if (truncate(host, size) < 0) {
		rc = -errno;
		master_resize(m, (uint64_t)size, (uint64_t)st.st_size);
	}
	return rc;
}

/* A change that adds or removes no data: chmod, chown, utimens. */
#define STAGED_CHANGE(call)                                   \
	do {                                                  \
		char host[PATH_MAX];                          \
		struct master *m;                             \
		int rc = host_path(path, host, &m);           \
                                                              \
		if (rc == 0)                                  \
			rc = master_may_change(m);            \
		return rc ? rc : errno_or(call);              \
	} while (0)

int fs_files_chmod(const char *path, mode_t mode)
{
	STAGED_CHANGE(fchmodat(AT_FDCWD, host, mode, 0));
}

int fs_files_chown(const char *path, uid_t uid, gid_t gid)
{
	STAGED_CHANGE(lchown(host, uid, gid));
}

int fs_files_utimens(const char *path, const struct timespec tv[2])
{
	STAGED_CHANGE(utimensat(AT_FDCWD, host, tv, AT_SYMLINK_NOFOLLOW));
}

/* mkdir and ln -s: a new folder, or a link to target. */
static int add_entry(const char *path, mode_t mode, const char *target)
{
	char host[PATH_MAX];
	struct master *m;
	int rc = host_path(path, host, &m);

	if (rc == 0)
		rc = master_may_change(m);
	if (rc == 0)
		rc = errno_or(target ? symlink(target, host) : mkdir(host, mode));
	if (rc == 0)
		master_added(m, target ? S_IFLNK : S_IFDIR);
	return rc;
}

int fs_files_mkdir(const char *path, mode_t mode)
{
	return add_entry(path, mode, NULL);
}

int fs_files_symlink(const char *target, const char *path)
{
	return add_entry(path, 0, target);
}

int fs_files_readlink(const char *path, char *buf, size_t size)
{
	char host[PATH_MAX];
	struct master *m;
	ssize_t n;
	int rc = host_path(path, host, &m);

	if (rc)
		return rc;
	n = readlink(host, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* unlink and rmdir: the entry leaves the next session. */
static int remove_staged(const char *path, int (*remove_fn)(const char *))
{
	char host[PATH_MAX];
	struct master *m;
	struct stat st;
	int rc = host_path(path, host, &m);

	if (rc == 0)
		rc = master_may_change(m);
	if (rc == 0)
		rc = errno_or(lstat(host, &st));
	if (rc == 0)
		rc = errno_or(remove_fn(host));
	if (rc == 0)
		master_removed(m, &st);
	return rc;
}

int fs_files_unlink(const char *path)
{
	return remove_staged(path, unlink);
}

int fs_files_rmdir(const char *path)
{
	return remove_staged(path, rmdir);
}

/* Within one drive's staged tree only; a file manager's temporary file
 * renamed over its target replaces it. */
int fs_files_rename(const char *from, const char *to, unsigned int flags)
{
	char a[PATH_MAX], b[PATH_MAX];
	struct master *m, *m2;
	struct stat moved, replaced;
	bool replacing;
	int rc = host_path(from, a, &m);

	if (rc)
		return rc;
	if (host_path(to, b, &m2) || m2 != m)
		return -EXDEV;
	rc = master_may_change(m);
	if (rc)
		return rc;
	if (lstat(a, &moved) < 0)
		return -errno;
	replacing = lstat(b, &replaced) == 0 && replaced.st_ino != moved.st_ino && !(flags & RENAME_EXCHANGE);
	rc = errno_or(renameat2(AT_FDCWD, a, AT_FDCWD, b, flags));
	if (rc == 0 && replacing)
		master_removed(m, &replaced);
	return rc;
}
