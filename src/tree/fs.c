/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * FUSE operations: resolve a path to a drive and one of its files (tree.c),
 * and serve it with sysfs semantics: one value per file, rendered afresh
 * when read from offset 0, taken whole from a single write at offset 0.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "discfs/burn.h"
#include "discfs/crc32.h"
#include "discfs/fs.h"
#include "discfs/master.h"
#include "discfs/settings.h"
#include "discfs/tree.h"

#include "attr.h"

#define DRIVE_PREFIX "drive"
/* sysfs reports 4096 for every attribute; direct_io makes it harmless: a
 * read is never cut at the size the kernel keeps (fs_cache.c). */
#define ATTR_FILE_SIZE 4096

struct node {
	struct drive *drive;	/* NULL for the root */
	const char *rest;	/* path below driveN/, "" for driveN itself */
	const struct attr *attr;	/* NULL for directories and dropped files */
	bool is_dir;
	bool is_stream;		/* burn, or a file dropped for burning */
	uint64_t stream_bytes;
};

struct open_attr {
	struct open_file base;
	const struct attr *attr;
	bool rendered;
	size_t len;
	char value[ATTR_MAX_VALUE];
	bool written;		/* this open has had its one write */
	struct drive_settings before, after;	/* around that write */
	char label_before[MASTER_LABEL_MAX + 1], label_after[MASTER_LABEL_MAX + 1];
};

/* Handles open now.  A SIGTERM or an unmount with a file still open ends
 * the FUSE loop without a release for it, so destroy frees what is left. */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static struct open_file *open_list;

void fs_open_track(struct open_file *f)
{
	pthread_mutex_lock(&open_lock);
	f->prev = NULL;
	f->next = open_list;
	if (open_list)
		open_list->prev = f;
	open_list = f;
	pthread_mutex_unlock(&open_lock);
}

void fs_open_untrack(struct open_file *f)
{
	pthread_mutex_lock(&open_lock);
	if (f->prev)
		f->prev->next = f->next;
	else
		open_list = f->next;
	if (f->next)
		f->next->prev = f->prev;
	pthread_mutex_unlock(&open_lock);
}

static struct discfs *fs_data(void)
{
	return fuse_get_context()->private_data;
}

void fs_caller_name(char *out, size_t size)
{
	pid_t pid = fuse_get_context()->pid;
	char path[64], comm[32] = "?";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	snprintf(out, size, "%s[%d]", comm, (int)pid);
}

int parse_drive_name(const char *name, size_t len, size_t *index)
{
	size_t prefix = strlen(DRIVE_PREFIX), value = 0;

	if (len <= prefix || strncmp(name, DRIVE_PREFIX, prefix) != 0)
		return -ENOENT;
	if (name[prefix] == '0' && len > prefix + 1)
		return -ENOENT;
	for (size_t i = prefix; i < len; i++) {
		if (name[i] < '0' || name[i] > '9' || value > 100000)
			return -ENOENT;
		value = value * 10 + (size_t)(name[i] - '0');
	}
	*index = value;
	return 0;
}

/* The file a file manager copied into driveN/, while and after it burns. */
static bool dropped_file(struct node *n)
{
	if (strchr(n->rest, '/') || !burn_drop_find(drive_burn(n->drive), n->rest, &n->stream_bytes))
		return false;
	n->is_stream = true;
	return true;
}

struct master *fs_staged_master(const char *path, const char **sub)
{
	struct discfs *fs = fs_data();
	const char *name = path + 1, *slash = strchr(name, '/');
	struct master *m = NULL;
	size_t index;

	if (!slash)
		return NULL;
	if ((size_t)(slash - name) == strlen(FS_TOWER_DIR) && strncmp(name, FS_TOWER_DIR, strlen(FS_TOWER_DIR)) == 0)
		m = fs->tower_master;
	else if (parse_drive_name(name, (size_t)(slash - name), &index) == 0 && index < fs->ndrives)
		m = drive_master(fs->drives[index]);
	if (!m || strncmp(slash + 1, FS_STAGED_DIR, strlen(FS_STAGED_DIR)) != 0)
		return NULL;
	*sub = slash + 1 + strlen(FS_STAGED_DIR);
	return **sub == '\0' || **sub == '/' ? m : NULL;
}

