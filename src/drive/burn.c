/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The writer's side of a burn: what FUSE open, write, truncate, flush and
 * release on a burn file mean.  The engine side is burn_engine.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/volume.h"
#include "drive_internal.h"

#define HEAD_OFFSET ((uint64_t)VOLUME_RECOGNITION_OFFSET)
#define HEAD_END (HEAD_OFFSET + VOLUME_RECOGNITION_BYTES)

static const char *const action_names[] = {
	[ACTION_VALIDATING] = "validating",	[ACTION_FORMATTING] = "formatting",
	[ACTION_INITIALIZING] = "initializing", [ACTION_CALIBRATING] = "calibrating",
	[ACTION_WRITING] = "writing",		[ACTION_FINALIZING] = "finalizing",
	[ACTION_COMPLETED] = "completed",	[ACTION_VERIFYING] = "verifying",
};

const char *burn_action_name(enum burn_action a)
{
	return a <= ACTION_VERIFYING ? action_names[a] : "unknown";
}

int burn_init(struct burn *b, struct drive *d, size_t fifo_bytes)
{
	int rc;

	memset(b, 0, sizeof(*b));
	rc = fifo_init(&b->fifo, fifo_bytes);
	if (rc)
		return rc;
	rc = burn_log_init(&b->log);
	if (rc) {
		fifo_destroy(&b->fifo);
		return rc;
	}
	b->drive = d;
	b->source = &b->fifo;
	b->settings.buffer_underrun_free = true;
	b->progress.last_written_lba = -1;
	b->start_at = -1;
	b->drop_current = -1;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->changed, NULL);
	return 0;
}

void burn_destroy(struct burn *b)
{
	burn_cancel(b);
	if (b->thread_joinable)
		pthread_join(b->thread, NULL);
	fifo_destroy(&b->fifo);
	burn_log_free(&b->log);
	free(b->chunk_crcs);
	free(b->drops);
	pthread_cond_destroy(&b->changed);
	pthread_mutex_destroy(&b->lock);
}

void burn_finish_locked(struct burn *b, int rc)
{
	b->progress.state = rc ? BURN_FAILED : BURN_DONE;
	b->progress.result = rc;
	if (rc)
		drive_last_error(b->drive, b->progress.error, sizeof(b->progress.error));
}

void burn_failed_after(struct burn *b, int rc)
{
	pthread_mutex_lock(&b->lock);
	burn_finish_locked(b, rc);
	burn_changed_locked(b);
	pthread_mutex_unlock(&b->lock);
}

/* Stops the burn from the writer's side, before the engine wrote anything;
 * rc is a negative errno whose last_error is already set. */
static int abort_locked(struct burn *b, int rc)
{
	if (b->progress.result == 0)
		b->progress.result = rc;
	b->cancel = true;
	fifo_drop(b->source, b->reader, rc);
	burn_changed_locked(b);
	return rc;
}

static int fail_locked(struct burn *b, enum discfs_condition cond, const char *detail)
{
	return abort_locked(b, drive_fail(b->drive, cond, detail));
}

/* Why a loaded, readable medium cannot take a burn at all: NULL when it
 * can, else the detail and *cond.  start_at: where a producer growing an
 * overwrite medium's volume puts its session, -1 for none. */
static const char *refusal(const struct media_info *m, int64_t start_at, enum discfs_condition *cond)
{
	*cond = COND_MEDIA_NOT_WRITABLE;
	if (m->profile->model == WRITE_MODEL_READ_ONLY)
		return "a read-only disc is loaded";
	if (m->status & MEDIA_FINALIZED)
		return "the disc is closed";
	*cond = COND_DAMAGED_TRACK;
	if ((m->status & MEDIA_DAMAGED) && !m->next_writable_valid)
		return "an interrupted burn left it open: echo 1 > close closes it, then burn again";
	*cond = COND_MEDIA_NOT_BLANK;
	if (m->profile->model == WRITE_MODEL_OVERWRITE && start_at >= 0 &&
	    (start_at < m->volume_sectors || start_at > m->total_sectors))
		return "the session would overwrite the volume";
	return NULL;
}

/* What the medium can take for this burn: sequential media from the next
 * writable address, overwrite media from sector 0 (the IMAPI rule) or, for
 * an image made for it, from the end of the volume there; or from
 * b->start_at, past the volume, for a producer that grows it.  Where the
 * image goes is decided from its descriptors (image_check.c). */
