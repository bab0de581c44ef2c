/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inside the mastering layer: the session image libisofs generates. */
#ifndef DISCFS_MASTER_INTERNAL_H
#define DISCFS_MASTER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "discfs/drive.h"
#include "discfs/master.h"

/* Reads one 2048-byte sector of the disc: 0, or -errno. */
typedef int (*sector_reader)(void *ctx, uint32_t lba, uint8_t *sector);

/* Where the session goes, what follows it, and the session it adds to. */
struct image_layout {
	uint32_t ms_block;	/* the LBA of the session's first sector */
	uint32_t tail_blocks;	/* zero sectors after the file system */
	int64_t import_from;	/* first LBA of the session to add to, -1 for none */
	sector_reader read;	/* reads that session's tree */
	void *read_ctx;
	char *const *removed;	/* its paths ("/a/b") left out of the new session */
	size_t nremoved;
	/* Overwrite media: 64 KiB that libisofs fills with the new volume
	 * descriptors, for sectors 0-31 once the session is written. */
	uint8_t *overwrite;
};

/* Sectors 0-31 of an overwrite medium: the system area and the volume
 * descriptors that say where the newest tree is (ECMA-119 6.2.1, 8.4). */
#define HEAD_SECTORS 32
/* A session grown onto an overwrite medium starts on a 32-sector boundary:
 * a DVD ECC block (16 sectors) and a BD cluster (32). */
#define GROW_ALIGN 32

struct session_image;

/* Masters the tree at the host path tree (absolute) into a session: its
 * size is known at once, its bytes come from session_image_read.  With an
 * import, the session's tree is that session's with the staged files
 * merged in (a staged file replaces the one of the same path, staged
 * folders merge with the disc's), and its old files are referenced where
 * they are on the disc, not copied.  0, or
 * -errno with why filled for last_error. */
int session_image_open(struct session_image **out, const char *tree, const char *label,
		       const struct image_layout *layout, char *why, size_t why_size);
uint64_t session_image_size(const struct session_image *s);
/* A burn_producer: up to size bytes, never more than what is left; 0 at
 * the end; -EIO when the generator failed (a staged file unreadable). */
long session_image_read(void *ctx, void *buf, size_t size);
void session_image_close(struct session_image *s);

/* Sectors of the medium's next session reserved after the file system:
 * 150 on CD (ECMA-119 images read ahead past a TAO track's end on Linux),
 * none elsewhere. */
uint32_t master_tail_blocks(const struct media_info *m);

/* Starts libisofs once (image.c): > 0 when it runs. */
int master_library_init(void);

/* The tree of the session at from (disc_tree.c), an IsoImage behind a
 * void pointer so that libisofs stays inside this layer. */
int disc_tree_import(void *image, int64_t from, sector_reader read, void *ctx);	/* libisofs status */
int disc_tree_load(void **tree, int64_t from, sector_reader read, void *ctx);	/* 0 or -errno */
void disc_tree_free(void *tree);
/* path is "" or "/a/b". */
int disc_tree_stat(void *tree, const char *path, struct stat *st);
/* Where a file's bytes are on the disc, in order: one extent, or several
 * for a file of 4 GiB and more (ECMA-119 9.1.6, the multi-extent flag). */
struct disc_extent {
	uint32_t lba;
	uint32_t bytes;
};
/* 0 with *extents to free(), or -errno (-EISDIR: not a file). */
int disc_tree_extents(void *tree, const char *path, struct disc_extent **extents, size_t *count);
int disc_tree_readlink(void *tree, const char *path, char *out, size_t size);
int disc_tree_list(void *tree, const char *path, void (*fill)(void *ctx, const char *name), void *ctx);
void disc_tree_prune(void *tree, const char *path);

/* disc_view.c: the drive's sectors for libisofs; the session a new one
 * adds to (-1 none); the removed paths kept on the host. */
int master_read_sector(void *ctx, uint32_t lba, uint8_t *sector);
int master_import_from(const struct media_info *media, int64_t *from);
/* With verify set, checks the MD5 recorded in the session at session_lba
 * against the session read back through the drive (verify.c); a failure
 * also makes the drive's status say the burn failed. */
int master_verify_session(struct drive *d, uint32_t session_lba);
/* Writes the grown volume's head to sectors 0-31 (head.c). */
int master_write_head(struct master *m, const char *owner, const uint8_t *head);
void master_removed_load(struct master *m);
void master_removed_clear(struct master *m);	/* the file too */
void master_removed_forget(struct master *m);	/* in memory only */

/* Empties the staged tree and forgets the label (staging.c); the caller
 * holds the tree against changes (committing). */
int master_clear(struct master *m);
/* last_error (the recorder's, or the tower's all/last_error) says why;
 * the negative errno. */
int master_fail(struct master *m, enum discfs_condition cond, const char *detail);

/* A tower's session (tower_commit.c): the room on its smallest member and
 * the tail the session needs; where the session goes (with for_commit,
 * every member checked, refused naming the first that cannot take it); and
 * its burn to every member, each verified as a drive's commit is. */
int tower_room(struct master *m, uint64_t *sectors, uint32_t *tail);
int tower_plan(struct master *m, bool for_commit, struct image_layout *layout);
int tower_burn(struct master *m, const char *owner, struct session_image *image);

#endif