static int resolve(const char *path, struct node *n)
{
	struct discfs *fs = fs_data();
	const char *name = path + 1, *slash;
	size_t index;

	memset(n, 0, sizeof(*n));
	if (strcmp(path, "/") == 0) {
		n->is_dir = true;
		return 0;
	}
	slash = strchr(name, '/');
	if (parse_drive_name(name, slash ? (size_t)(slash - name) : strlen(name), &index) < 0 ||
	    index >= fs->ndrives)
		return -ENOENT;
	n->drive = fs->drives[index];
	n->rest = slash ? slash + 1 : "";
	if (n->rest[0] == '\0' || tree_is_dir(n->rest, drive_is_emulated(n->drive))) {
		n->is_dir = true;
		return 0;
	}
	n->attr = tree_lookup(n->rest, drive_is_emulated(n->drive));
	if (n->attr) {
		n->is_stream = n->attr->stream;
		return 0;
	}
	return dropped_file(n) ? 0 : -ENOENT;
}

/* A file dropped into driveN/ and staged lives on as driveN/files/NAME;
 * driveN/NAME still names it, and any staged file or folder, for the tools
 * that dropped it (their fstat and utimens, a file manager's rename of its
 * temporary file).  The staged path when path is such a name, or one below
 * it (and, with must_exist, it is there), else path. */
static const char *drop_alias(const char *path, char *buf, size_t size, bool must_exist)
{
	char first[256];
	struct node n;
	struct stat st;
	const char *slash;

	if (resolve(path, &n) != -ENOENT || !n.drive || !drive_master(n.drive) || n.rest[0] == '\0')
		return path;
	/* Below a folder of the tree (progress/...) or a file (burn/...) is nothing. */
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(n.rest, "/"), n.rest);
	if (strcmp(first, FS_STAGED_DIR) == 0 ||
	    (strchr(n.rest, '/') && (tree_is_dir(first, drive_is_emulated(n.drive)) || tree_lookup(first, true))))
		return path;
	slash = strchr(path + 1, '/');
	if (snprintf(buf, size, "%.*s/" FS_STAGED_DIR "%s", (int)(slash - path), path, slash) >= (int)size)
		return path;
	return !must_exist || fs_files_getattr(buf, &st) == 0 ? buf : path;
}

/* The value's modification time: when it last changed (value_times.c).
 * True when this look found it changed. */
static bool value_changed_at(struct drive *d, const struct attr *a, const char *value, int len,
			     struct timespec *out)
{
	uint32_t crc = len < 0 ? (uint32_t)len : crc32_update(0, value, (size_t)len);

	return drive_value_changed_at(d, tree_index(a), crc, out);
}

/* Every value as it is at mount, so the first change after it is dated,
 * whenever it is first looked at. */
static void note_value(void *ctx, const struct attr *a)
{
	struct drive *d = ctx;
	char value[ATTR_MAX_VALUE];
	struct timespec changed;

	if (a->show)
		value_changed_at(d, a, value, a->show(d, value, sizeof(value)), &changed);
}

static void count_dir(void *ctx, const char *name, bool is_dir)
{
	(void)name;
	*(nlink_t *)ctx += is_dir;
}

/* As on any Unix file system: 2, plus one ".." for each subdirectory
 * (the root's: every driveN/ and all/). */
static nlink_t dir_links(const struct node *n)
{
	nlink_t links = 2;

	if (!n->drive)
		return links + fs_data()->ndrives + 1;
	tree_list(n->rest, drive_is_emulated(n->drive), count_dir, &links);
	return links + (n->rest[0] == '\0' && drive_master(n->drive));
}

