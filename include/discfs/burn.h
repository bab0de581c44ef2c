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

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "discfs/fifo.h"

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

struct burn_settings {
	bool force_close;		/* IMAPI ForceMediaToBeClosed */
	bool buffer_underrun_free;	/* !BufferUnderrunFreeDisabled */
	bool force_overwrite;		/* IMAPI ForceOverwrite */
	enum verify_level verify;
};

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
	char speed_note[96];		/* how the drive speed was chosen */
};

struct burn {
	struct drive *drive;
	pthread_mutex_t lock;		/* guards everything below */
	pthread_cond_t changed;		/* state, received or done changed */
	struct fifo fifo;
	struct burn_settings settings;
	struct burn_progress progress;
	/* The writer's stream. */
	bool writer_open;
	bool stream_ended;		/* no more data: the engine may finish */
	bool engine_done;
	char name[256];			/* "burn" or the name a file manager created */
	uint64_t received;		/* bytes accepted, including zero fill */
	uint64_t expected;		/* from the ISO 9660 volume size, 0 unknown */
	bool size_given;		/* expected came from the producer (burn_expect) */
	uint64_t limit;			/* bytes that fit on the medium */
	int64_t start_at;		/* overwrite media: where this burn starts, -1 for 0 */
	uint8_t pvd[2048];		/* image sector 16, to learn its size */
	bool cancel;
	uint64_t started_ns;
	pthread_t thread;
	bool thread_joinable;
	uint32_t *chunk_crcs;		/* for verify: one CRC per written chunk */
	size_t nchunks, chunk_capacity;
};

int burn_init(struct burn *b, struct drive *d, size_t fifo_bytes);
void burn_destroy(struct burn *b);

/* The writer's side, called from FUSE. */
/* open/create of a burn file by owner ("cp[1234]"): -EBUSY, -ENOMEDIUM, ... */
int burn_begin(struct burn *b, const char *name, const char *owner);
/* The same, on overwrite media from start_lba (past the volume, to grow it;
 * -1: the usual rule, sector 0). */
int burn_begin_at(struct burn *b, const char *name, const char *owner, int64_t start_lba);
int burn_write(struct burn *b, const void *buf, size_t size, off_t offset);	/* bytes or -errno */
int burn_truncate(struct burn *b, off_t size);		/* larger: zero fill; smaller: no effect */
int burn_flush(struct burn *b);				/* close(): waits when the image is complete */
void burn_end(struct burn *b);				/* release */
int burn_rename(struct burn *b, const char *from, const char *to);
int burn_forget(struct burn *b, const char *name);	/* unlink of a dropped file */
/* The name and size of the file being or last burned; false if none. */
bool burn_listed(struct burn *b, char *name, size_t size, uint64_t *bytes);

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

/* Stops a running burn cleanly and waits until it has; 0 also when none runs. */
int burn_cancel(struct burn *b);
void burn_get_progress(struct burn *b, struct burn_progress *out);
const char *burn_action_name(enum burn_action a);

/* Erase, format and close (burn_ops.c): synchronous, with status and
 * progress as for a burn; -EBUSY while the drive does anything else. */
int burn_erase(struct burn *b, bool full, const char *owner);
int burn_format(struct burn *b, const char *owner);
int burn_close_disc(struct burn *b, const char *owner);

/* The engine thread's body (burn_engine.c). */
void *burn_engine_main(void *arg);

#endif
