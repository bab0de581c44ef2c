/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside the emulated recorder: the pieces emu_*.c share.  Not installed;
 * everything outside the emulator goes through discfs/emu.h.
 */
#ifndef DISCFS_EMU_INTERNAL_H
#define DISCFS_EMU_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "discfs/emu.h"
#include "discfs/profile.h"

/* ---- media (emu_media.c) ---- */

struct emu_speed {
	uint32_t write_kbps;
	bool cav;	/* ramps from 0.4 x write_kbps at LBA 0 to write_kbps at the last LBA */
};

/* What the pre-groove of a CD-R/RW says (ATIP, MMC-6 6.26.3.6). */
struct emu_atip {
	uint8_t lead_in[3];	/* start of the lead-in, M S F: the maker's code */
	uint8_t lead_out[3];	/* last possible start of the lead-out, M S F */
	uint8_t writing_power;	/* indicative target writing power, 0-7 */
	uint8_t reference_speed;
	bool rewritable;
	uint8_t sub_type;
	bool a1_valid;
	uint8_t a1[3];		/* CD-RW: lowest (bits 6-4) and highest (3-0) CLV speed codes */
};

struct emu_medium {
	const char *name;		/* spec word, "dvd+rw" */
	uint16_t profile;		/* profile when blank/loaded */
	uint32_t capacity;		/* sectors: blank capacity, or formatted capacity of overwrite media */
	uint32_t max_capacity;		/* largest formatted capacity (BD-RE without spare areas) */
	uint32_t read_kbps;		/* nominal read speed, CAV */
	const struct emu_speed *speeds;	/* fastest first */
	size_t nspeeds;
	const struct emu_atip *atip;	/* CD-R/RW only */
};

const struct emu_medium *emu_medium_by_name(const char *name);
/* Why medium m cannot be loaded in that state (a DVD+RW "closed"), or
 * NULL when it can. */
const char *emu_state_refusal(const struct emu_medium *m, enum emu_disc_state state);
/* Every profile the emulated drive can read or write, highest first. */
extern const uint16_t emu_drive_profiles[];
extern const size_t emu_drive_profile_count;
/* Physical write speed in kB/s of a descriptor at an LBA (CAV ramps). */
double emu_speed_kbps_at(const struct emu_speed *speed, uint32_t lba, uint32_t capacity);

/* A CD address field, 00 MM SS FF, of an LBA; lead-in LBAs are negative. */
uint32_t emu_msf_field(int64_t lba);

/* BD user capacities the spare areas leave (MMC-6 6.5.4.2): the default,
 * a large and a small spare area (BD-RE, and BD-R formatted for SRM+POW). */
#define EMU_BD_DEFAULT_SPARE_CAPACITY 11826176
#define EMU_BD_LARGE_SPARE_CAPACITY 11564032
#define EMU_BD_SMALL_SPARE_CAPACITY 12088320
#define EMU_BD_CLUSTER 32

/* ---- disc layout (emu_disc.c) ---- */

#define EMU_MAX_TRACKS 99

struct emu_track {
	uint32_t start;
	uint32_t size;		/* sectors recorded */
	uint16_t session;
	bool closed;
	bool damaged;		/* the buffer ran dry with BUFE=0: no further writes */
};

/* What a medium holds; exactly what the sidecar stores. */
struct emu_disc {
	const struct emu_medium *medium;	/* NULL: no medium */
	uint16_t profile;	/* current profile; DVD-RW moves between 14h and 13h */
	bool formatted;		/* overwrite media */
	uint32_t capacity;	/* sectors writable in total (formatted size for overwrite media) */
	uint32_t next_start;	/* sequential: start of the next track once the last one is closed */
	uint16_t sessions_closed;
	bool finalized;
	/* WRITEs went to the open track since the host last synchronized or
	 * closed it: a sidecar saved now is what a power loss leaves, and a
	 * reload finds that track interrupted (damaged). */
	bool writing;
	unsigned ntracks;
	struct emu_track tracks[EMU_MAX_TRACKS];
};

const struct profile_info *emu_disc_info(const struct emu_disc *d);
enum media_family emu_disc_family(const struct emu_disc *d);
enum write_model emu_disc_model(const struct emu_disc *d);
/* A medium in the state the user asked for; recorded_sectors is what
 * "appendable" and "closed" put in their one session. */
void emu_disc_init(struct emu_disc *d, const struct emu_medium *m, enum emu_disc_state state,
		   uint32_t recorded_sectors);
