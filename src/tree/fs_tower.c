/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * all/: the duplicator tower (the drive model's tower.c).
 *
 *   all/burn            0200  an image written here is burned to every member
 *   all/members         0644  "drive0 drive2": the members; `all` (the default) is
 *                             every recorder holding a medium a burn would accept
 *   all/status          0444  one line per member: "drive0 " and its own status
 *   all/last_error      0444  why the last write to all/ failed
 *   all/files/                files and folders staged for every member (fs_files.c)
 *   all/staged_sectors  0444  the exact size of the session all/commit burns
 *   all/volume_label    0644  its volume label
 *   all/commit          0200  1: master the staged tree once and burn it to every
 *                             member, each of which must take it at sector 0
 *   all/discard         0200  1: forget the staged tree
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discfs/fs.h"
#include "discfs/master.h"
#include "discfs/tower.h"
#include "discfs/tree.h"
#include "attr.h"

#define MEMBERS_USAGE "write recorders (drive0 drive2 ...) or all"

enum tower_file {
	TOWER_BURN,
	TOWER_MEMBERS,
	TOWER_STATUS,
	TOWER_LAST_ERROR,
	TOWER_STAGED_SECTORS,
	TOWER_VOLUME_LABEL,
	TOWER_COMMIT,
	TOWER_DISCARD,
};

static int show_tower_members(struct text_buf *out);
static int show_tower_status(struct text_buf *out);
static int show_tower_error(struct text_buf *out);
static int show_tower_staged(struct text_buf *out);
static int show_tower_label(struct text_buf *out);
static int store_tower_members(const char *value, size_t len, const char *caller);
static int store_tower_label(const char *value, size_t len, const char *caller);
static int store_tower_commit(const char *value, size_t len, const char *caller);
static int store_tower_discard(const char *value, size_t len, const char *caller);

/* A value file's show renders what a read sees, on open; its store takes
 * the one value an open writes. */
static const struct {
	const char *name;
	mode_t mode;
	int (*show)(struct text_buf *out);
	int (*store)(const char *value, size_t len, const char *caller);
} tower_files[] = {
	[TOWER_BURN] = { "burn", 0200, NULL, NULL },
	[TOWER_MEMBERS] = { "members", 0644, show_tower_members, store_tower_members },
	[TOWER_STATUS] = { "status", 0444, show_tower_status, NULL },
	[TOWER_LAST_ERROR] = { "last_error", 0444, show_tower_error, NULL },
	[TOWER_STAGED_SECTORS] = { "staged_sectors", 0444, show_tower_staged, NULL },
	[TOWER_VOLUME_LABEL] = { "volume_label", 0644, show_tower_label, store_tower_label },
	[TOWER_COMMIT] = { "commit", 0200, NULL, store_tower_commit },
	[TOWER_DISCARD] = { "discard", 0200, NULL, store_tower_discard },
};

#define NTOWER_FILES (sizeof(tower_files) / sizeof(tower_files[0]))

struct open_tower {
	struct open_file base;
	enum tower_file file;
	struct text_buf text;	/* what a read sees, rendered on open */
	/* A value file takes one value per open, as driveN/'s files do: a
	 * second write takes back what the first one set. */
	bool written;
	bool stored;
	uint64_t members_before, members_after;	/* 0: the default */
	char label_before[MASTER_LABEL_MAX * 4 + 2], label_after[MASTER_LABEL_MAX * 4 + 2];
};

static struct discfs *fs(void)
{
	return fuse_get_context()->private_data;
}

static const char *below(const char *path)
{
	size_t len = strlen(FS_TOWER_DIR);

	if (path[0] != '/' || strncmp(path + 1, FS_TOWER_DIR, len) != 0)
		return NULL;
	if (path[1 + len] == '\0')
		return "";
	return path[1 + len] == '/' ? path + 2 + len : NULL;
}

/* all/files/ is the staged tree's (fs_files.c). */
bool fs_tower_path(const char *path)
{
	return below(path) != NULL && !fs_files_owns(path);
}

/* The tower's staging area in *m: 0, or -EOPNOTSUPP without one
 * (all/last_error says so). */
static int staging(struct master **m)
{
	*m = fs()->tower_master;
	return *m ? 0 : tower_fail(fs()->tower, COND_UNSUPPORTED_CHANGE, "no staging area: see --staging-dir");
}

/* -1 for all/ itself, -ENOENT for nothing there. */
static int lookup(const char *path)
{
	const char *rest = below(path);

	if (rest[0] == '\0')
		return -1;
	for (size_t i = 0; i < NTOWER_FILES; i++)
		if (strcmp(rest, tower_files[i].name) == 0)
			return (int)i;
	return -ENOENT;
}

int fs_tower_getattr(const char *path, struct stat *st)
{
	int file = lookup(path);

	if (file == -ENOENT)
		return file;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_atime = st->st_mtime = st->st_ctime = fs()->mounted_at;
	/* all/files/ is a folder below it. */
	st->st_nlink = file >= 0 ? 1 : fs()->tower_master ? 3 : 2;
	st->st_mode = file < 0 ? S_IFDIR | 0755 : S_IFREG | tower_files[file].mode;
	/* sysfs's size for values; a burn stream is empty, as driveN/burn. */
	st->st_size = file < 0 || file == TOWER_BURN ? 0 : 4096;
	return 0;
}

int fs_tower_readdir(const char *path, void *buf, fuse_fill_dir_t filler)
{
	int file = lookup(path);

	if (file == -ENOENT)
		return file;
	if (file >= 0)
		return -ENOTDIR;
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	for (size_t i = 0; i < NTOWER_FILES; i++)
		filler(buf, tower_files[i].name, NULL, 0, 0);
	if (fs()->tower_master)
		filler(buf, FS_STAGED_DIR, NULL, 0, 0);
	return 0;
}

static int show_tower_members(struct text_buf *out)
{
	bool chosen;
	uint64_t set = tower_members(fs()->tower, &chosen);
	const char *sep = "";

	for (size_t i = 0; i < fs()->ndrives && i < TOWER_MAX_MEMBERS; i++) {
		if (set & (UINT64_C(1) << i)) {
			text_printf(out, "%sdrive%zu", sep, i);
			sep = " ";
		}
	}
	text_printf(out, "%s\n", set ? "" : "none");
	return 0;
}

static const char *last_error(struct drive *d, char *out, size_t size)
{
	drive_last_error(d, out, size);
	return out;
}

/* "drive0 writing 1024/4096 sectors ...": each member's own status line. */
static int show_tower_status(struct text_buf *out)
{
	unsigned drives[TOWER_MAX_MEMBERS];
	bool began[TOWER_MAX_MEMBERS], any_burn;
	size_t n = tower_status(fs()->tower, drives, began, TOWER_MAX_MEMBERS, &any_burn);
	char line[ATTR_MAX_VALUE];

	for (size_t i = 0; i < n; i++) {
		struct drive *d = fs()->drives[drives[i]];

		if (!any_burn)
			text_printf(out, "drive%u idle\n", drives[i]);
		else if (began[i] && show_status(d, line, sizeof(line)) > 0)
			text_printf(out, "drive%u %s", drives[i], line);
		else
			text_printf(out, "drive%u not started: %s\n", drives[i], last_error(d, line, sizeof(line)));
	}
	return 0;
}

static int show_tower_error(struct text_buf *out)
{
	char error[DRIVE_ERROR_MAX];

	tower_last_error(fs()->tower, error, sizeof(error));
	text_printf(out, "%s\n", error);
	return 0;
}

/* A read is not an operation: without a staging area it only answers
 * with the errno, as does a read that cannot measure. */
static int show_tower_staged(struct text_buf *out)
{
	uint64_t sectors;
	int rc = fs()->tower_master ? master_staged_sectors(fs()->tower_master, &sectors)
				    : drive_nothing_to_show(COND_UNSUPPORTED_CHANGE);

	if (rc == 0)
		text_printf(out, "%llu\n", (unsigned long long)sectors);
	return rc;
}

static int show_tower_label(struct text_buf *out)
{
	char label[MASTER_LABEL_MAX * 4 + 2];
	int rc = fs()->tower_master ? master_label(fs()->tower_master, label, sizeof(label))
				    : drive_nothing_to_show(COND_UNSUPPORTED_CHANGE);

	if (rc == 0)
		text_printf(out, "%s\n", label);
	return rc;
}

static void label_get(char *out, size_t size)
{
	if (!fs()->tower_master || master_label(fs()->tower_master, out, size) < 0)
		out[0] = '\0';
}

static int store_tower_label(const char *value, size_t len, const char *caller)
{
	char label[ATTR_MAX_VALUE];
	struct master *m;
	int rc = staging(&m);

	(void)caller;
	if (rc)
		return rc;
	if (attr_value_text(value, len, label, sizeof(label)) < 0)
		return tower_refuse(fs()->tower, "a volume label is 1 to 32 bytes of text");
	return master_set_label(m, label);
}

static int store_tower_commit(const char *value, size_t len, const char *caller)
{
	struct master *m;
	int rc;

	if (!attr_value_true(value, len))
		return tower_refuse(fs()->tower, "write 1 to burn the staged files to every member");
	rc = staging(&m);
	return rc ? rc : master_commit(m, caller);
}

static int store_tower_discard(const char *value, size_t len, const char *caller)
{
	struct master *m;
	int rc;

	(void)caller;
	if (!attr_value_true(value, len))
		return tower_refuse(fs()->tower, "write 1 to forget the staged files");
	rc = staging(&m);
	return rc ? rc : master_discard(m);
}

int fs_tower_open(const char *path, struct fuse_file_info *fi)
{
	int file = lookup(path), access = fi->flags & O_ACCMODE;
	struct open_tower *o;
	char owner[DRIVE_OWNER_MAX];
	int rc = 0;

	if (file == -ENOENT)
		return file;
	if (file < 0)
		return -EISDIR;
	if ((access != O_RDONLY && !(tower_files[file].mode & 0200)) ||
	    (access != O_WRONLY && !(tower_files[file].mode & 0400)))
		return -EACCES;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->file = (enum tower_file)file;
	if (file == TOWER_BURN) {
		fs_caller_name(owner, sizeof(owner));
		rc = tower_begin(fs()->tower, owner);
	} else if (access != O_WRONLY) {
		rc = tower_files[file].show(&o->text);
		if (rc == 0 && o->text.failed)
			rc = -ENOMEM;
	}
	if (rc) {
		free(o->text.data);
		free(o);
		return rc;
	}
	o->base.is_tower = true;
	o->base.is_stream = file == TOWER_BURN;
	fs_open_track(&o->base);
	fi->fh = (uintptr_t)o;
	fi->direct_io = 1;
	return 0;
}

int fs_tower_read(struct open_file *f, char *buf, size_t size, off_t offset)
{
	struct open_tower *o = (struct open_tower *)f;

	if (o->file == TOWER_BURN)
		return -EBADF;
	if ((size_t)offset >= o->text.len)
		return 0;
	if (size > o->text.len - (size_t)offset)
		size = o->text.len - (size_t)offset;
	memcpy(buf, o->text.data + offset, size);
	return (int)size;
}

/* "drive0 drive2" (spaces, tabs or newlines between), or "all". */
static int store_tower_members(const char *value, size_t len, const char *caller)
{
	uint64_t set = 0;
	size_t i = 0;

	(void)caller;
	if (attr_value_is(value, len, "all"))
		return tower_choose(fs()->tower, 0);
	while (i < len) {
		size_t start, index;

		while (i < len && strchr(" \t\n", value[i]))
			i++;
		start = i;
		while (i < len && !strchr(" \t\n", value[i]))
			i++;
		if (i == start)
			break;
		if (parse_drive_name(value + start, i - start, &index) < 0 || index >= fs()->ndrives ||
		    index >= TOWER_MAX_MEMBERS)
			return tower_refuse(fs()->tower, MEMBERS_USAGE);
		set |= UINT64_C(1) << index;
	}
	return set ? tower_choose(fs()->tower, set) : tower_refuse(fs()->tower, MEMBERS_USAGE);
}

/* The members as chosen: 0 for the default. */
static uint64_t chosen_members(void)
{
	bool chosen;
	uint64_t set = tower_members(fs()->tower, &chosen);

	return chosen ? set : 0;
}

/* Takes back what the first value of this open set. */
static void undo_store(struct open_tower *o)
{
	if (!o->stored)
		return;
	if (o->members_before != o->members_after)
		tower_choose(fs()->tower, o->members_before);
	if (o->label_before[0] && strcmp(o->label_before, o->label_after) != 0)
		master_set_label(fs()->tower_master, o->label_before);
}

int fs_tower_write(struct open_file *f, const char *buf, size_t size, off_t offset)
{
	struct open_tower *o = (struct open_tower *)f;
	char caller[DRIVE_OWNER_MAX];
	int rc;

	if (o->file == TOWER_BURN)
		return tower_write(fs()->tower, buf, size, offset);
	tower_clear_error(fs()->tower);
	if (o->written) {
		undo_store(o);
		return tower_refuse(fs()->tower, "one value per open: write it whole, in one write");
	}
	o->written = true;
	if (offset != 0 || size == 0 || size >= ATTR_MAX_VALUE || memchr(buf, '\0', size))
		return tower_refuse(fs()->tower, "write the whole value at once, from the start");
	fs_caller_name(caller, sizeof(caller));
	o->members_before = chosen_members();
	label_get(o->label_before, sizeof(o->label_before));
	rc = tower_files[o->file].store(buf, size, caller);
	if (rc)
		return rc;
	o->stored = true;
	o->members_after = chosen_members();
	label_get(o->label_after, sizeof(o->label_after));
	return (int)size;
}

int fs_tower_truncate(const char *path, off_t size)
{
	int file = lookup(path);

	if (file == -ENOENT)
		return file;
	if (file < 0)
		return -EISDIR;
	if (file == TOWER_BURN)
		return tower_truncate(fs()->tower, size);
	return tower_files[file].mode & 0200 ? 0 : -EACCES;
}

/* close(): as driveN/burn's, the image ends at the last close of all/burn
 * (EIO when it stopped short); a copy closed while another writes ends
 * nothing. */
int fs_tower_flush(struct open_file *f, const char *mountpoint)
{
	struct open_tower *o = (struct open_tower *)f;
	char path[4096];
	bool last = true;

	if (o->file != TOWER_BURN)
		return 0;
	if (mountpoint && tower_stream_incomplete(fs()->tower)) {
		snprintf(path, sizeof(path), "%s/" FS_TOWER_DIR "/%s", mountpoint, tower_files[TOWER_BURN].name);
		last = !fs_held_elsewhere(path);
	}
	return tower_flush(fs()->tower, last);
}

/* fsync(): the caller's descriptor stays open; a whole image's waits. */
int fs_tower_fsync(struct open_file *f)
{
	struct open_tower *o = (struct open_tower *)f;

	return o->file == TOWER_BURN ? tower_flush(fs()->tower, false) : 0;
}

void fs_tower_release(struct open_file *f)
{
	struct open_tower *o = (struct open_tower *)f;

	if (o->file == TOWER_BURN)
		tower_end(fs()->tower);
	fs_open_untrack(f);
	free(o->text.data);
	free(o);
}

void fs_tower_statfs(struct statvfs *st)
{
	struct drive *drives[TOWER_MAX_MEMBERS];
	size_t n = tower_member_drives(fs()->tower, drives, TOWER_MAX_MEMBERS);
	uint64_t total = UINT64_MAX, free_sectors = UINT64_MAX;

	for (size_t i = 0; i < n; i++) {
		struct media_info m;

		if (drive_media(drives[i], &m) != 0)
			continue;
		if (m.total_sectors < total)
			total = m.total_sectors;
		if (m.free_sectors < free_sectors)
			free_sectors = m.free_sectors;
	}
	if (total == UINT64_MAX)
		return;
	/* What the smallest member keeps once the staged files are burned. */
	if (fs()->tower_master)
		master_free_after(fs()->tower_master, &free_sectors);
	st->f_blocks = total;
	st->f_bfree = st->f_bavail = free_sectors;
}