static int discfs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	const char *asked = path;
	char alias[PATH_MAX];
	struct node n;
	int rc = resolve(path, &n);

	(void)fi;
	/* Noted before the value is looked at: a change after the look is
	 * one the kernel is told to forget (fs_cache.c). */
	if (fs_tower_path(path)) {
		rc = fs_cache_keep(path, false);
		return rc ? rc : fs_tower_getattr(path, st);
	}
	path = drop_alias(path, alias, sizeof(alias), true);
	if (fs_files_owns(path)) {
		rc = fs_cache_keep(asked, true);
		return rc ? rc : fs_files_getattr(path, st);
	}
	if (rc)
		return rc;
	if (!n.is_dir && (rc = fs_cache_keep(path, false)))
		return rc;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_atime = st->st_mtime = st->st_ctime = fs_data()->mounted_at;
	if (n.attr && n.attr->show) {
		char value[ATTR_MAX_VALUE];
		int len = n.attr->show(n.drive, value, sizeof(value));

		value_changed_at(n.drive, n.attr, value, len, &st->st_mtim);
		st->st_ctim = st->st_mtim;
	}
	if (n.is_dir) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = dir_links(&n);
	} else if (n.is_stream && !n.attr) {
		st->st_mode = S_IFREG | 0644;
		st->st_nlink = 1;
		st->st_size = (off_t)n.stream_bytes;
	} else {
		st->st_mode = S_IFREG | n.attr->mode;
		st->st_nlink = 1;
		st->st_size = n.is_stream ? 0 : n.attr->disc_image ? fs_disc_size(n.drive) :
			      n.attr->render ? fs_report_size(n.drive, n.attr) : ATTR_FILE_SIZE;
	}
	return 0;
}

struct fill_ctx {
	void *buf;
	fuse_fill_dir_t filler;
};

static void fill_entry(void *ctx, const char *name, bool is_dir)
{
	struct fill_ctx *f = ctx;

	(void)is_dir;
	f->filler(f->buf, name, NULL, 0, 0);
}

/* `burn` is listed already, as a file of the table. */
static void fill_dropped(void *ctx, const char *name)
{
	if (!tree_lookup(name, true))
		fill_entry(ctx, name, false);
}

static int discfs_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
			  struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	struct fill_ctx ctx = { buf, filler };
	struct node n;
	int rc = resolve(path, &n);

	(void)offset;
	(void)fi;
	(void)flags;
	if (fs_tower_path(path))
		return fs_tower_readdir(path, buf, filler);
	if (fs_files_owns(path))
		return fs_files_readdir(path, buf, filler);
	if (rc)
		return rc;
	if (!n.is_dir)
		return -ENOTDIR;
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	if (!n.drive) {
		for (size_t i = 0; i < fs_data()->ndrives; i++) {
			char name[32];

			snprintf(name, sizeof(name), DRIVE_PREFIX "%zu", i);
			filler(buf, name, NULL, 0, 0);
		}
		filler(buf, FS_TOWER_DIR, NULL, 0, 0);
		return 0;
	}
	tree_list(n.rest, drive_is_emulated(n.drive), fill_entry, &ctx);
	if (n.rest[0] == '\0' && drive_master(n.drive))
		filler(buf, FS_STAGED_DIR, NULL, 0, 0);
	if (n.rest[0] == '\0')
		burn_drops_list(drive_burn(n.drive), fill_dropped, &ctx);
	return 0;
}

