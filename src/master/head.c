/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The last step of growing the volume on an overwrite medium (DVD+RW,
 * BD-RE, DVD-RW restricted overwrite): sectors 0-31 get the descriptors
 * libisofs made for the new session, whose volume space size covers the
 * whole grown volume (ECMA-119 8.4.8).  The session is on the disc and
 * synchronized before; this write is the commit point, read back to be sure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/disc.h"
#include "discfs/drive.h"
#include "discfs/read.h"
#include "master_internal.h"

int master_write_head(struct master *m, const char *owner, const uint8_t *head)
{
	struct drive *d = m->drive;
	uint8_t *check = malloc(HEAD_SECTORS * MMC_SECTOR_SIZE);
	struct mmc_cmd cmd;
	int rc;

	if (!check)
		return -ENOMEM;
	rc = drive_claim(d, owner);
	if (rc) {
		free(check);
		return drive_fail(d, COND_BUSY, NULL);
	}
	mmc_build_write10(&cmd, 0, HEAD_SECTORS);
	rc = drive_command(d, &cmd, (void *)head, 0, NULL);
	if (rc == 0)
		rc = disc_synchronize(d);
	if (rc == 0) {
		rc = drive_read_sectors_owned(d, 0, HEAD_SECTORS, check);
		rc = rc == HEAD_SECTORS ? 0 : rc < 0 ? rc : -EIO;
	}
	if (rc == 0 && memcmp(check, head, HEAD_SECTORS * MMC_SECTOR_SIZE) != 0)
		rc = drive_fail(d, COND_VERIFY_FAILED, "the volume descriptors at sector 16 read back different");
	drive_release(d);
	drive_refresh_media(d);
	free(check);
	return rc;
}
