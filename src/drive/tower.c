/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A duplicator tower (tower.h): the writer's stream goes once into a shared
 * FIFO; each member's write engine reads it as its own reader (burn.c's
 * burn_begin_reader), and the writer's data is accounted on every member
 * (burn_accept) so each engine sees the image size and its end as with a
 * burn of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/tower.h"
#include "drive_internal.h"

#define ZERO_FILL_CHUNK 65536

struct member {
	unsigned drive;
	bool began;
	int result;		/* 0, or why it was dropped */
};

struct tower {
	pthread_mutex_t lock;	/* guards everything below but fifo (its own) */
	struct drive **drives;
	size_t ndrives;
	struct fifo fifo;
	uint64_t chosen;	/* all/members, 0 for the default */
	bool writer_open;
	bool burned;		/* a burn has begun since the mount */
	size_t nmembers;
	struct member members[TOWER_MAX_MEMBERS];
	uint64_t received;
	char last_error[DRIVE_ERROR_MAX];
};

/* all/last_error; the lock held. */
static int fail_locked(struct tower *t, enum discfs_condition cond, const char *detail)
{
	const struct discfs_error *e = error_for_condition(cond);

	error_format(t->last_error, sizeof(t->last_error), e, NULL, NULL, detail);
	return -e->err;
}

/* What the writer gets when members failed: EIO, as for a disc that could
 * not be written; each member's own last_error says what happened to it. */
int tower_fail_members(struct tower *t, const char *detail)
{
	pthread_mutex_lock(&t->lock);
	snprintf(t->last_error, sizeof(t->last_error), "%s: %s", errno_name(EIO), detail);
	pthread_mutex_unlock(&t->lock);
	return -EIO;
}

struct tower *tower_create(struct drive **drives, size_t n, size_t fifo_bytes)
{
	struct tower *t = calloc(1, sizeof(*t));