static int check_medium(struct burn *b, const struct media_info *m)
{
	enum discfs_condition cond;
	const char *detail;

	b->target = (struct image_target){
		.overwrite = m->profile->model == WRITE_MODEL_OVERWRITE,
		.force_overwrite = b->settings.force_overwrite,
		.raw = b->settings.raw,
		.next_writable = m->next_writable,
		.volume_sectors = m->volume_sectors,
		.start_at = m->profile->model == WRITE_MODEL_OVERWRITE ? b->start_at : -1,
	};
	if (m->error)
		return m->error == -ENOMEDIUM ? drive_fail(b->drive, COND_NO_MEDIA, NULL) : m->error;
	detail = refusal(m, b->start_at, &cond);
	if (detail)
		return drive_fail(b->drive, cond, detail);
	if (m->profile->model == WRITE_MODEL_OVERWRITE && b->start_at >= 0)
		b->limit = (uint64_t)(m->total_sectors - b->start_at) * 2048;
	else if (m->profile->model == WRITE_MODEL_OVERWRITE)
		b->limit = (uint64_t)m->total_sectors * 2048;
	else
		b->limit = (uint64_t)m->free_sectors * 2048;
	return 0;
}

/* A tower's member: the image all/burn sends is made for no member's disc
 * in particular, so an overwrite medium holding a volume takes it only with
 * force_overwrite (image_check would refuse it at the first sectors). */
bool burn_accepts_medium(struct burn *b)
{
	enum discfs_condition cond;
	struct media_info m;
	bool force;

	if (drive_media(b->drive, &m))
		return false;
	pthread_mutex_lock(&b->lock);
	force = b->settings.force_overwrite;
	pthread_mutex_unlock(&b->lock);
	if (refusal(&m, -1, &cond))
		return false;
	return m.profile->model != WRITE_MODEL_OVERWRITE || !m.volume_sectors || force;
}

/* burn_begin_at and burn_begin_reader: the engine reads reader `reader` of
 * source, the burn's own FIFO or a tower's. */
static int begin(struct burn *b, const char *name, const char *owner, int64_t start_lba, struct fifo *source,
		 unsigned reader)
{
	struct media_info m;
	int rc;

	drive_clear_error(b->drive);
	pthread_mutex_lock(&b->lock);
	/* A writer that opened and closed without data (touch, a shell's
	 * redirection) leaves an engine that only tidies up (release, media
	 * refresh); the next writer waits for that instead of getting EBUSY. */
	while (!b->writer_open && burn_running_locked(b) && b->stream_ended && b->received == 0)
		pthread_cond_wait(&b->changed, &b->lock);
	if (b->writer_open || burn_running_locked(b)) {
		pthread_mutex_unlock(&b->lock);
		return drive_fail(b->drive, COND_BUSY, "another writer is burning");
	}
	if (b->thread_joinable) {
		pthread_join(b->thread, NULL);
		b->thread_joinable = false;
	}
	rc = drive_claim(b->drive, owner);
	if (rc) {
		pthread_mutex_unlock(&b->lock);
		return drive_fail(b->drive, COND_BUSY, NULL);
	}
	drive_refresh_media(b->drive);
	drive_media(b->drive, &m);
	b->start_at = start_lba;
	rc = check_medium(b, &m);
	if (rc) {
		/* status tells of this refusal, not of the burn before it. */
		b->progress = (struct burn_progress){ .op = OP_BURN, .last_written_lba = -1 };
		burn_finish_locked(b, rc);
		drive_release(b->drive);
		pthread_mutex_unlock(&b->lock);
		return rc;
	}
	if (source == &b->fifo)
		fifo_reset(&b->fifo, 1);
	b->source = source;
	b->reader = reader;
	rc = burn_drop_begin_locked(b, name);
	if (rc) {
		drive_release(b->drive);
		pthread_mutex_unlock(&b->lock);
		return rc;
	}
	b->previous = b->progress;
	b->writer_open = true;
	b->stream_ended = b->engine_done = b->cancel = false;
	b->inspected = b->ended_short = false;
	/* Holes (a sparse copy, a final ftruncate) read as zeros here too. */
	memset(b->head, 0, sizeof(b->head));
	b->received = b->expected = 0;
	b->size_given = false;
	b->nchunks = 0;
	memset(&b->progress, 0, sizeof(b->progress));
	b->progress.op = OP_BURN;
	b->progress.state = BURN_WAITING;
	b->progress.last_written_lba = -1;
	drive_changed(b->drive);
	rc = pthread_create(&b->thread, NULL, burn_engine_main, b);
	if (rc) {
		b->writer_open = false;
		drive_release(b->drive);
		pthread_mutex_unlock(&b->lock);
		return -rc;
	}
	b->thread_joinable = true;
	pthread_mutex_unlock(&b->lock);
	return 0;
}

int burn_begin(struct burn *b, const char *name, const char *owner)
{
	return begin(b, name, owner, -1, &b->fifo, 0);
}

int burn_begin_at(struct burn *b, const char *name, const char *owner, int64_t start_lba)
{
	return begin(b, name, owner, start_lba, &b->fifo, 0);
}

