/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks an image's volume descriptors against the disc; see image_check.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "discfs/drive.h"
#include "discfs/image_check.h"

/* How far past its descriptors an image's first structure (path table or
 * root directory) may lie: genisoimage, mkisofs and xorriso put it within
 * a few sectors of the terminator. */
#define FIRST_REFERENCE_SLACK 16

/* An ISO 9660 image records absolute addresses: one made for LBA y (0, or
 * the y of genisoimage -C x,y) points just past its own descriptors. */
static bool made_for(const struct volume_descriptors *v, uint32_t lba)
{
	uint32_t end = v->terminator ? v->terminator : VOLUME_ISO_PVD_LBA + 1;

	return v->first_reference > (uint64_t)lba + end &&
	       v->first_reference <= (uint64_t)lba + end + FIRST_REFERENCE_SLACK;
}

static int wrong_address(struct drive *d, const struct volume_descriptors *v, const struct image_target *t,
			 uint32_t nwa)
{
	char detail[200];

	if (made_for(v, 0))
		snprintf(detail, sizeof(detail),
			 "it was made for LBA 0, the next writable address is %u: make it with "
			 "genisoimage -C \"$(cat msinfo)\" -M ...%s", nwa, t->overwrite ? ", or set force_overwrite" : "");
	else
		snprintf(detail, sizeof(detail),
			 "it points at sector %u, made for another address than %u: make it with "
			 "genisoimage -C \"$(cat msinfo)\" -M ...", v->first_reference, nwa);
	return drive_fail(d, COND_WRONG_ADDRESS, detail);
}

static int check_iso9660(struct drive *d, const struct volume_descriptors *v, const struct image_target *t,
			 struct image_plan *plan)
{
	plan->expected_bytes = (uint64_t)v->iso_sectors * MMC_SECTOR_SIZE;
	plan->descriptor_end = v->terminator;
	if (!t->overwrite) {
		plan->start_lba = t->next_writable;
		return made_for(v, t->next_writable) ? 0 : wrong_address(d, v, t, t->next_writable);
	}
	if (t->start_at >= 0) {
		plan->start_lba = (uint32_t)t->start_at;
		return made_for(v, plan->start_lba) ? 0 : wrong_address(d, v, t, plan->start_lba);
	}
	if (t->volume_sectors && made_for(v, t->next_writable) && v->terminator) {
		plan->start_lba = t->next_writable;
		plan->append = true;
		return 0;
	}
	if (!made_for(v, 0))
		return wrong_address(d, v, t, t->volume_sectors ? t->next_writable : 0);
	if (t->volume_sectors && !t->force_overwrite)
		return drive_fail(d, COND_MEDIA_NOT_BLANK,
				  "to add to the volume there, make the image with genisoimage -C \"$(cat msinfo)\" -M ...");
	plan->start_lba = 0;
	return 0;
}

int image_check(struct drive *d, const uint8_t *head, size_t bytes, const struct image_target *t,
		struct image_plan *plan)
{
	struct volume_descriptors v;

	memset(plan, 0, sizeof(*plan));
	volume_recognise(head, bytes, &v);
	if (v.kind == VOLUME_ISO9660 && !t->raw)
		return check_iso9660(d, &v, t, plan);
	plan->start_lba = !t->overwrite ? t->next_writable : t->start_at >= 0 ? (uint32_t)t->start_at : 0;
	plan->expected_bytes = (uint64_t)v.iso_sectors * MMC_SECTOR_SIZE;
	if (v.kind == VOLUME_NONE && !t->raw)
		return drive_fail(d, COND_NOT_AN_IMAGE,
				  "no ISO 9660 (CD001) or UDF (BEA01, NSR02/NSR03) descriptors at sector 16; "
				  "set raw to 1 to burn raw sectors");
	if (t->overwrite && t->volume_sectors && !t->force_overwrite && t->start_at < 0)
		return drive_fail(d, COND_MEDIA_NOT_BLANK, NULL);
	return 0;
}
