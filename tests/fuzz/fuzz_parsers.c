/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer targets for the MMC reply parsers (src/mmc_parse.c), one binary
 * per parser: FUZZ_TARGET names the one this build runs ("sense", "inquiry",
 * ...), so each gets its own corpus, coverage and time budget.
 *
 * libFuzzer hands over a heap buffer of exactly the input's size, so any
 * read past what the "drive" sent is an AddressSanitizer report.  Beyond
 * "no crash", each target checks the promise mmc.h makes: a parser that
 * succeeds had the mandatory bytes in what it received, whatever the length
 * fields claimed, and never fills more entries than it was given.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "discfs/mmc.h"

#ifndef FUZZ_TARGET
#error "build with -DFUZZ_TARGET='\"sense\"' (or another name in targets[])"
#endif


static void fuzz_sense(const uint8_t *buf, size_t len)
{
	struct mmc_sense s;

	if (mmc_parse_sense(buf, len, &s) == 0) {
		CHECK(len >= 3);
		CHECK(s.key <= 0xF);
		/* Progress is only read from bytes that arrived. */
		CHECK(!s.progress_valid || len >= 18);
	}
}

static void check_text(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	CHECK(n < size);
	for (size_t i = 0; i < n; i++)
		CHECK(s[i] >= 0x20 && s[i] < 0x7F);	/* the text ends up in files */
}

static void fuzz_inquiry(const uint8_t *buf, size_t len)
{
	struct mmc_inquiry q;

	if (mmc_parse_inquiry(buf, len, &q) == 0) {
		CHECK(len >= 36);
		check_text(q.vendor, sizeof(q.vendor));
		check_text(q.product, sizeof(q.product));
		check_text(q.revision, sizeof(q.revision));
	}
}

static void fuzz_configuration(const uint8_t *buf, size_t len)
{
	struct mmc_config *cfg = malloc(sizeof(*cfg));

	if (!cfg)
		return;
	if (mmc_parse_configuration(buf, len, cfg) == 0) {
		CHECK(len >= 8);
		CHECK(cfg->nprofiles <= MMC_MAX_PROFILES);
		CHECK(cfg->nfeatures <= MMC_MAX_FEATURES);
		for (size_t i = 0; i < cfg->nfeatures; i++) {
			CHECK(cfg->features[i].data_len <= sizeof(cfg->features[i].data));
			CHECK(mmc_config_feature(cfg, cfg->features[i].code) != NULL);
		}
	}
	free(cfg);
}

static void fuzz_media_event(const uint8_t *buf, size_t len)
{
	struct mmc_media_event ev;

	if (mmc_parse_media_event(buf, len, &ev) == 0)
		CHECK(ev.no_event_available ? len >= 4 : len >= 6);
}

static void fuzz_disc_info(const uint8_t *buf, size_t len)
{
	struct mmc_disc_info di;

	if (mmc_parse_disc_info(buf, len, &di) == 0) {
		CHECK(len >= 12);
		CHECK(di.disc_status <= 3 && di.last_session_state <= 3);
		/* The MSF conversion takes any field without overflowing (UBSan). */
		(void)mmc_msf_field_to_lba(di.last_session_leadin);
		(void)mmc_msf_field_to_lba(di.last_possible_leadout);
	}
}

static void fuzz_track_info(const uint8_t *buf, size_t len)
{
	struct mmc_track_info ti;

	if (mmc_parse_track_info(buf, len, &ti) == 0)
		CHECK(len >= 28);
}

static void fuzz_read_capacity(const uint8_t *buf, size_t len)
{
	struct mmc_capacity cap;

	if (mmc_parse_read_capacity(buf, len, &cap) == 0)
		CHECK(len >= 8);
}

static void fuzz_format_capacities(const uint8_t *buf, size_t len)
{
	struct mmc_format_capacities fc;

	if (mmc_parse_format_capacities(buf, len, &fc) == 0) {
		CHECK(len >= 12);
		CHECK(fc.nformats <= MMC_MAX_FORMATS);
		CHECK(12 + 8 * fc.nformats <= len);
	}
}

/* The first byte is the caller's table size: the parser must fill no more
 * entries than that, and the table is allocated to exactly that size so
 * ASan sees one entry too many. */