static int discfs_open(const char *path, struct fuse_file_info *fi)
{
	char alias[PATH_MAX];
	struct open_attr *o;
	struct node n;
	int rc = resolve(path, &n);
	int access = fi->flags & O_ACCMODE;

	if (fs_tower_path(path))
		return fs_tower_open(path, fi);
	path = drop_alias(path, alias, sizeof(alias), true);
	if (fs_files_owns(path))
		return fs_files_open(path, fi);
	if (rc)
		return rc;
	if (n.is_dir)
		return -EISDIR;
	if (n.is_stream && !n.attr && access == O_RDONLY)
		return fs_disc_open(n.drive, n.rest, fi);
	if (n.is_stream)
		return fs_burn_open(n.drive, n.rest, fi);
	if (n.attr->disc_image)
		return fs_disc_open(n.drive, NULL, fi);
	if (n.attr->render)
		return fs_report_open(n.drive, n.attr, fi);
	/* As sysfs does: a file without a store cannot be opened for
	 * writing, even by root; one without a show cannot be read. */
	if ((access != O_RDONLY && !n.attr->store) || (access != O_WRONLY && !n.attr->show))
		return -EACCES;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->base.drive = n.drive;
	o->attr = n.attr;
	fs_open_track(&o->base);
	fi->fh = (uintptr_t)o;
	fi->direct_io = 1;
	/* close() of a value has nothing to wait for: no FLUSH round trip. */
	fi->noflush = 1;
	return 0;
}

static struct open_file *open_file(struct fuse_file_info *fi)
{
	return (struct open_file *)(uintptr_t)fi->fh;
}

/* A file manager creating a file in driveN/ starts a burn of it. */
static int discfs_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	char alias[PATH_MAX];
	struct node n;
	int rc = resolve(path, &n);

	if (fs_files_owns(path))
		return fs_files_create(path, mode, fi);
	if (rc == 0)
		return n.is_stream ? fs_burn_open(n.drive, n.rest, fi) : -EEXIST;
	if (!n.drive || n.rest[0] == '\0')
		return -EACCES;
	if (!strchr(n.rest, '/'))
		return fs_drop_create(n.drive, path, n.rest, mode, fi);
	/* A file in a staged folder, named through driveN/. */
	path = drop_alias(path, alias, sizeof(alias), false);
	return fs_files_owns(path) ? fs_files_create(path, mode, fi) : -EACCES;
}

/* A link made in files/, read through either name. */
static int discfs_readlink(const char *path, char *buf, size_t size)
{
	char alias[PATH_MAX];

	return fs_files_readlink(drop_alias(path, alias, sizeof(alias), true), buf, size);
}

static int discfs_read(const char *path, char *buf, size_t size, off_t offset, struct fuse_file_info *fi)
{
	struct open_attr *o = (struct open_attr *)open_file(fi);
	struct timespec changed;

	(void)path;
	if (o->base.is_staged)
		return fs_files_read(&o->base, buf, size, offset);
	if (o->base.is_drop)
		return fs_drop_read(&o->base, buf, size, offset);
	if (o->base.is_disc)
		return fs_disc_read(&o->base, buf, size, offset);
	if (o->base.is_report)
		return fs_report_read(&o->base, buf, size, offset);
	if (o->base.is_tower)
		return fs_tower_read(&o->base, buf, size, offset);
	if (o->base.is_stream)
		return -EBADF;
	if (offset == 0 || !o->rendered) {
		int len = o->attr->show(o->base.drive, o->value, sizeof(o->value));

		if (len < 0)
			return len;
		o->len = (size_t)len;
		o->rendered = true;
		/* A change no one announced: stat must not keep the old time. */
		if (value_changed_at(o->base.drive, o->attr, o->value, len, &changed))
			fs_cache_forget(false);
	}
	if ((size_t)offset >= o->len)
		return 0;
	if (size > o->len - (size_t)offset)
		size = o->len - (size_t)offset;
	memcpy(buf, o->value + offset, size);
	return (int)size;
}

/* sysfs's rule, kept stricter: one value per open, in one write from the
 * start of the file.  A value split across writes (dd bs=1) or a second
 * value in the same open is refused with EINVAL, and the setting the first
 * write made is taken back, so a refused value changes nothing.  An action
 * the first write started (erase, close, eject ...) cannot be taken back.
 * The value is checked here and not at close: shells ignore close()'s
 * errors, so `echo bad > file` must fail in write(). */
