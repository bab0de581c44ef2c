/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * An emulated recorder's tray, changed as a person at the drive would
 * (emulator/media): the drive model reaches its emulator directly, as no
 * MMC command puts a disc in a tray.
 */
#include <errno.h>
#include <string.h>

#include "discfs/emu.h"
#include "drive_internal.h"

#define LOAD_USAGE "write MEDIA [blank|appendable|closed]"

bool drive_is_emulated(const struct drive *d)
{
	return d->emu != NULL;
}

const char *drive_media_name(struct drive *d)
{
	return d->emu ? emu_media_name(d->emu) : "none";
}

static int state_by_name(const char *word, enum emu_disc_state *out)
{
	static const struct {
		const char *word;
		enum emu_disc_state state;
	} states[] = {
		{ "blank", EMU_STATE_BLANK },
		{ "appendable", EMU_STATE_APPENDABLE },
		{ "closed", EMU_STATE_CLOSED },
	};

	*out = EMU_STATE_DEFAULT;
	if (!word)
		return 0;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		if (strcmp(word, states[i].word) == 0) {
			*out = states[i].state;
			return 0;
		}
	}
	return -EINVAL;
}

int drive_load_media(struct drive *d, const char *media, const char *state)
{
	enum emu_disc_state chosen;
	bool busy;

	if (!d->emu)
		return drive_fail(d, COND_INVALID_VALUE, LOAD_USAGE);
	pthread_mutex_lock(&d->lock);
	busy = d->busy;
	pthread_mutex_unlock(&d->lock);
	/* A person cannot swap the disc while a burn holds the tray locked. */
	if (busy)
		return drive_fail(d, COND_BUSY, "the tray is locked while the drive works");
	if (state_by_name(state, &chosen) < 0 || emu_load_media(d->emu, media, chosen) < 0)
		return drive_fail(d, COND_INVALID_VALUE,
				  LOAD_USAGE "; dvd+rw and bd-re are only ever blank (unformatted), "
				  "cd-rom and dvd-rom closed");
	drive_mark_stale(d);
	return 0;
}
