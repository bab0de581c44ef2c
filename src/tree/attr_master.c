/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The staged files' controls (src/master): staged_sectors, volume_label,
 * and the triggers commit (master and burn the staged tree; returns when
 * burned) and discard (forget it).
 */
#include <errno.h>

#include "discfs/fs.h"
#include "discfs/master.h"
#include "discfs/tree.h"

static int no_staging(struct drive *d)
{
	return drive_fail(d, COND_UNSUPPORTED_CHANGE, "no staging area: see --staging-dir");
}

int show_staged_sectors(struct drive *d, char *out, size_t size)
{
	uint64_t sectors;
	int rc = d->master ? master_staged_sectors(d->master, &sectors) : no_staging(d);

	return rc ? rc : attr_print(out, size, "%llu\n", (unsigned long long)sectors);
}

int show_volume_label(struct drive *d, char *out, size_t size)
{
	char label[MASTER_LABEL_MAX * 4 + 2];
	int rc = d->master ? master_label(d->master, label, sizeof(label)) : no_staging(d);

	return rc ? rc : attr_print(out, size, "%s\n", label);
}

int store_volume_label(struct drive *d, const char *value, size_t len)
{
	char label[ATTR_MAX_VALUE];

	if (!d->master)
		return no_staging(d);
	if (attr_value_text(value, len, label, sizeof(label)) < 0)
		return drive_fail(d, COND_INVALID_VALUE, "a volume label is 1 to 32 bytes of text");
	return master_set_label(d->master, label);
}

int store_commit(struct drive *d, const char *value, size_t len)
{
	char owner[64];

	if (!attr_value_is(value, len, "1"))
		return drive_fail(d, COND_INVALID_VALUE, "write 1 to burn the staged files");
	if (!d->master)
		return no_staging(d);
	fs_caller_name(owner, sizeof(owner));
	return master_commit(d->master, owner);
}

int store_discard(struct drive *d, const char *value, size_t len)
{
	if (!attr_value_is(value, len, "1"))
		return drive_fail(d, COND_INVALID_VALUE, "write 1 to forget the staged files");
	return d->master ? master_discard(d->master) : no_staging(d);
}