static int discfs_write(const char *path, const char *buf, size_t size, off_t offset, struct fuse_file_info *fi)
{
	struct open_attr *o = (struct open_attr *)open_file(fi);
	struct drive *d = o->base.drive;
	char caller[DRIVE_OWNER_MAX];
	int rc;

	(void)path;
	if (o->base.is_tower)
		return fs_tower_write(&o->base, buf, size, offset);
	if (o->base.is_staged)
		return fs_files_write(&o->base, buf, size, offset);
	if (o->base.is_drop)
		return fs_drop_write(&o->base, buf, size, offset);
	if (o->base.is_stream)
		return fs_burn_write(&o->base, buf, size, offset);
	drive_clear_error(d);
	if (o->written) {
		drive_settings_undo(d, &o->before, &o->after);
		attr_label_undo(d, o->label_before, o->label_after);
		return drive_fail(d, COND_INVALID_VALUE, "one value per open: write it whole, in one write");
	}
	o->written = true;
	if (offset != 0 || size == 0 || size >= ATTR_MAX_VALUE)
		return drive_fail(d, COND_INVALID_VALUE, "write the whole value at once, from the start");
	fs_caller_name(caller, sizeof(caller));
	drive_settings_get(d, &o->before);
	attr_label_get(d, o->label_before, sizeof(o->label_before));
	rc = o->attr->store(d, buf, size, caller);
	drive_settings_get(d, &o->after);
	attr_label_get(d, o->label_after, sizeof(o->label_after));
	return rc ? rc : (int)size;
}

/* close(): for a burn, the moment the writer learns how it went. */
static int discfs_flush(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	if (open_file(fi)->is_tower)
		return fs_tower_flush(open_file(fi), fs_data()->mountpoint);
	if (open_file(fi)->is_drop)
		return fs_drop_flush(open_file(fi), fs_data()->mountpoint);
	return open_file(fi)->is_stream ? fs_burn_flush(open_file(fi), fs_data()->mountpoint) : 0;
}

/* fsync (dd conv=fsync, a file manager's copy) of a whole image waits as
 * close() does. */
static int discfs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	(void)datasync;
	if (open_file(fi)->is_tower)
		return fs_tower_fsync(open_file(fi));
	if (open_file(fi)->is_staged)
		return fs_files_fsync(open_file(fi));
	if (open_file(fi)->is_drop)
		return fs_drop_fsync(open_file(fi));
	return open_file(fi)->is_stream ? fs_burn_fsync(open_file(fi)) : 0;
}

static int discfs_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	if (open_file(fi)->is_tower) {
		fs_tower_release(open_file(fi));
	} else if (open_file(fi)->is_staged) {
		fs_files_release(open_file(fi));
	} else if (open_file(fi)->is_drop) {
		fs_drop_release(open_file(fi));
	} else if (open_file(fi)->is_stream) {
		fs_burn_release(open_file(fi));
	} else {
		fs_open_untrack(open_file(fi));
		free(open_file(fi));
	}
	return 0;
}

/* `echo value > file` opens with O_TRUNC: there is nothing to truncate.  A
 * burn stream grows with zeros (a sparse copy's final ftruncate). */
static int discfs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	char alias[PATH_MAX];
	struct node n;
	int rc = resolve(path, &n);

	(void)fi;
	if (fs_tower_path(path))
		return fs_tower_truncate(path, size);
	path = drop_alias(path, alias, sizeof(alias), true);
	if (fs_files_owns(path))
		return fs_files_truncate(path, size);
	if (rc)
		return rc;
	if (n.is_dir)
		return -EISDIR;
	if (n.is_stream)
		return burn_truncate(drive_burn(n.drive), size);
	return n.attr->store ? 0 : -EACCES;
}

/* Copy tools set times, modes and attributes on what they wrote; on a burn
 * target that succeeds without effect, so the copy does not fail. */
