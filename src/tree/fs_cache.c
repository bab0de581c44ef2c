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
 * Only files without a page cache are noted: invalidating a page-cached
 * file (the staged files under files/) from a request could wait for a page
 * that another request holds locked.  Directories' attributes never change
 * behind the kernel; staged files change through requests the kernel sees.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/fs.h"

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t forgotten = PTHREAD_COND_INITIALIZER;
static struct fuse *cache_fuse;	/* NULL before init and after destroy */
static char **kept;		/* paths whose attributes the kernel may keep */
static size_t nkept, kept_size;
static unsigned forgetting;	/* fs_cache_forget calls using cache_fuse */

void fs_cache_start(struct fuse *fuse)
{
	pthread_mutex_lock(&cache_lock);
	cache_fuse = fuse;
	pthread_mutex_unlock(&cache_lock);
}

static void free_paths(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

void fs_cache_stop(void)
{
	pthread_mutex_lock(&cache_lock);
	cache_fuse = NULL;
	while (forgetting)
		pthread_cond_wait(&forgotten, &cache_lock);
	free_paths(kept, nkept);
	kept = NULL;
	nkept = kept_size = 0;
	pthread_mutex_unlock(&cache_lock);
}

int fs_cache_keep(const char *path)
{
	int rc = 0;

	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < nkept; i++)
		if (strcmp(kept[i], path) == 0)
			goto out;
	if (nkept == kept_size) {
		size_t size = kept_size ? kept_size * 2 : 64;
		char **grown = realloc(kept, size * sizeof(*kept));

		if (!grown) {
			rc = -ENOMEM;
			goto out;
		}
		kept = grown;
		kept_size = size;
	}
	kept[nkept] = strdup(path);
	if (!kept[nkept])
		rc = -ENOMEM;
	else
		nkept++;
out:
	pthread_mutex_unlock(&cache_lock);
	return rc;
}

/* The kernel learns of each invalidation before this returns, so whoever
 * made the change, or waits for it, stats afresh after it.  An invalidation
 * that crosses a GETATTR's reply wins: the kernel does not keep a reply
 * older than it. */
void fs_cache_forget(void)
{
	struct fuse *fuse;
	char **paths;
	size_t n;

	pthread_mutex_lock(&cache_lock);
	if (!cache_fuse || nkept == 0) {
		pthread_mutex_unlock(&cache_lock);
		return;
	}
	fuse = cache_fuse;
	paths = kept;
	n = nkept;
	kept = NULL;
	nkept = kept_size = 0;
	forgetting++;
	pthread_mutex_unlock(&cache_lock);

	/* -ENOENT: the kernel forgot the file already. */
	for (size_t i = 0; i < n; i++)
		fuse_invalidate_path(fuse, paths[i]);
	free_paths(paths, n);

	pthread_mutex_lock(&cache_lock);
	if (--forgetting == 0)
		pthread_cond_broadcast(&forgotten);
	pthread_mutex_unlock(&cache_lock);
}

void fs_cache_changed(void *ctx)
{
	(void)ctx;
	fs_cache_forget();
}
