/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sense data and detected conditions → errno, IMAPI2 error and message.
 * This table is the only place that mapping lives.
 */
#include <errno.h>
#include <stdio.h>

#include "discfs/errors.h"

#define ANY 0xFF

/* Sense rows are matched in order, so specific ASC/ASCQ come before the
 * catch-all row of their key. */
static const struct discfs_error table[] = {
	/* Not ready */
	{ COND_SENSE, 0x2, 0x3A, ANY, ENOMEDIUM, "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", 0xC0AA0202,
	  "no medium in the drive" },
	{ COND_SENSE, 0x2, 0x04, 0x01, EAGAIN, "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", 0xC0AA0205,
	  "the medium is becoming ready, try again" },
	{ COND_SENSE, 0x2, 0x04, 0x04, EBUSY, "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS", 0xC0AA0206,
	  "the medium is being formatted" },
	{ COND_SENSE, 0x2, 0x04, 0x07, EBUSY, "E_IMAPI_RECORDER_MEDIA_BUSY", 0xC0AA0207,
	  "the drive is busy with a long operation" },
	{ COND_SENSE, 0x2, 0x04, 0x08, EBUSY, "E_IMAPI_RECORDER_MEDIA_BUSY", 0xC0AA0207,
	  "the drive is busy finishing a write" },
	{ COND_SENSE, 0x2, 0x30, ANY, EMEDIUMTYPE, "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", 0xC0AA0203,
	  "the medium is of an incompatible or unknown format" },
	{ COND_SENSE, 0x2, ANY, ANY, EAGAIN, "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", 0xC0AA0205,
	  "the drive is not ready" },
	/* Medium errors */
	{ COND_SENSE, 0x3, 0x0C, 0x09, EIO, "E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300,
	  "write error: loss of streaming (the drive buffer ran empty)" },
	{ COND_SENSE, 0x3, 0x0C, ANY, EIO, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", 0xC0AA0301,
	  "write error on the medium" },
	{ COND_SENSE, 0x3, 0x73, ANY, EIO, "E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH", 0xC0AA020F,
	  "power calibration failed: try other media or a slower speed" },
	{ COND_SENSE, 0x3, ANY, ANY, EIO, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", 0xC0AA0301,
	  "medium error" },
	{ COND_SENSE, 0x4, ANY, ANY, EIO, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", 0xC0AA0301,
	  "hardware error in the drive" },
	/* Illegal request */
	{ COND_SENSE, 0x5, 0x20, 0x00, EOPNOTSUPP, "E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED", 0xC0AA020C,
	  "the drive does not support this command" },
	{ COND_SENSE, 0x5, 0x21, ANY, ENOSPC, "E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA", 0xC0AA0404,
	  "address out of range or not writable" },
	{ COND_SENSE, 0x5, 0x24, 0x00, EINVAL, "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS", 0xC0AA0208,
	  "the drive rejected a field of the command" },
	{ COND_SENSE, 0x5, 0x26, ANY, EINVAL, "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS", 0xC0AA0208,
	  "the drive rejected the parameters" },
	{ COND_SENSE, 0x5, 0x30, ANY, EMEDIUMTYPE, "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", 0xC0AA0203,
	  "the medium cannot be used for this" },
	{ COND_SENSE, 0x5, 0x53, 0x02, EBUSY, "E_IMAPI_RECORDER_LOCKED", 0xC0AA0210,
	  "medium removal is prevented" },
	{ COND_SENSE, 0x5, 0x64, ANY, EINVAL, "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", 0xC0AA0203,
	  "illegal mode for this track" },
	{ COND_SENSE, 0x5, 0x72, ANY, EIO, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", 0xC0AA0301,
	  "session fixation error" },
	{ COND_SENSE, 0x5, ANY, ANY, EINVAL, "E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE", 0xC0AA02FF,
	  "the drive refused the request" },
	/* Unit attention */
	{ COND_SENSE, 0x6, 0x28, ANY, EAGAIN, "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", 0xC0AA0205,
	  "the medium has changed" },
	{ COND_SENSE, 0x6, 0x29, ANY, EAGAIN, "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", 0xC0AA0205,
	  "the drive was reset" },
	{ COND_SENSE, 0x6, ANY, ANY, EAGAIN, "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", 0xC0AA0205,
	  "unit attention" },
	/* Data protect */
	{ COND_SENSE, 0x7, ANY, ANY, EROFS, "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED", 0xC0AA0209,
	  "the medium is write protected" },
	{ COND_SENSE, 0xB, ANY, ANY, EIO, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", 0xC0AA0301,
	  "the drive aborted the command" },
	{ COND_SENSE, ANY, ANY, ANY, EIO, "E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE", 0xC0AA02FF,
	  "the drive reported an error" },

	{ COND_INVALID_RESPONSE, 0, 0, 0, EPROTO, "E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE", 0xC0AA02FF,
	  "invalid response from device" },
	{ COND_TIMEOUT, 0, 0, 0, ETIMEDOUT, "E_IMAPI_RECORDER_COMMAND_TIMEOUT", 0xC0AA020D,
	  "the drive did not answer in time" },
	{ COND_DEVICE_GONE, 0, 0, 0, ENODEV, "ERROR_DEV_NOT_EXIST", 0x80070037, "the drive is gone" },
	{ COND_NOT_PERMITTED, 0, 0, 0, EACCES, "E_ACCESSDENIED", 0x80070005,
	  "permission denied by the kernel: join the cdrom group or run as root" },
	{ COND_INVALID_VALUE, 0, 0, 0, EINVAL, "E_INVALIDARG", 0x80070057, "invalid value" },
	{ COND_VALUE_RANGE, 0, 0, 0, ERANGE, "E_INVALIDARG", 0x80070057, "value out of range" },
	{ COND_UNSUPPORTED_CHANGE, 0, 0, 0, EOPNOTSUPP, "E_NOTIMPL", 0x80004001,
	  "this drive or medium does not support that change" },
	{ COND_BUSY, 0, 0, 0, EBUSY, "E_IMAPI_DF2DATA_WRITE_IN_PROGRESS", 0xC0AA0400,
	  "a burn, erase or format is running" },
	{ COND_NO_MEDIA, 0, 0, 0, ENOMEDIUM, "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", 0xC0AA0202,
	  "no medium in the drive" },
	{ COND_MEDIA_NOT_WRITABLE, 0, 0, 0, EMEDIUMTYPE, "E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED", 0xC0AA0406,
	  "the medium cannot be written" },
	{ COND_IMAGE_TOO_LARGE, 0, 0, 0, ENOSPC, "E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA", 0xC0AA0404,
	  "the image is larger than the free space on the medium" },
	{ COND_NOT_SEQUENTIAL, 0, 0, 0, ESPIPE, "E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED", 0xC0AA0403,
	  "burn data must be written sequentially" },
	{ COND_CANCELLED, 0, 0, 0, ECANCELED, "E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002, "the burn was cancelled" },
	{ COND_VERIFY_FAILED, 0, 0, 0, EIO, "E_IMAPI_BURN_VERIFICATION_FAILED", 0xC0AA0007,
	  "what was read back differs from what was written" },
	{ COND_MEDIA_NOT_BLANK, 0, 0, 0, EEXIST, "E_IMAPI_DF2DATA_MEDIA_NOT_BLANK", 0xC0AA0405,
	  "the medium is not blank: set force_overwrite to write over it" },
	{ COND_NOT_ERASABLE, 0, 0, 0, EMEDIUMTYPE, "E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE", 0x80AA0904,
	  "the medium cannot be erased" },
	{ COND_DRIVE_LOCKED, 0, 0, 0, EBUSY, "E_IMAPI_RECORDER_LOCKED", 0xC0AA0210,
	  "another program holds the drive exclusively" },
	{ COND_NO_PREVIOUS_SESSION, 0, 0, 0, ENODATA, "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE", 0xC0AA0402,
	  "no previous session: the first session is burned without -C" },
	{ COND_NOT_AN_IMAGE, 0, 0, 0, EINVAL, "E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED", 0xC0AA0403,
	  "not an ISO 9660 or UDF image" },
	{ COND_WRONG_ADDRESS, 0, 0, 0, EINVAL, "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE", 0xC0AA0402,
	  "the image was made for another start address" },
	{ COND_IMAGE_TRUNCATED, 0, 0, 0, EIO, "E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED", 0xC0AA0403,
	  "the image is incomplete" },
	{ COND_DAMAGED_TRACK, 0, 0, 0, EIO, "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE", 0xC0AA0402,
	  "the disc has a damaged track" },
	{ COND_NOTHING_STAGED, 0, 0, 0, ENODATA, "E_INVALIDARG", 0x80070057,
	  "nothing is staged: copy files into files/ first" },
	{ COND_MASTERING_FAILED, 0, 0, 0, EIO, "IMAPI_E_FSI_INTERNAL_ERROR", 0xC0AAB100,
	  "the staged files could not be mastered into a file system" },
};

#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

static int field_matches(uint8_t pattern, uint8_t value)
{
	return pattern == ANY || pattern == value;
}

const struct discfs_error *error_for_sense(const struct mmc_sense *sense)
{
	const struct discfs_error *e = NULL;

	for (size_t i = 0; i < TABLE_SIZE; i++) {
		e = &table[i];
		if (e->cond == COND_SENSE && field_matches(e->key, sense->key) && field_matches(e->asc, sense->asc) &&
		    field_matches(e->ascq, sense->ascq))
			return e;
	}
	return error_for_condition(COND_INVALID_RESPONSE);
}

const struct discfs_error *error_for_condition(enum discfs_condition cond)
{
	for (size_t i = 0; i < TABLE_SIZE; i++)
		if (table[i].cond == cond)
			return &table[i];
	return error_for_condition(COND_INVALID_RESPONSE);
}

const char *errno_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },	    { ENOENT, "ENOENT" },	{ EIO, "EIO" },
		{ EBADF, "EBADF" },	    { EAGAIN, "EAGAIN" },	{ ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },	    { EBUSY, "EBUSY" },		{ EEXIST, "EEXIST" },
		{ ENODEV, "ENODEV" },	    { EINVAL, "EINVAL" },	{ EFBIG, "EFBIG" },
		{ ENOSPC, "ENOSPC" },	    { ESPIPE, "ESPIPE" },	{ EROFS, "EROFS" },
		{ ERANGE, "ERANGE" },	    { ENOSYS, "ENOSYS" },	{ EPROTO, "EPROTO" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" }, { ECANCELED, "ECANCELED" },
		{ ENOMEDIUM, "ENOMEDIUM" }, { EMEDIUMTYPE, "EMEDIUMTYPE" }, { EINTR, "EINTR" },
		{ ENODATA, "ENODATA" },
	};
	static __thread char other[16];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(other, sizeof(other), "E%d", err);
	return other;
}

void error_format(char *out, size_t size, const struct discfs_error *e, const struct mmc_sense *sense,
		  const char *op, const char *detail)
{
	char sense_part[32] = "";
	char op_part[64] = "";
	char detail_part[256] = "";

	if (sense)
		snprintf(sense_part, sizeof(sense_part), ", sense %X/%02X/%02X", sense->key, sense->asc, sense->ascq);
	if (op)
		snprintf(op_part, sizeof(op_part), ", %s", op);
	if (detail)
		snprintf(detail_part, sizeof(detail_part), ": %s", detail);
	snprintf(out, size, "%s: %s%s (%s 0x%08X%s%s)", errno_name(e->err), e->text, detail_part, e->imapi,
		 (unsigned)e->hresult, sense_part, op_part);
}
