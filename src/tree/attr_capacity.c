/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * free_sectors, total_sectors, next_writable_address, bytes_per_sector:
 * IMAPI2's FreeSectorsOnMedia, TotalSectorsOnMedia and NextWritableAddress
 * (the rules are in drive_media.c and the README).
 */
#include <errno.h>

#include "attr.h"

SHOW_MEDIA_VALUE(show_free_sectors, "%u", m.free_sectors)
SHOW_MEDIA_VALUE(show_total_sectors, "%u", m.total_sectors)

int show_next_writable_address(struct drive *d, char *out, size_t size)
{
	struct media_info m;
	int rc = drive_media(d, &m);

	if (rc)
		return rc;
	if (!m.next_writable_valid)
		return drive_nothing_to_show(COND_MEDIA_NOT_WRITABLE);
	return attr_print(out, size, "%u\n", m.next_writable);
}

int show_bytes_per_sector(struct drive *d, char *out, size_t size)
{
	(void)d;
	return attr_print(out, size, "%d\n", MMC_SECTOR_SIZE);
}
