/* SPDX-License-Identifier: GPL-3.0-or-later */
/* last_error: the most recent failure, as errno, message, IMAPI2 error and sense. */
#include "attr.h"

int show_last_error(struct drive *d, char *out, size_t size)
{
	char line[DRIVE_ERROR_MAX];

	drive_last_error(d, line, sizeof(line));
	return attr_print(out, size, "%s\n", line);
}