int burn_begin_reader(struct burn *b, const char *name, const char *owner, struct fifo *source, unsigned reader)
{
	return begin(b, name, owner, -1, source, reader);
}

/* Keeps the volume recognition area as it streams past. */
static void keep_head(struct burn *b, const uint8_t *buf, size_t size, uint64_t offset)
{
	uint64_t from = offset > HEAD_OFFSET ? offset : HEAD_OFFSET;
	uint64_t to = offset + size < HEAD_END ? offset + size : HEAD_END;

	if (from < to)
		memcpy(b->head + (from - HEAD_OFFSET), buf + (from - offset), to - from);
}

/* Decides, once the descriptors are in (or the stream ended before them),
 * whether this is an image the disc can take and where it goes. */
static int inspect_locked(struct burn *b, uint64_t received)
{
	uint64_t end = received < HEAD_END ? received : HEAD_END;
	int rc;

	if (b->inspected)
		return b->progress.result;
	b->inspected = true;
	rc = image_check(b->drive, b->head, end > HEAD_OFFSET ? (size_t)(end - HEAD_OFFSET) : 0, &b->target,
			 &b->plan);
	if (rc)
		return abort_locked(b, rc);
	/* A producer gave the exact size: an appended session's descriptors
	 * describe the whole volume. */
	if (!b->size_given)
		b->expected = b->plan.expected_bytes;
	if (b->plan.append)
		b->limit -= (uint64_t)b->plan.start_lba * 2048;
	return 0;
}

static int check_space_locked(struct burn *b, uint64_t end)
{
	char detail[128];

	if (end <= b->limit && b->expected <= b->limit)
		return 0;
	snprintf(detail, sizeof(detail), "%llu sectors needed, %llu free",
		 (unsigned long long)((b->expected > end ? b->expected : end) + 2047) / 2048,
		 (unsigned long long)b->limit / 2048);
	return fail_locked(b, COND_IMAGE_TOO_LARGE, detail);
}

int burn_expect(struct burn *b, uint64_t bytes)
{
	int rc;

	pthread_mutex_lock(&b->lock);
	b->expected = bytes;
	b->size_given = true;
	rc = check_space_locked(b, bytes);
	pthread_mutex_unlock(&b->lock);
	return rc;
}

int burn_accept(struct burn *b, const void *buf, size_t size, off_t offset, uint64_t *gap)
{
	int rc;

	pthread_mutex_lock(&b->lock);
	if (b->progress.result) {
		rc = b->progress.result;
		pthread_mutex_unlock(&b->lock);
		return rc;
	}
	if (b->stream_ended) {
		pthread_mutex_unlock(&b->lock);
		return -EPIPE;
	}
	if ((uint64_t)offset < b->received) {
		pthread_mutex_unlock(&b->lock);
		return drive_fail(b->drive, COND_NOT_SEQUENTIAL, NULL);
	}
	*gap = (uint64_t)offset - b->received;
	keep_head(b, buf, size, (uint64_t)offset);
	rc = (uint64_t)offset + size >= HEAD_END ? inspect_locked(b, (uint64_t)offset + size) : 0;
	if (rc == 0)
		rc = check_space_locked(b, (uint64_t)offset + size);
	if (rc) {
		pthread_mutex_unlock(&b->lock);
		return rc;
	}
	b->received = (uint64_t)offset + size;
	burn_changed_locked(b);
	pthread_mutex_unlock(&b->lock);
	return 0;
}

int burn_write(struct burn *b, const void *buf, size_t size, off_t offset)
{
	uint64_t gap;
	int rc = burn_accept(b, buf, size, offset, &gap);

	if (rc)
		return rc;
	/* Writes of one stream arrive one at a time (direct I/O), so the
	 * FIFO sees them in order without holding the lock while blocked. */
	rc = gap ? fifo_put_zeros(&b->fifo, gap) : 0;
	if (rc == 0)
		rc = fifo_put(&b->fifo, buf, size);
	return rc ? rc : (int)size;
}

int burn_truncate(struct burn *b, off_t size)
{
	uint64_t gap;
	int rc;

	pthread_mutex_lock(&b->lock);
	if (!b->writer_open || (uint64_t)size <= b->received) {
		pthread_mutex_unlock(&b->lock);
		return 0;
	}
	rc = (uint64_t)size >= HEAD_END ? inspect_locked(b, (uint64_t)size) : 0;
	if (rc == 0)
		rc = check_space_locked(b, (uint64_t)size);
	if (rc) {
		pthread_mutex_unlock(&b->lock);
		return rc;
	}
	gap = (uint64_t)size - b->received;
	b->received = (uint64_t)size;
	burn_changed_locked(b);
	pthread_mutex_unlock(&b->lock);
	return fifo_put_zeros(&b->fifo, gap);
}

