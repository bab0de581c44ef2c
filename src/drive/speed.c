/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parsing, formatting and planning of write speeds. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/speed.h"

#define SPEED_TEXT_MAX 32

/* sysfs accepts what `echo` and `printf` write: the value, optionally
 * followed by one newline.  Anything else around it is an error, so a
 * typo never sets a surprising value. */
static int copy_value(const char *text, size_t len, char *out, size_t size)
{
	if (len > 0 && text[len - 1] == '\n')
		len--;
	if (len == 0 || len >= size || memchr(text, '\0', len))
		return -EINVAL;
	memcpy(out, text, len);
	out[len] = '\0';
	return 0;
}

static int parse_positive(const char *s, double *out, bool allow_fraction)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = allow_fraction ? strtod(s, &end) : (double)strtoull(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v > INT32_MAX)
		return -ERANGE;
	if (v <= 0)
		return -ERANGE;
	*out = v;
	return 0;
}

int speed_parse(const char *text, size_t len, struct speed_request *out)
{
	char value[SPEED_TEXT_MAX];
	struct speed_request req = { 0 };
	size_t n;
	int rc = copy_value(text, len, value, sizeof(value));

	if (rc)
		return rc;
	n = strlen(value);
	if (strcmp(value, "max") == 0 || strcmp(value, "-1") == 0) {
		req.kind = SPEED_MAX;
		req.spelled_minus_one = value[0] == '-';
	} else if (strcmp(value, "auto") == 0) {
		req.kind = SPEED_AUTO;
	} else if (value[n - 1] == 'x' || value[n - 1] == 'X') {
		value[n - 1] = '\0';
		req.kind = SPEED_XFACTOR;
		rc = parse_positive(value, &req.value, true);
	} else {
		req.kind = SPEED_SECTORS;
		rc = parse_positive(value, &req.value, false);
	}
	if (rc)
		return rc;
	*out = req;
	return 0;
}

uint32_t speed_request_sps(const struct speed_request *req, enum media_family family)
{
	switch (req->kind) {
	case SPEED_SECTORS:
		return (uint32_t)req->value;
	case SPEED_XFACTOR:
		return (uint32_t)lround(req->value * profile_sps_1x(family));
	case SPEED_AUTO:
	case SPEED_MAX:
		break;
	}
	return 0;
}

int speed_descriptor_format(const struct speed_descriptor *d, char *out, size_t size)
{
	return snprintf(out, size, "%u %u %.1fx %s", d->sps, d->kbps, d->xfactor, d->cav ? "CAV" : "CLV");
}

double speed_plan_rate(double start_sps, double end_sps, uint64_t lba, uint64_t count)
{
	if (count == 0)
		return start_sps;
	return start_sps + (end_sps - start_sps) * (double)lba / (double)count;
}

/* With the rate r(x) linear in x, the time to reach x is the integral of
 * 1/r: count/(end-start) * ln(r(x)/start), or x/start for a flat plan. */
double speed_plan_seconds(double start_sps, double end_sps, uint64_t lba, uint64_t count)
{
	double rate;

	if (count == 0 || start_sps <= 0)
		return 0;
	if (fabs(end_sps - start_sps) < 1e-9 * start_sps)
		return (double)lba / start_sps;
	rate = speed_plan_rate(start_sps, end_sps, lba, count);
	return (double)count / (end_sps - start_sps) * log(rate / start_sps);
}
