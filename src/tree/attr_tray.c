/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tray (open/closed), locked (PREVENT ALLOW MEDIUM REMOVAL), can_load
 * (IDiscRecorder2 DeviceCanLoadMedia) and exclusive_owner
 * (ExclusiveAccessOwner).
 */
#include <errno.h>
#include <string.h>

#include "attr.h"

int show_tray(struct drive *d, char *out, size_t size)
{
	struct media_info m;
	int rc = drive_media(d, &m);

	if (rc && rc != -ENOMEDIUM)
		return rc;
	return attr_print(out, size, "%s\n", m.tray_open ? "open" : "closed");
}

int store_tray(struct drive *d, const char *value, size_t len, const char *caller)
{
	(void)caller;
	if (attr_value_is(value, len, "open"))
		return drive_tray_move(d, false);
	if (attr_value_is(value, len, "closed"))
		return drive_tray_move(d, true);
	return drive_fail(d, COND_INVALID_VALUE, "tray takes open or closed");
}

int show_locked(struct drive *d, char *out, size_t size)
{
	return attr_print(out, size, "%d\n", drive_tray_locked(d));
}

int store_locked(struct drive *d, const char *value, size_t len, const char *caller)
{
	bool lock;

	(void)caller;
	if (attr_value_bool(value, len, &lock) < 0)
		return drive_fail(d, COND_INVALID_VALUE, "locked takes 0 or 1");
	return drive_tray_lock(d, lock);
}

/* Feature 0003h byte 4: bits 7-5 the loading mechanism, bit 4 Load. */
int show_can_load(struct drive *d, char *out, size_t size)
{
	const struct mmc_feature *f = mmc_config_feature(&drive_identity(d)->config, MMC_FEATURE_REMOVABLE_MEDIUM);

	return attr_print(out, size, "%d\n", f && f->data_len > 0 && (f->data[0] & 0x10) != 0);
}

int show_exclusive_owner(struct drive *d, char *out, size_t size)
{
	char owner[DRIVE_OWNER_MAX];

	drive_owner(d, owner, sizeof(owner));
	return attr_print(out, size, "%s\n", owner[0] ? owner : "none");
}
