/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A bounded byte ring with blocking put and get, for one or more readers;
 * see fifo.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/fifo.h"

int fifo_init(struct fifo *f, size_t size)
{
	memset(f, 0, sizeof(*f));
	f->data = malloc(size);
	if (!f->data)
		return -ENOMEM;
	f->size = size;
	f->reading = 1;
	pthread_mutex_init(&f->lock, NULL);
	pthread_mutex_init(&f->put_lock, NULL);
	pthread_cond_init(&f->not_full, NULL);
	pthread_cond_init(&f->not_empty, NULL);
	return 0;
}

void fifo_destroy(struct fifo *f)
{
	pthread_cond_destroy(&f->not_empty);
	pthread_cond_destroy(&f->not_full);
	pthread_mutex_destroy(&f->put_lock);
	pthread_mutex_destroy(&f->lock);
	free(f->data);
	f->data = NULL;
}

void fifo_reset(struct fifo *f, unsigned readers)
{
	pthread_mutex_lock(&f->lock);
	f->tail = 0;
	memset(f->taken, 0, sizeof(f->taken));
	f->reading = readers >= FIFO_MAX_READERS ? UINT64_MAX : (UINT64_C(1) << readers) - 1;
	f->closed = false;
	f->error = 0;
	pthread_mutex_unlock(&f->lock);
}

static bool reads(const struct fifo *f, unsigned r)
{
	return f->reading & (UINT64_C(1) << r);
}

/* What the slowest reader still reading has left; lock held. */
static size_t used_locked(const struct fifo *f)
{
	uint64_t slowest = f->tail;

	for (unsigned r = 0; r < FIFO_MAX_READERS; r++)
		if (reads(f, r) && f->taken[r] < slowest)
			slowest = f->taken[r];
	return (size_t)(f->tail - slowest);
}

/* Copies in from src, or zeros when src is NULL.  The copy runs outside
 * lock, so the engines drain the FIFO while a writer fills it: the space
 * past tail is the writer's alone (readers take only up to tail), and
 * put_lock keeps a second writer out of it. */
static int put(struct fifo *f, const unsigned char *src, size_t len)
{
	int rc = 0;

	pthread_mutex_lock(&f->put_lock);
	pthread_mutex_lock(&f->lock);
	while (len > 0) {
		size_t at, chunk;

		while (used_locked(f) == f->size && !f->error)
			pthread_cond_wait(&f->not_full, &f->lock);
		if (f->error) {
			rc = f->error;
			break;
		}
		at = (size_t)(f->tail % f->size);
		chunk = f->size - used_locked(f);
		if (chunk > f->size - at)
			chunk = f->size - at;
		if (chunk > len)
			chunk = len;
		pthread_mutex_unlock(&f->lock);
		if (src) {
			memcpy(f->data + at, src, chunk);
			src += chunk;
		} else {
			memset(f->data + at, 0, chunk);
		}
		pthread_mutex_lock(&f->lock);
		f->tail += chunk;
		len -= chunk;
		pthread_cond_broadcast(&f->not_empty);
	}
	pthread_mutex_unlock(&f->lock);
	pthread_mutex_unlock(&f->put_lock);
	return rc;
}

int fifo_put(struct fifo *f, const void *buf, size_t len)
{
	return put(f, buf, len);
}

int fifo_put_zeros(struct fifo *f, size_t len)
{
	return put(f, NULL, len);
}

/* Waits until reader r has len bytes, the stream ended or r is gone, then
 * returns how many of them lie contiguous at r's position; lock held. */
static size_t wait_contiguous_locked(struct fifo *f, unsigned r, size_t len)
{
	size_t n, at;

	while (reads(f, r) && f->tail - f->taken[r] < len && !f->closed && !f->error)
		pthread_cond_wait(&f->not_empty, &f->lock);
	if (!reads(f, r))
		return 0;
	at = (size_t)(f->taken[r] % f->size);
	n = (size_t)(f->tail - f->taken[r]);
	if (n > f->size - at)
		n = f->size - at;
	return n < len ? n : len;
}

static void consume_locked(struct fifo *f, unsigned r, size_t len)
{
	if (len > f->tail - f->taken[r])
		len = (size_t)(f->tail - f->taken[r]);
	f->taken[r] += len;
	pthread_cond_broadcast(&f->not_full);
}

size_t fifo_get(struct fifo *f, unsigned r, void *buf, size_t len)
{
	unsigned char *dst = buf;
	size_t taken = 0, chunk;

	pthread_mutex_lock(&f->lock);
	while (taken < len && (chunk = wait_contiguous_locked(f, r, len - taken)) > 0) {
		memcpy(dst + taken, f->data + f->taken[r] % f->size, chunk);
		consume_locked(f, r, chunk);
		taken += chunk;
	}
	pthread_mutex_unlock(&f->lock);
	return taken;
}

size_t fifo_peek(struct fifo *f, unsigned r, const void **data, size_t len)
{
	size_t n;

	pthread_mutex_lock(&f->lock);
	n = wait_contiguous_locked(f, r, len);
	*data = f->data + f->taken[r] % f->size;
	pthread_mutex_unlock(&f->lock);
	return n;
}

void fifo_consume(struct fifo *f, unsigned r, size_t len)
{
	pthread_mutex_lock(&f->lock);
	consume_locked(f, r, len);
	pthread_mutex_unlock(&f->lock);
}

void fifo_close(struct fifo *f)
{
	pthread_mutex_lock(&f->lock);
	f->closed = true;
	pthread_cond_broadcast(&f->not_empty);
	pthread_mutex_unlock(&f->lock);
}

void fifo_drop(struct fifo *f, unsigned r, int err)
{
	pthread_mutex_lock(&f->lock);
	f->reading &= ~(UINT64_C(1) << r);
	if (!f->reading && !f->error)
		f->error = err;
	pthread_cond_broadcast(&f->not_full);
	pthread_cond_broadcast(&f->not_empty);
	pthread_mutex_unlock(&f->lock);
}

size_t fifo_used(struct fifo *f)
{
	size_t used;

	pthread_mutex_lock(&f->lock);
	used = used_locked(f);
	pthread_mutex_unlock(&f->lock);
	return used;
}

size_t fifo_pending(struct fifo *f, unsigned r)
{
	size_t pending;

	pthread_mutex_lock(&f->lock);
	pending = (size_t)(f->tail - f->taken[r]);
	pthread_mutex_unlock(&f->lock);
	return pending;
}
