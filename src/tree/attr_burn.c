/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The burn's files: status (one line), the progress directory (IMAPI2's event
 * arguments, one value each), the settings force_close,
 * buffer_underrun_free, force_overwrite, raw, verify and simulate, and
 * cancel.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "discfs/burn.h"
#include "attr.h"

static void progress(struct drive *d, struct burn_progress *p)
{
	burn_get_progress(drive_burn(d), p);
}

static const char *const operation_running[] = {
	[OP_BURN] = "burning", [OP_ERASE] = "erasing", [OP_FORMAT] = "formatting", [OP_CLOSE] = "closing",
};
static const char *const operation_noun[] = {
	[OP_BURN] = "burn", [OP_ERASE] = "erase", [OP_FORMAT] = "format", [OP_CLOSE] = "close",
};

static const char *state_word(const struct burn_progress *p)
{
	switch (p->state) {
	case BURN_IDLE:
		return "idle";
	case BURN_WAITING:
		return "waiting";
	case BURN_RUNNING:
		return p->op == OP_BURN ? burn_action_name(p->action) : operation_running[p->op];
	case BURN_DONE:
		return "completed";
	case BURN_FAILED:
		return p->result == -ECANCELED ? "cancelled" : "failed";
	}
	return "unknown";
}

static unsigned percent(uint64_t part, uint64_t whole)
{
	return whole ? (unsigned)(part * 100 / whole) : 0;
}

/* Erase, format and close: "erasing 37%", "erase completed in 60.4s",
 * "erase failed: EMEDIUMTYPE: ...". */
static int show_operation_status(const struct burn_progress *p, char *out, size_t size)
{
	if (p->state == BURN_RUNNING)
		return attr_print(out, size, "%s %.0f%%\n", operation_running[p->op], p->op_fraction * 100);
	if (p->state == BURN_DONE)
		return attr_print(out, size, "%s completed in %.1fs\n", operation_noun[p->op], p->elapsed_s);
	return attr_print(out, size, "%s failed: %s\n", operation_noun[p->op], p->error);
}

/* "writing 1024/4096 sectors 5410 sectors/s host 12% drive 87% 1s left" */
int show_status(struct drive *d, char *out, size_t size)
{
	struct burn_progress p;
	char total[24] = "?";

	progress(d, &p);
	if (p.state == BURN_IDLE)
		return attr_print(out, size, "idle\n");
	if (p.op != OP_BURN)
		return show_operation_status(&p, out, size);
	if (p.sector_count)
		snprintf(total, sizeof(total), "%u", p.sector_count);
	if (p.state == BURN_FAILED)
		return attr_print(out, size, "%s %llu/%s sectors: %s; on the disc: %s\n", state_word(&p),
				  (unsigned long long)p.sectors_written, total, p.error,
				  p.left_on_disc[0] ? p.left_on_disc : "nothing was written");
	if (p.state == BURN_DONE)
		return attr_print(out, size, "%s%s %llu/%s sectors in %.1fs\n", p.simulated ? "simulated" : "completed",
				  p.verified ? ", verified" : "",
				  (unsigned long long)p.sectors_written, total, p.elapsed_s);
	/* Closing a session takes a drive seconds to minutes with no
	 * progress to report: say so rather than "0s left". */
	if (p.state == BURN_RUNNING && (p.action == ACTION_FINALIZING || p.action == ACTION_VERIFYING))
		return attr_print(out, size, "%s %llu/%s sectors, the drive is %s\n", state_word(&p),
				  (unsigned long long)p.sectors_written, total,
				  p.action == ACTION_FINALIZING ? "closing the track and session" : "reading it back");
	return attr_print(out, size, "%s %llu/%s sectors %.0f sectors/s host %u%% drive %u%% %.0fs left\n",
			  state_word(&p), (unsigned long long)p.sectors_written, total, p.rate_sps,
			  percent(p.host_used, p.host_size), percent(p.drive_used, p.drive_size), p.remaining_s);
}

int show_progress_action(struct drive *d, char *out, size_t size)
{
	struct burn_progress p;

	progress(d, &p);
	if (p.state == BURN_IDLE)
		return attr_print(out, size, "idle\n");
	if (p.op != OP_BURN)
		return attr_print(out, size, "%s\n", p.state == BURN_RUNNING ? operation_running[p.op] : state_word(&p));
	return attr_print(out, size, "%s\n", burn_action_name(p.action));
}