static void end_stream_locked(struct burn *b)
{
	if (b->stream_ended)
		return;
	b->stream_ended = true;
	/* A tower closes its shared FIFO itself, once every member's stream
	 * has ended (tower.c). */
	if (b->source == &b->fifo)
		fifo_close(&b->fifo);
	burn_changed_locked(b);
}

static bool incomplete_locked(const struct burn *b)
{
	return b->received > 0 && b->progress.result == 0 && !b->stream_ended &&
	       (!b->inspected || b->received < b->expected);
}

bool burn_stream_incomplete(struct burn *b)
{
	bool incomplete;

	pthread_mutex_lock(&b->lock);
	incomplete = b->writer_open && incomplete_locked(b);
	pthread_mutex_unlock(&b->lock);
	return incomplete;
}

/* The last descriptor is closing: the image is what came.  One that
 * stopped before its volume's end fails the burn, whoever the writer was;
 * the engine still writes all that came, so what is left on the disc does
 * not depend on timing, and then closes it (burn_engine.c). */
static void conclude_locked(struct burn *b)
{
	unsigned long long sectors = (b->received + 2047) / 2048;
	char detail[96];

	if (b->stream_ended)
		return;
	if (b->received > 0 && b->received < HEAD_OFFSET + 2048 && b->progress.result == 0 && !b->target.raw) {
		/* `dd count=3` of an image: too short to say what it is, and
		 * whatever it was, not whole.  Nothing is written. */
		snprintf(detail, sizeof(detail), "image ended at sector %llu, before its volume descriptor at sector %d",
			 sectors, VOLUME_ISO_PVD_LBA);
		fail_locked(b, COND_IMAGE_TRUNCATED, detail);
	} else if (b->received > 0 && b->progress.result == 0 && inspect_locked(b, b->received) == 0 &&
		   b->received < b->expected) {
		snprintf(detail, sizeof(detail), "image ended at sector %llu of %llu", sectors,
			 (unsigned long long)b->expected / 2048);
		b->ended_short = true;
		b->progress.result = drive_fail(b->drive, COND_IMAGE_TRUNCATED, detail);
	}
	end_stream_locked(b);
}

/* close() or fsync() of a writer's descriptor.  The shell's `cat x > burn`
 * closes a copy before anything is written, and a script may close copies
 * (`exec 3>burn; head -c 1M a.iso >&3; ...`) while another still writes, so
 * the image ends only at the last close of a stream that has data. */
void burn_conclude(struct burn *b, bool last)
{
	pthread_mutex_lock(&b->lock);
	if (b->writer_open && b->received > 0 && (last || !incomplete_locked(b)))
		conclude_locked(b);
	pthread_mutex_unlock(&b->lock);
}

int burn_flush(struct burn *b, bool last)
{
	int rc;

	burn_conclude(b, last);
	pthread_mutex_lock(&b->lock);
	if (b->writer_open && (b->stream_ended || b->progress.result)) {
		/* Once close() returns, status must say how the burn ended. */
		while (burn_running_locked(b))
			pthread_cond_wait(&b->changed, &b->lock);
	}
	rc = b->progress.result;
	pthread_mutex_unlock(&b->lock);
	return rc;
}

/* The last descriptor is gone.  A writer killed mid-image gets a clean
 * end: what came is closed on the disc, and status says the image ended
 * short.  An open and close without data burns nothing. */
void burn_end(struct burn *b)
{
	pthread_mutex_lock(&b->lock);
	if (b->writer_open)
		conclude_locked(b);
	b->writer_open = false;
	end_stream_locked(b);
	pthread_mutex_unlock(&b->lock);
}

/* Returns once the engine has stopped: data synchronized, track closed,
 * tray unlocked. */
int burn_cancel(struct burn *b)
{
	pthread_mutex_lock(&b->lock);
	if (burn_running_locked(b)) {
		b->cancel = true;
		if (b->progress.result == 0)
			b->progress.result = drive_fail(b->drive, COND_CANCELLED, NULL);
		fifo_drop(b->source, b->reader, b->progress.result);
		burn_changed_locked(b);
		while (!b->engine_done)
			pthread_cond_wait(&b->changed, &b->lock);
	}
	pthread_mutex_unlock(&b->lock);
	return 0;
}

void burn_get_progress(struct burn *b, struct burn_progress *out)
{
	pthread_mutex_lock(&b->lock);
	/* A writer that has sent nothing yet may never send anything (touch,
	 * an empty copy): until it does, the last burn stays what status says. */
	*out = b->progress.state == BURN_WAITING && b->received == 0 ? b->previous : b->progress;
	out->host_used = fifo_pending(b->source, b->reader);
	out->host_size = b->source->size;
	pthread_mutex_unlock(&b->lock);
}
