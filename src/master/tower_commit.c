/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * all/commit: the staged tree mastered once and streamed through the
 * tower's shared FIFO to every member (tower.h's tower_stream), as
 * `cp image.iso all/burn` would send an image.  One image means one start
 * address: the session is a first session at sector 0 (ECMA-119 volume
 * descriptors at sector 16 naming where its files are), so every member
 * must take one there.  Nothing of any member's disc is read into it: the
 * discs the tower makes are identical.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "discfs/burn.h"
#include "discfs/drive.h"
#include "discfs/tower.h"
#include "master_internal.h"

/* The members, as the next burn to all/ takes them. */
static size_t members(struct master *m, struct drive **drives)
{
	return tower_member_drives(m->tower, drives, TOWER_MAX_MEMBERS);
}

int tower_room(struct master *m, uint64_t *sectors, uint32_t *tail)
{
	struct drive *drives[TOWER_MAX_MEMBERS];
	size_t n = members(m, drives);
	bool any = false;

	*sectors = UINT64_MAX;
	*tail = 0;
	for (size_t i = 0; i < n; i++) {
		struct media_info media;

		if (drive_media(drives[i], &media) != 0)
			continue;
		any = true;
		if (media.free_sectors < *sectors)
			*sectors = media.free_sectors;
		if (master_tail_blocks(&media) > *tail)
			*tail = master_tail_blocks(&media);
	}
	return any ? 0 : -ENOMEDIUM;
}

/* Why driveN cannot take a first session at sector 0 now: 0 when it can,
 * else the refusal (all/last_error names the drive). */
static int check_member(struct master *m, struct drive *d)
{
	struct burn_settings settings;
	struct media_info media;
	char why[192];
	unsigned n = drive_index(d);
	int rc;

	drive_refresh_media(d);
	rc = drive_media(d, &media);
	if (rc == -ENOMEDIUM) {
		snprintf(why, sizeof(why), "drive%u holds no disc", n);
		return master_fail(m, COND_NO_MEDIA, why);
	}
	if (rc) {
		snprintf(why, sizeof(why), "drive%u: its disc cannot be read", n);
		return master_fail(m, COND_MEDIA_NOT_WRITABLE, why);
	}
	if (media.profile->model == WRITE_MODEL_READ_ONLY || !media.next_writable_valid ||
	    (media.status & MEDIA_FINALIZED)) {
		snprintf(why, sizeof(why), "drive%u: the disc takes no more sessions", n);
		return master_fail(m, COND_MEDIA_NOT_WRITABLE, why);
	}
	if (media.profile->model == WRITE_MODEL_OVERWRITE) {
		burn_settings_get(drive_burn(d), &settings);
		if (media.volume_sectors && !settings.force_overwrite) {
			snprintf(why, sizeof(why), "drive%u holds a volume; all/commit writes a new one from sector 0", n);
			return master_fail(m, COND_MEDIA_NOT_BLANK, why);
		}
		return 0;
	}
	if (!(media.status & MEDIA_BLANK)) {
		snprintf(why, sizeof(why),
			 "drive%u's disc takes its next session at sector %u, not 0: all/commit burns blank discs "
			 "(all/members leaves it out)", n, (unsigned)media.next_writable);
		return master_fail(m, COND_WRONG_ADDRESS, why);
	}
	return 0;
}

int tower_plan(struct master *m, bool for_commit, struct image_layout *layout)
{
	struct drive *drives[TOWER_MAX_MEMBERS];
	size_t n;
	uint64_t free_sectors;
	uint32_t tail;
	int rc = 0;

	if (for_commit)
		tower_check_media(m->tower);
	n = members(m, drives);

	if (n == 0)
		return for_commit ? master_fail(m, COND_NO_MEDIA, "no recorder holds a writable medium")
				  : drive_nothing_to_show(COND_NO_MEDIA);
	for (size_t i = 0; for_commit && i < n && rc == 0; i++)
		rc = check_member(m, drives[i]);
	if (rc == 0)
		rc = tower_room(m, &free_sectors, &tail);
	if (rc)
		return for_commit ? rc : drive_nothing_to_show(COND_NO_MEDIA);
	/* A CD member needs its tail (master_tail_blocks); on the others it
	 * is 300 KiB of zeros that keeps every disc the same. */
	*layout = (struct image_layout){ .import_from = -1, .tail_blocks = tail };
	return 0;
}

int tower_burn(struct master *m, const char *owner, struct session_image *image)
{
	struct drive *drives[TOWER_MAX_MEMBERS];
	size_t n = members(m, drives);
	uint64_t failed;
	char why[DRIVE_ERROR_MAX];
	size_t used;
	int rc = tower_stream(m->tower, owner, session_image_size(image), session_image_read, image, &failed);

	/* No member started (another writer has all/burn): all/last_error says why. */
	if (rc && !failed)
		return rc;
	/* Each member that burned it checks it as a drive's commit would. */
	for (size_t i = 0; i < n; i++)
		if (!(failed & UINT64_C(1) << drive_index(drives[i])) && master_verify_session(drives[i], 0) != 0)
			failed |= UINT64_C(1) << drive_index(drives[i]);
	if (!failed)
		return 0;
	used = (size_t)snprintf(why, sizeof(why), "not every member burned the session:");
	for (size_t i = 0; i < n && used < sizeof(why); i++)
		if (failed & UINT64_C(1) << drive_index(drives[i]))
			used += (size_t)snprintf(why + used, sizeof(why) - used, " drive%u", drive_index(drives[i]));
	if (used < sizeof(why))
		snprintf(why + used, sizeof(why) - used, " failed (all/status and their last_error say why)");
	return tower_fail_members(m->tower, why);
}
