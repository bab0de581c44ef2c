/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * emulator/media, on emulated recorders only: what is in the tray, and
 * writing "dvd-r", "cd-rw appendable" or "none" changes it as a person at
 * the drive would, so scripts can test media changes without hardware.
 */
#include <errno.h>
#include <string.h>

#include "attr.h"

int show_emulator_media(struct drive *d, char *out, size_t size)
{
	return attr_print(out, size, "%s\n", drive_media_name(d));
}

int store_emulator_media(struct drive *d, const char *value, size_t len, const char *caller)
{
	char text[64], *state;

	(void)caller;
	if (attr_value_text(value, len, text, sizeof(text)) < 0)
		return drive_fail(d, COND_INVALID_VALUE, "write MEDIA [blank|appendable|closed]");
	state = strchr(text, ' ');
	if (state)
		*state++ = '\0';
	return drive_load_media(d, text, state);
}
