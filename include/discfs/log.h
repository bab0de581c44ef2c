/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Where discfs's messages go.
 *
 * In the foreground (-f, -d) every message goes to stderr.  A daemon
 * (no -f) also sends them to syslog, which the journal collects: after
 * libfuse detaches, stderr is /dev/null, and a recorder that fails at 3 am
 * must leave a trace somewhere.  Messages written before the detach still
 * reach the terminal, so `mount` shows why a mount failed.
 *
 * With -d each MMC command the drive model sends is logged as one line in
 * the style of sg_raw (CDB bytes, data direction and length, status, sense
 * bytes), so a user can attach the exchange to a bug report.
 */
#ifndef DISCFS_LOG_H
#define DISCFS_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

#include "discfs/mmc.h"
#include "discfs/mmc.h"

/* daemon: also log to syslog.  trace_mmc: log every MMC command (-d).
 * Also routes libfuse's own messages through log_msg. */
void log_setup(bool daemon, bool trace_mmc);

/* priority is a syslog priority (LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG). */
void log_msg(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

bool log_mmc_enabled(void);

/* Logs one command to driveN and its outcome, when log_mmc_enabled(); a
 * no-op otherwise.  data is what was sent or received (may be NULL). */
void log_mmc(unsigned drive, const struct mmc_cmd *cmd, const void *data, const struct mmc_reply *reply);

/* The line log_mmc writes, without a newline; who names the recorder
 * ("drive0").  Returns the length it needed, as snprintf does. */
int log_format_mmc(char *out, size_t size, const char *who, const struct mmc_cmd *cmd, const void *data,
		   const struct mmc_reply *reply);

#endif
