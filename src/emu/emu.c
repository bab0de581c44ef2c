/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The emulated recorder: creation, the command dispatcher, sense data and
 * unit attention, the emulated clock, long operations, the tray and the log.
 * One mutex serialises commands; it is released while a command sleeps on
 * the emulated clock so other threads keep being served.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu_internal.h"

#define RECORDED_WITHOUT_ISO 512	/* "appendable"/"closed" without an ISO in the image: 1 MiB */

enum command_flags {
	NEEDS_MEDIUM = 1,
	BEFORE_UNIT_ATTENTION = 2,	/* answered without reporting a pending unit attention */
	WHILE_BUSY = 4,			/* answered while a long operation runs */
};

struct command {
	uint8_t opcode;
	int (*handler)(struct emu *e, struct emu_cmd *c);
	unsigned flags;
};

static const struct command commands[] = {
	{ MMC_TEST_UNIT_READY, emu_cmd_test_unit_ready, NEEDS_MEDIUM },
	{ MMC_REZERO_UNIT, emu_cmd_rezero_unit, NEEDS_MEDIUM },
	{ MMC_REQUEST_SENSE, emu_cmd_request_sense, BEFORE_UNIT_ATTENTION | WHILE_BUSY },
	{ MMC_FORMAT_UNIT, emu_cmd_format_unit, NEEDS_MEDIUM },
	{ MMC_INQUIRY, emu_cmd_inquiry, BEFORE_UNIT_ATTENTION | WHILE_BUSY },
	{ MMC_START_STOP_UNIT, emu_cmd_start_stop, 0 },
	{ MMC_PREVENT_ALLOW, emu_cmd_prevent_allow, WHILE_BUSY },
	{ MMC_READ_FORMAT_CAPACITIES, emu_cmd_read_format_capacities, 0 },
	{ MMC_READ_CAPACITY, emu_cmd_read_capacity, NEEDS_MEDIUM },
	{ MMC_READ10, emu_cmd_read10, NEEDS_MEDIUM },
	{ MMC_WRITE10, emu_cmd_write, NEEDS_MEDIUM },
	{ MMC_SYNC_CACHE, emu_cmd_sync_cache, NEEDS_MEDIUM },
	{ MMC_READ_BUFFER, emu_cmd_read_buffer, 0 },
	{ MMC_READ_TOC, emu_cmd_read_toc, NEEDS_MEDIUM },
	{ MMC_GET_CONFIGURATION, emu_cmd_get_configuration, WHILE_BUSY },
	{ MMC_GET_EVENT_STATUS, emu_cmd_get_event_status, BEFORE_UNIT_ATTENTION | WHILE_BUSY },
	{ MMC_READ_DISC_INFO, emu_cmd_read_disc_info, NEEDS_MEDIUM },
	{ MMC_READ_TRACK_INFO, emu_cmd_read_track_info, NEEDS_MEDIUM },
	{ MMC_RESERVE_TRACK, emu_cmd_reserve_track, NEEDS_MEDIUM },
	{ MMC_SEND_OPC, emu_cmd_send_opc, NEEDS_MEDIUM },
	{ MMC_MODE_SELECT10, emu_cmd_mode_select, 0 },
	{ MMC_CLOSE_TRACK_SESSION, emu_cmd_close_track_session, NEEDS_MEDIUM },
	{ MMC_READ_BUFFER_CAPACITY, emu_cmd_read_buffer_capacity, WHILE_BUSY },
	{ MMC_MODE_SENSE10, emu_cmd_mode_sense, 0 },
	{ MMC_SEND_CUE_SHEET, emu_cmd_send_cue_sheet, NEEDS_MEDIUM },
	{ MMC_BLANK, emu_cmd_blank, NEEDS_MEDIUM },
	{ MMC_GET_PERFORMANCE, emu_cmd_get_performance, 0 },
	{ MMC_WRITE12, emu_cmd_write, NEEDS_MEDIUM },
	{ MMC_READ_DISC_STRUCTURE, emu_cmd_read_disc_structure, NEEDS_MEDIUM },
	{ MMC_SET_STREAMING, emu_cmd_set_streaming, NEEDS_MEDIUM },
	{ MMC_SET_CD_SPEED, emu_cmd_set_cd_speed, NEEDS_MEDIUM },
};

static const struct command *find_command(uint8_t opcode)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].opcode == opcode)
			return &commands[i];
	return NULL;
}

