/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The FUSE side: the mounted tree of /driveN directories. */
#ifndef DISCFS_FS_H
#define DISCFS_FS_H

#define FUSE_USE_VERSION 31
#include <fuse.h>
#include <sys/statvfs.h>

#include "discfs/drive.h"

struct discfs {
	struct drive **drives;
	size_t ndrives;
	struct tower *tower;	/* all/ (fs_tower.c) */
	struct master *tower_master;	/* all/files, NULL without a staging area */
	time_t mounted_at;
	char *mountpoint;	/* absolute, to recognise our files in /proc/PID/fd */
};

extern const struct fuse_operations discfs_operations;

/* What an open file handle (fi->fh) points at starts with this. */
struct open_file {
	bool is_stream;
	bool is_staged;		/* a file under driveN/files (fs_files.c) */
	bool is_drop;		/* a file dropped into driveN/ (fs_drop.c) */
	bool is_disc;		/* driveN/disc or a dropped file read back (fs_disc.c) */
	bool is_report;		/* a document rendered on open (fs_report.c) */
	bool is_tower;		/* a file of all/ (fs_tower.c) */
	struct drive *drive;
	/* On the list of open handles (fs_open_track), so the ones the kernel
	 * never releases (the daemon stopped with a file open) are freed. */
	struct open_file *prev, *next;
};

/* Every handle given to FUSE is tracked from open to release. */
void fs_open_track(struct open_file *f);
void fs_open_untrack(struct open_file *f);

/* The attributes the kernel keeps (fs_cache.c): init starts, destroy
 * stops; getattr notes each path it answers that may change behind the
 * kernel (fs_cache_keep, page_cached for a staged file; -ENOMEM when it
 * cannot); fs_cache_forget has the kernel forget them, after any request
 * that may have changed a value (page_cached_too unless the request may
 * hold a staged file's pages); fs_cache_changed is the drive model's
 * drive_on_change listener. */
void fs_cache_start(struct fuse *fuse);
void fs_cache_stop(void);
int fs_cache_keep(const char *path, bool page_cached);
void fs_cache_forget(bool page_cached_too);
void fs_cache_changed(void *ctx);

/* Orderly shutdown (fs_shutdown.c): main blocks the termination signals
 * before any thread starts; init starts the thread that waits for them. */
void fs_block_signals(void);
int fs_shutdown_start(struct discfs *fs, struct fuse *fuse);
void fs_shutdown_stop(void);

/* "cp[1234]": the program behind the current FUSE request, the caller a
 * store handler is given (exclusive_owner names it). */
void fs_caller_name(char *out, size_t size);

/* Burn streams: driveN/burn, or a file a file manager drops into driveN/
 * (fs_burn.c). */
int fs_burn_open(struct drive *d, const char *name, struct fuse_file_info *fi);
int fs_burn_write(struct open_file *f, const char *buf, size_t size, off_t offset);
int fs_burn_flush(struct open_file *f, const char *mountpoint);
/* Whether a process other than the closing one still holds path open
 * (a burn stream's copies): the last close is the one that ends it. */
bool fs_held_elsewhere(const char *path);
int fs_burn_fsync(struct open_file *f);
void fs_burn_release(struct open_file *f);

/* The folder of staged files in a drive directory. */
#define FS_STAGED_DIR "files"

/* A file dropped into driveN/ (fs_drop.c): staged in files/, or burned
 * when its volume recognition area (from 32 KiB; a shorter file's, at its
 * last close) shows an ISO 9660 or UDF image. */
int fs_drop_create(struct drive *d, const char *path, const char *name, mode_t mode, struct fuse_file_info *fi);
int fs_drop_write(struct open_file *f, const char *buf, size_t size, off_t offset);
int fs_drop_read(struct open_file *f, char *buf, size_t size, off_t offset);
int fs_drop_flush(struct open_file *f, const char *mountpoint);
int fs_drop_fsync(struct open_file *f);
void fs_drop_release(struct open_file *f);

/* The staging area of a path under /driveN/files or /all/files, with *sub
 * set to the rest ("" for files itself, else "/a/b"); NULL for any other
 * path. */
struct master *fs_staged_master(const char *path, const char **sub);

/* driveN/files/ and all/files/, the staged trees (fs_files.c): FUSE operations for the
 * paths fs_files_owns. */
bool fs_files_owns(const char *path);
int fs_files_getattr(const char *path, struct stat *st);
int fs_files_readdir(const char *path, void *buf, fuse_fill_dir_t filler);
int fs_files_open(const char *path, struct fuse_file_info *fi);
int fs_files_create(const char *path, mode_t mode, struct fuse_file_info *fi);
int fs_files_read(struct open_file *f, char *buf, size_t size, off_t offset);
int fs_files_write(struct open_file *f, const char *buf, size_t size, off_t offset);
int fs_files_fsync(struct open_file *f);
void fs_files_release(struct open_file *f);
int fs_files_truncate(const char *path, off_t size);
int fs_files_chmod(const char *path, mode_t mode);
int fs_files_chown(const char *path, uid_t uid, gid_t gid);
int fs_files_utimens(const char *path, const struct timespec tv[2]);
int fs_files_mkdir(const char *path, mode_t mode);
int fs_files_rmdir(const char *path);
int fs_files_symlink(const char *target, const char *path);
int fs_files_readlink(const char *path, char *buf, size_t size);
int fs_files_unlink(const char *path);
int fs_files_rename(const char *from, const char *to, unsigned int flags);
/* Reading the disc back: driveN/disc (name NULL), or a dropped file's
 * listing (its name), which reads what its burn put on the disc (fs_disc.c). */
off_t fs_disc_size(struct drive *d);
int fs_disc_open(struct drive *d, const char *name, struct fuse_file_info *fi);
int fs_disc_read(struct open_file *f, char *buf, size_t size, off_t offset);

/* all/, the duplicator tower (fs_tower.c): its paths, and its open files. */
#define FS_TOWER_DIR "all"
bool fs_tower_path(const char *path);
int fs_tower_getattr(const char *path, struct stat *st);
int fs_tower_readdir(const char *path, void *buf, fuse_fill_dir_t filler);
int fs_tower_open(const char *path, struct fuse_file_info *fi);
int fs_tower_truncate(const char *path, off_t size);
int fs_tower_read(struct open_file *f, char *buf, size_t size, off_t offset);
int fs_tower_write(struct open_file *f, const char *buf, size_t size, off_t offset);
int fs_tower_flush(struct open_file *f, const char *mountpoint);
int fs_tower_fsync(struct open_file *f);
void fs_tower_release(struct open_file *f);
/* df on all/ and all/files: the smallest member's disc. */
void fs_tower_statfs(struct statvfs *st);
/* "drive12" → 12; -ENOENT for "drive", "drive01" and trailing junk (fs.c). */
int parse_drive_name(const char *name, size_t len, size_t *index);

/* Documents rendered whole on open (fs_report.c): driveN/last_burn/. */
struct attr;
off_t fs_report_size(struct drive *d, const struct attr *a);
int fs_report_open(struct drive *d, const struct attr *a, struct fuse_file_info *fi);
int fs_report_read(struct open_file *f, char *buf, size_t size, off_t offset);

#endif
