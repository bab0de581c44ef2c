/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The media-change poller: asks the drive every poll_ms whether the medium
 * changed (GET EVENT STATUS NOTIFICATION, as the kernel's disk-event poll
 * does), so attribute reads can trust the cache in between.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "drive_internal.h"

#define MEDIA_CLASS_MASK 0x10
#define EVENT_ALLOC 8

/* True when the drive reports a media event, or cannot tell us (then a
 * unit attention on TEST UNIT READY is the fallback signal). */
static bool media_changed(struct drive *d)
{
	uint8_t reply[EVENT_ALLOC] = { 0 };
	struct mmc_media_event ev;
	struct mmc_sense sense;
	struct mmc_cmd cmd;

	mmc_build_get_event_status(&cmd, MEDIA_CLASS_MASK, sizeof(reply));
	if (drive_probe(d, &cmd, reply, NULL) == 0 && mmc_parse_media_event(reply, sizeof(reply), &ev) == 0 &&
	    !ev.no_event_available)
		return ev.event != 0;
	mmc_build_test_unit_ready(&cmd);
	return drive_probe(d, &cmd, NULL, &sense) != 0 && sense.key == SK_UNIT_ATTENTION;
}

void drive_check_media(struct drive *d)
{
	bool busy, unsettled;

	pthread_mutex_lock(&d->lock);
	busy = d->busy;
	unsettled = d->media_stale;
	pthread_mutex_unlock(&d->lock);
	if (busy)
		return;
	if (media_changed(d))
		drive_mark_stale(d);
	/* A medium still spinning up is probed again at the next look:
	 * values shown meanwhile are not to be kept. */
	else if (unsettled)
		drive_changed(d);
}

static void *poll_loop(void *arg)
{
	struct drive *d = arg;
	struct timespec deadline;
	bool stopping;

	pthread_mutex_lock(&d->lock);
	while (!d->stopping) {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += d->poll_ms / 1000;
		deadline.tv_nsec += (long)(d->poll_ms % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&d->poll_wake, &d->lock, &deadline);
		stopping = d->stopping;
		pthread_mutex_unlock(&d->lock);
		if (!stopping)
			drive_check_media(d);
		pthread_mutex_lock(&d->lock);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

int drive_poller_start(struct drive *d)
{
	int rc;

	if (d->poll_ms == 0)
		return 0;
	rc = pthread_create(&d->poller, NULL, poll_loop, d);
	if (rc)
		return -rc;
	d->poller_running = true;
	return 0;
}

void drive_poller_stop(struct drive *d)
{
	if (!d->poller_running)
		return;
	pthread_mutex_lock(&d->lock);
	d->stopping = true;
	pthread_cond_signal(&d->poll_wake);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->poller, NULL);
	d->poller_running = false;
}