static int stream_metadata_only(const char *path)
{
	struct node n;
	int rc = resolve(path, &n);

	if (rc)
		return rc;
	return n.is_stream ? 0 : -EPERM;
}

static int discfs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	char alias[PATH_MAX];

	(void)fi;
	path = drop_alias(path, alias, sizeof(alias), true);
	if (fs_files_owns(path))
		return fs_files_chmod(path, mode);
	return stream_metadata_only(path);
}

static int discfs_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	char alias[PATH_MAX];

	(void)fi;
	path = drop_alias(path, alias, sizeof(alias), true);
	if (fs_files_owns(path))
		return fs_files_chown(path, uid, gid);
	return stream_metadata_only(path);
}

static int discfs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	char alias[PATH_MAX];

	(void)fi;
	path = drop_alias(path, alias, sizeof(alias), true);
	if (fs_files_owns(path))
		return fs_files_utimens(path, tv);
	return stream_metadata_only(path);
}

/* No file here has extended attributes, and none can be given one: every
 * xattr call says so alike. */
static int discfs_setxattr(const char *path, const char *name, const char *value, size_t size, int flags)
{
	(void)path;
	(void)name;
	(void)value;
	(void)size;
	(void)flags;
	return -ENOTSUP;
}

static int discfs_getxattr(const char *path, const char *name, char *value, size_t size)
{
	(void)path;
	(void)name;
	(void)value;
	(void)size;
	return -ENOTSUP;
}

static int discfs_listxattr(const char *path, char *list, size_t size)
{
	(void)path;
	(void)list;
	(void)size;
	return -ENOTSUP;
}

static int discfs_removexattr(const char *path, const char *name)
{
	(void)path;
	(void)name;
	return -ENOTSUP;
}

/* The tree is the drive's, as sysfs's is the kernel's: no directory,
 * link or device node can be made in it, and none removed (EPERM, what
 * sysfs answers; not EROFS, since files here are written).  The staged
 * files are the exception: folders and symbolic links are made and removed
 * in driveN/files/, and dropped on a drive directory (cp -r photos driveN/)
 * they are staged there as a dropped file is; never at the root, and never
 * over a file or folder of the tree.  The staged path for path, or NULL
 * when it is elsewhere. */
static const char *staged_entry(const char *path, char *buf, size_t size, bool must_exist)
{
	if (!strchr(path + 1, '/'))
		return NULL;
	path = drop_alias(path, buf, size, must_exist);
	return fs_files_owns(path) ? path : NULL;
}

static int discfs_mkdir(const char *path, mode_t mode)
{
	char alias[PATH_MAX];
	const char *staged = staged_entry(path, alias, sizeof(alias), false);

	return staged ? fs_files_mkdir(staged, mode) : -EPERM;
}

static int discfs_rmdir(const char *path)
{
	char alias[PATH_MAX];
	const char *staged = staged_entry(path, alias, sizeof(alias), true);

	return staged ? fs_files_rmdir(staged) : -EPERM;
}

static int discfs_symlink(const char *target, const char *path)
{
	char alias[PATH_MAX];
	const char *staged = staged_entry(path, alias, sizeof(alias), false);

	return staged ? fs_files_symlink(target, staged) : -EPERM;
}

static int discfs_link(const char *from, const char *to)
{
	(void)from;
	(void)to;
	return -EPERM;
}

static int discfs_mknod(const char *path, mode_t mode, dev_t dev)
{
	(void)path;
	(void)mode;
	(void)dev;
	return -EPERM;
}

