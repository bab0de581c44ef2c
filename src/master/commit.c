/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Committing the staged tree: plan where the session goes, master it, and
 * stream it through the write engine (burn_stream), which burns, closes
 * and verifies it as it would an image written to driveN/burn.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/burn.h"
#include "discfs/drive.h"
#include "master_internal.h"

/* Takes the staged tree for a commit: no change to it until release_tree.  -EBUSY, -ENODATA when nothing is staged. */
static int hold_tree(struct master *m)
{
	int rc = 0;

	pthread_mutex_lock(&m->lock);
	if (m->committing)
		rc = master_fail(m, COND_BUSY, "a commit is already running");
	else if (m->entries == 0 && m->nremoved == 0)
		rc = master_fail(m, COND_NOTHING_STAGED, NULL);
	else
		m->committing = true;
	pthread_mutex_unlock(&m->lock);
	return rc;
}

static void release_tree(struct master *m)
{
	pthread_mutex_lock(&m->lock);
	m->committing = false;
	pthread_mutex_unlock(&m->lock);
}

/* Where the session starts: sector 0 of a blank disc (or of an overwritable
 * one force_overwrite lets discfs write over); on a disc that takes another
 * session, its next writable address, adding to the tree of the last
 * session (MMC-6 4.5.3, multisession; ECMA-119 volume descriptors of the
 * new session name the old files where they are). */
/* A commit that cannot go on fails (last_error says why); a read of
 * staged_sectors that cannot measure only answers with the errno, since a
 * read is not an operation. */
static int refuse(struct master *m, bool for_commit, enum discfs_condition cond, const char *why)
{
	return for_commit ? master_fail(m, cond, why) : drive_nothing_to_show(cond);
}

static int plan(struct master *m, bool for_commit, struct image_layout *layout)
{
	struct media_info media;
	struct burn_settings settings;
	int rc;

	if (for_commit)
		drive_refresh_media(m->drive);
	rc = drive_media(m->drive, &media);
	if (rc == -ENOMEDIUM)
		return refuse(m, for_commit, COND_NO_MEDIA, NULL);
	if (rc)
		return rc;
	if (media.profile->model == WRITE_MODEL_READ_ONLY || !media.next_writable_valid)
		return refuse(m, for_commit, COND_MEDIA_NOT_WRITABLE, "the disc takes no more sessions");
	*layout = (struct image_layout){ .tail_blocks = master_tail_blocks(&media), .read = master_read_sector,
					 .read_ctx = m->drive };
	master_import_from(&media, &layout->import_from);
	if (layout->import_from < 0 || media.profile->model == WRITE_MODEL_SEQUENTIAL) {
		layout->ms_block = layout->import_from >= 0 ? media.next_writable : 0;
		return 0;
	}
	/* An overwrite medium that holds a volume: unless told to write over
	 * it, grow it as growisofs does, the session after the volume and the
	 * new descriptors at its head. */
	burn_settings_get(drive_burn(m->drive), &settings);
	if (settings.force_overwrite) {
		layout->import_from = -1;
		return 0;
	}
	layout->ms_block = (media.volume_sectors + GROW_ALIGN - 1) / GROW_ALIGN * GROW_ALIGN;
	layout->overwrite = calloc(HEAD_SECTORS, MMC_SECTOR_SIZE);
	return layout->overwrite ? 0 : -ENOMEM;
}

static char **copy_list(char **list, size_t n)
{
	char **copy = n ? calloc(n, sizeof(*copy)) : NULL;

	for (size_t i = 0; copy && i < n; i++)
		copy[i] = strdup(list[i]);
	return copy;
}

static void free_list(char **list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		free(list[i]);
	free(list);
}

/* Plans and masters the next session; *layout tells where it goes (its
 * overwrite buffer, when it has one, is the caller's to free). */
static int open_image(struct master *m, bool for_commit, struct session_image **image, struct image_layout *layout)
{
	char label[MASTER_LABEL_MAX * 4 + 2], why[256];
	int rc;

	*layout = (struct image_layout){ .import_from = -1 };
	rc = m->tower ? tower_plan(m, for_commit, layout) : plan(m, for_commit, layout);

	if (rc == 0)
		rc = master_label(m, label, sizeof(label));
	if (rc) {
		free(layout->overwrite);
		return rc;
	}
	/* A copy: rm in files/ may add to the list meanwhile. */
	pthread_mutex_lock(&m->lock);
	layout->removed = copy_list(m->removed, m->nremoved);
	layout->nremoved = layout->removed ? m->nremoved : 0;
	pthread_mutex_unlock(&m->lock);
	rc = session_image_open(image, m->tree, label, layout, why, sizeof(why));
	free_list((char **)layout->removed, layout->nremoved);
	if (rc)
		free(layout->overwrite);
	if (rc == -EFBIG)
		return refuse(m, for_commit, COND_IMAGE_TOO_LARGE, why);
	if (rc == -EMEDIUMTYPE)
		return refuse(m, for_commit, COND_MEDIA_NOT_WRITABLE, why);
	return rc ? refuse(m, for_commit, COND_MASTERING_FAILED, why) : 0;
}

int master_staged_sectors(struct master *m, uint64_t *sectors)
{
	struct session_image *image;
	struct image_layout layout;
	bool empty;
	int rc;

	/* While a commit burns, the session it burns is the answer.  Otherwise
	 * the tree is measured without holding it, so that a copy into it
	 * goes on meanwhile. */
	pthread_mutex_lock(&m->lock);
	*sectors = m->committing ? m->session_sectors : 0;
	empty = m->committing || (m->entries == 0 && m->nremoved == 0);
	pthread_mutex_unlock(&m->lock);
	if (empty)
		return 0;
	rc = open_image(m, false, &image, &layout);
	if (rc == 0) {
		*sectors = session_image_size(image) / MMC_SECTOR_SIZE;
		session_image_close(image);
		free(layout.overwrite);
	}
	return rc;
}

/* A recorder's session: burned where plan put it, the grown volume's head
 * rewritten last, and its MD5 checked. */
static int burn_to_drive(struct master *m, const char *owner, struct session_image *image,
			 const struct image_layout *layout)
{
	int rc = burn_stream(drive_burn(m->drive), owner, layout->overwrite ? (int64_t)layout->ms_block : -1,
			     session_image_size(image), session_image_read, image);

	/* The commit point of a grown volume: until its head is rewritten,
	 * the disc reads as it did before. */
	if (rc == 0 && layout->overwrite)
		rc = master_write_head(m, owner, layout->overwrite);
	if (rc == 0)
		rc = master_verify_session(m->drive, layout->ms_block);
	return rc;
}

int master_commit(struct master *m, const char *owner)
{
	struct session_image *image;
	struct image_layout layout;
	int rc = hold_tree(m);

	if (rc)
		return rc;
	rc = open_image(m, true, &image, &layout);
	if (rc == 0) {
		pthread_mutex_lock(&m->lock);
		m->session_sectors = session_image_size(image) / MMC_SECTOR_SIZE;
		pthread_mutex_unlock(&m->lock);
		rc = m->tower ? tower_burn(m, owner, image) : burn_to_drive(m, owner, image, &layout);
		session_image_close(image);
		free(layout.overwrite);
	}
	/* On the disc: the next session starts from an empty stage. */
	if (rc == 0)
		rc = master_clear(m);
	release_tree(m);
	return rc;
}
