/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Seed corpus for the fuzzers, from the emulator's real answers: every
 * medium in every state is asked what discfs asks a drive, and each reply
 * is written as one corpus file of the parser that reads it.  The probe
 * fuzzer gets whole recorded sessions (probe_script.h): drive_create run
 * through a transport that records what the emulator answered.
 *
 *   make_corpus DIR    writes DIR/<target>/<hash> files
 *
 * Files are named by a hash of their content, so identical replies (the
 * same INQUIRY from every medium) are stored once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "discfs/drive.h"
#include "discfs/emu.h"
#include "discfs/transport.h"
#include "probe_script.h"

#define REPLY_MAX 4096

static const char *out_dir;
static unsigned files_written;

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
}

/* FNV-1a, 64 bits: a name per distinct content. */
static uint64_t hash(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < alen; i++)
		h = (h ^ a[i]) * 0x100000001b3ull;
	for (size_t i = 0; i < blen; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* One corpus file: prefix (the fuzz target's selector bytes) then data. */
static void save(const char *target, const uint8_t *prefix, size_t plen, const uint8_t *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, target);
	make_dir(path);
	snprintf(path, sizeof(path), "%s/%s/%016llx", out_dir, target,
		 (unsigned long long)hash(prefix, plen, data, len));
	f = fopen(path, "wb");
	if (!f || (plen && fwrite(prefix, 1, plen, f) != plen) || (len && fwrite(data, 1, len, f) != len)) {
		perror(path);
		exit(1);
	}
	fclose(f);
	files_written++;
}

/* Sends one command; a reply goes to target, sense data to "sense". */
static void ask(struct emu *e, const struct mmc_cmd *cmd, const char *target, const uint8_t *prefix, size_t plen)
{
	static uint8_t reply[REPLY_MAX];
	uint8_t sense[18];
	size_t got = 0;
	int status;

	memset(reply, 0, sizeof(reply));
	status = emu_exec(e, cmd->cdb, cmd->cdb_len, cmd->dir, reply, cmd->xfer_len, &got, sense);
	if (status == 2)
		save("sense", NULL, 0, sense, sizeof(sense));
	else if (status == 0 && target)
		save(target, prefix, plen, reply, got);
}

static void ask_everything(struct emu *e)
{
	static const uint16_t features[] = { 0x0000, 0x0003, 0x001F, 0x0021, 0x002D, 0x002E, 0x0107 };
	static const uint8_t pages[] = { 0x2A, 0x05, 0x3F };
	const uint8_t speeds_max = MMC_MAX_SPEEDS;
	struct mmc_cmd cmd;

	mmc_build_test_unit_ready(&cmd);
	ask(e, &cmd, NULL, NULL, 0);	/* collects the unit attention, or "no medium" */
	mmc_build_request_sense(&cmd, 18);
	ask(e, &cmd, "sense", NULL, 0);
	mmc_build_inquiry(&cmd, 96);
	ask(e, &cmd, "inquiry", NULL, 0);
	mmc_build_get_configuration(&cmd, 0, 0, REPLY_MAX);
	ask(e, &cmd, "configuration", NULL, 0);
	mmc_build_get_configuration(&cmd, 1, 0, 512);
	ask(e, &cmd, "configuration", NULL, 0);
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		mmc_build_get_configuration(&cmd, 2, features[i], 64);
		ask(e, &cmd, "configuration", NULL, 0);
	}
	mmc_build_get_event_status(&cmd, 0x10, 8);
	ask(e, &cmd, "media_event", NULL, 0);
	mmc_build_get_event_status(&cmd, 0x02, 8);	/* a class it lacks: NEA */
	ask(e, &cmd, "media_event", NULL, 0);
	mmc_build_read_disc_info(&cmd, 34);
	ask(e, &cmd, "disc_info", NULL, 0);
	mmc_build_read_track_info(&cmd, 1, 1, 48);
	ask(e, &cmd, "track_info", NULL, 0);
	mmc_build_read_track_info(&cmd, 1, 0xFF, 48);
	ask(e, &cmd, "track_info", NULL, 0);
	mmc_build_read_track_info(&cmd, 0, 0, 48);
	ask(e, &cmd, "track_info", NULL, 0);
	mmc_build_read_capacity(&cmd);
	ask(e, &cmd, "read_capacity", NULL, 0);
	mmc_build_read_format_capacities(&cmd, 4 + 8 * (MMC_MAX_FORMATS + 1));
	ask(e, &cmd, "format_capacities", NULL, 0);
	mmc_build_get_performance(&cmd, 0x00, 0x14, 0, MMC_MAX_SPEEDS);
	ask(e, &cmd, "performance", &speeds_max, 1);
	mmc_build_get_performance(&cmd, 0x03, 0, 0, MMC_MAX_SPEEDS);
	ask(e, &cmd, "write_speeds", &speeds_max, 1);
	mmc_build_read_buffer_capacity(&cmd, false);
	ask(e, &cmd, "buffer_capacity", NULL, 0);
	mmc_build_read_toc(&cmd, 1, 0, 12);
	ask(e, &cmd, "toc_session", NULL, 0);
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		mmc_build_mode_sense10(&cmd, pages[i], 0, 255);
		/* Asked for 3Fh (all pages), the fuzz input looks for 2Ah in it. */
		uint8_t wanted = pages[i] == 0x3F ? 0x2A : pages[i];

		ask(e, &cmd, "mode_page", &wanted, 1);
	}
	mmc_build_read10(&cmd, 0x7FFFFFF0, 1);	/* out of range: more sense data */
	ask(e, &cmd, NULL, NULL, 0);
}

