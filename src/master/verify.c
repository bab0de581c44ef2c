/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * After a commit with verify set: the session's MD5, which libisofs records
 * in it (a checksum tag after the session's data), is checked against the
 * session read back through the drive, so the check covers the disc as any
 * reader will see it (xorriso -check_md5 reads the same tags).
 */
#define LIBISOFS_WITHOUT_LIBBURN 1
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

/* libisofs.h uses the fixed-width types without including their header. */
#include <libisofs/libisofs.h>

#include "discfs/burn.h"
#include "discfs/read.h"
#include "master_internal.h"

#define CHUNK_SECTORS 32

static int md5_of_sectors(struct drive *d, uint32_t start, uint32_t end, char md5[16])
{
	char *chunk = malloc(CHUNK_SECTORS * MMC_SECTOR_SIZE);
	void *ctx = NULL;
	int rc = chunk && iso_md5_start(&ctx) > 0 ? 0 : -ENOMEM;

	for (uint32_t lba = start; rc == 0 && lba < end;) {
		uint32_t count = end - lba < CHUNK_SECTORS ? end - lba : CHUNK_SECTORS;
		int got = drive_read_sectors(d, lba, count, chunk);

		if (got <= 0) {
			rc = got < 0 ? got : -EIO;
			break;
		}
		iso_md5_compute(ctx, chunk, got * MMC_SECTOR_SIZE);
		lba += (uint32_t)got;
	}
	if (ctx)
		iso_md5_end(&ctx, md5);
	free(chunk);
	return rc;
}

static int check_session_md5(struct drive *d, uint32_t session_lba)
{
	struct burn_settings settings;
	char recorded[16], read_back[16], why[160];
	uint32_t start, end;
	IsoImage *image;
	int rc;

	burn_settings_get(drive_burn(d), &settings);
	if (settings.verify == VERIFY_NONE)
		return 0;
	if (iso_image_new("", &image) < 0)
		return -ENOMEM;
	rc = disc_tree_import(image, session_lba, master_read_sector, d);
	if (rc >= 0)
		rc = iso_image_get_session_md5(image, &start, &end, recorded, 0);
	iso_image_unref(image);
	if (rc <= 0) {
		snprintf(why, sizeof(why), "the session at LBA %u reads back without its MD5 tag", session_lba);
		return drive_fail(d, COND_VERIFY_FAILED, why);
	}
	rc = md5_of_sectors(d, start, end, read_back);
	if (rc)
		return rc;
	if (!iso_md5_match(recorded, read_back)) {
		snprintf(why, sizeof(why), "sectors %u-%u read back with another MD5 than recorded", start, end - 1);
		return drive_fail(d, COND_VERIFY_FAILED, why);
	}
	return 0;
}

int master_verify_session(struct drive *d, uint32_t session_lba)
{
	int rc = check_session_md5(d, session_lba);

	if (rc)
		burn_failed_after(drive_burn(d), rc);
	return rc;
}
