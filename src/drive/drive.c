/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The drive model: the one channel to a recorder, its error reporting and
 * the cached media snapshot.  See drive.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/log.h"
#include "drive_internal.h"
#include "discfs/read.h"

/* Another popular OS waits 7 s for an ordinary command; long operations
 * are sent with Immed and polled, so they never need more. */
#define COMMAND_TIMEOUT_MS 7000
#define IDENTITY_ALLOC 96
#define CONFIG_ALLOC 4096

static void set_last_error(struct drive *d, const char *text)
{
	pthread_mutex_lock(&d->lock);
	snprintf(d->last_error, sizeof(d->last_error), "%s", text);
	pthread_mutex_unlock(&d->lock);
	drive_changed(d);
}

static void new_disc(struct drive *d)
{
	pthread_mutex_lock(&d->lock);
	d->disc_epoch++;
	pthread_mutex_unlock(&d->lock);
	drive_changed(d);
}

uint64_t drive_disc_epoch(struct drive *d)
{
	struct media_info m;
	uint64_t epoch;

	/* A change already signalled (stale) is looked at first. */
	drive_media(d, &m);
	pthread_mutex_lock(&d->lock);
	epoch = d->disc_epoch;
	pthread_mutex_unlock(&d->lock);
	return epoch;
}

static bool no_disc(const struct media_info *m)
{
	return m->error == -ENOMEDIUM || m->tray_open;
}

/* The disc in the snapshot is not the one before it: the tray emptied or
 * opened, another kind of medium came, or a written disc is blank again.
 * A snapshot that could not be read (becoming ready) tells nothing. */
static bool other_disc(const struct media_info *was, const struct media_info *now)
{
	if (!was->profile)
		return false;
	if (no_disc(now) || no_disc(was))
		return no_disc(now) && !no_disc(was);
	if (now->error || was->error)
		return false;
	return now->profile != was->profile || ((now->status & MEDIA_BLANK) && !(was->status & MEDIA_BLANK));
}

static enum discfs_condition condition_for_transport(int status)
{
	switch (status) {
	case -ETIMEDOUT:
		return COND_TIMEOUT;
	case -EPERM:
	case -EACCES:
		return COND_NOT_PERMITTED;
	case -ENODEV:
	case -ENXIO:
		return COND_DEVICE_GONE;
	default:
		return COND_INVALID_RESPONSE;
	}
}

/* Sends one command.  A failure the drive explains with a sense key is
 * recorded in last_error unless the caller takes it as an answer
 * (answer_expected); a failure without one (no reply, unreadable sense, a
 * CHECK CONDITION with key NO SENSE) is always recorded. */
static int send_command(struct drive *d, const struct mmc_cmd *cmd, void *data, unsigned timeout_ms,
			struct mmc_sense *sense, bool answer_expected)
{
	const struct discfs_error *e;
	struct mmc_reply reply;
	struct mmc_sense decoded;
	char line[sizeof(d->last_error)];

	if (sense)
		memset(sense, 0, sizeof(*sense));
	pthread_mutex_lock(&d->io_lock);
	transport_exec(d->transport, cmd, data, timeout_ms ? timeout_ms : COMMAND_TIMEOUT_MS, &reply);
	/* -d: every command and its sense data, in the order the drive saw them. */
	log_mmc(d->index, cmd, data, &reply);
	pthread_mutex_unlock(&d->io_lock);
	if (reply.status == 0)
		return 0;
	if (reply.status != -EIO || reply.sense_len == 0) {
		e = error_for_condition(condition_for_transport(reply.status));
		error_format(line, sizeof(line), e, NULL, mmc_opcode_name(cmd->cdb[0]), NULL);
		set_last_error(d, line);
		return -e->err;
	}
	if (mmc_parse_sense(reply.sense, reply.sense_len, &decoded) < 0) {
		e = error_for_condition(COND_INVALID_RESPONSE);
		error_format(line, sizeof(line), e, NULL, mmc_opcode_name(cmd->cdb[0]), "unreadable sense data");
		set_last_error(d, line);
		return -e->err;
	}
	if (sense)
		*sense = decoded;
	if (decoded.key == SK_UNIT_ATTENTION)
		drive_mark_stale(d);
	/* 6/28/00: the medium may have changed; whether it did, the next
	 * probe cannot always tell (a disc swapped for one alike). */
	if (decoded.key == SK_UNIT_ATTENTION && decoded.asc == ASC_MEDIUM_CHANGED)
		new_disc(d);
	e = error_for_sense(&decoded);
	if (!answer_expected || decoded.key == SK_NO_SENSE) {
		error_format(line, sizeof(line), e, &decoded, mmc_opcode_name(cmd->cdb[0]), NULL);
		set_last_error(d, line);
	}
	return -e->err;
}

