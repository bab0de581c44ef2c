/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The attributes the kernel keeps, and when it must forget them.  A `cat`
 * of a value costs one request less per directory on its path, and one
 * less for the file, when the kernel may keep attributes (stat, and the
 * permission checks of default_permissions) for the attribute timeout
 * (libfuse's attr_timeout, 1 s unless -o attr_timeout says otherwise).
 * Values still change under the tree: each path whose attributes the
 * kernel was given (a value's modification time, disc's size ...) is noted
 * here, and all of them are invalidated when anything may have changed: a
 * request that changes something, or the drive model saying so
 * (drive_on_change: a medium change, a burn's step, an error).  The
 * contents need none of this: values are read with direct_io, rendered
 * afresh.
 *
 * Staged files (files/, and their names in driveN/) have a page cache, and
 * change behind the kernel through their other name (rmdir driveN/new
 * removes files/new).  Invalidating one waits for its pages, which a
 * writer of that file holds locked while its WRITE is answered: so they are
 * kept apart, and forgotten only after requests that hold no page of any
 * (never after a staged file's own write, and never for the drive model,
 * which changes no staged file).  Directories' attributes never change
 * behind the kernel.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/fs.h"

/* Paths whose attributes the kernel may keep: a small hash set, since a
 * listing of a large staged folder notes every file in it. */
#define KEPT_BUCKETS 256

struct kept_path {
	struct kept_path *next;
	char path[];
};

struct kept_paths {
	struct kept_path *bucket[KEPT_BUCKETS];
	size_t n;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t forgotten = PTHREAD_COND_INITIALIZER;
static struct fuse *cache_fuse;	/* NULL before init and after destroy */
static struct kept_paths direct, paged;	/* without and with a page cache */
static unsigned forgetting;	/* fs_cache_forget calls using cache_fuse */

void fs_cache_start(struct fuse *fuse)
{
	pthread_mutex_lock(&cache_lock);
	cache_fuse = fuse;
	pthread_mutex_unlock(&cache_lock);
}

/* FNV-1a. */
static size_t bucket_of(const char *path)
{
	uint32_t h = 2166136261u;

	for (; *path; path++)
		h = (h ^ (uint8_t)*path) * 16777619u;
	return h % KEPT_BUCKETS;
}

/* Calls fn on each path of k (if fn) and frees them all. */
static void drain(struct kept_paths *k, void (*fn)(void *ctx, const char *path), void *ctx)
{
	for (size_t i = 0; i < KEPT_BUCKETS; i++) {
		while (k->bucket[i]) {
			struct kept_path *p = k->bucket[i];

			k->bucket[i] = p->next;
			if (fn)
				fn(ctx, p->path);
			free(p);
		}
	}
	k->n = 0;
}

void fs_cache_stop(void)
{
	pthread_mutex_lock(&cache_lock);
	cache_fuse = NULL;
	while (forgetting)
		pthread_cond_wait(&forgotten, &cache_lock);
	drain(&direct, NULL, NULL);
	drain(&paged, NULL, NULL);
	pthread_mutex_unlock(&cache_lock);
}

static int add_path(struct kept_paths *k, const char *path)
{
	size_t i = bucket_of(path), len = strlen(path);
	struct kept_path *p;

	for (p = k->bucket[i]; p; p = p->next)
		if (strcmp(p->path, path) == 0)
			return 0;
	p = malloc(sizeof(*p) + len + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p->path, path, len + 1);
	p->next = k->bucket[i];
	k->bucket[i] = p;
	k->n++;
	return 0;
}

int fs_cache_keep(const char *path, bool page_cached)
{
	int rc;

	pthread_mutex_lock(&cache_lock);
	rc = add_path(page_cached ? &paged : &direct, path);
	pthread_mutex_unlock(&cache_lock);
	return rc;
}

static void invalidate(void *ctx, const char *path)
{
	/* -ENOENT: the kernel forgot the file already. */
	fuse_invalidate_path(ctx, path);
}

/* The kernel learns of each invalidation before this returns, so whoever
 * made the change, or waits for it, stats afresh after it.  An invalidation
 * that crosses a GETATTR's reply wins: the kernel does not keep a reply
 * older than it. */
void fs_cache_forget(bool page_cached_too)
{
	struct kept_paths gone[2] = { 0 };
	struct fuse *fuse;

	pthread_mutex_lock(&cache_lock);
	if (!cache_fuse || (direct.n == 0 && (!page_cached_too || paged.n == 0))) {
		pthread_mutex_unlock(&cache_lock);
		return;
	}
	/* Taken out whole, so that requests noting paths meanwhile do not
	 * wait for the invalidations. */
	fuse = cache_fuse;
	gone[0] = direct;
	direct = (struct kept_paths){ 0 };
	if (page_cached_too) {
		gone[1] = paged;
		paged = (struct kept_paths){ 0 };
	}
	forgetting++;
	pthread_mutex_unlock(&cache_lock);

	drain(&gone[0], invalidate, fuse);
	drain(&gone[1], invalidate, fuse);

	pthread_mutex_lock(&cache_lock);
	if (--forgetting == 0)
		pthread_cond_broadcast(&forgotten);
	pthread_mutex_unlock(&cache_lock);
}

void fs_cache_changed(void *ctx)
{
	(void)ctx;
	fs_cache_forget(false);
}
