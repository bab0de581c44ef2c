/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * timer_jitter: the machine's own wake-up lateness, the yardstick for the
 * engine's pacing on the real clock.  It sleeps towards absolute deadlines
 * PERIOD_US apart, the way the engine paces WRITEs (a relative nanosleep
 * computed from the clock, re-checked on waking: emu_sleep_until_ns), and
 * records how late each wake-up was.
 *
 *   timer_jitter PERIOD_US N
 *
 * Prints "p50 p99 max" lateness in microseconds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "percentile.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long period_us, n;
	uint64_t start, deadline, now;
	double *late;

	if (argc != 3 || (period_us = strtol(argv[1], NULL, 10)) <= 0 || (n = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: timer_jitter PERIOD_US N\n");
		return 2;
	}
	late = calloc((size_t)n, sizeof(*late));
	if (!late)
		return 2;
	start = now_ns();
	for (long i = 0; i < n; i++) {
		deadline = start + (uint64_t)(i + 1) * (uint64_t)period_us * 1000u;
		while ((now = now_ns()) < deadline) {
			struct timespec ts = { .tv_sec = (time_t)((deadline - now) / 1000000000u),
					       .tv_nsec = (long)((deadline - now) % 1000000000u) };

			nanosleep(&ts, NULL);
		}
		late[i] = (double)(now - deadline) / 1e3;
	}
	qsort(late, (size_t)n, sizeof(*late), cmp_double);
	printf("%.1f %.1f %.1f\n", pct(late, (size_t)n, 50), pct(late, (size_t)n, 99), late[n - 1]);
	free(late);
	return 0;
}
