/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * driveN/files/ and all/files/: the files and folders staged for the next
 * session, an ordinary directory tree (cp -r, mkdir, mv, rm, ln -s, touch,
 * chmod) kept in the recorder's (or the tower's) staging area on the host
 * (src/master).  Each change
 * asks the mastering layer first: -EBUSY while a commit reads the tree,
 * -ENOSPC at the write that would make the next session too large.
 *
 * On an appendable disc the tree of its last session shows under the
 * staged files (src/master/disc_view.c): its files read back through the
 * drive, rm and rmdir leave them out of the next session, a file staged at
 * the same path replaces one, and its folders take new files.  They are
 * read-only otherwise (EROFS), and move only by copy (EXDEV).
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
	struct master *master;
	int fd;			/* the staged file, or -1 for one of the disc's: */
	char *disc_path;	/* its path below files/ */
};

/* The staged tree's host path for a FUSE path under driveN/files or
 * all/files, and the path below files/ ("" or "/a/b") in *sub when sub is
 * not NULL; -EPERM for any other path (mkdir, symlink elsewhere in the
 * tree). */
static int staged_path(const char *path, char *out, struct master **m, const char **sub)
{
	const char *rest;

	*m = fs_staged_master(path, &rest);
	if (!*m)
		return -EPERM;
	if (sub)
		*sub = rest;
	return master_path(*m, rest, out, PATH_MAX);
}

/* Stages the disc's folders above sub, so that something can be made in
 * its folder. */
static int make_parent(struct master *m, const char *sub)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(sub, '/');

	if (!slash || slash == sub)
		return 0;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - sub), sub);
	return master_disc_materialize(m, parent);
}

bool fs_files_owns(const char *path)
{
	const char *sub;

	return fs_staged_master(path, &sub) != NULL;
}

static int errno_or(int rc)
{
	return rc < 0 ? -errno : rc;
}

int fs_files_getattr(const char *path, struct stat *st)
{
	char host[PATH_MAX];
	struct master *m;
	const char *sub;
	int rc = staged_path(path, host, &m, &sub);

	if (rc)
		return rc;
	if (lstat(host, st) == 0)
		return 0;
	return errno == ENOENT ? master_disc_stat(m, sub, st) : -errno;
}

struct fill_ctx {
	void *buf;
	fuse_fill_dir_t filler;
	const char *host;	/* the staged folder: its entries are listed already */
};

static void fill_from_disc(void *ctx, const char *name)
{
	struct fill_ctx *c = ctx;
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", c->host, name) < (int)sizeof(path) && lstat(path, &st) < 0)
		c->filler(c->buf, name, NULL, 0, 0);
}

int fs_files_readdir(const char *path, void *buf, fuse_fill_dir_t filler)
{
	char host[PATH_MAX];
	struct master *m;
	const char *sub;
	struct dirent *e;
	DIR *dir;
	int rc = staged_path(path, host, &m, &sub);
	struct fill_ctx ctx = { buf, filler, host };

	if (rc)
		return rc;
	dir = opendir(host);
	if (!dir && errno != ENOENT)
		return -errno;
	if (dir) {
		while ((e = readdir(dir)))
			filler(buf, e->d_name, NULL, 0, 0);
		closedir(dir);
	} else {
		filler(buf, ".", NULL, 0, 0);
		filler(buf, "..", NULL, 0, 0);
	}
	rc = master_disc_list(m, sub, fill_from_disc, &ctx);
	return dir ? 0 : rc;
}

/* The handle of an opened file of m's tree, staged or of the disc. */
static void give_handle(struct staged_file *f, struct master *m, struct fuse_file_info *fi)
{
	f->master = m;
	f->base.is_staged = true;
	f->base.drive = m->drive;
	fs_open_track(&f->base);
	fi->fh = (uintptr_t)f;
}

/* A read-only handle on a file of the disc. */
static int open_on_disc(struct master *m, const char *sub, struct fuse_file_info *fi)
{
	struct staged_file *f = calloc(1, sizeof(*f));

	if (!f || !(f->disc_path = strdup(sub))) {
		free(f);
		return -ENOMEM;
	}
	f->fd = -1;
	give_handle(f, m, fi);
	return 0;
}

