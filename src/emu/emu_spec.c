/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "--emulate=MEDIA[,key=value...]" into a struct emu_config. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emu_internal.h"

#define MAX_BUFFER_KIB (1024 * 1024)

static int fail(const char **error, const char *reason)
{
	*error = reason;
	return -EINVAL;
}

/* "LBA" or "FIRST-LAST", the sectors of fault=unreadable@ or stall@. */
static int parse_sectors(const char *at, enum emu_fault fault, struct emu_config *cfg, const char **error)
{
	unsigned long first, last;
	char *end;

	errno = 0;
	first = strtoul(at, &end, 10);
	last = first;
	if (!errno && end != at && *end == '-' && end[1] != '-') {
		const char *from = end + 1;

		last = strtoul(from, &end, 10);
		if (end == from)
			errno = EINVAL;
	}
	if (errno || end == at || *end || *at == '-' || first > UINT32_MAX || last > UINT32_MAX || last < first)
		return fail(error, "fault=unreadable@LBA[-LBA] and stall@LBA[-LBA] take a sector or a range of sectors");
	cfg->fault = fault;
	cfg->fault_after = (uint32_t)first;
	cfg->fault_last_lba = (uint32_t)last;
	return 0;
}

/* "KIND" or "KIND@SECTORS": the fault and how many sectors are written
 * before it fires; or unreadable@LBA[-LBA], stall@LBA[-LBA]. */
static int parse_fault(char *value, struct emu_config *cfg, const char **error)
{
	char *at = strchr(value, '@'), *end;
	unsigned long after = 0;
	enum emu_fault kind;

	if (at)
		*at = '\0';
	if (emu_fault_by_name(value, &kind) == 0 && (kind == EMU_FAULT_UNREADABLE || kind == EMU_FAULT_STALL))
		return at ? parse_sectors(at + 1, kind, cfg, error)
			  : fail(error, "fault=unreadable@LBA[-LBA] and stall@LBA[-LBA] need the sectors");
	if (at) {
		at++;
		errno = 0;
		after = strtoul(at, &end, 10);
		if (errno || end == at || *end || *at == '-' || after > UINT32_MAX)
			return fail(error, "fault=KIND@SECTORS takes a sector count");
	}
	if (emu_fault_by_name(value, &cfg->fault) < 0)
		return fail(error, "fault must be medium-removed, write-error, loss-of-streaming, power-calibration, "
				   "unit-attention, becoming-ready, timeout, vanish, unreadable@LBA[-LBA] or stall@LBA[-LBA]");
	cfg->fault_after = (uint32_t)after;
	return 0;
}

static const char *const option_names[] = { "image", "log", "timescale", "state", "buffer", "fault" };
#define NOPTIONS (sizeof(option_names) / sizeof(option_names[0]))

/* An option given twice would leave one of them unheeded. */
static int once(const char *opt, bool seen[NOPTIONS], const char **error)
{
	for (size_t i = 0; i < NOPTIONS; i++) {
		if (strcmp(opt, option_names[i]) != 0)
			continue;
		if (seen[i])
			return fail(error, "an emulator option is given twice");
		seen[i] = true;
	}
	return 0;
}

static int parse_option(char *opt, struct emu_config *cfg, bool seen[NOPTIONS], const char **error)
{
	char *value = strchr(opt, '='), *end;

	if (!value)
		return fail(error, "emulator option without '=' (expected key=value)");
	*value++ = '\0';
	if (once(opt, seen, error) < 0)
		return -EINVAL;
	if (strcmp(opt, "image") == 0) {
		if (!*value)
			return fail(error, "empty image path");
		cfg->image = value;
	} else if (strcmp(opt, "log") == 0) {
		if (!*value)
			return fail(error, "empty log path");
		cfg->log_path = value;
	} else if (strcmp(opt, "timescale") == 0 && strcmp(value, "virtual") == 0) {
		cfg->virtual_clock = true;
	} else if (strcmp(opt, "timescale") == 0) {
		errno = 0;
		cfg->timescale = strtod(value, &end);
		if (errno || end == value || *end || !isfinite(cfg->timescale) || cfg->timescale <= 0)
			return fail(error, "timescale must be a positive number or virtual");
	} else if (strcmp(opt, "state") == 0) {
		if (strcmp(value, "blank") == 0)
			cfg->state = EMU_STATE_BLANK;
		else if (strcmp(value, "appendable") == 0)
			cfg->state = EMU_STATE_APPENDABLE;
		else if (strcmp(value, "closed") == 0)
			cfg->state = EMU_STATE_CLOSED;
		else
			return fail(error, "state must be blank, appendable or closed");
	} else if (strcmp(opt, "buffer") == 0) {
		unsigned long kib;

		errno = 0;
		kib = strtoul(value, &end, 10);
		if (errno || end == value || *end || *value == '-' || kib == 0 || kib > MAX_BUFFER_KIB)
			return fail(error, "buffer must be a size in KiB between 1 and 1048576");
		cfg->buffer_kib = (uint32_t)kib;
	} else if (strcmp(opt, "fault") == 0) {
		return parse_fault(value, cfg, error);
	} else {
		return fail(error, "unknown emulator option (image, timescale, state, log, buffer, fault)");
	}
	return 0;
}

int emu_parse_spec(const char *spec, struct emu_config *cfg, char **storage, const char **error)
{
	char *copy, *save = NULL, *opt;
	bool seen[NOPTIONS] = { false };
	int err;

	*storage = NULL;
	*error = NULL;
	memset(cfg, 0, sizeof(*cfg));
	cfg->timescale = 1.0;
	if (!spec)
		return fail(error, "no emulated medium given");
	copy = strdup(spec);
	if (!copy) {
		*error = "out of memory";
		return -ENOMEM;
	}
	cfg->media = strtok_r(copy, ",", &save);
	if (!cfg->media || !emu_medium_by_name(cfg->media)) {
		free(copy);
		return fail(error, "unknown medium (cd-r, cd-rw, dvd-r, dvd-rw, dvd+r, dvd+rw, bd-r, bd-re, cd-rom, "
				   "dvd-rom, none)");
	}
	while ((opt = strtok_r(NULL, ",", &save))) {
		err = parse_option(opt, cfg, seen, error);
		if (err == 0 && (*error = emu_state_refusal(emu_medium_by_name(cfg->media), cfg->state)))
			err = -EINVAL;
		if (err) {
			free(copy);
			memset(cfg, 0, sizeof(*cfg));
			return err;
		}
	}
	*storage = copy;
	return 0;
}
