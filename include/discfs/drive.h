/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The drive model: one recorder, its identity, a cached snapshot of the
 * loaded medium, the user's settings, and the one channel to the device.
 *
 * Reading an attribute reads the cache; the cache is refreshed when the
 * medium changes (GET EVENT STATUS NOTIFICATION from a poller thread, or a
 * unit attention 6/28/00 on any command), so `cat` of a file costs no MMC
 * round trip while nothing changes.
 */
#ifndef DISCFS_DRIVE_H
#define DISCFS_DRIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "discfs/errors.h"
#include "discfs/mmc.h"
#include "discfs/profile.h"
#include "discfs/speed.h"

/* IMAPI_FORMAT2_DATA_MEDIA_STATE bits. */
enum media_state_bits {
	MEDIA_OVERWRITE_ONLY = 0x0001,
	MEDIA_BLANK = 0x0002,
	MEDIA_APPENDABLE = 0x0004,
	MEDIA_FINAL_SESSION = 0x0008,
	MEDIA_DAMAGED = 0x0400,
	MEDIA_ERASE_REQUIRED = 0x0800,
	MEDIA_NON_EMPTY_SESSION = 0x1000,
	MEDIA_WRITE_PROTECTED = 0x2000,
	MEDIA_FINALIZED = 0x4000,
	MEDIA_UNSUPPORTED = 0x8000,
};

/* A snapshot of the loaded medium. */
struct media_info {
	int error;	/* 0, or -ENOMEDIUM, -EAGAIN, -EPROTO ... when it could not be read */
	const struct profile_info *profile;	/* profile "none" with an empty tray */
	uint32_t status;	/* media_state_bits */
	uint8_t disc_status, last_session_state, bg_format_status;
	bool erasable;
	uint16_t sessions;
	uint32_t total_sectors;
	uint32_t free_sectors;
	uint32_t next_writable;
	bool next_writable_valid;	/* false on closed or read-only media */
	uint32_t volume_sectors;	/* ISO 9660 / UDF volume found on overwrite media, else 0 */
	uint16_t complete_sessions;
	uint16_t last_track;	/* sequential media: the track READ TRACK INFORMATION described */
	int64_t previous_session_start;	/* first LBA of the last complete session, -1 none */
	int64_t previous_session_last;	/* its last written LBA, -1 none */
	bool tray_open;
	uint8_t write_protection;	/* mmc_write_protection bits (READ DISC STRUCTURE C0h) */
	size_t ncurrent_features;
	uint16_t current_features[MMC_MAX_FEATURES];
	size_t nspeeds;
	struct speed_descriptor speeds[MMC_MAX_SPEEDS];	/* ascending */
	double estimate_start_sps, estimate_end_sps;	/* GET PERFORMANCE 00h, 0 when unknown */
	uint64_t generation;	/* bumped on every refresh */
};

struct drive_identity {
	char vendor[9], product[17], revision[5];
	struct mmc_config config;	/* all features, supported profiles */
};

/* Sizes of last_error and exclusive_owner's text, NUL included. */
#define DRIVE_ERROR_MAX ERROR_LINE_MAX
#define DRIVE_OWNER_MAX 64

struct burn;
struct drive;
struct master;
struct emu;
struct transport;

/* Probes identity and medium and sets up the write engine with a host FIFO
 * of fifo_bytes.  The drive owns the transport from here on, even when it
 * fails: NULL with errno when the device does not answer INQUIRY (EIO...)
 * or the FIFO does not fit in memory (ENOMEM).  emu is the emulated
 * recorder behind t (which owns it), NULL for a real drive. */
struct drive *drive_create(unsigned index, struct transport *t, struct emu *emu, unsigned poll_ms,
			   size_t fifo_bytes);
/* Cancels a running burn cleanly, then closes the device. */
void drive_destroy(struct drive *d);

/* What does not change while the drive lives: no lock needed. */
unsigned drive_index(const struct drive *d);		/* N of driveN */
const struct drive_identity *drive_identity(const struct drive *d);
const char *drive_device(const struct drive *d);	/* "/dev/sr0", "emulated:dvd+rw" */
struct burn *drive_burn(struct drive *d);		/* the drive's write engine */
/* The drive's staged files (src/master), NULL when it has none: set once by
 * main before the tree is mounted and cleared before drive_destroy, which
 * leaves closing them to their owner. */
struct master *drive_master(const struct drive *d);
void drive_set_master(struct drive *d, struct master *m);

/* Sends one command on the device channel.  0 on GOOD; otherwise a negative
 * errno from the error table, with last_error set (op names the command in
 * it) and *sense filled when the drive sent sense data (sense may be NULL).
 * A unit attention for a media change marks the cache stale. */
int drive_command(struct drive *d, const struct mmc_cmd *cmd, void *data, unsigned timeout_ms,
		  struct mmc_sense *sense);

