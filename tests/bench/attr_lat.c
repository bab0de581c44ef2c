/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * attr_lat: the latency of reading one small file, as `cat FILE` pays it
 * (open, read, close), timed in-process with CLOCK_MONOTONIC so that fork
 * and exec of a real cat do not drown the figure.
 *
 *   attr_lat read FILE N             N timed reads (after a few untimed ones)
 *   attr_lat change CTL A B FILE N   N times: write A or B (alternately) to
 *                                    CTL, untimed, then time one read of FILE
 *
 * Prints "p50 p99 max" in microseconds; exits non-zero if a read fails.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "percentile.h"

#define WARMUP 50

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* One cat: open, read to the end, close.  Returns the µs it took, or -1. */
static double read_once(const char *path)
{
	char buf[4096];
	double t0 = now_us();
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0 ? -1 : now_us() - t0;
}

static int write_value(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	size_t len = strlen(value);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, value, len) == (ssize_t)len;
	return close(fd) == 0 && ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	bool change = argc == 7 && strcmp(argv[1], "change") == 0;
	const char *file;
	double *t;
	long n;

	if (!change && !(argc == 4 && strcmp(argv[1], "read") == 0)) {
		fprintf(stderr, "usage: attr_lat read FILE N | attr_lat change CTL A B FILE N\n");
		return 2;
	}
	file = change ? argv[5] : argv[2];
	n = strtol(change ? argv[6] : argv[3], NULL, 10);
	if (n <= 0 || !(t = calloc((size_t)n, sizeof(*t))))
		return 2;
	/* Cached figures are steady state: fault in the path, dentries and
	 * (for discfs) the rendered value before timing. */
	for (int i = 0; !change && i < WARMUP; i++)
		if (read_once(file) < 0) {
			perror(file);
			return 1;
		}
	for (long i = 0; i < n; i++) {
		if (change && write_value(argv[2], i % 2 ? argv[4] : argv[3]) < 0) {
			perror(argv[2]);
			return 1;
		}
		t[i] = read_once(file);
		if (t[i] < 0) {
			perror(file);
			return 1;
		}
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%.1f %.1f %.1f\n", pct(t, (size_t)n, 50), pct(t, (size_t)n, 99), t[n - 1]);
	free(t);
	return 0;
}
