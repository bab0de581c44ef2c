/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The tree of the disc's last session, read back through the drive with
 * libisofs's import (ECMA-119 directory records, Rock Ridge names, modes
 * and times): what files/ shows under the staged files, and what a session
 * appended to the disc starts from.
 */
#define LIBISOFS_WITHOUT_LIBBURN 1
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* libisofs.h uses the fixed-width types without including their header. */
#include <libisofs/libisofs.h>

#include "master_internal.h"

struct disc_reader {
	sector_reader read;
	void *ctx;
};

static int reader_open(IsoDataSource *src)
{
	(void)src;
	return 1;
}

static int reader_read_block(IsoDataSource *src, uint32_t lba, uint8_t *buffer)
{
	struct disc_reader *r = src->data;

	return r->read(r->ctx, lba, buffer) == 0 ? 1 : (int)ISO_DATA_SOURCE_MISHAP;
}

static void reader_free(IsoDataSource *src)
{
	free(src->data);
}

int disc_tree_import(void *image, int64_t from, sector_reader read, void *ctx)
{
	IsoDataSource *src = calloc(1, sizeof(*src));
	struct disc_reader *r = malloc(sizeof(*r));
	IsoReadOpts *ropts;
	int rc;

	if (!src || !r) {
		free(src);
		free(r);
		return ISO_OUT_OF_MEM;
	}
	*r = (struct disc_reader){ read, ctx };
	/* Ours until the image takes its own reference; the last unref frees it. */
	*src = (IsoDataSource){ .refcount = 1, .open = reader_open, .close = reader_open,
				.read_block = reader_read_block, .free_data = reader_free, .data = r };
	rc = iso_read_opts_new(&ropts, 0);
	if (rc >= 0) {
		iso_read_opts_set_start_block(ropts, (uint32_t)from);
		iso_read_opts_set_input_charset(ropts, "UTF-8");
		/* The checksums the session records, for verify (AAIP says
		 * where they are); checking them is verify's job. */
		iso_read_opts_set_no_aaip(ropts, 0);
		iso_read_opts_set_no_md5(ropts, 2);
		rc = iso_image_import(image, src, ropts, NULL);
		iso_read_opts_free(ropts);
	}
	iso_data_source_unref(src);
	return rc;
}

int disc_tree_load(void **tree, int64_t from, sector_reader read, void *ctx)
{
	IsoImage *image;
	int rc;

	master_library_init();
	rc = iso_image_new("", &image);
	if (rc < 0)
		return -ENOMEM;
	rc = disc_tree_import(image, from, read, ctx);
	if (rc < 0) {
		iso_image_unref(image);
		return -EIO;
	}
	*tree = image;
	return 0;
}

void disc_tree_free(void *tree)
{
	if (tree)
		iso_image_unref(tree);
}

static IsoNode *node_at(void *tree, const char *path)
{
	IsoNode *node = NULL;

	if (!tree || iso_tree_path_to_node(tree, path[0] ? path : "/", &node) != 1)
		return NULL;
	return node;
}

int disc_tree_stat(void *tree, const char *path, struct stat *st)
{
	IsoNode *node = node_at(tree, path);

	if (!node)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->st_mode = iso_node_get_mode(node);
	st->st_uid = iso_node_get_uid(node);
	st->st_gid = iso_node_get_gid(node);
	st->st_mtime = iso_node_get_mtime(node);
	st->st_atime = iso_node_get_atime(node);
	st->st_ctime = iso_node_get_ctime(node);
	st->st_nlink = S_ISDIR(st->st_mode) ? 2 : 1;
	/* A file of several extents: the sum of them. */
	if (iso_node_get_type(node) == LIBISO_FILE)
		st->st_size = iso_file_get_size((IsoFile *)node);
	else if (iso_node_get_type(node) == LIBISO_SYMLINK)
		st->st_size = (off_t)strlen(iso_symlink_get_dest((IsoSymlink *)node));
	st->st_blocks = (st->st_size + 511) / 512;
	return 0;
}

int disc_tree_extents(void *tree, const char *path, struct disc_extent **out, size_t *count)
{
	IsoNode *node = node_at(tree, path);
	struct iso_file_section *sections = NULL;
	struct disc_extent *ext;
	int n = 0;

	if (!node)
		return -ENOENT;
	if (iso_node_get_type(node) != LIBISO_FILE)
		return -EISDIR;
	if (iso_file_get_old_image_sections((IsoFile *)node, &n, &sections, 0) != 1 || n < 0)
		return -EIO;
	ext = calloc(n ? (size_t)n : 1, sizeof(*ext));
	if (!ext) {
		free(sections);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++)
		ext[i] = (struct disc_extent){ sections[i].block, sections[i].size };
	free(sections);
	*out = ext;
	*count = (size_t)n;
	return 0;
}

int disc_tree_readlink(void *tree, const char *path, char *out, size_t size)
{
	IsoNode *node = node_at(tree, path);

	if (!node || iso_node_get_type(node) != LIBISO_SYMLINK)
		return -EINVAL;
	if (strlen(iso_symlink_get_dest((IsoSymlink *)node)) >= size)
		return -ENAMETOOLONG;
	strcpy(out, iso_symlink_get_dest((IsoSymlink *)node));
	return 0;
}

int disc_tree_list(void *tree, const char *path, void (*fill)(void *ctx, const char *name), void *ctx)
{
	IsoNode *node = node_at(tree, path), *child;
	IsoDirIter *iter;

	if (!node || iso_node_get_type(node) != LIBISO_DIR)
		return -ENOENT;
	if (iso_dir_get_children((IsoDir *)node, &iter) < 0)
		return -ENOMEM;
	while (iso_dir_iter_next(iter, &child) == 1)
		fill(ctx, iso_node_get_name(child));
	iso_dir_iter_free(iter);
	return 0;
}

void disc_tree_prune(void *tree, const char *path)
{
	IsoNode *node = node_at(tree, path);

	if (node && node != (IsoNode *)iso_image_get_root(tree))
		iso_node_remove(node);	/* a folder goes with everything in it */
}