/* Sends a probe: a command whose failure is an answer (no medium, a sector
 * that cannot be read, a command the drive does not have), not an error.
 * Such a failure, explained by a sense key in *sense, leaves last_error
 * alone; one the drive does not explain (no reply, sense->key 0) is recorded
 * as drive_command records it.  sense may be NULL. */
int drive_probe(struct drive *d, const struct mmc_cmd *cmd, void *data, struct mmc_sense *sense);
/* A probe's failure rc that the caller takes as an error after all: records
 * it as drive_fail_sense does, unless it was recorded already; returns rc. */
int drive_probe_failed(struct drive *d, const struct mmc_sense *sense, const char *op, const char *detail, int rc);

/* Copies the media snapshot, refreshing it first when stale.  Returns
 * out->error. */
int drive_media(struct drive *d, struct media_info *out);
/* Re-reads the medium now (after a burn, on a media event). */
void drive_refresh_media(struct drive *d);
void drive_mark_stale(struct drive *d);
/* Asks the drive now whether its medium changed, as the poller does every
 * poll_ms, for a decision that cannot wait for the next poll. */
void drive_check_media(struct drive *d);

/* Which disc is loaded, as a number that changes when the disc does (a
 * media change, an erase or format that left it blank): what was burned to
 * the old one (the list of dropped files) is forgotten then. */
uint64_t drive_disc_epoch(struct drive *d);

/* The time a value (slot: one per file) was first seen as it is now, given
 * its crc; the drive's creation time for the first value seen
 * (value_times.c).  True when this look found it changed. */
bool drive_value_changed_at(struct drive *d, size_t slot, uint32_t crc, struct timespec *out);

/* changed(ctx) is called whenever values shown for d may have changed
 * without a request (a medium change, a burn's step, an error, the tray),
 * as the change is made (before anyone waiting for it wakes), possibly with
 * the model's locks held: it must not call the drive model (drive_change.c).
 * Set before threads start. */
void drive_on_change(struct drive *d, void (*changed)(void *ctx), void *ctx);

/* Records an error for last_error and returns its negative errno. */
int drive_fail(struct drive *d, enum discfs_condition cond, const char *detail);
/* The same for sense data the drive sent for op, with a detail ("LBA 1234"). */
int drive_fail_sense(struct drive *d, const struct mmc_sense *sense, const char *op, const char *detail);
void drive_last_error(struct drive *d, char *out, size_t size);
/* An operation (a store, a burn, erase, format or close) starts: last_error
 * says "none" until something in it fails.  A read is not an operation: one
 * that has nothing to show returns drive_nothing_to_show(cond), which gives
 * the condition's errno and leaves last_error alone, as drive_probe does. */
void drive_clear_error(struct drive *d);
int drive_nothing_to_show(enum discfs_condition cond);

/* Marks the drive busy (a burn, erase or format) for owner, once reads of
 * the disc under way have ended; -EBUSY when it already is. */
int drive_claim(struct drive *d, const char *owner);
void drive_release(struct drive *d);
/* Takes or gives back the device exclusively (O_EXCL) where the transport
 * can; -EBUSY when another program holds it. */
int drive_exclusive(struct drive *d, bool exclusive);

/* The drive's write speed request, starting or ending.  Set
 * (speed_setting.c): -ERANGE, with last_error naming the range, for a number
 * the loaded medium cannot do; -EBUSY (last_error set) while the drive works. */
void drive_speed_get(struct drive *d, bool ending, struct speed_request *out);
int drive_speed_set(struct drive *d, bool ending, const struct speed_request *req);

/* "cp[1234]" while a burn, erase or format owns the drive, "" otherwise. */
void drive_owner(struct drive *d, char *out, size_t size);

/* The tray (drive_tray.c): opens (load=false) or closes it, or sets PREVENT
 * ALLOW MEDIUM REMOVAL, unless the drive is busy (-EBUSY); the medium is read
 * again afterwards.  drive_tray_locked is what discfs last set: MMC has no
 * way to ask a drive. */
int drive_tray_move(struct drive *d, bool load);
int drive_tray_lock(struct drive *d, bool lock);
bool drive_tray_locked(struct drive *d);

/* The emulated recorder's tray (drive_emulator.c), for scripts to change
 * media as a person would: only where drive_is_emulated.  drive_load_media
 * takes "dvd-r" and an optional state "blank", "appendable" or "closed";
 * -EBUSY while the drive works, -EINVAL for an unknown medium or state
 * (last_error set).  drive_media_name: "none" with an empty tray. */
bool drive_is_emulated(const struct drive *d);
int drive_load_media(struct drive *d, const char *media, const char *state);
const char *drive_media_name(struct drive *d);

/* READ TRACK INFORMATION by LBA (0), track (1) or session (2). */
int drive_track_info(struct drive *d, uint8_t addr_type, uint32_t number, struct mmc_track_info *ti);

/* Media-change poller (drive_poll.c). */
int drive_poller_start(struct drive *d);
void drive_poller_stop(struct drive *d);

#endif
