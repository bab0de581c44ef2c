/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The settings a burn starts with (BURN_SETTINGS, burn.h): they change
 * between burns only, so a burn runs with what it started with.
 */
#include <errno.h>

#include "drive_internal.h"

void burn_settings_get(struct burn *b, struct burn_settings *out)
{
	pthread_mutex_lock(&b->lock);
	*out = b->settings;
	pthread_mutex_unlock(&b->lock);
}

int burn_settings_set(struct burn *b, void (*apply)(struct burn_settings *s, const void *value), const void *value)
{
	bool running;

	pthread_mutex_lock(&b->lock);
	running = burn_running_locked(b);
	if (!running)
		apply(&b->settings, value);
	pthread_mutex_unlock(&b->lock);
	return running ? drive_fail(b->drive, COND_BUSY, "settings cannot change during a burn") : 0;
}
