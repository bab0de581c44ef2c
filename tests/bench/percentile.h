/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Nearest-rank percentiles of timing samples, for the bench helpers. */
#ifndef DISCFS_BENCH_PERCENTILE_H
#define DISCFS_BENCH_PERCENTILE_H

#include <stddef.h>

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The p-th percentile of n sorted values, by nearest rank. */
static inline double pct(const double *v, size_t n, double p)
{
	size_t k = (size_t)(p / 100.0 * (double)n + 0.999999);

	if (k < 1)
		k = 1;
	return v[(k > n ? n : k) - 1];
}

#endif
