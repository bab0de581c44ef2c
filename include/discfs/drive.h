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

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "discfs/errors.h"
#include "discfs/mmc.h"
#include "discfs/profile.h"
#include "discfs/speed.h"
#include "discfs/transport.h"

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

struct burn;

struct drive {
	unsigned index;
	struct transport *transport;
	pthread_mutex_t io_lock;	/* one owner of the device channel at a time */
	pthread_mutex_t lock;		/* guards everything below */
	struct drive_identity id;
	struct media_info media;
	bool media_stale;
	bool refreshing;		/* a probe is under way; readers wait for it */
	pthread_cond_t refreshed;
	struct speed_request starting, ending;
	char last_error[448];
	bool busy;			/* a burn, erase or format owns the drive */
	char owner[64];			/* who: "cp[1234]", for exclusive_owner */
	bool tray_locked;		/* what discfs last set with PREVENT ALLOW: MMC
					   has no way to ask a drive */
	struct burn *burn;		/* the write engine of this drive */
	unsigned poll_ms;
	bool stopping;
	pthread_cond_t poll_wake;
	pthread_t poller;
	bool poller_running;
};

/* Probes identity and medium.  The drive owns the transport from here on,
 * even when it fails: NULL with errno when the device does not answer INQUIRY. */
struct drive *drive_create(unsigned index, struct transport *t, unsigned poll_ms);
void drive_destroy(struct drive *d);

/* Sends one command on the device channel.  0 on GOOD; otherwise a negative
 * errno from the error table, with last_error set (op names the command in
 * it) and *sense filled when the drive sent sense data (sense may be NULL).
 * A unit attention for a media change marks the cache stale. */
int drive_command(struct drive *d, const struct mmc_cmd *cmd, void *data, unsigned timeout_ms,
		  struct mmc_sense *sense);

/* Copies the media snapshot, refreshing it first when stale.  Returns
 * out->error. */
int drive_media(struct drive *d, struct media_info *out);
/* Re-reads the medium now (after a burn, on a media event). */
void drive_refresh_media(struct drive *d);
void drive_mark_stale(struct drive *d);

/* Records an error for last_error and returns its negative errno. */
int drive_fail(struct drive *d, enum discfs_condition cond, const char *detail);
void drive_last_error(struct drive *d, char *out, size_t size);

/* Marks the drive busy (a burn, erase or format) for owner; -EBUSY when it
 * already is. */
int drive_claim(struct drive *d, const char *owner);
void drive_release(struct drive *d);
/* Takes or gives back the device exclusively (O_EXCL) where the transport
 * can; -EBUSY when another program holds it. */
int drive_exclusive(struct drive *d, bool exclusive);

/* READ TRACK INFORMATION by LBA (0), track (1) or session (2). */
int drive_track_info(struct drive *d, uint8_t addr_type, uint32_t number, struct mmc_track_info *ti);

/* The medium refresh itself (drive_media.c). */
void drive_probe_media(struct drive *d, struct media_info *out);
/* Media-change poller (drive_poll.c). */
int drive_poller_start(struct drive *d);
void drive_poller_stop(struct drive *d);

#endif
