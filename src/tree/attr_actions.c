/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * erase, format, close and eject: writing to them acts on the disc and
 * returns when the drive has done it (IDiscFormat2Erase EraseMedia, FORMAT
 * UNIT, finalizing the disc, IDiscRecorder2 EjectMedia).
 */
#include <errno.h>
#include <string.h>

#include "discfs/burn.h"
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

/* A file that starts an operation when 1 is written to it. */
static int trigger(struct drive *d, const char *value, size_t len, const char *usage,
		   int (*operation)(struct burn *b, const char *owner))
{
	char owner[64];

	if (!attr_value_is(value, len, "1"))
		return drive_fail(d, COND_INVALID_VALUE, usage);
	fs_caller_name(owner, sizeof(owner));
	return operation(d->burn, owner);
}

int store_format(struct drive *d, const char *value, size_t len)
{
	return trigger(d, value, len, "write 1 to format", burn_format);
}

int store_close(struct drive *d, const char *value, size_t len)
{
	return trigger(d, value, len, "write 1 to close the disc", burn_close_disc);
}

int store_eject(struct drive *d, const char *value, size_t len)
{
	if (!attr_value_is(value, len, "1"))
		return drive_fail(d, COND_INVALID_VALUE, "write 1 to eject");
	return tray_move(d, false);
}
