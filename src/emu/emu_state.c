/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The "<image>.state" sidecar: the layout of the emulated medium, so a later
 * run on the same image finds the same disc.  Plain "key=value" lines:
 *
 *   media=dvd-r            the medium it describes (ignored for another one)
 *   profile=0x0011         current profile (DVD-RW: 0x0014 or 0x0013)
 *   formatted=0|1          overwrite media
 *   capacity=N             writable sectors
 *   next_start=N           where the track after the last closed one starts
 *   sessions_closed=N
 *   finalized=0|1
 *   writing=0|1            saved mid-track: a reload finds the open track damaged
 *   track=START SIZE SESSION open|closed [damaged]     one line per track, in order
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu_internal.h"

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool parse_bool(const char *s, bool *out)
{
	if (strcmp(s, "0") && strcmp(s, "1"))
		return false;
	*out = *s == '1';
	return true;
}

static bool parse_track(char *s, struct emu_disc *d)
{
	struct emu_track *t;
	char *words[5], *save = NULL;
	size_t n = 0;
	uint32_t session;

	for (char *w = strtok_r(s, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n == 5)
			return false;
		words[n++] = w;
	}
	if (n < 4 || d->ntracks >= EMU_MAX_TRACKS)
		return false;
	t = &d->tracks[d->ntracks];
	if (!parse_u32(words[0], &t->start) || !parse_u32(words[1], &t->size) || !parse_u32(words[2], &session) ||
	    session == 0 || session > UINT16_MAX)
		return false;
	t->session = (uint16_t)session;
	if (strcmp(words[3], "open") && strcmp(words[3], "closed"))
		return false;
	t->closed = strcmp(words[3], "closed") == 0;
	if (n == 5 && strcmp(words[4], "damaged"))
		return false;
	t->damaged = n == 5;
	d->ntracks++;
	return true;
}

static bool parse_line(char *line, const struct emu_medium *m, struct emu_disc *d)
{
	char *value = strchr(line, '=');
	uint32_t v;

	if (!value)
		return false;
	*value++ = '\0';
	if (strcmp(line, "media") == 0)
		return strcmp(value, m->name) == 0;
	if (strcmp(line, "track") == 0)
		return parse_track(value, d);
	if (strcmp(line, "formatted") == 0)
		return parse_bool(value, &d->formatted);
	if (strcmp(line, "finalized") == 0)
		return parse_bool(value, &d->finalized);
	if (strcmp(line, "writing") == 0)
		return parse_bool(value, &d->writing);
	if (!parse_u32(value, &v))
		return false;
	if (strcmp(line, "capacity") == 0)
		d->capacity = v;
	else if (strcmp(line, "next_start") == 0)
		d->next_start = v;
	else if (v > UINT16_MAX)
		return false;
	else if (strcmp(line, "profile") == 0)
		d->profile = (uint16_t)v;
	else if (strcmp(line, "sessions_closed") == 0)
		d->sessions_closed = (uint16_t)v;
	else
		return false;
	return true;
}

/* The layout must be one the drive could have produced. */
static bool consistent(const struct emu_medium *m, const struct emu_disc *d)
{
	uint32_t end = 0;
	uint16_t session = 1;

	if (d->profile != m->profile && !(m->profile == 0x14 && d->profile == 0x13))
		return false;
	if (d->capacity == 0 || d->capacity > m->max_capacity)
		return false;
	for (unsigned i = 0; i < d->ntracks; i++) {
		const struct emu_track *t = &d->tracks[i];

		if (t->start < end || t->size > d->capacity - t->start || t->session < session ||
		    t->session > d->sessions_closed + 1 || (!t->closed && i + 1 != d->ntracks))
			return false;
		end = t->start + t->size;
		session = t->session;
	}
	if (d->ntracks && d->tracks[d->ntracks - 1].session < d->sessions_closed)
		return false;
	/* Formatted, an overwrite disc is one closed track over all of it,
	 * written anywhere: it has no next track to start. */
	if (d->formatted)
		return d->ntracks == 1 && d->tracks[0].start == 0 && end == d->capacity;
	return d->next_start >= end || (d->ntracks && !d->tracks[d->ntracks - 1].closed);
}

int emu_state_load(const char *path, const struct emu_medium *m, struct emu_disc *d)
{
	struct emu_disc loaded = { .medium = m };
	char line[256];
	FILE *f;
	bool ok = true, media_seen = false;

	if (!path || !m || m->profile == 0 || m->nspeeds == 0)
		return -ENOENT;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (ok && fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\r\n");

		if (line[len] == '\0' && !feof(f)) {
			ok = false;	/* longer than any line we write */
			break;
		}
		line[len] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		media_seen |= strncmp(line, "media=", 6) == 0;
		ok = parse_line(line, m, &loaded);
	}
	fclose(f);
	if (!ok || !media_seen || !consistent(m, &loaded))
		return -EINVAL;
	/* Saved mid-track and never again: the power went (the process
	 * died) while the track took WRITEs.  Its write link is lost, so a
	 * drive reports it damaged, to be closed, never written further
	 * (Damage 1, NWA_V 0 in READ TRACK INFORMATION). */
	if (loaded.writing && loaded.ntracks && !loaded.tracks[loaded.ntracks - 1].closed)
		loaded.tracks[loaded.ntracks - 1].damaged = true;
	loaded.writing = false;
	*d = loaded;
	return 0;
}

int emu_state_medium(const char *image, char *name, size_t size)
{
	char path[PATH_MAX], line[256];
	FILE *f;
	int rc = -ENODATA;

	if (!image || snprintf(path, sizeof(path), "%s.state", image) >= (int)sizeof(path))
		return -ENOENT;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (rc && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "media=", 6) == 0) {
			line[strcspn(line, "\r\n")] = '\0';
			snprintf(name, size, "%s", line + 6);
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}

int emu_state_save(const char *path, const struct emu_disc *d)
{
	char tmp[PATH_MAX];
	FILE *f;
	int err = 0;

	if (!path || !d->medium)
		return 0;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "# discfs emulated medium layout\n");
	fprintf(f, "media=%s\nprofile=0x%04" PRIx16 "\nformatted=%d\ncapacity=%" PRIu32 "\n", d->medium->name,
		d->profile, d->formatted, d->capacity);
	fprintf(f, "next_start=%" PRIu32 "\nsessions_closed=%" PRIu16 "\nfinalized=%d\nwriting=%d\n", d->next_start,
		d->sessions_closed, d->finalized, d->writing);
	for (unsigned i = 0; i < d->ntracks; i++) {
		const struct emu_track *t = &d->tracks[i];

		fprintf(f, "track=%" PRIu32 " %" PRIu32 " %" PRIu16 " %s%s\n", t->start, t->size, t->session,
			t->closed ? "closed" : "open", t->damaged ? " damaged" : "");
	}
	if (fflush(f) != 0)
		err = -errno;
	if (fclose(f) != 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) != 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
