/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading the disc back: the one read path behind driveN/disc, a dropped
 * file's listing, the write engine's verify and the import of sessions.
 *
 * A read never fills anything with zeros: it stops at the first sector the
 * drive cannot read, so a caller learns exactly where the damage starts.
 */
#ifndef DISCFS_READ_H
#define DISCFS_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "discfs/drive.h"

/* Reads count 2048-byte sectors from lba into buf through a read-ahead
 * cache that every media change drops.  Returns the sectors read: count, or
 * fewer when a later sector cannot be read (a call starting there gets its
 * error); or a negative errno: -EIO when the first sector is unreadable
 * (last_error names its LBA and the sense), -ENOMEDIUM with no disc, -EBUSY
 * while a burn, erase or format owns the drive (no command is sent then). */
int drive_read_sectors(struct drive *d, uint32_t lba, uint32_t count, void *buf);

/* The same for the holder of drive_claim (the write engine's verify):
 * straight from the medium, never from the cache. */
int drive_read_sectors_owned(struct drive *d, uint32_t lba, uint32_t count, void *buf);

/* Where the readable data of the disc ends, in sectors from LBA 0 (README,
 * "Reading the disc"): 0 on a blank disc; -ENOMEDIUM with none; -EBUSY when
 * a burn owns the drive and the end is not known from before. */
int drive_readable_end(struct drive *d, uint64_t *sectors);

/* The rule behind it, for a media snapshot.  On CD it takes the TOC's
 * lead-out and whether the two sectors before it are unreadable: the
 * run-out blocks a track written in TAO ends with. */
uint64_t readable_end_rule(const struct media_info *m, uint32_t cd_leadout, bool cd_runout_unreadable);

/* drive_destroy's part. */
void drive_read_cache_free(struct drive *d);

#endif
