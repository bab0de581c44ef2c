/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The host FIFO between FUSE write() calls and the write engine: a bounded
 * ring of bytes.  Writers block while it is full, so the writer's rate is
 * the burn rate and memory stays flat whatever the image size.
 *
 * One stream may have several readers (all/burn feeds every recorder of a
 * tower from one ring): each has its own read position, and a byte's space
 * is given back once every reader still reading has taken it, so the
 * stream moves at the pace of the slowest.  A reader that gives up is
 * dropped and the others go on.
 */
#ifndef DISCFS_FIFO_H
#define DISCFS_FIFO_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FIFO_MAX_READERS 64

struct fifo {
	pthread_mutex_t lock;
	pthread_mutex_t put_lock;	/* one writer at a time copies in, outside lock */
	pthread_cond_t not_full, not_empty;
	unsigned char *data;
	size_t size;
	uint64_t tail;			/* bytes put since the reset */
	uint64_t taken[FIFO_MAX_READERS];	/* bytes each reader has taken */
	uint64_t reading;		/* bit r: reader r still reads */
	bool closed;	/* the writer has finished: no more bytes come */
	int error;	/* every reader gave up: writers get it instead of blocking */
};

int fifo_init(struct fifo *f, size_t size);
void fifo_destroy(struct fifo *f);
/* Resets to empty, open and error-free for a new stream with readers
 * 0 .. readers-1 (1 to FIFO_MAX_READERS). */
void fifo_reset(struct fifo *f, unsigned readers);

/* Copies all of buf in, blocking while full.  0, or the readers' error. */
int fifo_put(struct fifo *f, const void *buf, size_t len);
/* Appends len zero bytes, as fifo_put. */
int fifo_put_zeros(struct fifo *f, size_t len);
/* Reader r takes up to len bytes, blocking until len are there or the
 * writer has closed; returns the count (0: closed and drained, or r was
 * dropped). */
size_t fifo_get(struct fifo *f, unsigned r, void *buf, size_t len);
/* The reader's zero-copy pair.  fifo_peek waits as fifo_get does, then
 * points *data at the bytes at r's position, up to len and up to the ring's
 * end, and returns their count without taking them; they stay put (writers
 * cannot reuse them) until fifo_consume(f, r, count) gives them back. */
size_t fifo_peek(struct fifo *f, unsigned r, const void **data, size_t len);
void fifo_consume(struct fifo *f, unsigned r, size_t len);
/* No more data will come. */
void fifo_close(struct fifo *f);
/* Reader r gave up: its bytes are given back, and once no reader is left,
 * writers are woken and return err (negative errno). */
void fifo_drop(struct fifo *f, unsigned r, int err);
/* Bytes held for the slowest reader (the writer's view of the fill). */
size_t fifo_used(struct fifo *f);
/* Bytes put that reader r has not taken yet. */
size_t fifo_pending(struct fifo *f, unsigned r);

#endif
