/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The fuzz input of fuzz_probe: what a drive answers to each command the
 * drive model sends, in order.  make_corpus records real sessions with the
 * emulator in this format, so the fuzzer starts from answers a drive gives.
 *
 *   per command: KIND (1 byte), N (2 bytes, big-endian), then N bytes
 *   KIND % 4 == 1  CHECK CONDITION; the bytes are the sense data (32 at most)
 *   KIND % 4 == 2  the transport failed; N picks the errno, no bytes follow
 *   otherwise      GOOD; the bytes are the data-in reply (cut to the
 *                  allocation length)
 *
 * When the input runs out, every further command gets GOOD with no data.
 */
#ifndef DISCFS_FUZZ_PROBE_SCRIPT_H
#define DISCFS_FUZZ_PROBE_SCRIPT_H

#include <errno.h>

#define PROBE_SCRIPT_GOOD 0
#define PROBE_SCRIPT_CHECK 1
#define PROBE_SCRIPT_TRANSPORT 2
#define PROBE_SCRIPT_HEADER 3

/* The failures a kernel driver reports for a command that did not come back. */
static const int probe_script_errnos[] = { ETIMEDOUT, ENODEV, EIO, EPERM, EACCES, ENXIO, EINVAL };
#define PROBE_SCRIPT_NERRNOS (sizeof(probe_script_errnos) / sizeof(probe_script_errnos[0]))

#endif
