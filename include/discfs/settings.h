/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The user's settings of one drive as a single value: the write speeds
 * (drive) and the burn's settings.  A file takes one value per open; when a
 * later write in the same open is refused (`dd bs=1`, a value sent in two
 * pieces), what the open's first write set is taken back, so a refused
 * value changes nothing.
 */
#ifndef DISCFS_SETTINGS_H
#define DISCFS_SETTINGS_H

#include "discfs/burn.h"
#include "discfs/drive.h"

struct drive_settings {
	struct speed_request starting, ending;
	struct burn_settings burn;
};

void drive_settings_get(struct drive *d, struct drive_settings *out);
/* Puts back the settings that changed from before to after, leaving any
 * other setting as it is now (another program may have changed it). */
void drive_settings_undo(struct drive *d, const struct drive_settings *before, const struct drive_settings *after);

#endif
