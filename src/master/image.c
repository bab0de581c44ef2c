/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The session image: libisofs masters the staged tree into ISO 9660
 * (ECMA-119) level 3, so files of 4 GiB and more are recorded in several
 * extents (ECMA-119 10.3), with Rock Ridge for names, modes, times and
 * symbolic links and Joliet for Windows.  Its generator thread fills a ring
 * buffer that session_image_read drains; the size is computed before the
 * thread starts, so the engine knows it before the first sector.
 */
#define LIBISOFS_WITHOUT_LIBBURN 1
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* libisofs.h uses the fixed-width types without including their header. */
#include <libisofs/libisofs.h>

#include "master_internal.h"

#define CD_TAIL_BLOCKS 150

struct session_image {
	IsoImage *image;
	struct burn_source *src;
	uint64_t size, produced;
};

static pthread_once_t library_once = PTHREAD_ONCE_INIT;
static int library_status;

static void library_start(void)
{
	/* Names are UTF-8 whatever the daemon's locale (LC_ALL=C under
	 * systemd would otherwise turn them into '_'). */
	library_status = iso_init_with_flag(1);
	if (library_status > 0)
		library_status = iso_set_local_charset("UTF-8", 0);
	if (library_status > 0)
		library_status = iso_set_msgs_severities("NEVER", "NEVER", "discfs");
	/* A staged file that cannot be read fails the image instead of being
	 * recorded as zeros. */
	if (library_status > 0)
		library_status = iso_set_abort_severity("MISHAP") < 0 ? -1 : 1;
}

int master_library_init(void)
{
	pthread_once(&library_once, library_start);
	return library_status;
}

uint32_t master_tail_blocks(const struct media_info *m)
{
	return m->profile->family == MEDIA_FAMILY_CD ? CD_TAIL_BLOCKS : 0;
}

static int iso_errno(int status)
{
	if (status == (int)ISO_FILE_TOO_BIG)
		return -EFBIG;
	if (status == (int)ISO_OUT_OF_MEM)
		return -ENOMEM;
	return -EIO;
}

/* Adds the host folder dir into parent: a staged entry replaces the one of
 * the same name, except that folders merge. */
static int merge_dir(IsoImage *image, IsoDir *parent, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 1;

	if (!d)
		return ISO_FILE_CANT_ADD;
	while (rc >= 0 && (e = readdir(d))) {
		char path[PATH_MAX];
		IsoNode *old = NULL, *node;
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) || lstat(path, &st) < 0) {
			rc = ISO_FILE_CANT_ADD;
			break;
		}
		iso_dir_get_node(parent, e->d_name, &old);
		if (old && S_ISDIR(st.st_mode) && iso_node_get_type(old) == LIBISO_DIR) {
			/* The staged folder's mode, owner and times, as cp -a left them. */
			iso_node_set_permissions(old, st.st_mode & 07777);
			iso_node_set_uid(old, st.st_uid);
			iso_node_set_gid(old, st.st_gid);
			iso_node_set_mtime(old, st.st_mtime);
			iso_node_set_atime(old, st.st_atime);
			iso_node_set_ctime(old, st.st_ctime);
			rc = merge_dir(image, (IsoDir *)old, path);
			continue;
		}
		if (old)
			iso_node_remove(old);
		rc = iso_tree_add_node(image, parent, path, &node);
		if (rc >= 0 && S_ISDIR(st.st_mode))
			rc = merge_dir(image, (IsoDir *)node, path);
	}
	closedir(d);
	return rc;
}

