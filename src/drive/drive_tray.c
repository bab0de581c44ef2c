/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The tray and its lock as the tray, locked and eject files use them: a
 * moment of the drive, unless a burn, erase or format holds it.
 */
#include <errno.h>

#include "discfs/disc.h"
#include "drive_internal.h"

/* The medium is read again afterwards: opening or closing the tray
 * changes it. */
static int briefly(struct drive *d, const char *what, int (*op)(struct drive *d, bool on), bool on)
{
	int rc = drive_claim(d, what);

	if (rc)
		return drive_fail(d, COND_BUSY, NULL);
	rc = op(d, on);
	drive_release(d);
	drive_refresh_media(d);
	return rc;
}

int drive_tray_move(struct drive *d, bool load)
{
	return briefly(d, "tray", disc_tray, load);
}

int drive_tray_lock(struct drive *d, bool lock)
{
	return briefly(d, "locked", disc_lock, lock);
}

bool drive_tray_locked(struct drive *d)
{
	bool locked;

	pthread_mutex_lock(&d->lock);
	locked = d->tray_locked;
	pthread_mutex_unlock(&d->lock);
	return locked;
}
