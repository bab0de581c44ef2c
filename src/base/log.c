/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Message routing and the -d MMC trace.  See log.h. */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <fuse_log.h>

#include "discfs/log.h"

/* Bytes of a reply or parameter list shown per command: enough for an
 * INQUIRY's identity or a sense-like header, short enough for one line. */
#define DUMP_BYTES 32

static bool to_syslog;
static bool trace_mmc;

/* Writes one message; libfuse's messages carry their own "fuse: " prefix. */
static void vlog(int priority, bool prefix, const char *fmt, va_list ap)
{
	char text[1024];
	size_t len;
	int n = vsnprintf(text, sizeof(text), fmt, ap);

	if (n < 0)
		return;
	len = strlen(text);
	while (len && text[len - 1] == '\n')
		text[--len] = '\0';
	/* One fprintf per line: stdio locks the stream per call, so lines from
	 * the poller and FUSE threads never interleave. */
	fprintf(stderr, "%s%s\n", prefix ? "discfs: " : "", text);
	if (to_syslog)
		syslog(priority, "%s", text);
}

void log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(priority, true, fmt, ap);
	va_end(ap);
}

/* fuse_log_level follows syslog's numbering (FUSE_LOG_ERR == LOG_ERR). */
static void from_libfuse(enum fuse_log_level level, const char *fmt, va_list ap)
{
	vlog((int)level, false, fmt, ap);
}

void log_setup(bool daemon, bool trace)
{
	to_syslog = daemon;
	trace_mmc = trace;
	if (daemon)
		openlog("discfs", LOG_PID, LOG_DAEMON);
	fuse_set_log_func(from_libfuse);
}

bool log_mmc_enabled(void)
{
	return trace_mmc;
}

/* snprintf that keeps appending after the buffer is full, so the caller
 * learns the length it would have needed. */
struct line {
	char *out;
	size_t size, len;
};

__attribute__((format(printf, 2, 3))) static void add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(l->len < l->size ? l->out + l->len : NULL, l->len < l->size ? l->size - l->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n;
}

static void add_hex(struct line *l, const uint8_t *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add(l, i ? " %02x" : "%02x", bytes[i]);
}

/* SCSI sense key names as SPC spells them (sg_raw prints the same). */
static const char *sense_key_name(uint8_t key)
{
	static const char *const names[16] = {
		"No Sense",	 "Recovered Error", "Not Ready",       "Medium Error",
		"Hardware Error", "Illegal Request", "Unit Attention",  "Data Protect",
		"Blank Check",	 "Vendor Specific", "Copy Aborted",    "Aborted Command",
		"Equal",	 "Volume Overflow", "Miscompare",      "Completed",
	};

	return names[key & 0x0F];
}

/* Disc data, not protocol: its bytes tell a bug report nothing. */
static bool carries_sectors(uint8_t opcode)
{
	return opcode == MMC_READ10 || opcode == MMC_WRITE10 || opcode == MMC_WRITE12 || opcode == 0xA8 ||
	       opcode == 0xBE;
}

static void add_dump(struct line *l, const char *what, const void *data, size_t n)
{
	size_t shown = n < DUMP_BYTES ? n : DUMP_BYTES;

	add(l, "; %s %zu bytes", what, n);
	if (!data || !shown)
		return;
	add(l, ": ");
	add_hex(l, data, shown);
	if (shown < n)
		add(l, " ...");
}

int log_format_mmc(char *out, size_t size, const char *who, const struct mmc_cmd *cmd, const void *data,
		   const struct mmc_reply *reply)
{
	struct line l = { out, size, 0 };
	size_t cdb_len = cmd->cdb_len <= MMC_CDB_MAX ? cmd->cdb_len : MMC_CDB_MAX;
	bool dump = !carries_sectors(cmd->cdb[0]);

	if (size)
		out[0] = '\0';
	add(&l, "%s: cdb to send: ", who);
	add_hex(&l, cmd->cdb, cdb_len);
	add(&l, " [%s]", mmc_opcode_name(cmd->cdb[0]));
	switch (cmd->dir) {
	case MMC_DIR_READ:
		add(&l, " data-in %" PRIu32 " bytes", cmd->xfer_len);
		break;
	case MMC_DIR_WRITE:
		add(&l, " data-out %" PRIu32 " bytes", cmd->xfer_len);
		if (dump)
			add_dump(&l, "sent", data, cmd->xfer_len);
		break;
	default:
		add(&l, " no data");
		break;
	}
	if (reply->status == 0) {
		add(&l, "; SCSI Status: Good");
		if (cmd->dir == MMC_DIR_READ) {
			size_t got = reply->transferred < cmd->xfer_len ? reply->transferred : cmd->xfer_len;

			if (dump)
				add_dump(&l, "received", data, got);
			else
				add(&l, "; received %zu bytes", got);
		}
	} else if (reply->status == -EIO) {
		struct mmc_sense s;
		size_t n = reply->sense_len < MMC_SENSE_MAX ? reply->sense_len : MMC_SENSE_MAX;

		add(&l, "; SCSI Status: Check Condition");
		if (mmc_parse_sense(reply->sense, n, &s) == 0)
			add(&l, "; Sense key: %s, asc/ascq %02x/%02x (%X/%02X/%02X)", sense_key_name(s.key), s.asc,
			    s.ascq, s.key, s.asc, s.ascq);
		add(&l, "; raw sense data, length=%zu: ", n);
		add_hex(&l, reply->sense, n);
	} else {
		add(&l, "; transport error: %s", strerror(-reply->status));
	}
	return l.len > (size_t)INT32_MAX ? INT32_MAX : (int)l.len;
}

void log_mmc(unsigned drive, const struct mmc_cmd *cmd, const void *data, const struct mmc_reply *reply)
{
	char who[24], line[600];

	if (!trace_mmc)
		return;
	snprintf(who, sizeof(who), "drive%u", drive);
	log_format_mmc(line, sizeof(line), who, cmd, data, reply);
	log_msg(LOG_DEBUG, "%s", line);
}
