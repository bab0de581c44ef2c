/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The files of a drive directory.  tree.c lists every one of them with the
 * function that renders it and the one that takes a written value; that
 * table is where to start looking for the code behind any file.  The
 * functions themselves are declared in src/tree/attr.h.
 */
#ifndef DISCFS_TREE_H
#define DISCFS_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "discfs/drive.h"

#define ATTR_MAX_VALUE 4096

struct attr {
	const char *path;	/* below driveN/, e.g. "write_speed/starting" */
	mode_t mode;		/* sysfs modes: 0444, 0644, 0200 */
	/* Renders the newline-terminated value; its length or -errno. */
	int (*show)(struct drive *d, char *out, size_t size);
	/* Applies what was written (not NUL-terminated) by caller
	 * ("cp[1234]", the program behind the write); 0 or -errno, and on
	 * error the old value stays. */
	int (*store)(struct drive *d, const char *value, size_t len, const char *caller);
	/* A write stream into the burn engine (fs_burn.c) rather than a
	 * value: show and store are NULL. */
	bool stream;
	/* Only on emulated recorders (the emulator's controls). */
	bool emulated_only;
	/* The disc's data as a file (fs_disc.c): show and store are NULL. */
	bool disc_image;
};

/* The attribute at a path below driveN/, or NULL.  emulated: the drive is
 * an emulated recorder, which has a few files more. */
const struct attr *tree_lookup(const char *path, bool emulated);
/* The attribute's place in the table: a slot for drive_value_changed_at. */
size_t tree_index(const struct attr *a);
/* Calls each(ctx, a) for every attribute of a drive directory. */
void tree_each(bool emulated, void (*each)(void *ctx, const struct attr *a), void *ctx);
/* True for a directory below driveN/ ("write_speed"). */
bool tree_is_dir(const char *path, bool emulated);
/* Calls fill(ctx, name, is_dir) for each entry directly inside dir ("" for
 * the drive directory itself). */
void tree_list(const char *dir, bool emulated, void (*fill)(void *ctx, const char *name, bool is_dir), void *ctx);

#endif
