/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The host FIFO between FUSE write() calls and the write engine: a bounded
 * ring of bytes.  Writers block while it is full, so the writer's rate is
 * the burn rate and memory stays flat whatever the image size.
 */
#ifndef DISCFS_FIFO_H
#define DISCFS_FIFO_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct fifo {
	pthread_mutex_t lock;
	pthread_mutex_t put_lock;	/* one writer at a time copies in, outside lock */
	pthread_cond_t not_full, not_empty;
	unsigned char *data;
	size_t size, head, used;
	bool closed;	/* the writer has finished: no more bytes come */
	int error;	/* set by the reader: writers get it instead of blocking */
};

int fifo_init(struct fifo *f, size_t size);
void fifo_destroy(struct fifo *f);
/* Resets to empty, open and error-free for a new stream. */
void fifo_reset(struct fifo *f);

/* Copies all of buf in, blocking while full.  0, or the reader's error. */
int fifo_put(struct fifo *f, const void *buf, size_t len);
/* Appends len zero bytes, as fifo_put. */
int fifo_put_zeros(struct fifo *f, size_t len);
/* Takes up to len bytes, blocking until len are there or the writer has
 * closed; returns the count (0: closed and drained). */
size_t fifo_get(struct fifo *f, void *buf, size_t len);
/* The reader's zero-copy pair.  fifo_peek waits as fifo_get does, then
 * points *data at the bytes at the head, up to len and up to the ring's
 * end, and returns their count without taking them; they stay put (writers
 * cannot reuse them) until fifo_consume(f, count) gives them back. */
size_t fifo_peek(struct fifo *f, const void **data, size_t len);
void fifo_consume(struct fifo *f, size_t len);
/* No more data will come. */
void fifo_close(struct fifo *f);
/* The reader gave up: wakes writers, who return err (negative errno). */
void fifo_fail(struct fifo *f, int err);
size_t fifo_used(struct fifo *f);

#endif