static uint64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t emu_now_ns(struct emu *emu)
{
	double ns;

	if (emu->virtual_clock)
		return atomic_load(&emu->virtual_now_ns);
	ns = (double)(real_ns() - emu->origin_real_ns) * emu->timescale;
	return ns >= (double)UINT64_MAX ? UINT64_MAX : (uint64_t)ns;
}

void emu_sleep_until_ns(struct emu *emu, uint64_t deadline_ns)
{
	uint64_t now;

	if (emu->virtual_clock) {
		now = atomic_load(&emu->virtual_now_ns);
		while (now < deadline_ns && !atomic_compare_exchange_weak(&emu->virtual_now_ns, &now, deadline_ns))
			;
		return;
	}
	/* An absolute wake-up on the real clock: a sleep that starts late
	 * (the thread was preempted on its way here) ends on time all the same. */
	while ((now = emu_now_ns(emu)) < deadline_ns) {
		double real = (double)emu->origin_real_ns + ceil((double)deadline_ns / emu->timescale);
		struct timespec ts;

		ts.tv_sec = (time_t)(real / 1e9);
		ts.tv_nsec = (long)fmod(real, 1e9);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
}

void emu_wait_locked(struct emu *e, uint64_t deadline_ns)
{
	pthread_mutex_unlock(&e->lock);
	emu_sleep_until_ns(e, deadline_ns);
	pthread_mutex_lock(&e->lock);
}

/* ---- sense ---- */

int emu_check(struct emu_cmd *c, uint8_t key, uint8_t asc, uint8_t ascq)
{
	c->key = key;
	c->asc = asc;
	c->ascq = ascq;
	c->progress_valid = false;
	return MMC_CHECK_CONDITION;
}

void emu_build_sense(uint8_t out[18], uint8_t key, uint8_t asc, uint8_t ascq, bool progress_valid, uint16_t progress)
{
	memset(out, 0, 18);
	out[0] = 0x70;
	out[2] = key;
	out[7] = 10;	/* additional length: libcdio keeps the sense only when non-zero */
	out[12] = asc;
	out[13] = ascq;
	if (progress_valid) {
		out[15] = 0x80;	/* SKSV */
		mmc_put16(out + 16, progress);
	}
}

int emu_reply(struct emu_cmd *c, const uint8_t *buf, size_t len, size_t alloc)
{
	size_t n = len < alloc ? len : alloc;

	if (n > c->in_len)
		n = c->in_len;
	if (n)
		memcpy(c->in, buf, n);
	c->transferred = n;
	return MMC_GOOD;
}

const uint8_t *emu_param_list(const struct emu_cmd *c, size_t len)
{
	return c->out && c->out_len >= len ? c->out : NULL;
}

/* ---- long operations ---- */

int emu_busy_check(struct emu *e, struct emu_cmd *c)
{
	uint64_t now, span;

	if (!e->busy.active)
		return MMC_GOOD;
	now = emu_now_ns(e);
	if (now >= e->busy.end_ns) {
		e->busy.active = false;
		return MMC_GOOD;
	}
	emu_check(c, SK_NOT_READY, ASC_NOT_READY, e->busy.ascq);
	span = e->busy.end_ns - e->busy.start_ns;
	c->progress_valid = true;
	c->progress = (uint16_t)((double)(now - e->busy.start_ns) / (double)span * 65535.0);
	emu_polled_while_busy(e);
	return MMC_CHECK_CONDITION;
}

#define POLLS_PER_LONG_OP 8

void emu_polled_while_busy(struct emu *e)
{
	uint64_t now = emu_now_ns(e), next;

	if (!e->virtual_clock || !e->busy.active || now >= e->busy.end_ns)
		return;
	next = now + (e->busy.end_ns - e->busy.start_ns) / POLLS_PER_LONG_OP + 1;
	emu_sleep_until_ns(e, next < e->busy.end_ns ? next : e->busy.end_ns);
}

void emu_long_op(struct emu *e, uint8_t ascq, uint64_t duration_ns, bool immed)
{
	uint64_t start = emu_now_ns(e);

	if (duration_ns == 0)
		return;
	e->busy = (struct emu_busy){ .active = true, .ascq = ascq, .start_ns = start, .end_ns = start + duration_ns };
	if (immed)
		return;
	emu_wait_locked(e, start + duration_ns);
	if (e->busy.active && e->busy.start_ns == start)
		e->busy.active = false;
}

/* ---- speed and buffer ---- */

const struct emu_speed *emu_current_speed(const struct emu *e)
{
	const struct emu_medium *m = e->disc.medium;

	if (!m || m->nspeeds == 0)
		return NULL;
	return &m->speeds[e->speed_index < m->nspeeds ? e->speed_index : 0];
}

struct emu_rate emu_drain_rate(const struct emu *e)
{
	const struct emu_speed *s = emu_current_speed(e);
	struct emu_rate r = { 0, 0 };
	double sps;

	if (!s)
		return r;
	sps = kbps_to_sps(emu_disc_family(&e->disc), s->write_kbps);
	if (!s->cav || e->disc.capacity < 2) {
		r.a = sps;
		return r;
	}
	r.a = 0.4 * sps;
	r.b = 0.6 * sps / (e->disc.capacity - 1);
	return r;
}

void emu_wait_for_fill(struct emu *e, double target)
{
	for (;;) {
		struct emu_rate r = emu_drain_rate(e);

		emu_buffer_advance(&e->buffer, &r, emu_now_ns(e));
		if (e->buffer.fill <= target + 1e-6)
			return;
		if (r.a <= 0) {
			e->buffer.fill = 0;	/* the medium changed to one that cannot be written */
			return;
		}
		emu_wait_locked(e, emu_buffer_time_at_fill(&e->buffer, &r, target));
	}
}

void emu_drain(struct emu *e)
{
	emu_wait_for_fill(e, 0);
	e->buffer.fill = 0;
	e->buffer.streaming = false;
	e->buffer.ran_dry = false;
}

static uint32_t buffer_sectors(const struct emu *e)
{
	uint32_t kib = e->buffer_kib;

	if (!kib)
		kib = emu_disc_family(&e->disc) == MEDIA_FAMILY_BD ? 4096 : 2048;
	return kib / 2 ? kib / 2 : 1;
}

/* ---- layout persistence ---- */

void emu_save_if_dirty(struct emu *e)
{
	if (!e->dirty)
		return;
	e->dirty = false;
	emu_state_save(e->state_path, &e->disc);
}

void emu_layout_changed(struct emu *e)
{
	e->dirty = true;
	emu_save_if_dirty(e);
}

/* ---- media and tray ---- */

bool emu_has_medium(const struct emu *e)
{
	return e->disc.medium && !e->tray_open;
}

/* The sidecar is saved every SAVE_EVERY_SECTORS of an open track; what a
 * crash wrote after the last save is on the disc all the same (the image
 * holds it), so the damaged track reaches to the image's end. */
static void recover_open_track(struct emu *e)
{
	struct emu_disc *d = &e->disc;
	struct emu_track *t = d->ntracks ? &d->tracks[d->ntracks - 1] : NULL;
	uint32_t end = emu_image_sectors(e->fd);

	if (!t || t->closed || !t->damaged || end <= t->start + t->size)
		return;
	if (end - (t->start + t->size) > SAVE_EVERY_SECTORS || end > d->capacity)
		return;
	t->size = end - t->start;
	emu_layout_changed(e);
}

/* A .state beside the image that describes another medium, or no layout
 * this medium could have, would silently give a blank disc over data.  A
 * state asked for makes a new disc, and its own .state. */
static int check_image_state(struct emu *e, const struct emu_config *cfg, const struct emu_medium *m)
{
	struct emu_disc loaded;
	char recorded[32];
	int rc;

	/* Pressed discs have no layout to keep: they read what the image holds. */
	if (!e->state_path || m->profile == 0 || m->nspeeds == 0 || cfg->state != EMU_STATE_DEFAULT)
		return 0;
	rc = emu_state_medium(cfg->image, recorded, sizeof(recorded));
	if (rc == -ENOENT)
		return 0;
	if (rc == 0 && strcmp(recorded, m->name) != 0)
		return -EMEDIUMTYPE;
	if (rc || emu_state_load(e->state_path, m, &loaded) < 0)
		return -EBADMSG;
	return 0;
}

/* new_disc: a disc put in by hand (emu_load_media), never the one the
 * image's .state describes. */
static void insert_medium(struct emu *e, const struct emu_medium *m, enum emu_disc_state state, bool new_disc)
{
	struct emu_disc loaded;
	uint32_t recorded;

	emu_save_if_dirty(e);
	if (!new_disc && state == EMU_STATE_DEFAULT && emu_state_load(e->state_path, m, &loaded) == 0) {
		e->disc = loaded;
		recover_open_track(e);
	} else {
		recorded = emu_image_iso_sectors(e->fd);
		emu_disc_init(&e->disc, m, state, recorded ? recorded : RECORDED_WITHOUT_ISO);
		if (new_disc || state != EMU_STATE_DEFAULT)
			emu_layout_changed(e);
	}
	e->tray_open = false;
	e->busy.active = false;
	e->reserved_end = 0;
	e->sao.armed = false;
	e->test_write_next = -1;
	e->speed_index = 0;
	emu_mode_reset(e);
	emu_buffer_reset(&e->buffer, buffer_sectors(e), emu_now_ns(e));
}

int emu_tray_open(struct emu *e)
{
	if (e->prevent)
		return -EBUSY;
	emu_save_if_dirty(e);
	if (emu_has_medium(e))
		e->media_event = 3;
	e->tray_open = true;
	e->busy.active = false;
	emu_buffer_reset(&e->buffer, buffer_sectors(e), emu_now_ns(e));
	return 0;
}

void emu_tray_close(struct emu *e)
{
	if (!e->tray_open)
		return;
	e->tray_open = false;
	if (e->disc.medium) {
		e->media_event = 2;
		e->unit_attention = true;
	}
}

int emu_load_media(struct emu *emu, const char *media, enum emu_disc_state state)
{
	const struct emu_medium *m = emu_medium_by_name(media);
	bool had_medium;

	if (!m || emu_state_refusal(m, state))
		return -EINVAL;
	pthread_mutex_lock(&emu->lock);
	had_medium = emu_has_medium(emu);
	/* Another disc: nothing the one before held shows on it, unless a
	 * state was asked for (appendable holds the image's ISO). */
	if (state == EMU_STATE_DEFAULT && m->profile)
		emu_image_erase(emu->fd);
	insert_medium(emu, m, state, true);
	if (emu->disc.medium) {
		emu->media_event = 2;
		emu->unit_attention = true;
	} else if (had_medium) {
		emu->media_event = 3;
	}
	pthread_mutex_unlock(&emu->lock);
	return 0;
}

int emu_eject(struct emu *emu)
{
	int err;

	pthread_mutex_lock(&emu->lock);
	err = emu_tray_open(emu);
	pthread_mutex_unlock(&emu->lock);
	return err;
}

const char *emu_media_name(struct emu *emu)
{
	const char *name;

	pthread_mutex_lock(&emu->lock);
	name = emu_has_medium(emu) ? emu->disc.medium->name : "none";
	pthread_mutex_unlock(&emu->lock);
	return name;
}

void emu_get_stats(struct emu *emu, struct emu_stats *out)
{
	pthread_mutex_lock(&emu->lock);
	*out = emu->stats;
	out->removal_prevented = emu->prevent;
	pthread_mutex_unlock(&emu->lock);
}

/* ---- execution ---- */

static int dispatch(struct emu *e, struct emu_cmd *c, const struct command *cmd)
{
	int status;

	if (e->vanished)
		return -ENODEV;	/* nothing answers, not even INQUIRY */
	if (!cmd)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0x00);
	if (c->cdb_len < mmc_cdb_length(cmd->opcode))
		return emu_invalid_field(c);
	if (e->unit_attention && !(cmd->flags & BEFORE_UNIT_ATTENTION)) {
		e->unit_attention = false;
		return emu_check(c, SK_UNIT_ATTENTION, ASC_MEDIUM_CHANGED, 0x00);
	}
	if (!(cmd->flags & WHILE_BUSY)) {
		status = emu_busy_check(e, c);
		if (status != MMC_GOOD)
			return status;
	}
	if ((cmd->flags & NEEDS_MEDIUM) && !emu_has_medium(e))
		return emu_check(c, SK_NOT_READY, ASC_MEDIUM_NOT_PRESENT, e->tray_open ? 0x02 : 0x01);
	status = emu_fault_fire(e, c);
	if (status != MMC_GOOD)
		return status;
	return cmd->handler(e, c);
}

