/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What files/ shows of the disc: on an appendable disc, the tree of its
 * last session, read back through the drive, under the staged files.  The
 * tree is read once per medium (the drive's media generation) and kept;
 * a file's bytes are read from the disc when asked for.  Removing a file
 * of the disc records its path, and the next session leaves it out.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discfs/drive.h"
#include "discfs/read.h"
#include "master_internal.h"

int master_read_sector(void *ctx, uint32_t lba, uint8_t *sector)
{
	int rc = drive_read_sectors(ctx, lba, 1, sector);

	return rc == 1 ? 0 : rc < 0 ? rc : -EIO;
}

int master_import_from(const struct media_info *media, int64_t *from)
{
	*from = -1;
	if (media->profile->model == WRITE_MODEL_SEQUENTIAL && !(media->status & MEDIA_BLANK))
		*from = media->previous_session_start;
	/* A grown volume's descriptors at sector 16 name its newest tree. */
	if (media->profile->model == WRITE_MODEL_OVERWRITE && media->volume_sectors)
		*from = 0;
	return 0;
}

/* The disc's tree for this medium, loaded when the medium changed; NULL
 * when the disc has none to add to.  Called with disc_lock held. */
static void *current_tree(struct master *m)
{
	struct media_info media;
	int64_t from;

	/* A tower's members hold no session for files/ to show. */
	if (!m->drive)
		return NULL;
	if (drive_media(m->drive, &media) != 0) {
		disc_tree_free(m->disc_tree);
		m->disc_tree = NULL;
		m->disc_generation = 0;
		return NULL;
	}
	if (m->disc_generation == media.generation)
		return m->disc_tree;
	disc_tree_free(m->disc_tree);
	m->disc_tree = NULL;
	master_import_from(&media, &from);
	/* A session without an ISO 9660 tree (a raw burn, UDF) shows
	 * nothing, and is not read again until the medium changes. */
	if (from >= 0 && disc_tree_load(&m->disc_tree, from, master_read_sector, m->drive) != 0)
		m->disc_tree = NULL;
	m->disc_generation = media.generation;
	return m->disc_tree;
}

/* sub or a folder above it was removed from the next session. */
static bool removed(struct master *m, const char *sub)
{
	bool gone = false;

	pthread_mutex_lock(&m->lock);
	for (size_t i = 0; i < m->nremoved && !gone; i++) {
		size_t len = strlen(m->removed[i]);

		gone = strncmp(sub, m->removed[i], len) == 0 && (sub[len] == '\0' || sub[len] == '/');
	}
	pthread_mutex_unlock(&m->lock);
	return gone;
}

int master_disc_stat(struct master *m, const char *sub, struct stat *st)
{
	int rc;

	if (removed(m, sub))
		return -ENOENT;
	pthread_mutex_lock(&m->disc_lock);
	rc = current_tree(m) ? disc_tree_stat(m->disc_tree, sub, st) : -ENOENT;
	pthread_mutex_unlock(&m->disc_lock);
	return rc;
}

struct list_ctx {
	struct master *m;
	const char *sub;
	void (*fill)(void *ctx, const char *name);
	void *ctx;
};

static void fill_unless_removed(void *ctx, const char *name)
{
	struct list_ctx *l = ctx;
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", l->sub, name) < (int)sizeof(path) && !removed(l->m, path))
		l->fill(l->ctx, name);
}

int master_disc_list(struct master *m, const char *sub, void (*fill)(void *ctx, const char *name), void *ctx)
{
	struct list_ctx l = { m, sub, fill, ctx };
	int rc;

	if (removed(m, sub))
		return -ENOENT;
	pthread_mutex_lock(&m->disc_lock);
	rc = current_tree(m) ? disc_tree_list(m->disc_tree, sub, fill_unless_removed, &l) : -ENOENT;
	pthread_mutex_unlock(&m->disc_lock);
	return rc;
}

int master_disc_readlink(struct master *m, const char *sub, char *buf, size_t size)
{
	int rc;

	pthread_mutex_lock(&m->disc_lock);
	rc = current_tree(m) ? disc_tree_readlink(m->disc_tree, sub, buf, size) : -ENOENT;
	pthread_mutex_unlock(&m->disc_lock);
	return rc;
}

/* size bytes of one extent from offset into it, both inside it: the
 * bytes read (fewer where the disc's readable end cuts them), or -errno. */
static int read_extent(struct drive *d, const struct disc_extent *x, uint64_t offset, char *buf, size_t size)
{
	uint64_t first = offset / MMC_SECTOR_SIZE;
	uint64_t count = (offset + size + MMC_SECTOR_SIZE - 1) / MMC_SECTOR_SIZE - first;
	uint8_t *sectors;
	int rc;

	sectors = malloc(count * MMC_SECTOR_SIZE);
	if (!sectors)
		return -ENOMEM;
	rc = drive_read_sectors(d, (uint32_t)(x->lba + first), (uint32_t)count, sectors);
	if (rc > 0 && (uint64_t)rc < count)
		size = (size_t)((uint64_t)rc * MMC_SECTOR_SIZE - offset % MMC_SECTOR_SIZE);
	if (rc > 0)
		memcpy(buf, sectors + offset % MMC_SECTOR_SIZE, size);
	free(sectors);
	return rc > 0 ? (int)size : rc;
}

/* A file's bytes from offset, read through the drive extent by extent: a
 * read may begin in one extent and end in the next. */
int master_disc_read(struct master *m, const char *sub, char *buf, size_t size, uint64_t offset)
{
	struct disc_extent *ext = NULL;
	size_t count = 0, done = 0;
	int rc;

	if (removed(m, sub))
		return -ENOENT;
	pthread_mutex_lock(&m->disc_lock);
	rc = current_tree(m) ? disc_tree_extents(m->disc_tree, sub, &ext, &count) : -ENOENT;
	pthread_mutex_unlock(&m->disc_lock);
	for (size_t i = 0; rc >= 0 && i < count && done < size; i++) {
		size_t want;

		if (offset >= ext[i].bytes) {
			offset -= ext[i].bytes;
			continue;
		}
		want = size - done < ext[i].bytes - offset ? size - done : (size_t)(ext[i].bytes - offset);
		rc = read_extent(m->drive, &ext[i], offset, buf + done, want);
		if (rc > 0)
			done += (size_t)rc;
		if (rc < (int)want)
			break;
		offset = 0;
	}
	free(ext);
	return done > 0 || rc >= 0 ? (int)done : rc;
}

static int removed_path(struct master *m, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/removed", m->dir);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int remember_removed(struct master *m, const char *sub)
{
	char **grown, *copy = strdup(sub);

	if (!copy)
		return -ENOMEM;
	pthread_mutex_lock(&m->lock);
	grown = realloc(m->removed, (m->nremoved + 1) * sizeof(*grown));
	if (!grown) {
		pthread_mutex_unlock(&m->lock);
		free(copy);
		return -ENOMEM;
	}
	m->removed = grown;
	m->removed[m->nremoved++] = copy;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int master_disc_remove(struct master *m, const char *sub)
{
	char path[PATH_MAX];
	FILE *f;
	int rc = master_may_change(m);

	if (rc == 0)
		rc = removed_path(m, path, sizeof(path));
	if (rc)
		return rc;
	/* Kept on the host, so a restart still leaves it out. */
	f = fopen(path, "a");
	if (!f)
		return -errno;
	fprintf(f, "%s\n", sub);
	if (fclose(f) != 0)
		return -errno;
	return remember_removed(m, sub);
}

void master_removed_load(struct master *m)
{
	char path[PATH_MAX], line[PATH_MAX + 2];
	FILE *f;

	if (removed_path(m, path, sizeof(path)) || !(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '/')
			remember_removed(m, line);
	}
	fclose(f);
}

void master_removed_clear(struct master *m)
{
	char path[PATH_MAX];

	if (removed_path(m, path, sizeof(path)) == 0)
		unlink(path);
	master_removed_forget(m);
}

void master_removed_forget(struct master *m)
{
	pthread_mutex_lock(&m->lock);
	for (size_t i = 0; i < m->nremoved; i++)
		free(m->removed[i]);
	free(m->removed);
	m->removed = NULL;
	m->nremoved = 0;
	pthread_mutex_unlock(&m->lock);
}

int master_disc_materialize(struct master *m, const char *sub_dir)
{
	char sub[PATH_MAX], host[PATH_MAX];
	struct stat st;
	int rc = 0;

	if (sub_dir[0] == '\0')
		return 0;
	if (snprintf(sub, sizeof(sub), "%s", sub_dir) >= (int)sizeof(sub))
		return -ENAMETOOLONG;
	/* Each folder from the top: one of the disc's becomes a staged one
	 * with its mode and times, so what goes into it can be staged. */
	for (char *p = sub + 1; rc == 0; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		rc = master_path(m, sub, host, sizeof(host));
		if (rc == 0 && lstat(host, &st) < 0 && master_disc_stat(m, sub, &st) == 0 && S_ISDIR(st.st_mode)) {
			struct timespec times[2] = { { st.st_atime, 0 }, { st.st_mtime, 0 } };

			rc = mkdir(host, st.st_mode & 07777) < 0 ? -errno : 0;
			if (rc == 0) {
				utimensat(AT_FDCWD, host, times, 0);
				master_added(m, S_IFDIR);
			}
		}
		*p = c;
		if (c == '\0')
			break;
	}
	return rc;
}
