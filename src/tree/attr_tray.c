/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tray (open/closed), locked (PREVENT ALLOW MEDIUM REMOVAL), can_load
 * (IDiscRecorder2 DeviceCanLoadMedia) and exclusive_owner
 * (ExclusiveAccessOwner).
 */
#include <errno.h>
#include <string.h>

#include "discfs/disc.h"
#include "discfs/tree.h"

#define FEATURE_REMOVABLE_MEDIUM 0x0003

/* Tray and lock commands take a moment of the drive, unless a burn, erase
 * or format holds it; the medium is read again afterwards. */
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

int tray_move(struct drive *d, bool load)
{
	return briefly(d, "tray", disc_tray, load);
}

int show_tray(struct drive *d, char *out, size_t size)
{
	struct media_info m;
	int rc = drive_media(d, &m);

	if (rc && rc != -ENOMEDIUM)
		return rc;
	return attr_print(out, size, "%s\n", m.tray_open ? "open" : "closed");
}

int store_tray(struct drive *d, const char *value, size_t len)
{
	if (attr_value_is(value, len, "open"))
		return tray_move(d, false);
	if (attr_value_is(value, len, "closed"))
		return tray_move(d, true);
	return drive_fail(d, COND_INVALID_VALUE, "tray takes open or closed");
}

int show_locked(struct drive *d, char *out, size_t size)
{
	bool locked;

	pthread_mutex_lock(&d->lock);
	locked = d->tray_locked;
	pthread_mutex_unlock(&d->lock);
	return attr_print(out, size, "%d\n", locked);
}

int store_locked(struct drive *d, const char *value, size_t len)
{
	bool lock = attr_value_is(value, len, "1");

	if (!lock && !attr_value_is(value, len, "0"))
		return drive_fail(d, COND_INVALID_VALUE, "locked takes 0 or 1");
	return briefly(d, "locked", disc_lock, lock);
}

/* Feature 0003h byte 4: bits 7-5 the loading mechanism, bit 4 Load. */
int show_can_load(struct drive *d, char *out, size_t size)
{
	const struct mmc_feature *f = mmc_config_feature(&d->id.config, FEATURE_REMOVABLE_MEDIUM);

	return attr_print(out, size, "%d\n", f && f->data_len > 0 && (f->data[0] & 0x10) != 0);
}

int show_exclusive_owner(struct drive *d, char *out, size_t size)
{
	char owner[sizeof(d->owner)];

	pthread_mutex_lock(&d->lock);
	memcpy(owner, d->owner, sizeof(owner));
	pthread_mutex_unlock(&d->lock);
	return attr_print(out, size, "%s\n", owner[0] ? owner : "none");
}