	if (!t || fifo_init(&t->fifo, fifo_bytes)) {
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	t->drives = drives;
	t->ndrives = n < TOWER_MAX_MEMBERS ? n : TOWER_MAX_MEMBERS;
	return t;
}

void tower_destroy(struct tower *t)
{
	if (!t)
		return;
	fifo_destroy(&t->fifo);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static uint64_t bit(size_t i)
{
	return UINT64_C(1) << i;
}

/* Lock held. */
static uint64_t members_locked(struct tower *t)
{
	uint64_t set = 0;

	if (t->chosen)
		return t->chosen;
	for (size_t i = 0; i < t->ndrives; i++)
		if (burn_accepts_medium(drive_burn(t->drives[i])))
			set |= bit(i);
	return set;
}

uint64_t tower_members(struct tower *t, bool *chosen)
{
	uint64_t set;

	pthread_mutex_lock(&t->lock);
	*chosen = t->chosen != 0;
	set = members_locked(t);
	pthread_mutex_unlock(&t->lock);
	return set;
}

void tower_check_media(struct tower *t)
{
	for (size_t i = 0; i < t->ndrives; i++)
		drive_check_media(t->drives[i]);
}

size_t tower_member_drives(struct tower *t, struct drive **drives, size_t max)
{
	uint64_t set;
	size_t n = 0;

	pthread_mutex_lock(&t->lock);
	set = members_locked(t);
	for (size_t i = 0; i < t->ndrives && n < max; i++)
		if (set & bit(i))
			drives[n++] = t->drives[i];
	pthread_mutex_unlock(&t->lock);
	return n;
}

int tower_choose(struct tower *t, uint64_t members)
{
	int rc = 0;

	pthread_mutex_lock(&t->lock);
	if (t->ndrives < TOWER_MAX_MEMBERS && members >> t->ndrives)
		rc = fail_locked(t, COND_INVALID_VALUE, "no such recorder");
	else if (t->writer_open)
		rc = fail_locked(t, COND_BUSY, "the members cannot change during a burn");
	else
		t->chosen = members;
	if (!rc)
		t->last_error[0] = '\0';	/* the last failed write to all/ was before */
	pthread_mutex_unlock(&t->lock);
	return rc;
}

/* tower_begin and tower_stream: each member's burn starts, named name. */
static int begin_members(struct tower *t, const char *name, const char *owner)
{
	uint64_t set;
	size_t began = 0;
	int rc = 0;

	tower_check_media(t);
	pthread_mutex_lock(&t->lock);
	if (t->writer_open) {
		rc = fail_locked(t, COND_BUSY, "another writer is burning to all");
		pthread_mutex_unlock(&t->lock);
		return rc;
	}
	set = members_locked(t);
	if (!set) {
		rc = fail_locked(t, COND_NO_MEDIA, "no recorder holds a writable medium");
		pthread_mutex_unlock(&t->lock);
		return rc;
	}
	t->nmembers = 0;
	for (size_t i = 0; i < t->ndrives; i++)
		if (set & bit(i))
			t->members[t->nmembers++] = (struct member){ .drive = (unsigned)i };
	fifo_reset(&t->fifo, (unsigned)t->nmembers);
	t->received = 0;
	t->burned = true;
	/* A member the burn cannot start on (no disc, busy) is left out; its
	 * own last_error says why, and the writer's close() will say EIO. */
	for (size_t r = 0; r < t->nmembers; r++) {
		struct member *m = &t->members[r];

		m->result = burn_begin_reader(drive_burn(t->drives[m->drive]), name, owner, &t->fifo, (unsigned)r);
		m->began = m->result == 0;
		if (m->began)
			began++;
		else
			fifo_drop(&t->fifo, (unsigned)r, m->result);
		if (!rc)
			rc = m->result;
	}
	if (began) {
		t->writer_open = true;
		t->last_error[0] = '\0';
		rc = 0;
	} else {
		snprintf(t->last_error, sizeof(t->last_error), "%s: no member could start the burn: all/status says why",
			 errno_name(-rc));
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int tower_begin(struct tower *t, const char *owner)
{
	return begin_members(t, "burn", owner);
}

/* The data is accounted on every member still burning before it goes into
 * the FIFO once.  Only the writer's thread changes the members, one write
 * at a time, so the lock is not held while the FIFO blocks. */
int tower_write(struct tower *t, const void *buf, size_t size, off_t offset)
{
	uint64_t gap = 0;
	size_t live = 0;
	int rc;

	pthread_mutex_lock(&t->lock);
	for (size_t r = 0; r < t->nmembers; r++) {
		struct member *m = &t->members[r];
		uint64_t member_gap;

		if (!m->began || m->result)
			continue;
		rc = burn_accept(drive_burn(t->drives[m->drive]), buf, size, offset, &member_gap);
		if (rc) {
			m->result = rc;
			fifo_drop(&t->fifo, (unsigned)r, rc);
			continue;
		}
		gap = member_gap;
		live++;
	}
	if (live && (uint64_t)offset + size > t->received)
		t->received = (uint64_t)offset + size;
	pthread_mutex_unlock(&t->lock);
	if (!live)
		return tower_fail_members(t, "every member failed: all/status says why");
	rc = gap ? fifo_put_zeros(&t->fifo, gap) : 0;
	if (rc == 0)
		rc = fifo_put(&t->fifo, buf, size);
	if (rc)
		return tower_fail_members(t, "every member failed: all/status says why");
	return (int)size;
}

/* A sparse copy's final ftruncate: the rest of the image is zeros. */
int tower_truncate(struct tower *t, off_t size)
{
	static const uint8_t zeros[ZERO_FILL_CHUNK];
	uint64_t at;
	int rc = 0;

	pthread_mutex_lock(&t->lock);
	at = t->writer_open ? t->received : (uint64_t)size;
	pthread_mutex_unlock(&t->lock);
	while (at < (uint64_t)size && rc >= 0) {
		size_t n = (uint64_t)size - at < sizeof(zeros) ? (size_t)((uint64_t)size - at) : sizeof(zeros);

		rc = tower_write(t, zeros, n, (off_t)at);
		at += n;
	}
	return rc < 0 ? rc : 0;
}

bool tower_stream_incomplete(struct tower *t)
{
	bool incomplete = false;

	pthread_mutex_lock(&t->lock);
	for (size_t r = 0; r < t->nmembers && !incomplete; r++) {
		struct member *m = &t->members[r];

		incomplete = m->began && !m->result && burn_stream_incomplete(drive_burn(t->drives[m->drive]));
	}
	pthread_mutex_unlock(&t->lock);
	return incomplete;
}

/* Every member's stream ends (its image judged whole or short, as a burn
 * of its own at its last close) before the shared FIFO closes: an engine
 * that drained it must find its burn's ending already decided. */
static void end_members(struct tower *t, void (*end)(struct burn *b))
{
	for (size_t r = 0; r < t->nmembers; r++)
		if (t->members[r].began)
			end(drive_burn(t->drives[t->members[r].drive]));
	fifo_close(&t->fifo);
}

static void conclude_member(struct burn *b)
{
	burn_conclude(b, true);
}

/* close() or fsync(): as a burn file's (burn.h's burn_flush), for every
 * member; the image ends once it has data and this is its last close, or it
 * is whole.  EIO unless every member burned the image. */
int tower_flush(struct tower *t, bool last)
{
	bool failed = false, ending;
	uint64_t received;
	size_t n;

	pthread_mutex_lock(&t->lock);
	if (!t->writer_open) {
		pthread_mutex_unlock(&t->lock);
		return 0;
	}
	n = t->nmembers;
	received = t->received;
	pthread_mutex_unlock(&t->lock);
	ending = received > 0 && (last || !tower_stream_incomplete(t));
	if (ending) {
		pthread_mutex_lock(&t->lock);
		end_members(t, conclude_member);
		pthread_mutex_unlock(&t->lock);
	}
	for (size_t r = 0; r < n; r++) {
		struct member *m = &t->members[r];
		int rc = m->began ? burn_flush(drive_burn(t->drives[m->drive]), ending) : m->result;

		pthread_mutex_lock(&t->lock);
		if (rc && !m->result)
			m->result = rc;
		failed |= m->result != 0;
		pthread_mutex_unlock(&t->lock);
	}
	if (failed && received)
		return tower_fail_members(t, "not every member burned the image: all/status says which");
	return 0;
}

void tower_end(struct tower *t)
{
	pthread_mutex_lock(&t->lock);
	end_members(t, burn_end);
	t->writer_open = false;
	pthread_mutex_unlock(&t->lock);
}

size_t tower_status(struct tower *t, unsigned *drives, bool *began, size_t max, bool *any_burn)
{
	size_t n = 0;

	pthread_mutex_lock(&t->lock);
	*any_burn = t->burned;
	if (t->burned) {
		for (size_t r = 0; r < t->nmembers && n < max; r++, n++) {
			drives[n] = t->members[r].drive;
			began[n] = t->members[r].began;
		}
	} else {
		uint64_t set = members_locked(t);

		for (size_t i = 0; i < t->ndrives && n < max; i++) {
			if (set & bit(i)) {
				drives[n] = (unsigned)i;
				began[n++] = false;
			}
		}
	}
	pthread_mutex_unlock(&t->lock);
	return n;
}

int tower_fail(struct tower *t, enum discfs_condition cond, const char *detail)
{
	int rc;

	pthread_mutex_lock(&t->lock);
	rc = fail_locked(t, cond, detail);
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int tower_refuse(struct tower *t, const char *detail)
{
	return tower_fail(t, COND_INVALID_VALUE, detail);
}

void tower_clear_error(struct tower *t)
{
	pthread_mutex_lock(&t->lock);
	t->last_error[0] = '\0';
	pthread_mutex_unlock(&t->lock);
}

void tower_last_error(struct tower *t, char *out, size_t size)
{
	pthread_mutex_lock(&t->lock);
	snprintf(out, size, "%s", t->last_error[0] ? t->last_error : "none");
	pthread_mutex_unlock(&t->lock);
}

static int put_tower(void *sink, const void *buf, size_t size, off_t offset)
{
	return tower_write(sink, buf, size, offset);
}

/* As burn_stream for one drive: every member knows the size before the
 * first byte (ENOSPC drops a member now), the producer's bytes go once
 * into the shared FIFO, and the last close waits for every member. */
int tower_stream(struct tower *t, const char *owner, uint64_t bytes, burn_producer produce, void *ctx,
		 uint64_t *failed)
{
	int rc = begin_members(t, "commit", owner), flushed;

	*failed = 0;
	if (rc)
		return rc;
	pthread_mutex_lock(&t->lock);
	for (size_t r = 0; r < t->nmembers; r++) {
		struct member *m = &t->members[r];

		/* A refused size stops the member's burn (its own last_error). */
		if (m->began && !m->result)
			m->result = burn_expect(drive_burn(t->drives[m->drive]), bytes);
	}
	pthread_mutex_unlock(&t->lock);
	rc = stream_pump(bytes, produce, ctx, put_tower, t);
	if (rc) {
		/* The producer failed (or every member did): no member closes
		 * a session it never got whole. */
		pthread_mutex_lock(&t->lock);
		for (size_t r = 0; r < t->nmembers; r++)
			if (t->members[r].began)
				burn_stop(drive_burn(t->drives[t->members[r].drive]), rc);
		pthread_mutex_unlock(&t->lock);
	}
	flushed = tower_flush(t, true);
	pthread_mutex_lock(&t->lock);
	for (size_t r = 0; r < t->nmembers; r++)
		if (t->members[r].result)
			*failed |= bit(t->members[r].drive);
	pthread_mutex_unlock(&t->lock);
	tower_end(t);
	if (!*failed)
		return 0;
	return flushed ? flushed : rc ? rc : -EIO;
}
