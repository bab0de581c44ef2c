/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Who hears that a drive's values changed without a request asking: the
 * tree lets the kernel keep files' attributes and has it forget them when
 * this says so (a medium change, a burn's step, an error, the tray).  The
 * model cannot call the tree; the tree registers here.
 */
#include "drive_internal.h"

void drive_on_change(struct drive *d, void (*changed)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&d->lock);
	d->on_change = changed;
	d->on_change_ctx = ctx;
	pthread_mutex_unlock(&d->lock);
}

/* Set once, before any thread that changes values starts (the tree's init),
 * so it is read here without the lock: callers may hold it. */
void drive_changed(struct drive *d)
{
	if (d->on_change)
		d->on_change(d->on_change_ctx);
}