#define PROGRESS_NUMBER(fn, fmt, expr)                                   \
	int fn(struct drive *d, char *out, size_t size)                  \
	{                                                                \
		struct burn_progress p;                                  \
                                                                         \
		progress(d, &p);                                         \
		return attr_print(out, size, fmt "\n", expr);            \
	}

PROGRESS_NUMBER(show_progress_start_lba, "%u", p.start_lba)
PROGRESS_NUMBER(show_progress_sector_count, "%u", p.sector_count)
PROGRESS_NUMBER(show_progress_last_written_lba, "%lld", (long long)p.last_written_lba)
PROGRESS_NUMBER(show_progress_host_buffer_used, "%llu", (unsigned long long)p.host_used)
PROGRESS_NUMBER(show_progress_host_buffer_size, "%llu", (unsigned long long)p.host_size)
PROGRESS_NUMBER(show_progress_drive_buffer_used, "%u", p.drive_used)
PROGRESS_NUMBER(show_progress_drive_buffer_size, "%u", p.drive_size)
PROGRESS_NUMBER(show_progress_rate, "%.0f", p.rate_sps)
PROGRESS_NUMBER(show_progress_elapsed, "%.0f", p.elapsed_s)
PROGRESS_NUMBER(show_progress_remaining, "%.0f", p.remaining_s)
PROGRESS_NUMBER(show_progress_underruns, "%llu", (unsigned long long)p.underruns)
PROGRESS_NUMBER(show_progress_speed, "%s", p.speed_note[0] ? p.speed_note : "none")

/* Settings change between burns only: a burn runs with what it started with. */
static int store_setting(struct drive *d, void (*apply)(struct burn_settings *, const void *), const void *value)
{
	return burn_settings_set(drive_burn(d), apply, value);
}

#define BOOL_SETTING(name)                                                                    \
	static void apply_##name(struct burn_settings *s, const void *value)                  \
	{                                                                                     \
		s->name = *(const bool *)value;                                               \
	}                                                                                     \
	int show_##name(struct drive *d, char *out, size_t size)                              \
	{                                                                                     \
		struct burn_settings s;                                                       \
                                                                                              \
		burn_settings_get(drive_burn(d), &s);                                         \
		return attr_print(out, size, "%d\n", s.name);                                 \
	}                                                                                     \
	int store_##name(struct drive *d, const char *value, size_t len, const char *caller)  \
	{                                                                                     \
		bool v;                                                                       \
                                                                                              \
		(void)caller;                                                                 \
		if (attr_value_bool(value, len, &v) < 0)                                      \
			return drive_fail(d, COND_INVALID_VALUE, #name " takes 0 or 1");     \
		return store_setting(d, apply_##name, &v);                                    \
	}

BOOL_SETTING(force_close)
BOOL_SETTING(buffer_underrun_free)
BOOL_SETTING(force_overwrite)
BOOL_SETTING(raw)
BOOL_SETTING(simulate)

static const char *const verify_words[] = { [VERIFY_NONE] = "none", [VERIFY_QUICK] = "quick", [VERIFY_FULL] = "full" };

static void apply_verify(struct burn_settings *s, const void *value)
{
	s->verify = *(const enum verify_level *)value;
}

int show_verify(struct drive *d, char *out, size_t size)
{
	struct burn_settings s;

	burn_settings_get(drive_burn(d), &s);
	return attr_print(out, size, "%s\n", verify_words[s.verify]);
}

int store_verify(struct drive *d, const char *value, size_t len, const char *caller)
{
	(void)caller;
	for (enum verify_level v = VERIFY_NONE; v <= VERIFY_FULL; v++) {
		if (attr_value_is(value, len, verify_words[v]))
			return store_setting(d, apply_verify, &v);
	}
	return drive_fail(d, COND_INVALID_VALUE, "verify takes none, quick or full");
}

int store_cancel(struct drive *d, const char *value, size_t len, const char *caller)
{
	(void)caller;
	if (!attr_value_true(value, len))
		return drive_fail(d, COND_INVALID_VALUE, "write 1 to cancel");
	return burn_cancel(drive_burn(d));
}