static void fuzz_performance(const uint8_t *buf, size_t len)
{
	size_t max, count = 0;
	struct mmc_performance *out;

	if (len == 0)
		return;
	max = buf[0] % (MMC_MAX_SPEEDS + 9);
	out = malloc(max ? max * sizeof(*out) : 1);
	if (!out)
		return;
	if (mmc_parse_performance(buf + 1, len - 1, out, max, &count) == 0) {
		CHECK(len - 1 >= 8);
		CHECK(count <= max);
		CHECK(8 + 16 * count <= len - 1);
	} else {
		CHECK(count == 0);
	}
	free(out);
}

static void fuzz_write_speeds(const uint8_t *buf, size_t len)
{
	size_t max, count = 0;
	struct mmc_write_speed *out;

	if (len == 0)
		return;
	max = buf[0] % (MMC_MAX_SPEEDS + 9);
	out = malloc(max ? max * sizeof(*out) : 1);
	if (!out)
		return;
	if (mmc_parse_write_speeds(buf + 1, len - 1, out, max, &count) == 0) {
		CHECK(len - 1 >= 8);
		CHECK(count <= max);
		CHECK(8 + 16 * count <= len - 1);
		for (size_t i = 0; i < count; i++)
			CHECK(out[i].wrc <= 3);
	}
	free(out);
}

static void fuzz_buffer_capacity(const uint8_t *buf, size_t len)
{
	struct mmc_buffer_capacity cap;

	if (mmc_parse_buffer_capacity(buf, len, &cap) == 0) {
		CHECK(len >= 12);
		CHECK(cap.blank <= cap.length);	/* the engine subtracts one from the other */
	}
}

static void fuzz_toc_session(const uint8_t *buf, size_t len)
{
	struct mmc_toc_session toc;

	if (mmc_parse_toc_session(buf, len, &toc) == 0)
		CHECK(len >= 12);
}

/* The page parsers run on a copy of exactly the bytes found, as the write
 * engine uses them; MODE SELECT's store writes into that copy. */
static void parse_page(const uint8_t *page, size_t page_len)
{
	uint8_t *copy = malloc(page_len ? page_len : 1);
	struct mmc_caps_page caps;
	struct mmc_write_params wp;

	if (!copy)
		return;
	memcpy(copy, page, page_len);
	if (mmc_parse_caps_page(copy, page_len, &caps) == 0)
		CHECK(page_len >= 14);
	if (mmc_parse_write_params(copy, page_len, &wp) == 0) {
		CHECK(page_len >= 14);
		wp.bufe = !wp.bufe;
		wp.multi_session = 3;
		CHECK(mmc_store_write_params(copy, page_len, &wp) == 0);
	}
	free(copy);
}

/* The first byte is the page code asked for, the rest a MODE SENSE(10) reply. */
static void fuzz_mode_page(const uint8_t *buf, size_t len)
{
	const uint8_t *page;
	size_t page_len;
	int rc;

	if (len == 0)
		return;
	rc = mmc_find_mode_page(buf + 1, len - 1, buf[0] & 0x3F, &page, &page_len);
	CHECK(rc == 0 || rc == -ENOENT || rc == -EPROTO);
	if (rc == 0) {
		CHECK(page >= buf + 1 && page_len >= 2);
		CHECK((size_t)(page - (buf + 1)) + page_len <= len - 1);
		parse_page(page, page_len);
	} else {
		CHECK(page == NULL && page_len == 0);
	}
	/* And the whole input as a page, as a drive that skips the header sends it. */
	parse_page(buf, len);
}

static const struct {
	const char *name;
	void (*run)(const uint8_t *buf, size_t len);
} targets[] = {
	{ "sense", fuzz_sense },
	{ "inquiry", fuzz_inquiry },
	{ "configuration", fuzz_configuration },
	{ "media_event", fuzz_media_event },
	{ "disc_info", fuzz_disc_info },
	{ "track_info", fuzz_track_info },
	{ "read_capacity", fuzz_read_capacity },
	{ "format_capacities", fuzz_format_capacities },
	{ "performance", fuzz_performance },
	{ "write_speeds", fuzz_write_speeds },
	{ "buffer_capacity", fuzz_buffer_capacity },
	{ "toc_session", fuzz_toc_session },
	{ "mode_page", fuzz_mode_page },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*run)(const uint8_t *, size_t);

	if (!run) {
		for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
			if (strcmp(targets[i].name, FUZZ_TARGET) == 0)
				run = targets[i].run;
		CHECK(run != NULL);	/* a FUZZ_TARGET missing from the table */
	}
	run(data, size);
	return 0;
}
