/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside the drive model: struct drive and struct burn, their locks, and the
 * functions the model's own files share.  Only src/drive includes this;
 * everything above reaches a drive through drive.h and burn.h, whose
 * accessors take the locks.
 */
#ifndef DISCFS_DRIVE_INTERNAL_H
#define DISCFS_DRIVE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "discfs/burn.h"
#include "discfs/burn_log.h"
#include "discfs/drive.h"
#include "discfs/fifo.h"
#include "discfs/image_check.h"
#include "discfs/transport.h"

struct read_cache;

/* When a file's value last changed, for its modification time. */
#define DRIVE_MAX_VALUES 96
struct value_time {
	bool seen;
	uint32_t crc;		/* of the value as last rendered */
	struct timespec changed;
};

/* A file written to driveN/ and burned to the disc in the drive. */
struct drop {
	char name[256];
	uint64_t bytes;			/* what the writer sent */
	uint32_t first_lba;		/* where its burn ended up on the disc: */
	uint64_t burned;		/* ... the bytes it wrote there, readable */
};

/* The last burn's samples (burn_log.c); guarded by its burn's lock. */
struct burn_log {
	struct burn_sample *samples;	/* BURN_LOG_SAMPLES, allocated once */
	size_t count;
	uint64_t interval_ns, next_ns;
	struct burn_log_info info;
};

struct drive {
	unsigned index;
	struct transport *transport;
	struct emu *emu;			/* the emulated recorder behind transport, NULL for a real drive */
	pthread_mutex_t io_lock;	/* one owner of the device channel at a time */
	pthread_mutex_t lock;		/* guards everything below */
	struct drive_identity id;
	struct media_info media;
	bool media_stale;
	bool refreshing;		/* a probe is under way; readers wait for it */
	pthread_cond_t refreshed;
	struct speed_request starting, ending;
	char last_error[DRIVE_ERROR_MAX];
	bool busy;			/* a burn, erase or format owns the drive */
	char owner[DRIVE_OWNER_MAX];			/* who: "cp[1234]", for exclusive_owner */
	bool tray_locked;		/* what discfs last set with PREVENT ALLOW: MMC
					   has no way to ask a drive */
	uint64_t disc_epoch;		/* bumped when the disc is no longer the one
					   it was: another medium, an empty tray, a
					   disc erased or formatted blank */
	struct timespec created;
	struct value_time value_times[DRIVE_MAX_VALUES];
	struct burn *burn;		/* the write engine of this drive */
	struct master *master;		/* its staged files (src/master), or NULL;
					   opaque here: their owner closes them */
	unsigned readers;		/* reads of the disc under way (read.c) */
	pthread_cond_t readers_done;	/* ... have all ended: a claim may proceed */
	struct read_cache *read_cache;	/* read-ahead, owned by read.c */
	unsigned poll_ms;
	bool stopping;
	pthread_cond_t poll_wake;
	pthread_t poller;
	bool poller_running;
	void (*on_change)(void *ctx);	/* drive_on_change's */
	void *on_change_ctx;
};

struct burn {
	struct drive *drive;
	pthread_mutex_t lock;		/* guards everything below */
	pthread_cond_t changed;		/* state, received or done changed */
	struct fifo fifo;
	/* Where the engine reads the stream: fifo, or a tower's shared one
	 * (tower.c) as its reader number `reader`; set when a burn begins. */
	struct fifo *source;
	unsigned reader;
	struct burn_settings settings;
	struct burn_progress progress;
	struct burn_progress previous;	/* what status said before this burn */
	/* The writer's stream. */
	bool writer_open;
	bool stream_ended;		/* no more data: the engine may finish */
	bool engine_done;
	/* The files written to driveN/ (burn, or names a file manager
	 * created) since this disc came: drops.c. */
	struct drop *drops;
	size_t ndrops;
	long drop_current;		/* index of the one being written, -1 none */
	uint64_t drops_epoch;		/* drive_disc_epoch they were burned on */
	uint64_t received;		/* bytes accepted, including zero fill */
	uint64_t expected;		/* from the ISO 9660 volume size, 0 unknown */
	bool size_given;		/* expected came from the producer (burn_expect) */
	uint64_t limit;			/* bytes that fit on the medium */
	int64_t start_at;		/* overwrite media: where this burn starts, -1 for 0 */
	/* The image's volume recognition area (sectors 16..31), kept as it
	 * streams past; nothing is written until it has been checked. */
	uint8_t head[VOLUME_RECOGNITION_BYTES];
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
	struct burn_log log;		/* driveN/last_burn/ */
};

