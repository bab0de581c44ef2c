/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The files a writer created in driveN/ and burned (a file manager's drop,
 * or `burn` itself), listed there with their sizes for as long as the
 * disc they went to is in the drive: a media change, or an erase or format
 * that leaves the disc blank, forgets them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drive_internal.h"

/* With b->lock held: forgets the list when the disc changed. */
static void follow_disc_locked(struct burn *b)
{
	uint64_t epoch = drive_disc_epoch(b->drive);

	if (epoch == b->drops_epoch)
		return;
	b->drops_epoch = epoch;
	/* The one being written stays: it goes to the disc in the drive now. */
	if (b->drop_current >= 0 && b->writer_open) {
		b->drops[0] = b->drops[b->drop_current];
		b->ndrops = 1;
		b->drop_current = 0;
	} else {
		b->ndrops = 0;
		b->drop_current = -1;
	}
}

static long find_locked(struct burn *b, const char *name)
{
	follow_disc_locked(b);
	for (size_t i = 0; i < b->ndrops; i++)
		if (strcmp(b->drops[i].name, name) == 0)
			return (long)i;
	return -1;
}

static uint64_t bytes_locked(const struct burn *b, size_t i)
{
	return (long)i == b->drop_current ? b->received : b->drops[i].bytes;
}

static void remove_locked(struct burn *b, size_t i)
{
	memmove(&b->drops[i], &b->drops[i + 1], (b->ndrops - i - 1) * sizeof(*b->drops));
	b->ndrops--;
	if (b->drop_current > (long)i)
		b->drop_current--;
	else if (b->drop_current == (long)i)
		b->drop_current = -1;
}

int burn_drop_begin_locked(struct burn *b, const char *name)
{
	long i;

	if (b->drop_current >= 0)
		b->drops[b->drop_current].bytes = b->received;
	b->drop_current = -1;
	/* Written again under the same name: the new one replaces it. */
	i = find_locked(b, name);
	if (i >= 0)
		remove_locked(b, (size_t)i);
	if (b->ndrops % 16 == 0) {
		struct drop *grown = realloc(b->drops, (b->ndrops + 16) * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		b->drops = grown;
	}
	snprintf(b->drops[b->ndrops].name, sizeof(b->drops[b->ndrops].name), "%s", name);
	b->drops[b->ndrops].bytes = 0;
	b->drop_current = (long)b->ndrops++;
	return 0;
}

void burn_drop_end_locked(struct burn *b)
{
	struct drop *dr;
	uint64_t written = b->progress.sectors_written * MMC_SECTOR_SIZE;

	if (b->drop_current < 0)
		return;
	dr = &b->drops[b->drop_current];
	dr->first_lba = b->progress.start_lba;
	dr->burned = b->received < written ? b->received : written;
}

void burn_drop_discard_locked(struct burn *b)
{
	if (b->drop_current >= 0)
		remove_locked(b, (size_t)b->drop_current);
}

bool burn_drop_find(struct burn *b, const char *name, uint64_t *bytes)
{
	long i;

	pthread_mutex_lock(&b->lock);
	i = find_locked(b, name);
	if (i >= 0)
		*bytes = bytes_locked(b, (size_t)i);
	pthread_mutex_unlock(&b->lock);
	return i >= 0;
}

int burn_drop_extent(struct burn *b, const char *name, uint32_t *first_lba, uint64_t *bytes)
{
	long i;
	int rc = 0;

	pthread_mutex_lock(&b->lock);
	i = find_locked(b, name);
	if (i < 0)
		rc = -ENOENT;
	else if (i == b->drop_current && !b->engine_done)
		rc = -EBUSY;
	if (rc == 0) {
		*first_lba = b->drops[i].first_lba;
		*bytes = b->drops[i].burned;
	}
	pthread_mutex_unlock(&b->lock);
	return rc;
}

bool burn_stream_name(struct burn *b, char *name, size_t size)
{
	bool listed;

	pthread_mutex_lock(&b->lock);
	listed = b->writer_open && b->drop_current >= 0;
	if (listed)
		snprintf(name, size, "%s", b->drops[b->drop_current].name);
	pthread_mutex_unlock(&b->lock);
	return listed;
}

void burn_drops_list(struct burn *b, void (*each)(void *ctx, const char *name), void *ctx)
{
	pthread_mutex_lock(&b->lock);
	follow_disc_locked(b);
	for (size_t i = 0; i < b->ndrops; i++)
		each(ctx, b->drops[i].name);
	pthread_mutex_unlock(&b->lock);
}

/* A file manager renames its ".part" file when the copy is done. */
int burn_rename(struct burn *b, const char *from, const char *to)
{
	long i;
	int rc = -ENOENT;

	pthread_mutex_lock(&b->lock);
	i = find_locked(b, from);
	if (i >= 0) {
		snprintf(b->drops[i].name, sizeof(b->drops[i].name), "%s", to);
		rc = 0;
	}
	pthread_mutex_unlock(&b->lock);
	return rc;
}

/* A copy tool cleaning up after a failure: the name goes from the
 * listing (the disc keeps what was burned). */
int burn_forget(struct burn *b, const char *name)
{
	long i;
	int rc = -ENOENT;

	pthread_mutex_lock(&b->lock);
	i = find_locked(b, name);
	if (i >= 0 && i == b->drop_current && b->writer_open) {
		rc = -EBUSY;
	} else if (i >= 0) {
		remove_locked(b, (size_t)i);
		rc = 0;
	}
	pthread_mutex_unlock(&b->lock);
	return rc;
}
