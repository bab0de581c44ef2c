/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Taking back what a refused write set: see settings.h. */
#include <stdbool.h>

#include "discfs/settings.h"
#include "drive_internal.h"

void drive_settings_get(struct drive *d, struct drive_settings *out)
{
	drive_speed_get(d, false, &out->starting);
	drive_speed_get(d, true, &out->ending);
	burn_settings_get(d->burn, &out->burn);
}

static bool same_speed(const struct speed_request *a, const struct speed_request *b)
{
	return a->kind == b->kind && a->value == b->value && a->spelled_minus_one == b->spelled_minus_one;
}

/* Each setting the refused open changed goes back; the others keep what
 * they are now. */
#define UNDO_SETTING(type, name)              \
	if (before->name != after->name) \
		now->name = before->name;

static void undo_burn(struct burn_settings *now, const struct burn_settings *before,
		      const struct burn_settings *after)
{
	BURN_SETTINGS(UNDO_SETTING)
}

#undef UNDO_SETTING

void drive_settings_undo(struct drive *d, const struct drive_settings *before, const struct drive_settings *after)
{
	pthread_mutex_lock(&d->lock);
	if (!same_speed(&before->starting, &after->starting))
		d->starting = before->starting;
	if (!same_speed(&before->ending, &after->ending))
		d->ending = before->ending;
	pthread_mutex_unlock(&d->lock);
	pthread_mutex_lock(&d->burn->lock);
	undo_burn(&d->burn->settings, &before->burn, &after->burn);
	pthread_mutex_unlock(&d->burn->lock);
}
