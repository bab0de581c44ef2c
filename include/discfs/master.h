/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Mastering: files and folders staged for a recorder's next session, kept
 * on the host, then mastered on the fly into ISO 9660 level 3 with Rock
 * Ridge and Joliet (libisofs) and streamed into the write engine (IMAPI2's
 * IFileSystemImage feeding IDiscFormat2Data).
 *
 * The staging area of a recorder is a directory on the host,
 * STAGING_DIR/KEY/, where KEY names the recorder stably (its device path,
 * or the emulated recorder's spec), so what was staged survives a restart:
 *
 *   files/          the staged tree, names, modes and times as they will be
 *                   on the disc
 *   volume_label    the next session's volume label, when one was set
 *
 * A tower (all/files, tower.h) has a staging area of its own, keyed by
 * its recorders: its session is mastered once for sector 0 and streamed to
 * every member at once, so each member must take a first session there (a
 * blank disc, or an overwrite medium that force_overwrite lets discfs write
 * over); the space staged is checked against the smallest member.
 *
 * The FUSE side (src/tree/fs_files.c) works on files/ itself; it asks here
 * before every change (-EBUSY while a commit reads the tree) and tells of
 * every entry and byte it adds or removes, so the space the next session
 * needs is known at each write (-ENOSPC at the write that would not fit).
 */
#ifndef DISCFS_MASTER_H
#define DISCFS_MASTER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

struct drive;
struct tower;

#define MASTER_LABEL_MAX 32	/* ECMA-119 8.4.6: the volume identifier */

struct master {
	struct drive *drive;	/* the recorder, or NULL for a tower's: */
	struct tower *tower;
	char *dir;		/* STAGING_DIR/KEY */
	char *tree;		/* STAGING_DIR/KEY/files */
	pthread_mutex_t lock;	/* guards everything below */
	bool committing;
	uint64_t session_sectors;	/* the size of the session a commit burns */
	/* What is staged, for the space the next session will take. */
	uint64_t entries, dirs;
	uint64_t data_sectors;
	char **removed;		/* the disc's paths ("/a/b") the next session leaves out */
	size_t nremoved;
	/* The disc's tree as files/ shows it (disc_view.c). */
	pthread_mutex_t disc_lock;	/* guards the two below */
	void *disc_tree;
	uint64_t disc_generation;	/* of the medium it was read from, 0 none */
};

/* The default staging directory: /var/lib/discfs for root, else
 * $XDG_STATE_HOME/discfs or ~/.local/state/discfs.  -ENAMETOOLONG, -ENOENT. */
int master_default_dir(char *out, size_t size);

/* Opens (creating it when needed) the staging area of d under staging_dir,
 * keyed by key; NULL with errno. */
struct master *master_open(struct drive *d, const char *staging_dir, const char *key);
/* The same for a tower's staging area (all/files). */
struct master *master_open_tower(struct tower *t, const char *staging_dir, const char *key);
void master_close(struct master *m);

/* The host path of sub ("" for files/ itself, else "/a/b") inside the
 * staged tree; -ENAMETOOLONG. */
int master_path(struct master *m, const char *sub, char *out, size_t size);

/* Before a change to the staged tree: -EBUSY while a commit runs. */
int master_may_change(struct master *m);
/* An entry of mode was added to, or one with st removed from, the tree. */
void master_added(struct master *m, mode_t mode);
void master_removed(struct master *m, const struct stat *st);
/* A staged file grows or shrinks from one size to another: -ENOSPC when
 * the next session would no longer fit on the disc, -EBUSY during a commit. */
int master_resize(struct master *m, uint64_t from, uint64_t to);

/* On an appendable disc, files/ shows the tree of its last session under
 * the staged files (sub is "/a/b" below files/).  -ENOENT for a path the
 * disc does not hold or that was removed from the next session. */
int master_disc_stat(struct master *m, const char *sub, struct stat *st);
int master_disc_list(struct master *m, const char *sub, void (*fill)(void *ctx, const char *name), void *ctx);
int master_disc_readlink(struct master *m, const char *sub, char *buf, size_t size);
/* A file's bytes, read from the disc: the count, or -errno. */
int master_disc_read(struct master *m, const char *sub, char *buf, size_t size, uint64_t offset);
/* Leaves sub out of the next session (-EBUSY during a commit). */
int master_disc_remove(struct master *m, const char *sub);
/* Stages the disc's folders along sub_dir ("/a/b"), so something new can
 * be staged inside. */
int master_disc_materialize(struct master *m, const char *sub_dir);

/* Sectors left on the disc once the staged tree is burned (an estimate
 * that errs on the full side; the commit knows exactly).  -errno when the
 * medium cannot be read. */
int master_free_after(struct master *m, uint64_t *sectors);
/* The exact size of the next session in sectors, 0 when nothing is staged. */
int master_staged_sectors(struct master *m, uint64_t *sectors);

/* The volume label: the one set, or the default. */
int master_label(struct master *m, char *out, size_t size);
/* 1..MASTER_LABEL_MAX bytes of UTF-8 text: -EINVAL, -ERANGE. */
int master_set_label(struct master *m, const char *label);

/* Masters the staged tree and burns it as the disc's next session; returns
 * when it is burned (0) or failed (-errno, last_error says why).  The
 * staged tree is emptied once on the disc: for a tower, once on every
 * member's (-EIO when one failed, and what was staged stays for another
 * commit to the members that failed). */
int master_commit(struct master *m, const char *owner);
/* Forgets everything staged: -EBUSY during a commit. */
int master_discard(struct master *m);

#endif
