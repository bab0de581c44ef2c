/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading the disc back (read.h): READ(10) in chunks every host adapter
 * takes, a read-ahead window for streaming readers, and the rule for where
 * a disc's readable data ends.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/read.h"
#include "drive_internal.h"

/* 64 KiB per command: within the transfer limit of every host adapter, so
 * a real drive never sees a command the kernel would have to refuse. */
#define COMMAND_SECTORS 32
/* 512 KiB read ahead: a reader asking for 2 KiB or 128 KiB at a time still
 * keeps the drive streaming, as the block layer's read-ahead would. */
#define READ_AHEAD_SECTORS 256
#define CD_RUNOUT_SECTORS 2
#define TOC_LEADOUT_ALLOC 12
#define SENSE_MEDIUM_ERROR 0x3
#define SENSE_ILLEGAL_REQUEST 0x5
#define ASC_LBA_OUT_OF_RANGE 0x21
#define ASC_ILLEGAL_MODE_FOR_TRACK 0x64

struct read_cache {
	pthread_mutex_t lock;	/* one reader at a time fills and serves it */
	uint64_t generation;	/* the media snapshot its contents belong to */
	uint32_t first, count;	/* the sectors held: LBAs first .. first + count - 1 */
	bool end_known;		/* end is drive_readable_end's answer for generation */
	uint64_t end;
	uint8_t data[READ_AHEAD_SECTORS * MMC_SECTOR_SIZE];
};

static struct read_cache *cache_new(void)
{
	struct read_cache *c = calloc(1, sizeof(*c));

	if (c)
		pthread_mutex_init(&c->lock, NULL);
	return c;
}

void drive_read_cache_free(struct drive *d)
{
	if (!d->read_cache)
		return;
	pthread_mutex_destroy(&d->read_cache->lock);
	free(d->read_cache);
	d->read_cache = NULL;
}

/* Registers a read so drive_claim waits for it: no command of a read ever
 * goes into a burn.  -EBUSY while one runs, an answer the caller records
 * when it is an error. */
static int reader_enter(struct drive *d)
{
	int rc = 0;

	pthread_mutex_lock(&d->lock);
	if (d->busy) {
		rc = -EBUSY;
	} else {
		if (!d->read_cache)
			d->read_cache = cache_new();
		if (d->read_cache)
			d->readers++;
		else
			rc = -ENOMEM;
	}
	pthread_mutex_unlock(&d->lock);
	return rc;
}

static void reader_leave(struct drive *d)
{
	pthread_mutex_lock(&d->lock);
	if (--d->readers == 0)
		pthread_cond_broadcast(&d->readers_done);
	pthread_mutex_unlock(&d->lock);
}

/* A READ is a probe: whether a sector cannot be read is an error depends on
 * who asked for it (read_failed). */
static int read_command(struct drive *d, uint32_t lba, uint32_t sectors, uint8_t *buf, struct mmc_sense *sense)
{
	struct mmc_cmd cmd;

	mmc_build_read10(&cmd, lba, (uint16_t)sectors);
	return drive_probe(d, &cmd, buf, sense);
}

/* What a damaged or unwritten sector answers: a medium error (sense key 3,
 * SPC-4), or an address the drive will not read (5/21/00 out of range,
 * 5/64/00 illegal mode for this track: a CD run-out block, MMC-6). */
static bool sector_unreadable(const struct mmc_sense *s)
{
	return s->key == SENSE_MEDIUM_ERROR ||
	       (s->key == SENSE_ILLEGAL_REQUEST && (s->asc == ASC_LBA_OUT_OF_RANGE || s->asc == ASC_ILLEGAL_MODE_FOR_TRACK));
}

/* The READ of a sector the reader asked for, at lba, failed with rc. */
static int read_failed(struct drive *d, uint32_t lba, const struct mmc_sense *sense, int rc)
{
	char detail[64];

	snprintf(detail, sizeof(detail), "LBA %u cannot be read", lba);
	return drive_probe_failed(d, sense, mmc_opcode_name(MMC_READ10), sector_unreadable(sense) ? detail : NULL, rc);
}

/* The medium itself, chunk by chunk; a chunk that fails is read again a
 * sector at a time, so the read stops exactly at the first bad sector.
 * The reader asked for the first `wanted` sectors; the rest is read ahead,
 * and a sector there that cannot be read only ends the read-ahead. */
