/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Operations on the disc that take more than one command: waiting out a
 * long operation, write parameters, closing, formatting, erasing, the tray
 * and its lock.  The write engine and the tree's action files (erase,
 * format, close, eject, tray, locked) share them.
 */
#ifndef DISCFS_DISC_H
#define DISCFS_DISC_H

#include <stdbool.h>
#include <stdint.h>

#include "discfs/drive.h"

/* Called with the fraction done (0..1) while a long operation runs. */
typedef void (*disc_progress_fn)(void *ctx, double fraction);

/* Polls TEST UNIT READY until a long operation (sent with Immed) ends,
 * reporting the progress the drive gives in its sense data.  Gives up
 * after an hour of the recorder's clock (IMAPI's erase limit). */
int disc_wait_ready(struct drive *d, disc_progress_fn progress, void *ctx);

/* True for media with mode page 05h (CD, DVD-R, DVD-RW sequential). */
bool disc_uses_write_parameters(const struct profile_info *p);
/* Mode page 05h: write type, BUFE, Test Write and whether the session
 * closes the disc. */
int disc_set_write_parameters(struct drive *d, const struct media_info *m, bool buffer_underrun_free,
			      bool close_disc, bool test_write);

int disc_synchronize(struct drive *d);
/* The track holding an LBA. */
int disc_track_at(struct drive *d, uint32_t lba, uint16_t *track);
/* Closes a track, then the session: left appendable, or finalized with the
 * close function the medium wants (page 05h on CD/DVD-R, 101b on DVD+R,
 * 110b on BD-R). */
int disc_close_track(struct drive *d, uint16_t track);
int disc_close_session(struct drive *d, const struct media_info *m, bool finalize);

/* The FORMAT UNIT type for a medium that can be formatted, 0 otherwise. */
uint8_t disc_format_type(const struct media_info *m);
int disc_format(struct drive *d, const struct media_info *m, disc_progress_fn progress, void *ctx);
int disc_erase(struct drive *d, bool full, disc_progress_fn progress, void *ctx);

int disc_lock(struct drive *d, bool lock);
/* Unlocks and opens the tray (load=false) or closes it (load=true). */
int disc_tray(struct drive *d, bool load);

/* Overwrite media (disc_volume.c): puts an appended image's volume
 * descriptors (count sectors, image sectors 16 on) at LBA 16 with the
 * volume's size made volume_end, as growisofs does; or clears the one
 * there, so a volume cut short is not taken for one. */
int disc_put_descriptors(struct drive *d, const uint8_t *sectors, uint32_t count, uint32_t volume_end);
int disc_clear_descriptors(struct drive *d);

#endif