static void log_command(struct emu *e, const struct emu_cmd *c, const struct command *cmd, int status)
{
	char lba[16] = "-", blocks[16] = "-", sense[16] = "-";

	if (!e->log)
		return;
	if (c->logs_lba) {
		/* Signed: a session-at-once starts in the pre-gap, at -150. */
		snprintf(lba, sizeof(lba), "%" PRId32, (int32_t)c->lba);
		snprintf(blocks, sizeof(blocks), "%" PRIu32, c->blocks);
	}
	if (status == MMC_CHECK_CONDITION)
		snprintf(sense, sizeof(sense), "%X/%02X/%02X", c->key, c->asc, c->ascq);
	else if (status < 0)
		snprintf(sense, sizeof(sense), "%s",
			 status == EMU_STALLED ? "STALLED" : status == -ETIMEDOUT ? "ETIMEDOUT" : "ENODEV");
	fprintf(e->log, "%" PRIu64 " %02X %s %s %s %s\n", emu_now_ns(e), c->cdb_len ? c->cdb[0] : 0,
		cmd ? mmc_opcode_word(cmd->opcode) : "UNKNOWN", lba, blocks, sense);
	fflush(e->log);
}

int emu_exec(struct emu *emu, const uint8_t *cdb, size_t cdb_len, enum mmc_dir dir, void *data, size_t data_len,
	     size_t *transferred, uint8_t sense[18])
{
	struct emu_cmd c = { .cdb = cdb, .cdb_len = cdb ? cdb_len : 0 };
	const struct command *cmd = c.cdb_len ? find_command(cdb[0]) : NULL;
	int status;

	if (data && dir == MMC_DIR_READ) {
		c.in = data;
		c.in_len = data_len;
	} else if (data && dir == MMC_DIR_WRITE) {
		c.out = data;
		c.out_len = data_len;
	}
	pthread_mutex_lock(&emu->lock);
	emu->stats.commands++;
	status = dispatch(emu, &c, cmd);
	if (status == EMU_STALLED) {
		/* Logged as it hangs: a test waits for this line. */
		log_command(emu, &c, cmd, status);
		status = emu_fault_stall(emu);
	}
	if (status != MMC_CHECK_CONDITION)
		emu_check(&c, SK_NO_SENSE, 0, 0);
	if (!cmd || cmd->opcode != MMC_REQUEST_SENSE) {
		emu->sense_key = c.key;
		emu->sense_asc = c.asc;
		emu->sense_ascq = c.ascq;
	}
	log_command(emu, &c, cmd, status);
	pthread_mutex_unlock(&emu->lock);
	if (sense)
		emu_build_sense(sense, c.key, c.asc, c.ascq, c.progress_valid, c.progress);
	if (transferred)
		*transferred = status == MMC_GOOD ? c.transferred : 0;
	return status;
}

