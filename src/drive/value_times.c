/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Modification times for values that change (status, the progress files, media,
 * free_sectors ...): a value's time is when discfs first rendered it as it
 * is now, so `ls -l` and `watch` show when it last changed.  Values are
 * rendered only when read or stat'ed, so the time is that of the first
 * look after the change; a value not looked at changes no time.
 */
#include "drive_internal.h"

bool drive_value_changed_at(struct drive *d, size_t slot, uint32_t crc, struct timespec *out)
{
	struct value_time *v;
	bool changed = false;

	if (slot >= DRIVE_MAX_VALUES) {
		*out = d->created;
		return false;
	}
	pthread_mutex_lock(&d->lock);
	v = &d->value_times[slot];
	if (!v->seen) {
		v->seen = true;
		v->crc = crc;
		v->changed = d->created;
	} else if (v->crc != crc) {
		v->crc = crc;
		clock_gettime(CLOCK_REALTIME, &v->changed);
		changed = true;
	}
	*out = v->changed;
	pthread_mutex_unlock(&d->lock);
	return changed;
}
