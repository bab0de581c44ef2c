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
#include "discfs/image_check.h"

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
	bool raw;			/* IWriteEngine2: any bytes, not only ISO 9660/UDF */
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
	bool verified;			/* the read-back matched (verify quick or full) */
	char left_on_disc[128];		/* after a failure: what the medium holds now */
};

struct burn {
	struct drive *drive;
	pthread_mutex_t lock;		/* guards everything below */
	pthread_cond_t changed;		/* state, received or done changed */
	struct fifo fifo;
	struct burn_settings settings;
	struct burn_progress progress;
	struct burn_progress previous;	/* what status said before this burn */
	char previous_name[256];
	/* The writer's stream. */
	bool writer_open;
	bool stream_ended;		/* no more data: the engine may finish */
	bool engine_done;
	char name[256];			/* "burn" or the name a file manager created */
	uint64_t received;		/* bytes accepted, including zero fill */
	uint64_t expected;		/* from the ISO 9660 volume size, 0 unknown */
	uint64_t limit;			/* bytes that fit on the medium */
	/* The image's volume recognition area (sectors 16..31), kept as it
	 * streams past; nothing is written until it has been checked. */
	uint8_t head[VOLUME_DESCRIPTORS_MAX * 2048];
	bool inspected;
	struct image_target target;
	struct image_plan plan;
	bool ended_short;		/* the last close came before the volume's end */
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
int burn_rename(struct burn *b, const char *from, const char *to);
int burn_forget(struct burn *b, const char *name);	/* unlink of a dropped file */
/* The name and size of the file being or last burned; false if none. */
bool burn_listed(struct burn *b, char *name, size_t size, uint64_t *bytes);

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
