/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one table that turns what went wrong (a drive's sense data, or a
 * condition discfs detects itself) into an errno, the IMAPI2 error it
 * corresponds to, and a sentence a person can act on.
 */
#ifndef DISCFS_ERRORS_H
#define DISCFS_ERRORS_H

#include <stddef.h>
#include <stdint.h>

#include "discfs/mmc.h"

/* The longest error line: last_error, and a failed operation's in status. */
#define ERROR_LINE_MAX 448

/* Conditions detected by discfs rather than reported as sense data. */
enum discfs_condition {
	COND_NONE = 0,
	COND_SENSE,			/* the entry matches sense data, not a condition */
	COND_INVALID_RESPONSE,		/* a reply too short or self-contradictory */
	COND_TIMEOUT,
	COND_DEVICE_GONE,
	COND_NOT_PERMITTED,
	COND_INVALID_VALUE,		/* a malformed value written to an attribute */
	COND_VALUE_RANGE,		/* well-formed but out of range */
	COND_UNSUPPORTED_CHANGE,
	COND_BUSY,			/* a burn, erase or format is running */
	COND_NO_MEDIA,
	COND_MEDIA_NOT_WRITABLE,	/* finalized, read-only or unsupported medium */
	COND_IMAGE_TOO_LARGE,
	COND_NOT_SEQUENTIAL,		/* a burn was written backwards */
	COND_CANCELLED,
	COND_VERIFY_FAILED,
	COND_MEDIA_NOT_BLANK,
	COND_NOT_ERASABLE,
	COND_DRIVE_LOCKED,
	COND_NO_PREVIOUS_SESSION,
	COND_NOT_AN_IMAGE,		/* neither ISO 9660 nor UDF, and raw is 0 */
	COND_WRONG_ADDRESS,		/* an ISO 9660 image made for another LBA */
	COND_IMAGE_TRUNCATED,		/* the writer stopped before the volume's end */
	COND_DAMAGED_TRACK,		/* an interrupted burn left a track open */
	COND_NOTHING_STAGED,		/* commit with no staged files */
	COND_MASTERING_FAILED,		/* the staged tree could not be mastered */
};

struct discfs_error {
	enum discfs_condition cond;
	uint8_t key, asc, ascq;	/* for COND_SENSE; 0xFF matches any asc/ascq */
	int err;		/* positive errno */
	const char *imapi;	/* "E_IMAPI_RECORDER_MEDIA_NO_MEDIA" */
	uint32_t hresult;
	const char *text;	/* "no medium in the drive" */
};

/* The entry for sense data; never NULL (falls back to a per-key entry). */
const struct discfs_error *error_for_sense(const struct mmc_sense *sense);
/* The entry for a condition; never NULL. */
const struct discfs_error *error_for_condition(enum discfs_condition cond);

/* Formats one line for last_error/status:
 * "ENOMEDIUM: no medium in the drive (E_IMAPI_RECORDER_MEDIA_NO_MEDIA 0xC0AA0202,
 *  sense 2/3A/01, READ DISC INFORMATION)".  sense and op may be NULL. */
void error_format(char *out, size_t size, const struct discfs_error *e, const struct mmc_sense *sense,
		  const char *op, const char *detail);

/* "ENOMEDIUM" for ENOMEDIUM; "E<number>" for errnos without a name here. */
const char *errno_name(int err);

#endif
