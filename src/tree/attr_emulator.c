/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * emulator/media, on emulated recorders only: what is in the tray, and
 * writing "dvd-r", "cd-rw appendable" or "none" changes it as a person at
 * the drive would, so scripts can test media changes without hardware.
 */
#include <errno.h>
#include <string.h>

#include "discfs/tree.h"

int show_emulator_media(struct drive *d, char *out, size_t size)
{
	return attr_print(out, size, "%s\n", d->transport->ops->media_name(d->transport));
}

int store_emulator_media(struct drive *d, const char *value, size_t len)
{
	char text[64], *state;
	bool busy;
	int rc;

	if (attr_value_text(value, len, text, sizeof(text)) < 0)
		return drive_fail(d, COND_INVALID_VALUE, "write MEDIA [blank|appendable|closed]");
	state = strchr(text, ' ');
	if (state)
		*state++ = '\0';
	pthread_mutex_lock(&d->lock);
	busy = d->busy;
	pthread_mutex_unlock(&d->lock);
	/* A person cannot swap the disc while a burn holds the tray locked. */
	if (busy)
		return drive_fail(d, COND_BUSY, "the tray is locked while the drive works");
	rc = d->transport->ops->load_media(d->transport, text, state);
	if (rc)
		return drive_fail(d, COND_INVALID_VALUE,
				  "write MEDIA [blank|appendable|closed]; dvd+rw and bd-re are only ever blank "
				  "(unformatted), cd-rom and dvd-rom closed");
	drive_mark_stale(d);
	return 0;
}
