/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * CRC-32 (polynomial 0xEDB88320, reflected), sliced by 8: eight table
 * lookups per 8 bytes instead of one per byte, so checking the sectors of
 * a burn of several GiB costs little beside writing them.
 */
#include <pthread.h>

#include "discfs/crc32.h"

/* table[0] is the byte-wise table; table[k][b] is byte b's CRC followed by k zero bytes. */
static uint32_t table[8][256];

static void build_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		table[0][i] = c;
	}
	for (int k = 1; k < 8; k++)
		for (uint32_t i = 0; i < 256; i++)
			table[k][i] = table[0][table[k - 1][i] & 0xFF] ^ (table[k - 1][i] >> 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t crc32_update(uint32_t crc, const void *data, size_t len)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	const uint8_t *p = data;

	pthread_once(&once, build_table);
	crc = ~crc;
	for (; len >= 8; p += 8, len -= 8) {
		uint32_t lo = crc ^ le32(p), hi = le32(p + 4);

		crc = table[7][lo & 0xFF] ^ table[6][lo >> 8 & 0xFF] ^ table[5][lo >> 16 & 0xFF] ^ table[4][lo >> 24] ^
		      table[3][hi & 0xFF] ^ table[2][hi >> 8 & 0xFF] ^ table[1][hi >> 16 & 0xFF] ^ table[0][hi >> 24];
	}
	while (len--)
		crc = table[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}
