/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The files of a drive directory.  tree.c lists every one of them with the
 * function that renders it and the one that takes a written value; that
 * table is where to start looking for the code behind any file.
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
	/* Applies what was written (not NUL-terminated); 0 or -errno, and
	 * on error the old value stays. */
	int (*store)(struct drive *d, const char *value, size_t len);
	/* A write stream into the burn engine (fs_burn.c) rather than a
	 * value: show and store are NULL. */
	bool stream;
	/* Only on emulated recorders (the emulator's controls). */
	bool emulated_only;
};

/* The attribute at a path below driveN/, or NULL.  emulated: the drive is
 * an emulated recorder, which has a few files more. */
const struct attr *tree_lookup(const char *path, bool emulated);
/* True for a directory below driveN/ ("write_speed"). */
bool tree_is_dir(const char *path, bool emulated);
/* Calls fill(ctx, name, is_dir) for each entry directly inside dir ("" for
 * the drive directory itself). */
void tree_list(const char *dir, bool emulated, void (*fill)(void *ctx, const char *name, bool is_dir), void *ctx);

/* The written value, less echo's one newline, as a string in out: -EINVAL
 * when empty, too long for size, or holding a NUL. */
int attr_value_text(const char *value, size_t len, char *out, size_t size);

/* The written value, less echo's one newline, is exactly word. */
bool attr_value_is(const char *value, size_t len, const char *word);

/* Opens (load=false) or closes the tray unless the drive is busy
 * (attr_tray.c; the tray and eject files share it). */
int tray_move(struct drive *d, bool load);

/* Defines a show function printing one value of the media snapshot, or the
 * error that kept the medium from being read. */
#define SHOW_MEDIA_VALUE(fn, fmt, expr)                                          \
	int fn(struct drive *d, char *out, size_t size)                          \
	{                                                                        \
		struct media_info m;                                             \
		int rc = drive_media(d, &m);                                     \
                                                                                 \
		return rc ? rc : attr_print(out, size, fmt "\n", expr);          \
	}

/* snprintf that returns -EOVERFLOW instead of truncating. */
int attr_print(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The show/store functions, one file per subject. */
int show_vendor(struct drive *d, char *out, size_t size);
int show_product(struct drive *d, char *out, size_t size);
int show_revision(struct drive *d, char *out, size_t size);
int show_device(struct drive *d, char *out, size_t size);
int show_free_sectors(struct drive *d, char *out, size_t size);
int show_total_sectors(struct drive *d, char *out, size_t size);
int show_next_writable_address(struct drive *d, char *out, size_t size);
int show_bytes_per_sector(struct drive *d, char *out, size_t size);
int show_media(struct drive *d, char *out, size_t size);
int show_media_status(struct drive *d, char *out, size_t size);
int show_speed_starting(struct drive *d, char *out, size_t size);
int show_speed_ending(struct drive *d, char *out, size_t size);
int store_speed_starting(struct drive *d, const char *value, size_t len);
int store_speed_ending(struct drive *d, const char *value, size_t len);
int show_speed_supported(struct drive *d, char *out, size_t size);
int show_last_error(struct drive *d, char *out, size_t size);
int show_status(struct drive *d, char *out, size_t size);
int show_progress_action(struct drive *d, char *out, size_t size);
int show_progress_start_lba(struct drive *d, char *out, size_t size);
int show_progress_sector_count(struct drive *d, char *out, size_t size);
int show_progress_last_written_lba(struct drive *d, char *out, size_t size);
int show_progress_host_buffer_used(struct drive *d, char *out, size_t size);
int show_progress_host_buffer_size(struct drive *d, char *out, size_t size);
int show_progress_drive_buffer_used(struct drive *d, char *out, size_t size);
int show_progress_drive_buffer_size(struct drive *d, char *out, size_t size);
int show_progress_rate(struct drive *d, char *out, size_t size);
int show_progress_elapsed(struct drive *d, char *out, size_t size);
int show_progress_remaining(struct drive *d, char *out, size_t size);
int show_progress_underruns(struct drive *d, char *out, size_t size);
int show_progress_speed(struct drive *d, char *out, size_t size);
int show_force_close(struct drive *d, char *out, size_t size);
int store_force_close(struct drive *d, const char *value, size_t len);
int show_buffer_underrun_free(struct drive *d, char *out, size_t size);
int store_buffer_underrun_free(struct drive *d, const char *value, size_t len);
int show_force_overwrite(struct drive *d, char *out, size_t size);
int store_force_overwrite(struct drive *d, const char *value, size_t len);
int show_raw(struct drive *d, char *out, size_t size);
int store_raw(struct drive *d, const char *value, size_t len);
int show_verify(struct drive *d, char *out, size_t size);
int store_verify(struct drive *d, const char *value, size_t len);
int store_cancel(struct drive *d, const char *value, size_t len);
int store_erase(struct drive *d, const char *value, size_t len);
int store_format(struct drive *d, const char *value, size_t len);
int store_close(struct drive *d, const char *value, size_t len);
int store_eject(struct drive *d, const char *value, size_t len);
int show_tray(struct drive *d, char *out, size_t size);
int store_tray(struct drive *d, const char *value, size_t len);
int show_locked(struct drive *d, char *out, size_t size);
int store_locked(struct drive *d, const char *value, size_t len);
int show_can_load(struct drive *d, char *out, size_t size);
int show_exclusive_owner(struct drive *d, char *out, size_t size);
int show_sessions(struct drive *d, char *out, size_t size);
int show_previous_session_start(struct drive *d, char *out, size_t size);
int show_previous_session_last(struct drive *d, char *out, size_t size);
int show_msinfo(struct drive *d, char *out, size_t size);
int show_profiles(struct drive *d, char *out, size_t size);
int show_features(struct drive *d, char *out, size_t size);
int show_write_protect(struct drive *d, char *out, size_t size);
int show_emulator_media(struct drive *d, char *out, size_t size);
int store_emulator_media(struct drive *d, const char *value, size_t len);

#endif