struct emu_track *emu_disc_open_track(struct emu_disc *d);
/* The track after the last one, blank and writable, exists (sequential only). */
bool emu_disc_has_invisible_track(const struct emu_disc *d);
uint32_t emu_disc_nwa(const struct emu_disc *d);
uint32_t emu_disc_recorded_end(const struct emu_disc *d);
bool emu_disc_open_session_has_tracks(const struct emu_disc *d);
uint16_t emu_disc_session_count(const struct emu_disc *d);
uint8_t emu_disc_status(const struct emu_disc *d);		/* READ DISC INFORMATION byte 2 bits 1-0 */
uint8_t emu_disc_last_session_state(const struct emu_disc *d);	/* bits 3-2 */
/* Sequential write of n sectors at the NWA: opens a track when none is. */
int emu_disc_append(struct emu_disc *d, uint32_t n);
void emu_disc_close_track(struct emu_disc *d);
/* Closes the open session (and its track); finalize closes the disc. */
void emu_disc_close_session(struct emu_disc *d, bool finalize);
void emu_disc_format(struct emu_disc *d, uint16_t profile, uint32_t capacity);
void emu_disc_blank(struct emu_disc *d);

/* ---- drive buffer (emu_buffer.c) ---- */

/* Drain speed along the medium: sectors/s = a + b * lba. */
struct emu_rate {
	double a, b;
};

struct emu_buffer {
	uint32_t size;		/* sectors */
	double fill;		/* sectors waiting for the medium; above size while a WRITE waits */
	double drain_lba;	/* where the next sector in the buffer lands */
	uint64_t updated_ns;
	bool streaming;		/* a sequential track has taken data since the last flush */
	bool ran_dry;		/* emptied while streaming */
};

void emu_buffer_reset(struct emu_buffer *b, uint32_t size, uint64_t now_ns);
void emu_buffer_advance(struct emu_buffer *b, const struct emu_rate *r, uint64_t now_ns);
void emu_buffer_add(struct emu_buffer *b, const struct emu_rate *r, uint64_t now_ns, uint32_t lba, uint32_t n);
/* Emulated time at which the fill will have fallen to target sectors. */
uint64_t emu_buffer_time_at_fill(const struct emu_buffer *b, const struct emu_rate *r, double target);
uint32_t emu_buffer_free(const struct emu_buffer *b);

/* ---- the drive ---- */

struct emu_busy {
	bool active;
	uint8_t ascq;		/* NOT READY 04/xx: 04 format, 07 operation, 08 long write */
	uint64_t start_ns, end_ns;
};

/* A CD session-at-once the host laid out with SEND CUE SHEET. */
struct emu_sao {
	bool armed;
	int32_t next;		/* the LBA the next WRITE must start at (-150: the first pre-gap) */
	uint32_t start, end;	/* the track's first LBA and its lead-out */
};

/* The sectors a fault applies to (fault=unreadable@, stall@). */
struct emu_sectors {
	bool armed;
	uint32_t first, last;
};

struct emu {
	pthread_mutex_t lock;
	uint64_t origin_real_ns;
	double timescale;
	bool virtual_clock;
	_Atomic uint64_t virtual_now_ns;

	int fd;			/* the image */
	char *state_path;	/* NULL for a temporary image */
	FILE *log;
	uint32_t buffer_kib;	/* 0: family default */

	struct emu_disc disc;
	bool tray_open;		/* the medium (if any) lies in the open tray */
	bool prevent;
	bool unit_attention;
	uint8_t media_event;	/* GET EVENT STATUS: 0 none, 2 new media, 3 removal */
	bool dirty;		/* layout changed since the sidecar was written */
	uint32_t unsaved_sectors;	/* written to an open track since the sidecar was */

	uint8_t sense_key, sense_asc, sense_ascq;	/* last CHECK CONDITION, for REQUEST SENSE */
	struct emu_busy busy;

	uint8_t write_params[52];	/* mode page 05h as the host set it */
	uint32_t reserved_end;		/* RESERVE TRACK: where the reserved track ends, 0 if none */
	struct emu_sao sao;
	int64_t test_write_next;	/* Test Write: where the next dry-run WRITE goes, -1 before one */
	size_t speed_index;		/* selected descriptor of disc.medium */
	struct emu_buffer buffer;
	struct emu_stats stats;