static int read_medium(struct drive *d, uint32_t lba, uint32_t count, uint32_t wanted, uint8_t *buf)
{
	struct mmc_sense sense;
	uint32_t done = 0;
	int rc = 0;

	if (count > UINT32_MAX - lba)
		count = UINT32_MAX - lba;	/* READ(10) addresses end at 2^32 - 1 */
	while (done < count && rc == 0) {
		uint32_t n = count - done < COMMAND_SECTORS ? count - done : COMMAND_SECTORS;

		rc = read_command(d, lba + done, n, buf + (size_t)done * MMC_SECTOR_SIZE, &sense);
		if (rc == 0) {
			done += n;
			continue;
		}
		if (!sector_unreadable(&sense))
			break;
		for (uint32_t i = 0; i < n; i++, done++) {
			rc = read_command(d, lba + done, 1, buf + (size_t)done * MMC_SECTOR_SIZE, &sense);
			if (rc)
				break;
		}
	}
	if (rc && done < wanted)
		rc = read_failed(d, lba + done, &sense, rc);
	/* A disc taken out raises no unit attention: the snapshot learns it here. */
	if (rc == -ENOMEDIUM)
		drive_mark_stale(d);
	return done ? (int)done : rc;
}

int drive_read_sectors_owned(struct drive *d, uint32_t lba, uint32_t count, void *buf)
{
	if (count > INT_MAX)
		count = INT_MAX;
	return read_medium(d, lba, count, count, buf);
}

/* Sectors worth reading ahead from lba: up to the readable end when it is
 * known, so read-ahead never asks for a run-out block or past the last
 * session. */
static uint32_t window_at(const struct read_cache *c, uint32_t lba)
{
	if (c->end_known && lba < c->end && c->end - lba < READ_AHEAD_SECTORS)
		return (uint32_t)(c->end - lba);
	return READ_AHEAD_SECTORS;
}

/* A media change (a new generation of the snapshot) empties the cache. */
static void cache_follow(struct read_cache *c, uint64_t generation)
{
	if (c->generation == generation)
		return;
	c->generation = generation;
	c->count = 0;
	c->end_known = false;
}

int drive_read_sectors(struct drive *d, uint32_t lba, uint32_t count, void *buf)
{
	struct media_info m;
	struct read_cache *c;
	uint8_t *out = buf;
	uint64_t stop = UINT64_MAX;	/* the bad sector a short fill ended at */
	uint32_t done = 0;
	int rc = drive_media(d, &m);

	if (rc)
		return rc == -ENOMEDIUM ? drive_fail(d, COND_NO_MEDIA, NULL) : rc;
	rc = reader_enter(d);
	if (rc == -EBUSY)
		return drive_fail(d, COND_BUSY, "the disc cannot be read while it is being written");
	if (rc)
		return rc;
	if (count > INT_MAX)
		count = INT_MAX;
	c = d->read_cache;
	pthread_mutex_lock(&c->lock);
	cache_follow(c, m.generation);
	while (done < count) {
		uint64_t at = (uint64_t)lba + done;
		uint32_t n, want;

		if (at >= c->first && at < (uint64_t)c->first + c->count) {
			n = (uint32_t)((uint64_t)c->first + c->count - at);
			if (n > count - done)
				n = count - done;
			memcpy(out + (size_t)done * MMC_SECTOR_SIZE,
			       c->data + (size_t)(at - c->first) * MMC_SECTOR_SIZE, (size_t)n * MMC_SECTOR_SIZE);
			done += n;
			continue;
		}
		if (at == stop || at > UINT32_MAX)
			break;
		/* A read larger than the window needs no read-ahead: straight
		 * into the reader's buffer, sparing a copy of every byte. */
		if (count - done >= READ_AHEAD_SECTORS) {
			rc = read_medium(d, (uint32_t)at, count - done, count - done, out + (size_t)done * MMC_SECTOR_SIZE);
			if (rc <= 0)
				break;
			done += (uint32_t)rc;
			stop = (uint64_t)lba + done;
			continue;
		}
		want = window_at(c, (uint32_t)at);
		c->count = 0;
		rc = read_medium(d, (uint32_t)at, want, count - done, c->data);
		if (rc <= 0)
			break;
		c->first = (uint32_t)at;
		c->count = (uint32_t)rc;
		if ((uint32_t)rc < want)
			stop = at + (uint32_t)rc;
	}
	pthread_mutex_unlock(&c->lock);
	reader_leave(d);
	return done ? (int)done : rc;
}

