/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The rate-controlled write engine (IMAPI2 IDiscFormat2Data + IWriteEngine2).
 *
 * A writer streams an image into a burn file; FUSE write() calls feed the
 * host FIFO and block while it is full; one engine thread per recorder
 * drains it to the disc:
 *
 *   validate → format if needed → set speed and write parameters →
 *   calibrate → write (paced on the recorder's clock) → synchronize cache →
 *   close track/session → verify → completed
 *
 * The writer learns the outcome: a failure fails its next write() or its
 * close(), and close() returns only when the data is on the disc.
 */
#ifndef DISCFS_BURN_H
#define DISCFS_BURN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "discfs/errors.h"

struct burn;
struct drive;

/* IMAPI_FORMAT2_DATA_WRITE_ACTION, in its order. */
enum burn_action {
	ACTION_VALIDATING,
	ACTION_FORMATTING,
	ACTION_INITIALIZING,
	ACTION_CALIBRATING,
	ACTION_WRITING,
	ACTION_FINALIZING,
	ACTION_COMPLETED,
	ACTION_VERIFYING,
};

enum burn_state { BURN_IDLE, BURN_WAITING, BURN_RUNNING, BURN_DONE, BURN_FAILED };

/* What the drive is (or was last) busy with. */
enum disc_operation { OP_BURN, OP_ERASE, OP_FORMAT, OP_CLOSE };

enum verify_level { VERIFY_NONE, VERIFY_QUICK, VERIFY_FULL };

/* Every burn setting, once, as SETTING(type, name): the struct below and
 * whatever goes over all of them (taking back a refused write's setting,
 * settings.c) are made from this list, so a new setting is in both. */
#define BURN_SETTINGS(SETTING)                                                                \
	SETTING(bool, force_close)		/* IMAPI ForceMediaToBeClosed */              \
	SETTING(bool, buffer_underrun_free)	/* !BufferUnderrunFreeDisabled */             \
	SETTING(bool, force_overwrite)		/* IMAPI ForceOverwrite */                    \
	SETTING(bool, raw)		/* IWriteEngine2: any bytes, not only ISO 9660/UDF */ \
	SETTING(enum verify_level, verify)                                                    \
	SETTING(bool, simulate)		/* a dry run: MMC Test Write, nothing recorded */

#define BURN_SETTING_FIELD(type, name) type name;
struct burn_settings {
	BURN_SETTINGS(BURN_SETTING_FIELD)
};
#undef BURN_SETTING_FIELD

/* IDiscFormat2DataEventArgs + IWriteEngine2EventArgs, one value per file. */
struct burn_progress {
	enum disc_operation op;
	enum burn_state state;
	enum burn_action action;
	double op_fraction;		/* erase, format: the drive's progress, 0..1 */
	uint32_t start_lba;
	uint32_t sector_count;		/* 0 while the image size is unknown */
	int64_t last_written_lba;	/* -1 before the first write */
	uint64_t sectors_written;
	uint64_t host_used, host_size;	/* bytes in the host FIFO */
	uint32_t drive_used, drive_size;	/* bytes in the drive buffer */
	double rate_sps;
	double elapsed_s, remaining_s;
	uint64_t underruns;		/* times the host FIFO ran dry mid-burn */
	int result;			/* 0, or the failure's negative errno */
	char error[ERROR_LINE_MAX];	/* last_error as the failure left it: status
					   keeps it when a later operation clears last_error */
	bool simulated;			/* the burn was a dry run */
	char speed_note[96];		/* how the drive speed was chosen */
	bool verified;			/* the read-back matched (verify quick or full) */
	char left_on_disc[128];		/* after a failure: what the medium holds now */
};

/* The writer's side, called from FUSE. */
/* open/create of a burn file by owner ("cp[1234]"): -EBUSY, -ENOMEDIUM, ... */
int burn_begin(struct burn *b, const char *name, const char *owner);
/* The same, on overwrite media from start_lba (past the volume, to grow it;
 * -1: the usual rule, sector 0). */
int burn_begin_at(struct burn *b, const char *name, const char *owner, int64_t start_lba);
int burn_write(struct burn *b, const void *buf, size_t size, off_t offset);	/* bytes or -errno */
int burn_truncate(struct burn *b, off_t size);		/* larger: zero fill; smaller: no effect */
/* Whether a close() now would end the image short of its volume's end (or
 * before its descriptors said what it is). */
bool burn_stream_incomplete(struct burn *b);
/* close() or fsync(); last: no other descriptor of the stream is open, so
 * the image ends here.  Waits for the burn when the image has ended and
 * returns its result: -EIO when it ended short. */
int burn_flush(struct burn *b, bool last);
void burn_end(struct burn *b);				/* release */

/* The files written to driveN/ and burned to this disc, the one being
 * written among them, until the disc changes (drops.c). */
int burn_rename(struct burn *b, const char *from, const char *to);
int burn_forget(struct burn *b, const char *name);	/* unlink of a dropped file */
/* True, with its size, when name was burned to this disc. */
bool burn_drop_find(struct burn *b, const char *name, uint64_t *bytes);
/* The name the stream being written is listed under, while a writer has it. */
bool burn_stream_name(struct burn *b, char *name, size_t size);
/* Calls each(ctx, name) for every such file. */
void burn_drops_list(struct burn *b, void (*each)(void *ctx, const char *name), void *ctx);
/* Where such a file's data lies on the disc: its first sector and the bytes
 * burned from there.  -ENOENT when it is not listed, -EBUSY while it burns. */
int burn_drop_extent(struct burn *b, const char *name, uint32_t *first_lba, uint64_t *bytes);

/* The image's exact size, from a producer that knows it before the first
 * byte: -ENOSPC now if it cannot fit; the volume descriptor then no longer
 * decides (an appended session's describes the whole disc). */
int burn_expect(struct burn *b, uint64_t bytes);

/* Feeds the engine from a producer instead of a FUSE writer (burn_stream.c):
 * produce fills buf with up to size bytes and returns how many, 0 at the
 * end, or -errno.  Returns when the image of exactly bytes is burned. */
typedef long (*burn_producer)(void *ctx, void *buf, size_t size);
int burn_stream(struct burn *b, const char *owner, int64_t start_lba, uint64_t bytes, burn_producer produce,
		void *ctx);

/* A check made after the burn ended (the mastering layer's MD5 of the
 * session read back) found the disc is not as intended: status says the
 * burn failed, with last_error's reason, as if the engine had found it. */
void burn_failed_after(struct burn *b, int rc);
/* Stops a running burn cleanly and waits until it has; 0 also when none runs. */
int burn_cancel(struct burn *b);
void burn_get_progress(struct burn *b, struct burn_progress *out);
/* The settings the next burn starts with.  burn_settings_set calls
 * apply(settings, value) under the burn's lock; -EBUSY (last_error set)
 * while a burn runs, which keeps the settings it started with. */
void burn_settings_get(struct burn *b, struct burn_settings *out);
int burn_settings_set(struct burn *b, void (*apply)(struct burn_settings *s, const void *value), const void *value);
const char *burn_action_name(enum burn_action a);

/* Erase, format and close (burn_ops.c): synchronous, with status and
 * progress as for a burn; -EBUSY while the drive does anything else. */
int burn_erase(struct burn *b, bool full, const char *owner);
int burn_format(struct burn *b, const char *owner);
int burn_close_disc(struct burn *b, const char *owner);

#endif