/* Inputs a fuzzer once failed on (minimized), kept as seeds so every run
 * replays them first. */
static const struct {
	const char *target;
	const char *why;
	uint8_t bytes[64];
	size_t len;
} regressions[] = {
	{ "probe", "drive_media.c: READ DISC INFORMATION saying 0 sessions made `sessions` read 65535",
	  {
		  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40,
		  0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x30, 0x00, 0x03, 0x30,
	  },
	  26 },
};

static void save_regressions(void)
{
	for (size_t i = 0; i < sizeof(regressions) / sizeof(regressions[0]); i++)
		save(regressions[i].target, NULL, 0, regressions[i].bytes, regressions[i].len);
}

/* ---- recorded probe sessions ---- */

struct recorder {
	struct transport base;
	struct transport *inner;
	uint8_t *script;
	size_t len, cap;
};

static void append(struct recorder *r, const uint8_t *p, size_t n)
{
	if (r->len + n > r->cap) {
		r->cap = (r->len + n) * 2;
		r->script = realloc(r->script, r->cap);
		if (!r->script) {
			perror("realloc");
			exit(1);
		}
	}
	memcpy(r->script + r->len, p, n);
	r->len += n;
}

static void record_exec(struct transport *t, const struct mmc_cmd *cmd, void *data, unsigned timeout_ms,
			struct mmc_reply *reply)
{
	struct recorder *r = (struct recorder *)t;
	uint8_t header[PROBE_SCRIPT_HEADER];
	const uint8_t *body;
	size_t n;

	r->inner->ops->exec(r->inner, cmd, data, timeout_ms, reply);
	if (reply->status == 0) {
		header[0] = PROBE_SCRIPT_GOOD;
		body = data;
		n = cmd->dir == MMC_DIR_READ && data ? reply->transferred : 0;
	} else if (reply->status == -EIO && reply->sense_len) {
		header[0] = PROBE_SCRIPT_CHECK;
		body = reply->sense;
		n = reply->sense_len;
	} else {
		header[0] = PROBE_SCRIPT_TRANSPORT;
		body = NULL;
		n = 0;
		for (size_t i = 0; i < PROBE_SCRIPT_NERRNOS; i++)
			if (-reply->status == probe_script_errnos[i])
				n = i;
	}
	header[1] = (uint8_t)(n >> 8);
	header[2] = (uint8_t)n;
	append(r, header, sizeof(header));
	if (body && header[0] != PROBE_SCRIPT_TRANSPORT)
		append(r, body, n);
}

static uint64_t record_now(struct transport *t)
{
	struct recorder *r = (struct recorder *)t;

	return r->inner->ops->now_ns(r->inner);
}

static void record_sleep(struct transport *t, uint64_t deadline_ns)
{
	struct recorder *r = (struct recorder *)t;

	r->inner->ops->sleep_until_ns(r->inner, deadline_ns);
}

static void record_destroy(struct transport *t)
{
	struct recorder *r = (struct recorder *)t;

	/* The session is complete once the drive lets go of its transport. */
	save("probe", NULL, 0, r->script, r->len);
	r->inner->ops->destroy(r->inner);
	free(r->script);
	free(r);
}

static const struct transport_ops record_ops = {
	.exec = record_exec,
	.now_ns = record_now,
	.sleep_until_ns = record_sleep,
	.destroy = record_destroy,
};

static void record_probe(const struct emu_config *cfg)
{
	struct recorder *r = calloc(1, sizeof(*r));
	struct emu *e = emu_create(cfg);
	struct drive *d;

	if (!r || !e || !(r->inner = transport_emu_open(e))) {
		perror("emulator");
		exit(1);
	}
	r->base.ops = &record_ops;
	snprintf(r->base.device, sizeof(r->base.device), "recorder");
	d = drive_create(0, &r->base, NULL, 0, 64 << 10);
	drive_destroy(d);	/* NULL when INQUIRY failed; the transport is gone either way */
}

int main(int argc, char **argv)
{
	static const char *const media[] = { "cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd+r", "dvd+rw",
					     "bd-r", "bd-re", "cd-rom", "dvd-rom", "none" };
	static const enum emu_disc_state states[] = { EMU_STATE_DEFAULT, EMU_STATE_BLANK, EMU_STATE_APPENDABLE,
						      EMU_STATE_CLOSED };

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	make_dir(out_dir);
	for (size_t m = 0; m < sizeof(media) / sizeof(media[0]); m++) {
		for (size_t s = 0; s < sizeof(states) / sizeof(states[0]); s++) {
			struct emu_config cfg = { .media = media[m], .timescale = 1000, .state = states[s] };
			struct emu *e = emu_create(&cfg);

			if (!e && errno == EINVAL)
				continue;	/* a state this medium cannot be in */
			if (!e) {
				perror(media[m]);
				return 1;
			}
			ask_everything(e);
			emu_destroy(e);
			record_probe(&cfg);
		}
	}
	save_regressions();
	printf("make_corpus: %u replies written to %s\n", files_written, out_dir);
	return 0;
}
