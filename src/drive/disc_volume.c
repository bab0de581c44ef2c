/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The volume descriptors at LBA 16 of overwrite media (DVD+RW, BD-RE,
 * DVD-RAM, DVD-RW restricted overwrite), where every reader looks for the
 * volume: replaced by an appended image's, as growisofs does, or cleared
 * when an image ended short.  Restricted overwrite takes whole 16-sector
 * blocks (MMC-6 4.5.3), so the block is read, changed and written back.
 */
#include <string.h>

#include "discfs/disc.h"
#include "discfs/volume.h"

#define BLOCK_SECTORS VOLUME_DESCRIPTORS_MAX

typedef void (*change_fn)(uint8_t *block, const void *arg);

static int rewrite_block(struct drive *d, change_fn change, const void *arg)
{
	uint8_t block[BLOCK_SECTORS * MMC_SECTOR_SIZE];
	struct mmc_cmd cmd;
	int rc;

	mmc_build_read10(&cmd, VOLUME_ISO_PVD_LBA, BLOCK_SECTORS);
	rc = drive_command(d, &cmd, block, 0, NULL);
	if (rc)
		return rc;
	change(block, arg);
	mmc_build_write10(&cmd, VOLUME_ISO_PVD_LBA, BLOCK_SECTORS);
	rc = drive_command(d, &cmd, block, 0, NULL);
	return rc ? rc : disc_synchronize(d);
}

struct descriptors {
	const uint8_t *sectors;
	uint32_t count;
	uint32_t volume_end;
};

static void put_descriptors(uint8_t *block, const void *arg)
{
	const struct descriptors *v = arg;

	memcpy(block, v->sectors, (size_t)v->count * MMC_SECTOR_SIZE);
	/* The image counts its own sectors; the volume now reaches to its end. */
	for (uint32_t i = 0; i < v->count; i++)
		volume_set_iso_sectors(block + (size_t)i * MMC_SECTOR_SIZE, v->volume_end);
}

int disc_put_descriptors(struct drive *d, const uint8_t *sectors, uint32_t count, uint32_t volume_end)
{
	struct descriptors v = { sectors, count < BLOCK_SECTORS ? count : BLOCK_SECTORS, volume_end };

	return rewrite_block(d, put_descriptors, &v);
}

static void clear_first(uint8_t *block, const void *arg)
{
	(void)arg;
	memset(block, 0, MMC_SECTOR_SIZE);
}

int disc_clear_descriptors(struct drive *d)
{
	return rewrite_block(d, clear_first, NULL);
}
