/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How the last burn went (driveN/last_burn/): the write engine samples its
 * position, the planned and achieved rate and both buffers every half
 * second of the recorder's clock into a bounded series, as burners'
 * graph-data files do; the tree renders it as CSV and SVG.
 *
 * The series never grows past BURN_LOG_SAMPLES: when it fills, every other
 * sample is dropped and the interval doubles, so a long burn keeps its
 * whole course at a coarser step and memory stays flat.
 */
#ifndef DISCFS_BURN_LOG_H
#define DISCFS_BURN_LOG_H

#include <stddef.h>
#include <stdint.h>

#define BURN_LOG_SAMPLES 4096
#define BURN_LOG_INTERVAL_NS 500000000ull	/* half a second */

struct burn_sample {
	uint64_t t_ns;		/* recorder's clock since the first WRITE was due */
	uint32_t lba;		/* the next sector to write: the disc position */
	float planned_sps, achieved_sps;
	uint64_t host_used;	/* bytes in the host FIFO */
	uint32_t drive_used;	/* bytes in the drive's buffer (last READ BUFFER CAPACITY) */
};

/* What a copy of the series holds besides the samples. */
struct burn_log_info {
	uint32_t start_lba, end_lba;	/* the planned span: first sector, one past the last */
	uint64_t host_size;
	uint32_t drive_size;
	uint64_t interval_ns;		/* between samples (doubles on a long burn) */
	size_t count;
};

struct burn;

/* A copy of the last burn's series: *samples is malloc'd (NULL when there
 * are none; free it), 0 or -ENOMEM. */
int burn_log_copy(struct burn *b, struct burn_sample **samples, struct burn_log_info *info);

#endif
