/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The staged files' controls (src/master): staged_sectors, volume_label,
 * and the triggers commit (master and burn the staged tree; returns when
 * burned) and discard (forget it).
 */
#include <errno.h>
#include <string.h>

#include "attr.h"
#include "discfs/master.h"
#include "discfs/tree.h"

static int no_staging(struct drive *d)
{
	return drive_fail(d, COND_UNSUPPORTED_CHANGE, "no staging area: see --staging-dir");
}

int show_staged_sectors(struct drive *d, char *out, size_t size)
{
	struct master *m = drive_master(d);
	uint64_t sectors;
	int rc = m ? master_staged_sectors(m, &sectors) : no_staging(d);

	return rc ? rc : attr_print(out, size, "%llu\n", (unsigned long long)sectors);
}

int show_volume_label(struct drive *d, char *out, size_t size)
{
	struct master *m = drive_master(d);
	char label[MASTER_LABEL_MAX * 4 + 2];
	int rc = m ? master_label(m, label, sizeof(label)) : no_staging(d);

	return rc ? rc : attr_print(out, size, "%s\n", label);
}

int store_volume_label(struct drive *d, const char *value, size_t len, const char *caller)
{
	struct master *m = drive_master(d);
	char label[ATTR_MAX_VALUE];

	(void)caller;
	if (!m)
		return no_staging(d);
	if (attr_value_text(value, len, label, sizeof(label)) < 0)
		return drive_fail(d, COND_INVALID_VALUE, "a volume label is 1 to 32 bytes of text");
	return master_set_label(m, label);
}

void attr_label_get(struct drive *d, char *out, size_t size)
{
	struct master *m = drive_master(d);

	if (!m || master_label(m, out, size) < 0)
		out[0] = '\0';
}

void attr_label_undo(struct drive *d, const char *before, const char *after)
{
	struct master *m = drive_master(d);

	if (m && before[0] && strcmp(before, after) != 0)
		master_set_label(m, before);
}

int store_commit(struct drive *d, const char *value, size_t len, const char *caller)
{
	if (!attr_value_true(value, len))
		return drive_fail(d, COND_INVALID_VALUE, "write 1 to burn the staged files");
	if (!drive_master(d))
		return no_staging(d);
	return master_commit(drive_master(d), caller);
}

int store_discard(struct drive *d, const char *value, size_t len, const char *caller)
{
	(void)caller;
	if (!attr_value_true(value, len))
		return drive_fail(d, COND_INVALID_VALUE, "write 1 to forget the staged files");
	return drive_master(d) ? master_discard(drive_master(d)) : no_staging(d);
}
