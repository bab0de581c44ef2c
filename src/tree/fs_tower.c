/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * all/: the duplicator tower (the drive model's tower.c).
 *
 *   all/burn        0200  an image written here is burned to every member
 *   all/members     0644  "drive0 drive2": the members; `all` (the default) is
 *                         every recorder holding a medium a burn would accept
 *   all/status      0444  one line per member: "drive0 " and its own status
 *   all/last_error  0444  why the last write to all/ failed
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discfs/fs.h"
#include "discfs/tower.h"
#include "discfs/tree.h"
#include "attr.h"

#define MEMBERS_USAGE "write recorders (drive0 drive2 ...) or all"

enum tower_file { TOWER_BURN, TOWER_MEMBERS, TOWER_STATUS, TOWER_LAST_ERROR };

static const struct {
	const char *name;
	mode_t mode;
} tower_files[] = {
	[TOWER_BURN] = { "burn", 0200 },
	[TOWER_MEMBERS] = { "members", 0644 },
	[TOWER_STATUS] = { "status", 0444 },
	[TOWER_LAST_ERROR] = { "last_error", 0444 },
};

#define NTOWER_FILES (sizeof(tower_files) / sizeof(tower_files[0]))

struct open_tower {
	struct open_file base;
	enum tower_file file;
	struct text_buf text;	/* what a read sees, rendered on open */
	/* all/members takes one value per open, as driveN/'s files do: a
	 * second write takes back what the first one chose. */
	bool written;
	bool chose;
	uint64_t members_before, members_after;	/* 0: the default */
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

bool fs_tower_path(const char *path)
{
	return below(path) != NULL;
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
	st->st_nlink = file < 0 ? 2 : 1;
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
	return 0;
}

static void render_members(struct text_buf *out)
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
}

static const char *last_error(struct drive *d, char *out, size_t size)
{
	drive_last_error(d, out, size);
	return out;
}

/* "drive0 writing 1024/4096 sectors ...": each member's own status line. */
static void render_status(struct text_buf *out)
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
}

int fs_tower_open(const char *path, struct fuse_file_info *fi)
{
	int file = lookup(path), access = fi->flags & O_ACCMODE;
	struct open_tower *o;
	char owner[DRIVE_OWNER_MAX];
	char error[DRIVE_ERROR_MAX];
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
		if (file == TOWER_MEMBERS) {
			render_members(&o->text);
		} else if (file == TOWER_STATUS) {
			render_status(&o->text);
		} else {
			tower_last_error(fs()->tower, error, sizeof(error));
			text_printf(&o->text, "%s\n", error);
		}
		if (o->text.failed)
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
static int store_members(const char *value, size_t len)
{
	uint64_t set = 0;
	size_t i = 0;

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

int fs_tower_write(struct open_file *f, const char *buf, size_t size, off_t offset)
{
	struct open_tower *o = (struct open_tower *)f;
	int rc;

	if (o->file == TOWER_BURN)
		return tower_write(fs()->tower, buf, size, offset);
	if (o->written) {
		if (o->chose && o->members_before != o->members_after)
			tower_choose(fs()->tower, o->members_before);
		return tower_refuse(fs()->tower, "one value per open: write it whole, in one write");
	}
	o->written = true;
	if (offset != 0 || size == 0 || size >= ATTR_MAX_VALUE || memchr(buf, '\0', size))
		return tower_refuse(fs()->tower, "write the whole value at once, from the start");
	o->members_before = chosen_members();
	rc = store_members(buf, size);
	if (rc)
		return rc;
	o->chose = true;
	o->members_after = chosen_members();
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