	enum emu_fault fault;		/* armed, EMU_FAULT_NONE when none is */
	uint64_t fault_at_sectors;	/* fires once stats.sectors_written reaches this */
	bool fault_mid_write;		/* power-calibration@N, N > 0: a running OPC
					   failure on a WRITE, not SEND OPC's */
	bool vanished;			/* every command fails with -ENODEV */
	uint32_t read_next_lba;		/* where the last READ ended ... */
	uint64_t read_done_ns;		/* ... and when its data was there */
	struct emu_sectors damaged;		/* every READ of them fails */
	struct emu_sectors stalled;		/* every WRITE of them hangs ... */
	pthread_cond_t stall_released;		/* ... until disarmed */
};

/* One command being executed. */
struct emu_cmd {
	const uint8_t *cdb;
	size_t cdb_len;
	uint8_t *in;		/* data-in buffer (NULL unless the host reads) */
	size_t in_len;
	const uint8_t *out;	/* data-out buffer (NULL unless the host writes) */
	size_t out_len;
	size_t transferred;
	bool logs_lba;
	uint32_t lba, blocks;
	uint8_t key, asc, ascq;
	bool progress_valid;	/* with a NOT READY 04/xx: SKSV and */
	uint16_t progress;	/* the fraction done, of 65536 */
};

/* CHECK CONDITION with that sense; returns MMC_CHECK_CONDITION. */
int emu_check(struct emu_cmd *c, uint8_t key, uint8_t asc, uint8_t ascq);

static inline int emu_invalid_field(struct emu_cmd *c)
{
	return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB, 0x00);
}

static inline int emu_invalid_param(struct emu_cmd *c)
{
	return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_PARAMETERS, 0x00);
}

/* Copies a reply of len bytes, cut to the allocation length and the host buffer. */
int emu_reply(struct emu_cmd *c, const uint8_t *buf, size_t len, size_t alloc);
/* The data-out parameter list of len bytes, or NULL when the host sent less. */
const uint8_t *emu_param_list(const struct emu_cmd *c, size_t len);

/* Fixed-format sense data, 18 bytes. */
void emu_build_sense(uint8_t out[18], uint8_t key, uint8_t asc, uint8_t ascq, bool progress_valid, uint16_t progress);
/* NOT READY 04/xx with progress while a long operation runs, else 0. */
int emu_busy_check(struct emu *e, struct emu_cmd *c);
/* A host polls while a long operation runs.  On the virtual clock nothing
 * else would move time on, so each poll moves it an eighth of the operation
 * on: the host sees the progress grow and the end within eight polls. */
void emu_polled_while_busy(struct emu *e);

bool emu_has_medium(const struct emu *e);
/* The tray as START STOP UNIT moves it; opening fails with -EBUSY while prevented. */
int emu_tray_open(struct emu *e);
void emu_tray_close(struct emu *e);
/* Sleeps on the emulated clock with the lock released, so other threads'
 * commands are served meanwhile. */
void emu_wait_locked(struct emu *e, uint64_t deadline_ns);
/* A long operation: NOT READY 04/ascq with progress until it ends.  Without
 * immed the command itself waits for the end. */
void emu_long_op(struct emu *e, uint8_t ascq, uint64_t duration_ns, bool immed);
/* Emulated seconds to ns. */
static inline uint64_t emu_seconds(double s) { return (uint64_t)(s * 1e9); }

const struct emu_speed *emu_current_speed(const struct emu *e);	/* NULL for read-only media */
/* When a READ of blocks from lba has its data, at the medium's read speed. */
uint64_t emu_read_deadline(struct emu *e, uint32_t lba, uint32_t blocks);
struct emu_rate emu_drain_rate(const struct emu *e);
/* Waits until the buffer holds at most target sectors. */
void emu_wait_for_fill(struct emu *e, double target);
/* Waits until everything written has reached the medium. */
void emu_drain(struct emu *e);
/* Writes the sidecar when the layout changed. */
void emu_layout_changed(struct emu *e);
void emu_save_if_dirty(struct emu *e);

/* ---- CD session-at-once (emu_cmd_sao.c) ---- */
/* Page 05h asks for session-at-once on a CD. */
bool emu_sao_mode(const struct emu *e);
int emu_sao_write(struct emu *e, struct emu_cmd *c, int32_t lba, uint32_t blocks);
bool emu_sao_session_written(const struct emu *e);

/* ---- fault injection (emu_fault.c) ---- */
/* The armed fault when command c triggers it (its status: CHECK CONDITION
 * or a negative errno), else MMC_GOOD.  Called with the lock held, after
 * the checks every command gets (unit attention, busy, medium). */
int emu_fault_fire(struct emu *e, struct emu_cmd *c);
/* What emu_fault_fire returns for a WRITE that stalls: emu_exec logs it,
 * then waits in emu_fault_stall, which returns -ETIMEDOUT once the fault
 * is disarmed. */
