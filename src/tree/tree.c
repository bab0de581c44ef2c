/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every file of a drive directory, and the code behind it. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "discfs/tree.h"
#include "attr.h"

/* sysfs's modes: read-only 0444, read-write 0644, write-only 0200. */
#define ATTR_RO(p, sh) { .path = p, .mode = 0444, .show = sh }
#define ATTR_RW(p, sh, st) { .path = p, .mode = 0644, .show = sh, .store = st }
#define ATTR_WO(p, st) { .path = p, .mode = 0200, .store = st }
#define ATTR_STREAM(p) { .path = p, .mode = 0200, .stream = true }
#define ATTR_EMULATOR_RW(p, sh, st) { .path = p, .mode = 0644, .show = sh, .store = st, .emulated_only = true }
#define ATTR_DISC(p) { .path = p, .mode = 0444, .disc_image = true }
#define ATTR_REPORT(p, r) { .path = p, .mode = 0444, .render = r }

static const struct attr attrs[] = {
	/* identity: attr_identity.c */
	ATTR_RO("vendor", show_vendor),
	ATTR_RO("product", show_product),
	ATTR_RO("revision", show_revision),
	ATTR_RO("device", show_device),
	/* the medium: attr_media.c */
	ATTR_RO("media", show_media),
	ATTR_RO("media_status", show_media_status),
	/* space: attr_capacity.c */
	ATTR_RO("free_sectors", show_free_sectors),
	ATTR_RO("total_sectors", show_total_sectors),
	ATTR_RO("next_writable_address", show_next_writable_address),
	ATTR_RO("bytes_per_sector", show_bytes_per_sector),
	/* speeds: attr_speed.c (the drive's side: drive.c drive_speed_get, speed_setting.c drive_speed_set) */
	ATTR_RW("write_speed/starting", show_speed_starting, store_speed_starting),
	ATTR_RW("write_speed/ending", show_speed_ending, store_speed_ending),
	ATTR_RO("write_speed/supported", show_speed_supported),
	/* errors: attr_error.c */
	ATTR_RO("last_error", show_last_error),
	/* burning: the stream in fs_burn.c (engine: burn.c, burn_engine.c), the rest attr_burn.c
	 * (settings: burn_settings.c) */
	ATTR_STREAM("burn"),
	ATTR_WO("cancel", store_cancel),
	ATTR_RO("status", show_status),
	ATTR_RW("force_close", show_force_close, store_force_close),
	ATTR_RW("buffer_underrun_free", show_buffer_underrun_free, store_buffer_underrun_free),
	ATTR_RW("force_overwrite", show_force_overwrite, store_force_overwrite),
	ATTR_RW("raw", show_raw, store_raw),
	ATTR_RW("simulate", show_simulate, store_simulate),
	ATTR_RW("verify", show_verify, store_verify),
	ATTR_RO("progress/action", show_progress_action),
	ATTR_RO("progress/start_lba", show_progress_start_lba),
	ATTR_RO("progress/sector_count", show_progress_sector_count),
	ATTR_RO("progress/last_written_lba", show_progress_last_written_lba),
	ATTR_RO("progress/host_buffer_used", show_progress_host_buffer_used),
	ATTR_RO("progress/host_buffer_size", show_progress_host_buffer_size),
	ATTR_RO("progress/drive_buffer_used", show_progress_drive_buffer_used),
	ATTR_RO("progress/drive_buffer_size", show_progress_drive_buffer_size),
	ATTR_RO("progress/rate", show_progress_rate),
	ATTR_RO("progress/elapsed", show_progress_elapsed),
	ATTR_RO("progress/remaining", show_progress_remaining),
	ATTR_RO("progress/underruns", show_progress_underruns),
	ATTR_RO("progress/speed", show_progress_speed),
	/* how the last burn went, sampled by burn_log.c: attr_last_burn.c (files: fs_report.c) */
	ATTR_REPORT("last_burn/log.csv", render_last_burn_csv),
	ATTR_REPORT("last_burn/graph.svg", render_last_burn_svg),
	/* erase, format, close, eject: attr_actions.c (operations: burn_ops.c, disc.c) */
	ATTR_WO("erase", store_erase),
	ATTR_WO("format", store_format),
	ATTR_WO("close", store_close),
	ATTR_WO("eject", store_eject),
	/* the tray and who holds the drive: attr_tray.c (the drive's side: drive_tray.c) */
	ATTR_RW("tray", show_tray, store_tray),
	ATTR_RW("locked", show_locked, store_locked),
	ATTR_RO("can_load", show_can_load),
	ATTR_RO("exclusive_owner", show_exclusive_owner),
	/* sessions: attr_session.c */
	ATTR_RO("sessions", show_sessions),
	ATTR_RO("previous_session/start", show_previous_session_start),
	ATTR_RO("previous_session/last_written", show_previous_session_last),
	ATTR_RO("msinfo", show_msinfo),
	/* staged files: the tree files/ in fs_files.c, these attr_master.c (mastering: src/master) */
	ATTR_RO("staged_sectors", show_staged_sectors),
	ATTR_RW("volume_label", show_volume_label, store_volume_label),
	ATTR_WO("commit", store_commit),
	ATTR_WO("discard", store_discard),
	/* the disc's data, read back: fs_disc.c (reads and the readable end: read.c) */
	ATTR_DISC("disc"),
	/* capabilities: attr_caps.c */
	ATTR_RO("profiles", show_profiles),
	ATTR_RO("features", show_features),
	ATTR_RO("write_protect", show_write_protect),
	/* the emulated recorder's tray, for scripts to change media: attr_emulator.c
	 * (the drive's side: drive_emulator.c) */
	ATTR_EMULATOR_RW("emulator/media", show_emulator_media, store_emulator_media),
};

