/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Write speeds as the tree shows them: sectors per second (IMAPI's unit),
 * with `max`/`-1` for "as fast as the drive goes", `Nx` for a multiple of
 * the medium's 1x rate, and `auto` for the drive's own estimate.
 */
#ifndef DISCFS_SPEED_H
#define DISCFS_SPEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "discfs/profile.h"

enum speed_kind {
	SPEED_AUTO,		/* unset: the drive's estimate for the medium */
	SPEED_MAX,		/* -1 / max */
	SPEED_SECTORS,		/* sectors per second */
	SPEED_XFACTOR,		/* N times the medium's 1x rate */
};

struct speed_request {
	enum speed_kind kind;
	double value;		/* sectors/s or x-factor */
	bool spelled_minus_one;	/* SPEED_MAX written as "-1": read back as "-1" */
};

/* One GET PERFORMANCE type 03h descriptor in the tree's units. */
struct speed_descriptor {
	uint32_t sps;		/* sectors per second */
	uint32_t kbps;
	double xfactor;
	bool cav;
	uint32_t end_lba;
};

/* Parses what was written to a speed file ("4000\n", "max", "-1", "8x",
 * "2.4x", "auto").  -EINVAL for malformed text, -ERANGE for values beyond
 * INT32_MAX sectors/s or 0. */
int speed_parse(const char *text, size_t len, struct speed_request *out);

/* Sectors/s a request means on a medium of that family; 0 for SPEED_AUTO
 * and SPEED_MAX, which have no number of their own. */
uint32_t speed_request_sps(const struct speed_request *req, enum media_family family);

/* A speed descriptor line: "5410 11080 8.0x CLV". */
int speed_descriptor_format(const struct speed_descriptor *d, char *out, size_t size);

/* The planned rate of a burn: linear by LBA from start_sps at sector 0 to
 * end_sps at the last sector (IWriteEngine2's CAV profile).  Time in seconds
 * from the first sector to the start of sector `lba` of `count`. */
double speed_plan_seconds(double start_sps, double end_sps, uint64_t lba, uint64_t count);
/* The planned rate at sector lba of count. */
double speed_plan_rate(double start_sps, double end_sps, uint64_t lba, uint64_t count);

#endif