static int options(IsoWriteOpts **opts, const struct image_layout *layout)
{
	int rc = iso_write_opts_new(opts, 1);	/* level 3 and Rock Ridge, times and modes kept */

	if (rc < 0)
		return rc;
	iso_write_opts_set_iso_level(*opts, 3);
	iso_write_opts_set_rockridge(*opts, 1);
	iso_write_opts_set_joliet(*opts, 1);
	/* Folders deeper than ECMA-119's eight levels stay where they are
	 * instead of moving to an rr_moved folder that only Rock Ridge
	 * readers put back (Linux, Windows and macOS read them in place). */
	iso_write_opts_set_allow_deep_paths(*opts, 1);
	/* Every tree's directory records carry the files' own mtimes. */
	iso_write_opts_set_dir_rec_mtime(*opts, 7);
	iso_write_opts_set_ms_block(*opts, layout->ms_block);
	/* A session that refers to the files of the one before it. */
	iso_write_opts_set_appendable(*opts, layout->import_from >= 0);
	if (layout->overwrite)
		iso_write_opts_set_overwrite_buf(*opts, layout->overwrite);
	iso_write_opts_set_tail_blocks(*opts, layout->tail_blocks);
	/* The session's MD5 and each file's, in the session: verify and
	 * xorriso -check_md5 check them.  AAIP (a Rock Ridge extension other
	 * readers skip) records where the files' checksums are. */
	iso_write_opts_set_record_md5(*opts, 1, 1);
	iso_write_opts_set_aaip(*opts, 1);
	return 1;
}

int session_image_open(struct session_image **out, const char *tree, const char *label,
		       const struct image_layout *layout, char *why, size_t why_size)
{
	struct session_image *s;
	IsoWriteOpts *opts = NULL;
	int rc;

	if (master_library_init() <= 0) {
		snprintf(why, why_size, "libisofs did not start");
		return -EIO;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	rc = iso_image_new(label, &s->image);
	if (rc >= 0 && layout->import_from >= 0) {
		rc = disc_tree_import(s->image, layout->import_from, layout->read, layout->read_ctx);
		/* What was removed from files/ leaves the new session's tree. */
		for (size_t i = 0; rc >= 0 && i < layout->nremoved; i++)
			if (layout->removed[i])
				disc_tree_prune(s->image, layout->removed[i]);
		if (rc < 0) {
			snprintf(why, why_size, "the session at LBA %lld holds no ISO 9660 tree to add to: %s",
				 (long long)layout->import_from, iso_error_to_msg(rc));
			session_image_close(s);
			return -EMEDIUMTYPE;
		}
	}
	if (rc >= 0) {
		/* After the import, which brings the old session's. */
		iso_image_set_volume_id(s->image, label);
		iso_image_set_application_id(s->image, "DISCFS");
		rc = merge_dir(s->image, iso_image_get_root(s->image), tree);
	}
	if (rc >= 0)
		rc = options(&opts, layout);
	if (rc >= 0)
		rc = iso_image_create_burn_source(s->image, opts, &s->src);
	iso_write_opts_free(opts);
	if (rc < 0) {
		snprintf(why, why_size, "mastering failed: %s", iso_error_to_msg(rc));
		session_image_close(s);
		return iso_errno(rc);
	}
	s->size = (uint64_t)s->src->get_size(s->src);
	*out = s;
	return 0;
}

uint64_t session_image_size(const struct session_image *s)
{
	return s->size;
}

long session_image_read(void *ctx, void *buf, size_t size)
{
	struct session_image *s = ctx;
	int got;

	if (size > s->size - s->produced)
		size = (size_t)(s->size - s->produced);
	if (size == 0)
		return 0;
	/* The ring buffer returns all of size, or 0 when the generator
	 * stopped early (a failure: it never ends before the size it gave). */
	got = s->src->read_xt(s->src, buf, (int)size);
	if (got != (int)size)
		return -EIO;
	s->produced += size;
	return (long)size;
}

void session_image_close(struct session_image *s)
{
	if (!s)
		return;
	if (s->src) {
		if (s->produced < s->size)
			s->src->cancel(s->src);
		s->src->free_data(s->src);
		free(s->src);
	}
	if (s->image)
		iso_image_unref(s->image);
	free(s);
}
