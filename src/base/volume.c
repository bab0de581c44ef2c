/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ISO 9660 and UDF volume sizes, read from the volume descriptors. */
#include <string.h>

#include "discfs/mmc.h"
#include "discfs/volume.h"

#define UDF_AVDP_LBA 256
#define UDF_TAG_AVDP 2
#define UDF_TAG_PARTITION 5
#define UDF_TAG_TERMINATOR 8
#define UDF_MAX_VDS_SECTORS 32

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
	return le32(pvd + 80);
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

bool volume_recognised(const uint8_t *descriptor)
{
	/* ECMA-119 8.1 (type 1, "CD001"), ECMA-167 2/9.1 (type 0, "BEA01"). */
	static const char *const ids[] = { "CD001", "BEA01" };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (memcmp(descriptor + 1, ids[i], 5) == 0)
			return true;
	return false;
}
