/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The attribute handlers of a drive directory (src/tree/attr_*.c), listed
 * in the table of tree.c, and what they share: parsing a written value and
 * printing one.  They parse and format only; the drive model (drive.h,
 * burn.h) owns the state and its locks.
 */
#ifndef DISCFS_TREE_ATTR_H
#define DISCFS_TREE_ATTR_H

#include <stdbool.h>
#include <stddef.h>

#include "discfs/drive.h"
#include "text_buf.h"

/* The written value, less echo's one newline, as a string in out: -EINVAL
 * when empty, too long for size, or holding a NUL. */
int attr_value_text(const char *value, size_t len, char *out, size_t size);

/* The written value, less echo's one newline, is exactly word. */
bool attr_value_is(const char *value, size_t len, const char *word);

/* The one reading of a boolean, for every boolean and trigger file: 1, yes,
 * on, true are true, 0, no, off, false are false; -EINVAL otherwise. */
int attr_value_bool(const char *value, size_t len, bool *out);
/* A trigger file's value: one of the true words. */
bool attr_value_true(const char *value, size_t len);

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
/* The words of the bits set, on one line; none when no bit is. */
struct attr_word {
	uint32_t bit;
	const char *word;
};
int attr_print_words(char *out, size_t size, uint32_t bits, const struct attr_word *words, size_t n,
		     const char *none);

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
int store_speed_starting(struct drive *d, const char *value, size_t len, const char *caller);
int store_speed_ending(struct drive *d, const char *value, size_t len, const char *caller);
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
int store_force_close(struct drive *d, const char *value, size_t len, const char *caller);
int show_buffer_underrun_free(struct drive *d, char *out, size_t size);
int store_buffer_underrun_free(struct drive *d, const char *value, size_t len, const char *caller);
int show_force_overwrite(struct drive *d, char *out, size_t size);
int store_force_overwrite(struct drive *d, const char *value, size_t len, const char *caller);
int show_raw(struct drive *d, char *out, size_t size);
int store_raw(struct drive *d, const char *value, size_t len, const char *caller);
int show_simulate(struct drive *d, char *out, size_t size);
int store_simulate(struct drive *d, const char *value, size_t len, const char *caller);
int show_verify(struct drive *d, char *out, size_t size);
int store_verify(struct drive *d, const char *value, size_t len, const char *caller);
int store_cancel(struct drive *d, const char *value, size_t len, const char *caller);
int store_erase(struct drive *d, const char *value, size_t len, const char *caller);
int store_format(struct drive *d, const char *value, size_t len, const char *caller);
int store_close(struct drive *d, const char *value, size_t len, const char *caller);
int store_eject(struct drive *d, const char *value, size_t len, const char *caller);
int show_tray(struct drive *d, char *out, size_t size);
int store_tray(struct drive *d, const char *value, size_t len, const char *caller);
int show_locked(struct drive *d, char *out, size_t size);
int store_locked(struct drive *d, const char *value, size_t len, const char *caller);
int show_can_load(struct drive *d, char *out, size_t size);
int show_exclusive_owner(struct drive *d, char *out, size_t size);
int show_sessions(struct drive *d, char *out, size_t size);
int show_previous_session_start(struct drive *d, char *out, size_t size);
int show_previous_session_last(struct drive *d, char *out, size_t size);
int show_msinfo(struct drive *d, char *out, size_t size);
int show_profiles(struct drive *d, char *out, size_t size);
int show_features(struct drive *d, char *out, size_t size);
int show_write_protect(struct drive *d, char *out, size_t size);
int show_staged_sectors(struct drive *d, char *out, size_t size);
int show_volume_label(struct drive *d, char *out, size_t size);
int store_volume_label(struct drive *d, const char *value, size_t len, const char *caller);
int store_commit(struct drive *d, const char *value, size_t len, const char *caller);
int store_discard(struct drive *d, const char *value, size_t len, const char *caller);
/* volume_label around an open's one write (fs.c): a refused second write
 * puts back the label the first one set, as it does the drive's settings.
 * "" when the drive stages nothing. */
void attr_label_get(struct drive *d, char *out, size_t size);
void attr_label_undo(struct drive *d, const char *before, const char *after);
int render_last_burn_csv(struct drive *d, struct text_buf *out);
int render_last_burn_svg(struct drive *d, struct text_buf *out);
int show_emulator_media(struct drive *d, char *out, size_t size);
int store_emulator_media(struct drive *d, const char *value, size_t len, const char *caller);

#endif