int drive_command(struct drive *d, const struct mmc_cmd *cmd, void *data, unsigned timeout_ms,
		  struct mmc_sense *sense)
{
	return send_command(d, cmd, data, timeout_ms, sense, false);
}

int drive_probe(struct drive *d, const struct mmc_cmd *cmd, void *data, struct mmc_sense *sense)
{
	return send_command(d, cmd, data, 0, sense, true);
}

int drive_probe_failed(struct drive *d, const struct mmc_sense *sense, const char *op, const char *detail, int rc)
{
	if (rc && sense->key != SK_NO_SENSE)
		drive_fail_sense(d, sense, op, detail);
	return rc;
}

int drive_fail(struct drive *d, enum discfs_condition cond, const char *detail)
{
	const struct discfs_error *e = error_for_condition(cond);
	char line[sizeof(d->last_error)];

	error_format(line, sizeof(line), e, NULL, NULL, detail);
	set_last_error(d, line);
	return -e->err;
}

void drive_clear_error(struct drive *d)
{
	set_last_error(d, "");
}

int drive_nothing_to_show(enum discfs_condition cond)
{
	return -error_for_condition(cond)->err;
}

int drive_fail_sense(struct drive *d, const struct mmc_sense *sense, const char *op, const char *detail)
{
	const struct discfs_error *e = error_for_sense(sense);
	char line[sizeof(d->last_error)];

	error_format(line, sizeof(line), e, sense, op, detail);
	set_last_error(d, line);
	return -e->err;
}

void drive_last_error(struct drive *d, char *out, size_t size)
{
	pthread_mutex_lock(&d->lock);
	snprintf(out, size, "%s", d->last_error[0] ? d->last_error : "none");
	pthread_mutex_unlock(&d->lock);
}

void drive_mark_stale(struct drive *d)
{
	pthread_mutex_lock(&d->lock);
	d->media_stale = true;
	pthread_mutex_unlock(&d->lock);
	drive_changed(d);
}

/* Called and returns with d->lock held; probes without it, so readers
 * arriving meanwhile wait on `refreshed` and then see the new snapshot,
 * never the old one mixed with the new. */
static void refresh_locked(struct drive *d)
{
	struct media_info fresh;

	d->refreshing = true;
	d->media_stale = false;
	pthread_mutex_unlock(&d->lock);
	drive_probe_media(d, &fresh);
	pthread_mutex_lock(&d->lock);
	fresh.generation = d->media.generation + 1;
	if (other_disc(&d->media, &fresh))
		d->disc_epoch++;
	d->media = fresh;
	/* A medium that is still spinning up is looked at again next time. */
	if (fresh.error == -EAGAIN)
		d->media_stale = true;
	d->refreshing = false;
	/* Before readers waiting for the probe see the new values. */
	drive_changed(d);
	pthread_cond_broadcast(&d->refreshed);
}

void drive_refresh_media(struct drive *d)
{
	pthread_mutex_lock(&d->lock);
	while (d->refreshing)
		pthread_cond_wait(&d->refreshed, &d->lock);
	refresh_locked(d);
	pthread_mutex_unlock(&d->lock);
}

int drive_media(struct drive *d, struct media_info *out)
{
	pthread_mutex_lock(&d->lock);
	while (d->refreshing)
		pthread_cond_wait(&d->refreshed, &d->lock);
	/* While a burn owns the drive the snapshot stays as it was; the
	 * engine refreshes it when the burn ends. */
	if (d->media_stale && !d->busy)
		refresh_locked(d);
	*out = d->media;
	pthread_mutex_unlock(&d->lock);
	return out->error;
}

int drive_claim(struct drive *d, const char *owner)
{
	int rc = 0;

	pthread_mutex_lock(&d->lock);
	/* A read sends its commands to completion first: none goes into a burn. */
	while (d->readers)
		pthread_cond_wait(&d->readers_done, &d->lock);
	if (d->busy) {
		rc = -EBUSY;
	} else {
		d->busy = true;
		snprintf(d->owner, sizeof(d->owner), "%s", owner);
	}
	pthread_mutex_unlock(&d->lock);
	if (rc == 0)
		drive_changed(d);
	return rc;
}

void drive_release(struct drive *d)
{
	pthread_mutex_lock(&d->lock);
	d->busy = false;
	d->owner[0] = '\0';
	pthread_mutex_unlock(&d->lock);
	drive_changed(d);
}

