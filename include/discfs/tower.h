/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A duplicator tower: one image burned to many recorders at once (all/).
 *
 * The writer's stream goes into one shared FIFO, read once by every
 * member's write engine, each at its own position; the stream moves at the
 * pace of the slowest member and the memory is one FIFO whatever the
 * number of members.  A member that fails (its medium, its drive) is
 * dropped and the others go on; its own status and last_error say why.
 * The writer's close() returns 0 only when every member burned the image,
 * else EIO; write() fails (EIO) only once no member is left.
 */
#ifndef DISCFS_TOWER_H
#define DISCFS_TOWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "discfs/burn.h"

struct drive;
struct tower;

/* The most recorders a tower holds: drive0 .. drive63. */
#define TOWER_MAX_MEMBERS 64

/* One tower over drives[0 .. n-1] (the first TOWER_MAX_MEMBERS), with a
 * FIFO of fifo_bytes; NULL with errno ENOMEM. */
struct tower *tower_create(struct drive **drives, size_t n, size_t fifo_bytes);
void tower_destroy(struct tower *t);

/* The members the next burn takes, as a set of drive indexes (bit N is
 * driveN): the chosen ones, or by default every recorder whose medium a
 * burn would accept now.  *chosen: they were chosen. */
uint64_t tower_members(struct tower *t, bool *chosen);
/* Chooses the members (0: back to the default), clearing last_error;
 * -EINVAL for a drive that does not exist, -EBUSY while a burn runs;
 * last_error says why. */
int tower_choose(struct tower *t, uint64_t members);
/* Before a burn chooses its default members: the drives holding a writable
 * disc now, not at the last poll (there may be none: --poll-ms=0). */
void tower_check_media(struct tower *t);
/* The drives of tower_members, up to max of them; returns the count. */
size_t tower_member_drives(struct tower *t, struct drive **drives, size_t max);

/* The writer's side, as burn.h's: begin on open, then write, truncate,
 * flush (close()) and end (release). */
int tower_begin(struct tower *t, const char *owner);
int tower_write(struct tower *t, const void *buf, size_t size, off_t offset);
int tower_truncate(struct tower *t, off_t size);
/* close() and fsync() as burn_flush's: last, no other descriptor of
 * all/burn is open; tower_stream_incomplete, whether a close now would end
 * the image short. */
bool tower_stream_incomplete(struct tower *t);
int tower_flush(struct tower *t, bool last);
void tower_end(struct tower *t);

/* A burn fed by a producer inside discfs (all/commit), as burn.h's
 * burn_stream for one drive: every member is told the exact size first,
 * and the producer's bytes go once into the shared FIFO.  Returns when
 * every member is done: 0 when all burned it, else -errno (EIO when some
 * did), with *failed the set of members (bit N is driveN) that did not.
 */
int tower_stream(struct tower *t, const char *owner, uint64_t bytes, burn_producer produce, void *ctx,
		 uint64_t *failed);

/* The members of the last (or current) burn, for all/status: up to max of
 * them into drives[], and for each, began[i]: its burn started (its own
 * status tells the rest), or it was refused at the start (its last_error
 * says why).  Before any burn, the members the next one would take, none
 * begun.  Returns the count. */
size_t tower_status(struct tower *t, unsigned *drives, bool *began, size_t max, bool *any_burn);

void tower_last_error(struct tower *t, char *out, size_t size);
/* all/last_error says why (cond, detail); its negative errno. */
int tower_fail(struct tower *t, enum discfs_condition cond, const char *detail);
/* Members failed: all/last_error is "EIO: detail" (each member's own
 * last_error says what happened to it); -EIO. */
int tower_fail_members(struct tower *t, const char *detail);
/* A malformed value written to all/: last_error says detail; -EINVAL. */
int tower_refuse(struct tower *t, const char *detail);
/* An operation on all/ starts: last_error says "none" until it fails. */
void tower_clear_error(struct tower *t);

#endif