/* A file manager renames its ".part" file when the copy is done. */
static int discfs_rename(const char *from, const char *to, unsigned int flags)
{
	char from_alias[PATH_MAX], to_alias[PATH_MAX];
	struct node a, b;
	int rc = resolve(from, &a);

	/* A dropped file renamed in driveN/ stays in files/. */
	if (drop_alias(from, from_alias, sizeof(from_alias), true) == from_alias) {
		from = from_alias;
		to = drop_alias(to, to_alias, sizeof(to_alias), false);
	}
	if (fs_files_owns(from) || fs_files_owns(to))
		return fs_files_rename(from, to, flags);
	if (rc)
		return rc;
	if (!a.is_stream || a.attr || resolve(to, &b) != -ENOENT || b.drive != a.drive || strchr(b.rest, '/'))
		return -EPERM;
	return burn_rename(drive_burn(a.drive), a.rest, b.rest);
}

/* Forgetting a dropped file (a copy tool cleaning up after a failure). */
static int discfs_unlink(const char *path)
{
	char alias[PATH_MAX];
	struct node n;
	int rc = resolve(path, &n);

	path = drop_alias(path, alias, sizeof(alias), true);
	if (fs_files_owns(path))
		return fs_files_unlink(path);
	if (rc)
		return rc;
	if (!n.is_stream || n.attr)
		return -EPERM;
	return burn_forget(drive_burn(n.drive), n.rest);
}

/* Free space is what the disc keeps once the staged files are burned. */
static void add_drive_space(struct drive *d, struct statvfs *st)
{
	struct media_info m;
	uint64_t free_sectors;

	if (drive_media(d, &m) != 0)
		return;
	free_sectors = m.free_sectors;
	if (drive_master(d))
		master_free_after(drive_master(d), &free_sectors);
	st->f_blocks += m.total_sectors;
	st->f_bfree += free_sectors;
	st->f_bavail += free_sectors;
}

/* A drive directory reports its disc, so df and file managers see the
 * real space; the root adds up every drive. */
static int discfs_statfs(const char *path, struct statvfs *st)
{
	const char *sub;
	struct master *staged = fs_staged_master(path, &sub);
	struct node n;
	int rc = resolve(path, &n);

	if (staged) {
		n.drive = staged->drive;
		rc = 0;
	}
	if (rc && !fs_tower_path(path))
		return rc;
	memset(st, 0, sizeof(*st));
	st->f_bsize = st->f_frsize = MMC_SECTOR_SIZE;
	st->f_namemax = 255;
	if (fs_tower_path(path) || (staged && staged->tower)) {
		fs_tower_statfs(st);
		return 0;
	}
	if (n.drive) {
		add_drive_space(n.drive, st);
		return 0;
	}
	for (size_t i = 0; i < fs_data()->ndrives; i++)
		add_drive_space(fs_data()->drives[i], st);
	return 0;
}

static void *discfs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	struct discfs *fs = fs_data();

	(void)conn;
	cfg->use_ino = 0;
	/* The kernel keeps attributes for attr_timeout (libfuse's 1 s unless
	 * -o attr_timeout=): values change under the tree (status, progress,
	 * the medium, disc's size after a burn), so fs_cache.c has it forget
	 * them whenever one may have changed. */
	fs_cache_start(fuse_get_context()->fuse);
	/* Threads start here, after fuse_main has daemonized: threads do not
	 * survive the fork. */
	for (size_t i = 0; i < fs->ndrives; i++) {
		tree_each(drive_is_emulated(fs->drives[i]), note_value, fs->drives[i]);
		drive_on_change(fs->drives[i], fs_cache_changed, NULL);
		drive_poller_start(fs->drives[i]);
	}
	fs_shutdown_start(fs, fuse_get_context()->fuse);
	return fs;
}

static void discfs_destroy(void *private_data)
{
	struct discfs *fs = private_data;

	fs_cache_stop();
	fs_shutdown_stop();
	for (size_t i = 0; i < fs->ndrives; i++)
		drive_poller_stop(fs->drives[i]);
	/* The loop has ended: no request can release these any more.  A
	 * stream's burn is still there; destroy_drive cancels it cleanly. */
	pthread_mutex_lock(&open_lock);
	while (open_list) {
		struct open_file *f = open_list;

		open_list = f->next;
		free(f);
	}
	pthread_mutex_unlock(&open_lock);
}

