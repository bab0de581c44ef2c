/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A burn fed by a producer inside discfs (the mastering layer) rather than
 * by a program writing a burn file: the same writer's side of the engine
 * (burn.c), driven from the caller's thread, so the FIFO, the speed plan,
 * progress, status, cancel and verify apply unchanged.  A tower's members
 * are fed the same way (tower.c's tower_stream).
 */
#include <errno.h>
#include <stdlib.h>

#include "drive_internal.h"

#define PRODUCE_BYTES (64 * 1024)

void burn_stop(struct burn *b, int rc)
{
	pthread_mutex_lock(&b->lock);
	if (b->progress.result == 0)
		b->progress.result = rc;
	b->cancel = true;
	fifo_drop(b->source, b->reader, b->progress.result);
	burn_changed_locked(b);
	pthread_mutex_unlock(&b->lock);
}

int stream_pump(uint64_t bytes, burn_producer produce, void *ctx, stream_sink put, void *sink)
{
	uint8_t *buf = malloc(PRODUCE_BYTES);
	uint64_t offset = 0;
	int rc = buf ? 0 : -ENOMEM;

	while (rc == 0 && offset < bytes) {
		/* Never ask for more than is left: a producer may not be able
		 * to return a short count before its end. */
		size_t want = bytes - offset < PRODUCE_BYTES ? (size_t)(bytes - offset) : PRODUCE_BYTES;
		long got = produce(ctx, buf, want);

		if (got <= 0) {
			rc = got < 0 ? (int)got : -EIO;
			break;
		}
		rc = put(sink, buf, (size_t)got, (off_t)offset);
		if (rc > 0) {
			offset += (uint64_t)rc;
			rc = 0;
		}
	}
	free(buf);
	return rc;
}

static int put_burn(void *sink, const void *buf, size_t size, off_t offset)
{
	return burn_write(sink, buf, size, offset);
}

int burn_stream(struct burn *b, const char *owner, int64_t start_lba, uint64_t bytes, burn_producer produce,
		void *ctx)
{
	/* "commit" is a file of the tree, so no dropped file is listed. */
	int rc = burn_begin_at(b, "commit", owner, start_lba);

	if (rc)
		return rc;
	rc = burn_expect(b, bytes);
	if (rc == 0)
		rc = stream_pump(bytes, produce, ctx, put_burn, b);
	/* The producer failed, or the engine did: the engine stops without
	 * closing what it never got, and the burn's result is the first error. */
	if (rc)
		burn_stop(b, rc);
	/* Ends the stream and waits for the engine: the outcome of the burn. */
	rc = burn_flush(b, true);
	burn_end(b);
	return rc;
}
