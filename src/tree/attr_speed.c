/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * write_speed/starting and write_speed/ending (IWriteEngine2
 * StartingSectorsPerSecond / EndingSectorsPerSecond) and
 * write_speed/supported (GET PERFORMANCE type 03h descriptors).
 */
#include <errno.h>

#include "attr.h"

static int show_speed(struct drive *d, bool ending, char *out, size_t size)
{
	struct speed_request req;
	struct media_info m;
	int rc;

	drive_speed_get(d, ending, &req);
	if (req.kind == SPEED_MAX)
		return attr_print(out, size, "%s\n", req.spelled_minus_one ? "-1" : "max");
	if (req.kind == SPEED_SECTORS)
		return attr_print(out, size, "%u\n", speed_request_sps(&req, MEDIA_FAMILY_NONE));
	rc = drive_media(d, &m);
	if (rc)
		return rc;
	if (req.kind == SPEED_XFACTOR)
		return attr_print(out, size, "%u\n", speed_request_sps(&req, m.profile->family));
	/* Unset: the drive's own estimate for the loaded medium. */
	return attr_print(out, size, "%.0f\n", ending ? m.estimate_end_sps : m.estimate_start_sps);
}

static int store_speed(struct drive *d, bool ending, const char *value, size_t len)
{
	struct speed_request req;
	int rc = speed_parse(value, len, &req);

	if (rc)
		return drive_fail(d, rc == -ERANGE ? COND_VALUE_RANGE : COND_INVALID_VALUE,
				  "write_speed takes sectors per second, Nx, max, -1 or auto");
	return drive_speed_set(d, ending, &req);
}

int show_speed_starting(struct drive *d, char *out, size_t size)
{
	return show_speed(d, false, out, size);
}

int show_speed_ending(struct drive *d, char *out, size_t size)
{
	return show_speed(d, true, out, size);
}

int store_speed_starting(struct drive *d, const char *value, size_t len, const char *caller)
{
	(void)caller;
	return store_speed(d, false, value, len);
}

int store_speed_ending(struct drive *d, const char *value, size_t len, const char *caller)
{
	(void)caller;
	return store_speed(d, true, value, len);
}

int show_speed_supported(struct drive *d, char *out, size_t size)
{
	struct media_info m;
	size_t len = 0;
	int rc = drive_media(d, &m);

	if (rc && rc != -ENOMEDIUM)
		return rc;
	for (size_t i = 0; i < m.nspeeds; i++) {
		char line[80];

		speed_descriptor_format(&m.speeds[i], line, sizeof(line));
		rc = attr_print(out + len, size - len, "%s\n", line);
		if (rc < 0)
			return rc;
		len += (size_t)rc;
	}
	return (int)len;
}
