/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ISO 9660 and UDF volume sizes, read from the volume descriptors. */
#include <stdbool.h>
#include <string.h>

#include "discfs/mmc.h"
#include "discfs/volume.h"

#define UDF_AVDP_LBA 256
#define UDF_TAG_AVDP 2
#define UDF_TAG_PARTITION 5
#define UDF_TAG_TERMINATOR 8
#define UDF_MAX_VDS_SECTORS 32
#define ISO_TYPE_PRIMARY 1
#define ISO_TYPE_SUPPLEMENTARY 2
#define ISO_TYPE_TERMINATOR 255
#define ISO_PATH_TABLE_L 140
#define ISO_ROOT_EXTENT (156 + 2)
#define ISO_VOLUME_SPACE 80

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t volume_iso9660_sectors(const uint8_t pvd[2048])
{
	/* Type 1, "CD001"; the volume space size in both byte orders at 80,
	 * the logical block size at 128. */
	if (pvd[0] != 1 || memcmp(pvd + 1, "CD001", 5) != 0 || le16(pvd + 128) != MMC_SECTOR_SIZE)
		return 0;
	return le32(pvd + ISO_VOLUME_SPACE);
}

static uint32_t iso9660_sectors(volume_read_fn read, void *ctx)
{
	uint8_t s[MMC_SECTOR_SIZE];

	return read(ctx, VOLUME_ISO_PVD_LBA, s) ? 0 : volume_iso9660_sectors(s);
}

static uint32_t udf_partition_end(volume_read_fn read, void *ctx)
{
	uint8_t s[MMC_SECTOR_SIZE];
	uint32_t vds_start, vds_sectors, end = 0;

	if (read(ctx, UDF_AVDP_LBA, s) || le16(s) != UDF_TAG_AVDP)
		return 0;
	vds_sectors = le32(s + 16) / MMC_SECTOR_SIZE;
	vds_start = le32(s + 20);
	if (vds_sectors > UDF_MAX_VDS_SECTORS)
		vds_sectors = UDF_MAX_VDS_SECTORS;
	for (uint32_t i = 0; i < vds_sectors; i++) {
		if (read(ctx, vds_start + i, s))
			break;
		if (le16(s) == UDF_TAG_TERMINATOR)
			break;
		if (le16(s) == UDF_TAG_PARTITION) {
			uint64_t partition_end = (uint64_t)le32(s + 188) + le32(s + 192);

			if (partition_end > end && partition_end <= UINT32_MAX)
				end = (uint32_t)partition_end;
		}
	}
	return end;
}

uint32_t volume_size_sectors(volume_read_fn read, void *ctx)
{
	uint32_t iso = iso9660_sectors(read, ctx);
	uint32_t udf = udf_partition_end(read, ctx);

	return iso > udf ? iso : udf;
}

static bool has_identifier(const uint8_t *s, const char *id)
{
	return memcmp(s + 1, id, 5) == 0;
}

void volume_recognise(const uint8_t *area, size_t bytes, struct volume_descriptors *out)
{
	size_t sectors = bytes / MMC_SECTOR_SIZE;
	bool beginning = false;

	memset(out, 0, sizeof(*out));
	if (sectors > VOLUME_DESCRIPTORS_MAX)
		sectors = VOLUME_DESCRIPTORS_MAX;
	for (size_t i = 0; i < sectors; i++) {
		const uint8_t *s = area + i * MMC_SECTOR_SIZE;
		uint32_t lba = VOLUME_ISO_PVD_LBA + (uint32_t)i;

		if (has_identifier(s, "CD001")) {
			if (i == 0)
				out->kind = VOLUME_ISO9660;
			if (!out->iso_sectors && volume_iso9660_sectors(s)) {
				uint32_t path_table = le32(s + ISO_PATH_TABLE_L), root = le32(s + ISO_ROOT_EXTENT);

				out->iso_sectors = volume_iso9660_sectors(s);
				out->first_reference = path_table < root ? path_table : root;
			}
			if (s[0] == ISO_TYPE_TERMINATOR && !out->terminator)
				out->terminator = lba;
		} else if (has_identifier(s, "BEA01")) {
			beginning = true;
		} else if (beginning && (has_identifier(s, "NSR02") || has_identifier(s, "NSR03"))) {
			if (out->kind == VOLUME_NONE)
				out->kind = VOLUME_UDF;
		} else if (has_identifier(s, "TEA01") || (!has_identifier(s, "BOOT2") && !has_identifier(s, "CDW02"))) {
			/* The recognition sequence ends at TEA01 or at the first
			 * sector that holds no descriptor (ECMA-167 2/8.3). */
			return;
		}
	}
}

bool volume_recognised(const uint8_t *area, size_t bytes)
{
	struct volume_descriptors v;

	volume_recognise(area, bytes, &v);
	return v.kind != VOLUME_NONE;
}

void volume_set_iso_sectors(uint8_t *d, uint32_t sectors)
{
	if (!has_identifier(d, "CD001") || (d[0] != ISO_TYPE_PRIMARY && d[0] != ISO_TYPE_SUPPLEMENTARY))
		return;
	for (int i = 0; i < 4; i++) {
		d[ISO_VOLUME_SPACE + i] = (uint8_t)(sectors >> (8 * i));
		d[ISO_VOLUME_SPACE + 7 - i] = (uint8_t)(sectors >> (8 * i));
	}
}
