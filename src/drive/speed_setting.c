/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Setting write_speed/starting and ending (IWriteEngine2 Starting/Ending
 * SectorsPerSecond): a number must lie within what the loaded medium
 * supports (its GET PERFORMANCE type 03h descriptors), so `4` meant as 4x
 * is refused instead of burning at 4 sectors/s.
 */
#include <stdio.h>

#include "drive_internal.h"

/* Descriptor figures are rounded kB/s, and Nx is rounded sectors/s: a
 * request this close to the slowest or fastest is that speed. */
#define SPEED_SLACK 0.01

static int check_range(struct drive *d, const struct speed_request *req)
{
	struct media_info m;
	const struct speed_descriptor *slowest, *fastest;
	double sps;
	char detail[160];

	if (req->kind != SPEED_SECTORS && req->kind != SPEED_XFACTOR)
		return 0;
	/* Without a medium there is nothing to measure against; the burn
	 * then runs at what the medium it finds can do. */
	if (drive_media(d, &m) != 0 || m.nspeeds == 0)
		return 0;
	sps = speed_request_sps(req, m.profile->family);
	slowest = &m.speeds[0];
	fastest = &m.speeds[m.nspeeds - 1];
	if (sps >= slowest->sps * (1 - SPEED_SLACK) && sps <= fastest->sps * (1 + SPEED_SLACK))
		return 0;
	snprintf(detail, sizeof(detail),
		 "write_speed takes %u to %u sectors/s (%.1fx to %.1fx) on this %s, or auto, max, -1",
		 slowest->sps, fastest->sps, slowest->xfactor, fastest->xfactor, m.profile->name);
	return drive_fail(d, COND_VALUE_RANGE, detail);
}

int drive_speed_set(struct drive *d, bool ending, const struct speed_request *req)
{
	int rc = check_range(d, req);
	bool busy;

	if (rc)
		return rc;
	pthread_mutex_lock(&d->lock);
	busy = d->busy;
	if (!busy)
		*(ending ? &d->ending : &d->starting) = *req;
	pthread_mutex_unlock(&d->lock);
	return busy ? drive_fail(d, COND_BUSY, "write_speed cannot change during a burn") : 0;
}
