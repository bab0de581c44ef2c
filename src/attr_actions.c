/*
 * erase, format, close and eject: writing to them acts on the disc and
 * returns when the drive has done it (IDiscFormat2Erase EraseMedia, FORMAT
 * UNIT, finalizing the disc, IDiscRecorder2 EjectMedia).
 */
#include <errno.h>
#include <string.h>

#include "discfs/burn.h"
#include "discfs/disc.h"
#include "discfs/fs.h"
#include "discfs/tree.h"

int store_erase(struct drive *d, const char *value, size_t len)
{
	char owner[64];
	bool full = attr_value_is(value, len, "full");

	if (!full && !attr_value_is(value, len, "fast"))
		return drive_fail(d, COND_INVALID_VALUE, "erase takes fast or full");
	fs_caller_name(owner, sizeof(owner));
	return burn_erase(d->burn, full, owner);
}

int store_format(struct drive *d, const char *value, size_t len)
{
	char owner[64];

	if (!attr_value_is(value, len, "1"))
		return drive_fail(d, COND_INVALID_VALUE, "write 1 to format");
	fs_caller_name(owner, sizeof(owner));
	return burn_format(d->burn, owner);
}

int store_close(struct drive *d, const char *value, size_t len)
{
	char owner[64];

	if (!attr_value_is(value, len, "1"))
		return drive_fail(d, COND_INVALID_VALUE, "write 1 to close the disc");
	fs_caller_name(owner, sizeof(owner));
	return burn_close_disc(d->burn, owner);
}

/* Opens (load=false) or closes the tray unless a burn, erase or format
 * holds the drive; the medium's state is read again afterwards. */
int tray_move(struct drive *d, bool load)
{
	int rc = drive_claim(d, "tray");

	if (rc)
		return drive_fail(d, COND_BUSY, NULL);
	rc = disc_tray(d, load);
	drive_release(d);
	drive_refresh_media(d);
	return rc;
}

int store_eject(struct drive *d, const char *value, size_t len)
{
	if (!attr_value_is(value, len, "1"))
		return drive_fail(d, COND_INVALID_VALUE, "write 1 to eject");
	return tray_move(d, false);
}