/* Opens or creates a staged file; created tells whether it is new. */
static int open_staged(const char *path, int flags, mode_t mode, struct fuse_file_info *fi)
{
	struct staged_file *f;
	char host[PATH_MAX];
	struct master *m;
	const char *sub;
	struct stat st;
	bool existed;
	int rc = staged_path(path, host, &m, &sub);

	if (rc)
		return rc;
	existed = lstat(host, &st) == 0;
	if (!existed && master_disc_stat(m, sub, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (flags & O_EXCL)
			return -EEXIST;
		if ((flags & O_ACCMODE) == O_RDONLY && !(flags & O_TRUNC))
			return open_on_disc(m, sub, fi);
		/* Written over whole, a file of the disc becomes a staged one;
		 * changed in place, it would have to be copied off the disc. */
		if (!(flags & O_TRUNC))
			return -EROFS;
		flags |= O_CREAT;
	}
	if (!existed && (flags & O_CREAT)) {
		rc = master_may_change(m);
		if (rc == 0)
			rc = make_parent(m, sub);
		if (rc)
			return rc;
	}
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
	give_handle(f, m, fi);
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

	if (f->fd < 0)
		return master_disc_read(f->master, f->disc_path, buf, size, (uint64_t)offset);
	return errno_or((int)pread(f->fd, buf, size, offset));
}

int fs_files_write(struct open_file *of, const char *buf, size_t size, off_t offset)
{
	struct staged_file *f = (struct staged_file *)of;
	struct master *m = f->master;
	uint64_t end = (uint64_t)offset + size;
	struct stat st;
	ssize_t n;
	int rc;

	if (f->fd < 0)
		return -EBADF;
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
	struct staged_file *f = (struct staged_file *)of;

	return f->fd < 0 ? 0 : errno_or(fdatasync(f->fd));
}

void fs_files_release(struct open_file *of)
{
	struct staged_file *f = (struct staged_file *)of;

	if (f->fd >= 0)
		close(f->fd);
	free(f->disc_path);
	fs_open_untrack(of);
	free(f);
}

/* A path missing from the staged tree: -EROFS for one of the disc's. */
static int not_staged(struct master *m, const char *sub)
{
	struct stat st;

	return master_disc_stat(m, sub, &st) == 0 ? -EROFS : -ENOENT;
}

int fs_files_truncate(const char *path, off_t size)
{
	char host[PATH_MAX];
	struct master *m;
	const char *sub;
	struct stat st;
	int rc = staged_path(path, host, &m, &sub);

	if (rc)
		return rc;
	if (lstat(host, &st) < 0)
		return errno == ENOENT ? not_staged(m, sub) : -errno;
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
		const char *sub;                              \
		int rc = staged_path(path, host, &m, &sub);   \
                                                              \
		if (rc == 0)                                  \
			rc = master_may_change(m);            \
		if (rc == 0)                                  \
			rc = errno_or(call);                  \
		return rc == -ENOENT ? not_staged(m, sub) : rc; \
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
	const char *sub;
	struct stat st;
	int rc = staged_path(path, host, &m, &sub);

	if (rc == 0 && master_disc_stat(m, sub, &st) == 0)
		rc = -EEXIST;
	if (rc == 0)
		rc = master_may_change(m);
	if (rc == 0)
		rc = make_parent(m, sub);
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
	const char *sub;
	ssize_t n;
	int rc = staged_path(path, host, &m, &sub);

	if (rc)
		return rc;
	n = readlink(host, buf, size - 1);
	if (n < 0)
		return errno == ENOENT ? master_disc_readlink(m, sub, buf, size) : -errno;
	buf[n] = '\0';
	return 0;
}

static void count_entry(void *ctx, const char *name)
{
	(void)name;
	(*(unsigned *)ctx)++;
}

/* unlink and rmdir: the entry leaves the next session, staged or on the
 * disc (where an rmdir needs the folder's files removed first). */
static int remove_staged(const char *path, int (*remove_fn)(const char *))
{
	char host[PATH_MAX];
	struct master *m;
	const char *sub;
	struct stat st, on_disc;
	unsigned left = 0;
	bool staged, disc;
	int rc = staged_path(path, host, &m, &sub);

	if (rc)
		return rc;
	staged = lstat(host, &st) == 0;
	disc = sub[0] && master_disc_stat(m, sub, &on_disc) == 0;
	if (!staged && !disc)
		return -ENOENT;
	if (disc && remove_fn == rmdir && master_disc_list(m, sub, count_entry, &left) == 0 && left)
		return -ENOTEMPTY;
	rc = master_may_change(m);
	if (rc == 0 && staged) {
		rc = errno_or(remove_fn(host));
		if (rc == 0)
			master_removed(m, &st);
	}
	if (rc == 0 && disc)
		rc = master_disc_remove(m, sub);
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

/* Within one staged tree only; a file manager's temporary file
 * renamed over its target replaces it. */
int fs_files_rename(const char *from, const char *to, unsigned int flags)
{
	char a[PATH_MAX], b[PATH_MAX];
	struct master *m, *m2;
	const char *from_sub, *to_sub;
	struct stat moved, replaced;
	bool replacing;
	int rc = staged_path(from, a, &m, &from_sub);

	if (rc)
		return rc;
	if (staged_path(to, b, &m2, &to_sub) || m2 != m)
		return -EXDEV;
	/* The disc's files stay where they are: mv copies them instead. */
	if (lstat(a, &moved) < 0)
		return errno == ENOENT && not_staged(m, from_sub) == -EROFS ? -EXDEV : -errno;
	rc = master_may_change(m);
	if (rc == 0)
		rc = make_parent(m, to_sub);
	if (rc)
		return rc;
	replacing = lstat(b, &replaced) == 0 && replaced.st_ino != moved.st_ino && !(flags & RENAME_EXCHANGE);
	rc = errno_or(renameat2(AT_FDCWD, a, AT_FDCWD, b, flags));
	if (rc == 0 && replacing)
		master_removed(m, &replaced);
	return rc;
}
