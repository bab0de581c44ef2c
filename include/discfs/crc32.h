/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CRC-32 (IEEE 802.3), to check what is read back against what was written. */
#ifndef DISCFS_CRC32_H
#define DISCFS_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32_update(uint32_t crc, const void *data, size_t len);

#endif