/* Every file is always ready, as a regular file is: a burn's back-pressure
 * is a blocking write(), not readiness.  This is what the kernel answers
 * when poll is not implemented, but libfuse 3.14 would leak the poll
 * handle it allocates for the request (fuse_fs_poll returns ENOSYS without
 * destroying it), once per mount. */
static int discfs_poll(const char *path, struct fuse_file_info *fi, struct fuse_pollhandle *ph, unsigned *reventsp)
{
	(void)path;
	(void)fi;
	if (ph)
		fuse_pollhandle_destroy(ph);
	*reventsp = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	return 0;
}

/* Requests that may change what files show: once one is done, the kernel
 * forgets the attributes it keeps (fs_cache.c) before the caller goes on. */
static int changed(int rc)
{
	fs_cache_forget(true);
	return rc;
}

/* A staged file's writer holds its pages while this is answered. */
static int changing_write(const char *path, const char *buf, size_t size, off_t offset, struct fuse_file_info *fi)
{
	int rc = discfs_write(path, buf, size, offset, fi);

	fs_cache_forget(!open_file(fi)->is_staged);
	return rc;
}

static int changing_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return changed(discfs_create(path, mode, fi));
}

/* Closing what was written ends a burn or a staged file; closing a value,
 * a report or the disc read changes nothing. */
static bool written_handle(const struct open_file *f)
{
	return f->is_stream || f->is_drop || f->is_staged || f->is_tower;
}

static int changing_flush(const char *path, struct fuse_file_info *fi)
{
	int rc = discfs_flush(path, fi);

	return written_handle(open_file(fi)) ? changed(rc) : rc;
}

static int changing_release(const char *path, struct fuse_file_info *fi)
{
	bool written = written_handle(open_file(fi));
	int rc = discfs_release(path, fi);

	return written ? changed(rc) : rc;
}

static int changing_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	return changed(discfs_truncate(path, size, fi));
}

/* Through driveN/NAME, a staged file's other name files/NAME changes too. */
static int changing_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return changed(discfs_chmod(path, mode, fi));
}

static int changing_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	return changed(discfs_chown(path, uid, gid, fi));
}

static int changing_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	return changed(discfs_utimens(path, tv, fi));
}

static int changing_mkdir(const char *path, mode_t mode)
{
	return changed(discfs_mkdir(path, mode));
}

static int changing_rmdir(const char *path)
{
	return changed(discfs_rmdir(path));
}

static int changing_symlink(const char *target, const char *path)
{
	return changed(discfs_symlink(target, path));
}

static int changing_rename(const char *from, const char *to, unsigned int flags)
{
	return changed(discfs_rename(from, to, flags));
}

static int changing_unlink(const char *path)
{
	return changed(discfs_unlink(path));
}

const struct fuse_operations discfs_operations = {
	.init = discfs_init,
	.destroy = discfs_destroy,
	.getattr = discfs_getattr,
	.readdir = discfs_readdir,
	.open = discfs_open,
	.read = discfs_read,
	.create = changing_create,
	.write = changing_write,
	.flush = changing_flush,
	.fsync = discfs_fsync,
	.release = changing_release,
	.truncate = changing_truncate,
	.chmod = changing_chmod,
	.chown = changing_chown,
	.utimens = changing_utimens,
	.setxattr = discfs_setxattr,
	.getxattr = discfs_getxattr,
	.listxattr = discfs_listxattr,
	.removexattr = discfs_removexattr,
	.mkdir = changing_mkdir,
	.rmdir = changing_rmdir,
	.symlink = changing_symlink,
	.link = discfs_link,
	.mknod = discfs_mknod,
	.rename = changing_rename,
	.unlink = changing_unlink,
	.readlink = discfs_readlink,
	.statfs = discfs_statfs,
	.poll = discfs_poll,
};
