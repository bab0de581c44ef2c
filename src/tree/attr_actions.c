/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * erase, format, close and eject: writing to them acts on the disc and
 * returns when the drive has done it (IDiscFormat2Erase EraseMedia, FORMAT
 * UNIT, finalizing the disc, IDiscRecorder2 EjectMedia).
 */
#include <errno.h>
#include <string.h>

#include "discfs/burn.h"
#include "attr.h"

int store_erase(struct drive *d, const char *value, size_t len, const char *caller)
{
	bool full = attr_value_is(value, len, "full");

	if (!full && !attr_value_is(value, len, "fast"))
		return drive_fail(d, COND_INVALID_VALUE, "erase takes fast or full");
	return burn_erase(drive_burn(d), full, caller);
}

/* A file that starts an operation when 1 is written to it. */
static int trigger(struct drive *d, const char *value, size_t len, const char *caller, const char *usage,
		   int (*operation)(struct burn *b, const char *owner))
{
	if (!attr_value_true(value, len))
		return drive_fail(d, COND_INVALID_VALUE, usage);
	return operation(drive_burn(d), caller);
}

int store_format(struct drive *d, const char *value, size_t len, const char *caller)
{
	return trigger(d, value, len, caller, "write 1 to format", burn_format);
}

int store_close(struct drive *d, const char *value, size_t len, const char *caller)
{
	return trigger(d, value, len, caller, "write 1 to close the disc", burn_close_disc);
}

int store_eject(struct drive *d, const char *value, size_t len, const char *caller)
{
	(void)caller;
	if (!attr_value_true(value, len))
		return drive_fail(d, COND_INVALID_VALUE, "write 1 to eject");
	return drive_tray_move(d, false);
}