#define EMU_STALLED (-EINPROGRESS)
int emu_fault_stall(struct emu *e);
/* A READ of blocks from lba touches a damaged sector. */
bool emu_fault_unreadable(const struct emu *e, uint32_t lba, uint32_t blocks);

/* How often an open track's layout is saved (2 MiB), so a crash mid-burn
 * leaves it on the disc (emu_cmd_write.c, emu.c). */
#define SAVE_EVERY_SECTORS 1024

/* ---- image file (emu_image.c) ---- */
int emu_image_open(const char *path);		/* fd, or -errno; NULL path: a temporary, already unlinked */
uint32_t emu_image_iso_sectors(int fd);		/* the ISO 9660 volume size, or 0 */
int emu_image_read(int fd, uint32_t lba, uint32_t blocks, uint8_t *buf);
int emu_image_write(int fd, uint32_t lba, uint32_t blocks, const uint8_t *buf);
int emu_image_erase(int fd);
uint32_t emu_image_sectors(int fd);		/* whole sectors the file holds */

/* ---- sidecar (emu_state.c) ---- */
/* 0 and *d filled when path holds a valid state for medium m; -errno otherwise. */
int emu_state_load(const char *path, const struct emu_medium *m, struct emu_disc *d);
int emu_state_save(const char *path, const struct emu_disc *d);

/* ---- mode pages (emu_mode.c) ---- */
void emu_mode_reset(struct emu *e);
bool emu_mode_bufe(const struct emu *e);
uint8_t emu_mode_multisession(const struct emu *e);
uint8_t emu_mode_write_type(const struct emu *e);
/* Test Write (page 05h byte 2 bit 4): a dry run, nothing is recorded. */
bool emu_mode_test_write(const struct emu *e);
/* Page 05h applies to this medium (CD, DVD-R/-RW sequential). */
bool emu_mode_page05_applies(const struct emu *e);

/* ---- command handlers ---- */
int emu_cmd_test_unit_ready(struct emu *e, struct emu_cmd *c);
int emu_cmd_rezero_unit(struct emu *e, struct emu_cmd *c);
int emu_cmd_read_buffer(struct emu *e, struct emu_cmd *c);
int emu_cmd_read_disc_structure(struct emu *e, struct emu_cmd *c);
int emu_cmd_send_cue_sheet(struct emu *e, struct emu_cmd *c);
int emu_cmd_request_sense(struct emu *e, struct emu_cmd *c);
int emu_cmd_inquiry(struct emu *e, struct emu_cmd *c);
int emu_cmd_start_stop(struct emu *e, struct emu_cmd *c);
int emu_cmd_prevent_allow(struct emu *e, struct emu_cmd *c);
int emu_cmd_get_event_status(struct emu *e, struct emu_cmd *c);
int emu_cmd_get_configuration(struct emu *e, struct emu_cmd *c);
int emu_cmd_mode_sense(struct emu *e, struct emu_cmd *c);
int emu_cmd_mode_select(struct emu *e, struct emu_cmd *c);
int emu_cmd_read_disc_info(struct emu *e, struct emu_cmd *c);
int emu_cmd_read_track_info(struct emu *e, struct emu_cmd *c);
int emu_cmd_read_capacity(struct emu *e, struct emu_cmd *c);
int emu_cmd_read_format_capacities(struct emu *e, struct emu_cmd *c);
int emu_cmd_read_toc(struct emu *e, struct emu_cmd *c);
int emu_cmd_read10(struct emu *e, struct emu_cmd *c);
int emu_cmd_write(struct emu *e, struct emu_cmd *c);
int emu_cmd_sync_cache(struct emu *e, struct emu_cmd *c);
int emu_cmd_close_track_session(struct emu *e, struct emu_cmd *c);
int emu_cmd_reserve_track(struct emu *e, struct emu_cmd *c);
int emu_cmd_send_opc(struct emu *e, struct emu_cmd *c);
int emu_cmd_read_buffer_capacity(struct emu *e, struct emu_cmd *c);
int emu_cmd_format_unit(struct emu *e, struct emu_cmd *c);
int emu_cmd_blank(struct emu *e, struct emu_cmd *c);
int emu_cmd_get_performance(struct emu *e, struct emu_cmd *c);
int emu_cmd_set_streaming(struct emu *e, struct emu_cmd *c);
int emu_cmd_set_cd_speed(struct emu *e, struct emu_cmd *c);

#endif