uint64_t readable_end_rule(const struct media_info *m, uint32_t cd_leadout, bool cd_runout_unreadable)
{
	if (m->error)
		return 0;
	if (m->profile->family == MEDIA_FAMILY_CD)
		return cd_runout_unreadable && cd_leadout >= CD_RUNOUT_SECTORS ? cd_leadout - CD_RUNOUT_SECTORS
										: cd_leadout;
	switch (m->profile->model) {
	case WRITE_MODEL_OVERWRITE:
		/* READ CAPACITY is the whole formatted disc: the volume on it is the data. */
		return m->volume_sectors;
	case WRITE_MODEL_READ_ONLY:
		return m->total_sectors;
	case WRITE_MODEL_SEQUENTIAL:
		break;
	}
	/* The last complete session: READ CAPACITY of an open disc reaches
	 * into a session that is not there yet. */
	return m->previous_session_last >= 0 ? (uint64_t)m->previous_session_last + 1 : 0;
}

/* The CD's lead-out from READ TOC, and whether the two blocks before it are
 * the run-out of a track written track-at-once: READ CAPACITY and the TOC
 * count them, no drive reads them, and a disc written session-at-once has
 * data there, so only reading them tells. */
static int cd_leadout(struct drive *d, uint32_t *leadout, bool *runout_unreadable)
{
	uint8_t reply[TOC_LEADOUT_ALLOC] = { 0 };
	uint8_t probe[CD_RUNOUT_SECTORS * MMC_SECTOR_SIZE];
	struct mmc_sense sense;
	struct mmc_cmd cmd;
	int rc;

	mmc_build_read_toc(&cmd, 0, 0xAA, sizeof(reply));
	rc = drive_command(d, &cmd, reply, 0, NULL);
	if (rc)
		return rc;
	if (mmc_parse_toc_leadout(reply, sizeof(reply), leadout) < 0)
		return drive_fail(d, COND_INVALID_RESPONSE, "READ TOC");
	if (*leadout < CD_RUNOUT_SECTORS)
		return 0;
	rc = read_command(d, *leadout - CD_RUNOUT_SECTORS, CD_RUNOUT_SECTORS, probe, &sense);
	if (rc && sector_unreadable(&sense)) {
		/* The answer to the question, not an error to report. */
		*runout_unreadable = true;
		return 0;
	}
	return drive_probe_failed(d, &sense, mmc_opcode_name(MMC_READ10), NULL, rc);
}

/* While a burn owns the drive: the end learned before it, if any. */
static int known_end(struct drive *d, uint64_t generation, uint64_t *sectors)
{
	struct read_cache *c;
	int rc = -EBUSY;

	pthread_mutex_lock(&d->lock);
	c = d->read_cache;
	pthread_mutex_unlock(&d->lock);
	if (!c)
		return rc;
	pthread_mutex_lock(&c->lock);
	if (c->generation == generation && c->end_known) {
		*sectors = c->end;
		rc = 0;
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

int drive_readable_end(struct drive *d, uint64_t *sectors)
{
	struct media_info m;
	struct read_cache *c;
	uint32_t leadout = 0;
	bool runout = false;
	int rc = drive_media(d, &m);

	*sectors = 0;
	if (rc)
		return rc;
	rc = reader_enter(d);
	if (rc == -EBUSY)
		return known_end(d, m.generation, sectors);
	if (rc)
		return rc;
	c = d->read_cache;
	pthread_mutex_lock(&c->lock);
	cache_follow(c, m.generation);
	if (!c->end_known) {
		if (m.profile->family == MEDIA_FAMILY_CD &&
		    (m.complete_sessions || m.profile->model == WRITE_MODEL_READ_ONLY))
			rc = cd_leadout(d, &leadout, &runout);
		if (rc == 0) {
			c->end = readable_end_rule(&m, leadout, runout);
			c->end_known = true;
		}
	}
	*sectors = c->end;
	pthread_mutex_unlock(&c->lock);
	reader_leave(d);
	return rc;
}