#define NATTRS (sizeof(attrs) / sizeof(attrs[0]))

static bool exists_on(const struct attr *a, bool emulated)
{
	return emulated || !a->emulated_only;
}

const struct attr *tree_lookup(const char *path, bool emulated)
{
	for (size_t i = 0; i < NATTRS; i++)
		if (strcmp(attrs[i].path, path) == 0 && exists_on(&attrs[i], emulated))
			return &attrs[i];
	return NULL;
}

size_t tree_index(const struct attr *a)
{
	return (size_t)(a - attrs);
}

void tree_each(bool emulated, void (*each)(void *ctx, const struct attr *a), void *ctx)
{
	for (size_t i = 0; i < NATTRS; i++)
		if (exists_on(&attrs[i], emulated))
			each(ctx, &attrs[i]);
}

/* A directory is any proper prefix of an attribute path ending at a '/'. */
bool tree_is_dir(const char *path, bool emulated)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < NATTRS; i++)
		if (strncmp(attrs[i].path, path, len) == 0 && attrs[i].path[len] == '/' && exists_on(&attrs[i], emulated))
			return true;
	return false;
}

static bool name_listed(char (*names)[64], size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

void tree_list(const char *dir, bool emulated, void (*fill)(void *ctx, const char *name, bool is_dir), void *ctx)
{
	size_t dir_len = strlen(dir);
	char listed_dirs[NATTRS][64];
	size_t nlisted = 0;

	for (size_t i = 0; i < NATTRS; i++) {
		const char *rest = attrs[i].path;
		char name[64];
		const char *slash;
		size_t name_len;

		if (!exists_on(&attrs[i], emulated))
			continue;
		if (dir_len) {
			if (strncmp(rest, dir, dir_len) != 0 || rest[dir_len] != '/')
				continue;
			rest += dir_len + 1;
		}
		slash = strchr(rest, '/');
		name_len = slash ? (size_t)(slash - rest) : strlen(rest);
		if (name_len >= sizeof(name))
			continue;
		memcpy(name, rest, name_len);
		name[name_len] = '\0';
		if (slash) {
			/* Several attributes share a subdirectory; list it once. */
			if (name_listed(listed_dirs, nlisted, name))
				continue;
			memcpy(listed_dirs[nlisted++], name, name_len + 1);
		}
		fill(ctx, name, slash != NULL);
	}
}

int attr_value_text(const char *value, size_t len, char *out, size_t size)
{
	if (len > 0 && value[len - 1] == '\n')
		len--;
	if (len == 0 || len >= size || memchr(value, '\0', len))
		return -EINVAL;
	memcpy(out, value, len);
	out[len] = '\0';
	return 0;
}

bool attr_value_is(const char *value, size_t len, const char *word)
{
	if (len > 0 && value[len - 1] == '\n')
		len--;
	return len == strlen(word) && memcmp(value, word, len) == 0;
}

int attr_value_bool(const char *value, size_t len, bool *out)
{
	static const char *const yes[] = { "1", "yes", "on", "true" };
	static const char *const no[] = { "0", "no", "off", "false" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (attr_value_is(value, len, yes[i])) {
			*out = true;
			return 0;
		}
		if (attr_value_is(value, len, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

bool attr_value_true(const char *value, size_t len)
{
	bool v;

	return attr_value_bool(value, len, &v) == 0 && v;
}

int attr_print(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EIO;
	return (size_t)n >= size ? -EOVERFLOW : n;
}