/* Values shown for d may have changed: tells drive_on_change's listener
 * (drive_change.c).  Any lock may be held. */
void drive_changed(struct drive *d);

/* The burn's state changed: its waiters wake, and the values showing it are
 * announced changed.  The caller holds b->lock. */
static inline void burn_changed_locked(struct burn *b)
{
	drive_changed(b->drive);
	pthread_cond_broadcast(&b->changed);
}

/* A write engine is running or still finishing; the caller holds b->lock. */
static inline bool burn_running_locked(const struct burn *b)
{
	return b->thread_joinable && !b->engine_done;
}

int burn_init(struct burn *b, struct drive *d, size_t fifo_bytes);
/* burn_begin reading the stream from source as reader `reader` (a tower's
 * member); the writer's data goes to source, not through burn_write. */
int burn_begin_reader(struct burn *b, const char *name, const char *owner, struct fifo *source, unsigned reader);
/* burn_write's accounting without the data: the checks, the image size,
 * what was received.  0 with *gap, the zero bytes to put before buf, or
 * the error burn_write would return. */
int burn_accept(struct burn *b, const void *buf, size_t size, off_t offset, uint64_t *gap);
/* The medium would take an image made for no disc in particular now. */
bool burn_accepts_medium(struct burn *b);
/* burn_flush's first half: ends the stream (its image whole or short) as
 * burn_flush would, without waiting for the engine. */
void burn_conclude(struct burn *b, bool last);
/* An operation (a burn, erase, format, close) ended with rc: status says done
 * or failed and keeps the failure's reason, which a later operation clears
 * from last_error.  b->lock held. */
void burn_finish_locked(struct burn *b, int rc);
/* A producer's stream stops with rc (burn_stream.c): the engine stops
 * without closing what it never got; the burn's result is the first error. */
void burn_stop(struct burn *b, int rc);
/* Takes up to bytes from produce, 64 KiB at a time, into put (a burn's or a
 * tower's writer side): 0 once all of it went, or the first -errno. */
typedef int (*stream_sink)(void *sink, const void *buf, size_t size, off_t offset);
int stream_pump(uint64_t bytes, burn_producer produce, void *ctx, stream_sink put, void *sink);
void burn_destroy(struct burn *b);
int burn_log_init(struct burn_log *l);
void burn_log_free(struct burn_log *l);
/* A new burn starts writing: the series restarts, spanning end_lba - start_lba. */
void burn_log_start(struct burn_log *l, uint32_t start_lba, uint32_t end_lba, uint64_t host_size);
/* Offers the engine's state after a WRITE; kept when an interval has
 * passed, or when last (the end of the data).  The caller holds the lock. */
void burn_log_add(struct burn_log *l, const struct burn_sample *s, uint32_t drive_size, bool last);
/* The engine thread while it paces (pacing_thread.c): precise wake-ups,
 * and a higher priority where permitted; leave restores what enter found. */
struct pacing_thread {
	bool raised_rt;
	int nice;
};
void pacing_thread_enter(struct pacing_thread *saved);
void pacing_thread_leave(const struct pacing_thread *saved);
/* The engine thread's body (burn_engine.c). */
void *burn_engine_main(void *arg);

/* With b->lock held (drops.c): a stream named name starts; its burn
 * ended, with the sectors it wrote in b->progress; or the one started
 * wrote nothing, so nothing was burned under its name. */
int burn_drop_begin_locked(struct burn *b, const char *name);
void burn_drop_end_locked(struct burn *b);
void burn_drop_discard_locked(struct burn *b);

/* The recorder's clock (the emulator's, which may run faster) and a sleep
 * on it: the engine and the disc operations pace themselves with these. */
uint64_t drive_now_ns(struct drive *d);
void drive_sleep_until_ns(struct drive *d, uint64_t deadline_ns);

/* The medium refresh itself (drive_media.c). */
void drive_probe_media(struct drive *d, struct media_info *out);
/* IMAPI closes the disc by itself when a session leaves 2 % of it or less
 * free: the session that does is the final one (drive_media.c). */
bool drive_space_is_final(uint64_t free_sectors, uint32_t total_sectors);

#endif
