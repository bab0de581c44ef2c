/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A bounded byte ring with blocking put and get; see fifo.h. */
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

void fifo_reset(struct fifo *f)
{
	pthread_mutex_lock(&f->lock);
	f->head = f->used = 0;
	f->closed = false;
	f->error = 0;
	pthread_mutex_unlock(&f->lock);
}

/* Copies in from src, or zeros when src is NULL.  The copy runs outside
 * lock, so the engine drains the FIFO while a writer fills it: the space
 * past used is the writer's alone (the reader takes only what used counts),
 * and put_lock keeps a second writer out of it. */
static int put(struct fifo *f, const unsigned char *src, size_t len)
{
	int rc = 0;

	pthread_mutex_lock(&f->put_lock);
	pthread_mutex_lock(&f->lock);
	while (len > 0) {
		size_t tail, chunk;

		while (f->used == f->size && !f->error)
			pthread_cond_wait(&f->not_full, &f->lock);
		if (f->error) {
			rc = f->error;
			break;
		}
		tail = (f->head + f->used) % f->size;
		chunk = f->size - f->used;
		if (chunk > f->size - tail)
			chunk = f->size - tail;
		if (chunk > len)
			chunk = len;
		pthread_mutex_unlock(&f->lock);
		if (src) {
			memcpy(f->data + tail, src, chunk);
			src += chunk;
		} else {
			memset(f->data + tail, 0, chunk);
		}
		pthread_mutex_lock(&f->lock);
		f->used += chunk;
		len -= chunk;
		pthread_cond_signal(&f->not_empty);
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

size_t fifo_get(struct fifo *f, void *buf, size_t len)
{
	unsigned char *dst = buf;
	size_t taken = 0;

	pthread_mutex_lock(&f->lock);
	while (f->used < len && !f->closed && !f->error)
		pthread_cond_wait(&f->not_empty, &f->lock);
	while (taken < len && f->used > 0) {
		size_t chunk = f->size - f->head;

		if (chunk > f->used)
			chunk = f->used;
		if (chunk > len - taken)
			chunk = len - taken;
		memcpy(dst + taken, f->data + f->head, chunk);
		f->head = (f->head + chunk) % f->size;
		f->used -= chunk;
		taken += chunk;
	}
	pthread_cond_broadcast(&f->not_full);
	pthread_mutex_unlock(&f->lock);
	return taken;
}

size_t fifo_peek(struct fifo *f, const void **data, size_t len)
{
	size_t n;

	pthread_mutex_lock(&f->lock);
	while (f->used < len && !f->closed && !f->error)
		pthread_cond_wait(&f->not_empty, &f->lock);
	n = f->size - f->head;
	if (n > f->used)
		n = f->used;
	if (n > len)
		n = len;
	*data = f->data + f->head;
	pthread_mutex_unlock(&f->lock);
	return n;
}

void fifo_consume(struct fifo *f, size_t len)
{
	pthread_mutex_lock(&f->lock);
	if (len > f->used)
		len = f->used;
	f->head = (f->head + len) % f->size;
	f->used -= len;
	pthread_cond_broadcast(&f->not_full);
	pthread_mutex_unlock(&f->lock);
}

void fifo_close(struct fifo *f)
{
	pthread_mutex_lock(&f->lock);
	f->closed = true;
	pthread_cond_broadcast(&f->not_empty);
	pthread_mutex_unlock(&f->lock);
}

void fifo_fail(struct fifo *f, int err)
{
	pthread_mutex_lock(&f->lock);
	f->error = err;
	pthread_cond_broadcast(&f->not_full);
	pthread_cond_broadcast(&f->not_empty);
	pthread_mutex_unlock(&f->lock);
}

size_t fifo_used(struct fifo *f)
{
	size_t used;

	pthread_mutex_lock(&f->lock);
	used = f->used;
	pthread_mutex_unlock(&f->lock);
	return used;
}