/* ---- lifetime ---- */

struct emu *emu_create(const struct emu_config *cfg)
{
	const struct emu_medium *m = cfg ? emu_medium_by_name(cfg->media) : NULL;
	struct emu *e;
	int fd, err;

	if (!m || emu_state_refusal(m, cfg->state) || !(cfg->timescale > 0) || !isfinite(cfg->timescale)) {
		errno = EINVAL;
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->timescale = cfg->timescale;
	e->virtual_clock = cfg->virtual_clock;
	e->buffer_kib = cfg->buffer_kib;
	e->origin_real_ns = real_ns();
	fd = emu_image_open(cfg->image);
	if (fd < 0) {
		free(e);
		errno = -fd;
		return NULL;
	}
	e->fd = fd;
	if (cfg->image && asprintf(&e->state_path, "%s.state", cfg->image) < 0) {
		e->state_path = NULL;
		goto fail;
	}
	if (cfg->log_path) {
		e->log = fopen(cfg->log_path, "ae");
		if (!e->log)
			goto fail;
	}
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->stall_released, NULL);
	err = check_image_state(e, cfg, m);
	if (err) {
		emu_destroy(e);
		errno = -err;
		return NULL;
	}
	insert_medium(e, m, cfg->state, false);
	if (cfg->fault == EMU_FAULT_UNREADABLE)
		err = emu_damage_sectors(e, cfg->fault_after, cfg->fault_last_lba);
	else if (cfg->fault == EMU_FAULT_STALL)
		err = emu_stall_writes(e, cfg->fault_after, cfg->fault_last_lba);
	else if (cfg->fault != EMU_FAULT_NONE)
		err = emu_inject_fault(e, cfg->fault, cfg->fault_after);
	if (err < 0) {
		emu_destroy(e);
		errno = EINVAL;
		return NULL;
	}
	return e;
fail:
	err = errno;
	close(e->fd);
	free(e->state_path);
	free(e);
	errno = err;
	return NULL;
}

void emu_destroy(struct emu *emu)
{
	if (!emu)
		return;
	pthread_mutex_lock(&emu->lock);
	/* An orderly stop: the drive finishes what its buffer holds. */
	if (emu->disc.writing) {
		emu->disc.writing = false;
		emu->dirty = true;
	}
	emu_save_if_dirty(emu);
	pthread_mutex_unlock(&emu->lock);
	close(emu->fd);
	if (emu->log)
		fclose(emu->log);
	free(emu->state_path);
	pthread_cond_destroy(&emu->stall_released);
	pthread_mutex_destroy(&emu->lock);
	free(emu);
}