int drive_exclusive(struct drive *d, bool exclusive)
{
	struct transport *t = d->transport;

	if (!t->ops->set_exclusive)
		return 0;
	return t->ops->set_exclusive(t, exclusive) == 0 ? 0 : drive_fail(d, COND_DRIVE_LOCKED, NULL);
}

static int probe_identity(struct drive *d)
{
	uint8_t reply[CONFIG_ALLOC];
	struct mmc_inquiry inq;
	struct mmc_cmd cmd;
	int rc;

	mmc_build_inquiry(&cmd, IDENTITY_ALLOC);
	memset(reply, 0, sizeof(reply));
	rc = drive_command(d, &cmd, reply, 0, NULL);
	if (rc)
		return rc;
	if (mmc_parse_inquiry(reply, IDENTITY_ALLOC, &inq) < 0)
		return drive_fail(d, COND_INVALID_RESPONSE, "INQUIRY");
	memcpy(d->id.vendor, inq.vendor, sizeof(d->id.vendor));
	memcpy(d->id.product, inq.product, sizeof(d->id.product));
	memcpy(d->id.revision, inq.revision, sizeof(d->id.revision));

	mmc_build_get_configuration(&cmd, 0, 0, sizeof(reply));
	memset(reply, 0, sizeof(reply));
	/* A drive without GET CONFIGURATION (MMC-1) still burns CDs; its
	 * feature list simply stays empty. */
	if (drive_probe(d, &cmd, reply, NULL) == 0 &&
	    mmc_parse_configuration(reply, sizeof(reply), &d->id.config) < 0)
		memset(&d->id.config, 0, sizeof(d->id.config));
	return 0;
}

struct drive *drive_create(unsigned index, struct transport *t, struct emu *emu, unsigned poll_ms,
			   size_t fifo_bytes)
{
	struct drive *d = calloc(1, sizeof(*d));
	int rc;

	if (!d) {
		t->ops->destroy(t);
		errno = ENOMEM;
		return NULL;
	}
	d->index = index;
	d->transport = t;
	d->emu = emu;
	d->poll_ms = poll_ms;
	clock_gettime(CLOCK_REALTIME, &d->created);
	pthread_mutex_init(&d->io_lock, NULL);
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->poll_wake, NULL);
	pthread_cond_init(&d->refreshed, NULL);
	d->burn = malloc(sizeof(*d->burn));
	pthread_cond_init(&d->readers_done, NULL);
	rc = d->burn ? burn_init(d->burn, d, fifo_bytes) : -ENOMEM;
	if (rc) {
		free(d->burn);
		d->burn = NULL;
	} else {
		rc = probe_identity(d);
	}
	if (rc) {
		drive_destroy(d);
		errno = -rc;
		return NULL;
	}
	drive_refresh_media(d);
	return d;
}

void drive_destroy(struct drive *d)
{
	if (!d)
		return;
	if (d->burn) {
		burn_destroy(d->burn);
		free(d->burn);
	}
	drive_poller_stop(d);
	if (d->transport)
		d->transport->ops->destroy(d->transport);
	drive_read_cache_free(d);
	pthread_cond_destroy(&d->readers_done);
	pthread_cond_destroy(&d->poll_wake);
	pthread_cond_destroy(&d->refreshed);
	pthread_mutex_destroy(&d->lock);
	pthread_mutex_destroy(&d->io_lock);
	free(d);
}

unsigned drive_index(const struct drive *d)
{
	return d->index;
}

const struct drive_identity *drive_identity(const struct drive *d)
{
	return &d->id;
}

const char *drive_device(const struct drive *d)
{
	return d->transport->device;
}

struct burn *drive_burn(struct drive *d)
{
	return d->burn;
}

struct master *drive_master(const struct drive *d)
{
	return d->master;
}

void drive_set_master(struct drive *d, struct master *m)
{
	d->master = m;
}

uint64_t drive_now_ns(struct drive *d)
{
	return d->transport->ops->now_ns(d->transport);
}

void drive_sleep_until_ns(struct drive *d, uint64_t deadline_ns)
{
	d->transport->ops->sleep_until_ns(d->transport, deadline_ns);
}

void drive_speed_get(struct drive *d, bool ending, struct speed_request *out)
{
	pthread_mutex_lock(&d->lock);
	*out = ending ? d->ending : d->starting;
	pthread_mutex_unlock(&d->lock);
}

void drive_owner(struct drive *d, char *out, size_t size)
{
	pthread_mutex_lock(&d->lock);
	snprintf(out, size, "%s", d->owner);
	pthread_mutex_unlock(&d->lock);
}
