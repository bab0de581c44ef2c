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
#include <stdlib.h>
#include <string.h>

#include "discfs/fs.h"

/* Paths whose attributes the kernel may keep. */
struct kept_paths {
	char **paths;
	size_t n, size;
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

static void free_paths(struct kept_paths *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->paths[i]);
	free(k->paths);
	*k = (struct kept_paths){ 0 };
}

void fs_cache_stop(void)
{
	pthread_mutex_lock(&cache_lock);
	cache_fuse = NULL;
	while (forgetting)
		pthread_cond_wait(&forgotten, &cache_lock);
	free_paths(&direct);
	free_paths(&paged);
	pthread_mutex_unlock(&cache_lock);
}

static int add_path(struct kept_paths *k, const char *path)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->paths[i], path) == 0)
			return 0;
	if (k->n == k->size) {
		size_t size = k->size ? k->size * 2 : 64;
		char **grown = realloc(k->paths, size * sizeof(*k->paths));

		if (!grown)
			return -ENOMEM;
		k->paths = grown;
		k->size = size;
	}
	k->paths[k->n] = strdup(path);
	if (!k->paths[k->n])
		return -ENOMEM;
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

/* The kernel learns of each invalidation before this returns, so whoever
 * made the change, or waits for it, stats afresh after it.  An invalidation
 * that crosses a GETATTR's reply wins: the kernel does not keep a reply
 * older than it. */
void fs_cache_forget(bool page_cached_too)
{
	struct kept_paths gone[2] = { { 0 }, { 0 } };
	struct fuse *fuse;

	pthread_mutex_lock(&cache_lock);
	if (!cache_fuse || (direct.n == 0 && (!page_cached_too || paged.n == 0))) {
		pthread_mutex_unlock(&cache_lock);
		return;
	}
	fuse = cache_fuse;
	gone[0] = direct;
	direct = (struct kept_paths){ 0 };
	if (page_cached_too) {
		gone[1] = paged;
		paged = (struct kept_paths){ 0 };
	}
	forgetting++;
	pthread_mutex_unlock(&cache_lock);

	/* -ENOENT: the kernel forgot the file already. */
	for (size_t k = 0; k < 2; k++) {
		for (size_t i = 0; i < gone[k].n; i++)
			fuse_invalidate_path(fuse, gone[k].paths[i]);
		free_paths(&gone[k]);
	}

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
