/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The emulated recorder, driven through emu_exec with hand-built CDBs the
 * way a host drives a real drive, and judged by the reply and sense bytes.
 * Timing is asserted on the emulated clock only.
 */
#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "discfs/emu.h"
#include "discfs/mmc.h"

#define NS 1000000000ull
#define CDB(...) ((const uint8_t[12]){ __VA_ARGS__ })
#define B32(v) (uint8_t)((v) >> 24), (uint8_t)((v) >> 16), (uint8_t)((v) >> 8), (uint8_t)(v)
#define B16(v) (uint8_t)((v) >> 8), (uint8_t)(v)

static char tmpdir[64];
static uint8_t sense[18];
static size_t xfer;

/* ---- plumbing ---- */

static size_t cdb_len(uint8_t op)
{
	return op < 0x20 ? 6 : op < 0x60 ? 10 : 12;
}

static int run(struct emu *e, const uint8_t *cdb, enum mmc_dir dir, void *data, size_t len)
{
	memset(sense, 0xEE, sizeof(sense));
	return emu_exec(e, cdb, cdb_len(cdb[0]), dir, data, len, &xfer, sense);
}

static int run_none(struct emu *e, const uint8_t *cdb)
{
	return run(e, cdb, MMC_DIR_NONE, NULL, 0);
}

static int run_in(struct emu *e, const uint8_t *cdb, uint8_t *buf, size_t len)
{
	memset(buf, 0xCC, len);
	return run(e, cdb, MMC_DIR_READ, buf, len);
}

static int run_out(struct emu *e, const uint8_t *cdb, const uint8_t *buf, size_t len)
{
	return run(e, cdb, MMC_DIR_WRITE, (void *)buf, len);
}

#define ck_good(st)                                                                                         \
	ck_assert_msg((st) == 0, "status %d sense %X/%02X/%02X", (st), sense[2] & 0xF, sense[12], sense[13])
#define ck_sense(st, k, a, q)                                                                               \
	do {                                                                                                \
		int st_ = (st);                                                                             \
		ck_assert_msg(st_ == 2 && (sense[2] & 0xF) == (k) && sense[12] == (a) && sense[13] == (q),  \
			      "status %d sense %X/%02X/%02X, expected %X/%02X/%02X", st_, sense[2] & 0xF,   \
			      sense[12], sense[13], (k), (a), (q));                                         \
		ck_assert_int_eq(sense[0], 0x70);                                                           \
		ck_assert_int_eq(sense[7], 10);                                                             \
	} while (0)

static void path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static struct emu *make(const char *spec)
{
	struct emu_config cfg;
	char *storage;
	const char *error;
	struct emu *e;

	ck_assert_msg(emu_parse_spec(spec, &cfg, &storage, &error) == 0, "%s: %s", spec, error);
	e = emu_create(&cfg);
	free(storage);
	ck_assert_ptr_nonnull(e);
	return e;
}

static const char *img_path(char *out, size_t n, const char *name)
{
	path(out, n, name);
	return out;
}

/* A medium backed by a named image in the test directory; NULL with errno
 * when emu_create refuses it. */
static struct emu *try_on(const char *media, const char *image, const char *extra)
{
	struct emu_config cfg;
	char spec[512], img[256], *storage;
	const char *error;
	struct emu *e;

	path(img, sizeof(img), image);
	snprintf(spec, sizeof(spec), "%s,image=%s%s%s", media, img, *extra ? "," : "", extra);
	ck_assert_msg(emu_parse_spec(spec, &cfg, &storage, &error) == 0, "%s: %s", spec, error);
	e = emu_create(&cfg);
	free(storage);
	return e;
}

static struct emu *make_on(const char *media, const char *image, const char *extra)
{
	struct emu *e = try_on(media, image, extra);

	ck_assert_ptr_nonnull(e);
	return e;
}

/* ---- commands ---- */

static void disc_info(struct emu *e, uint8_t b[34])
{
	ck_good(run_in(e, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34), b, 34));
	ck_assert_uint_eq(xfer, 34);
}

static int track_info(struct emu *e, uint8_t type, uint32_t number, uint8_t b[48])
{
	return run_in(e, CDB(0x52, type, B32(number), 0, 0, 48), b, 48);
}

static uint32_t nwa(struct emu *e)
{
	uint8_t b[48];

	ck_good(track_info(e, 1, 0xFF, b));
	ck_assert_int_eq(b[7] & 1, 1);
	return mmc_get32(b + 12);
}

static uint8_t *sectors(uint32_t lba, uint32_t blocks)
{
	uint8_t *buf = malloc((size_t)blocks * 2048);

	ck_assert_ptr_nonnull(buf);
	for (uint32_t i = 0; i < blocks; i++)
		for (size_t j = 0; j < 2048; j++)
			buf[(size_t)i * 2048 + j] = (uint8_t)(lba + i + j * 7);
	return buf;
}

static int write10(struct emu *e, uint32_t lba, uint16_t blocks)
{
	uint8_t *buf = sectors(lba, blocks);
	int st = run_out(e, CDB(0x2A, 0, B32(lba), 0, B16(blocks)), buf, (size_t)blocks * 2048);

	free(buf);
	return st;
}

static int close_ts(struct emu *e, uint8_t function, uint16_t track, bool immed)
{
	return run_none(e, CDB(0x5B, immed, function, 0, B16(track)));
}

static int sync_cache(struct emu *e)
{
	return run_none(e, CDB(0x35));
}

static void mode_sense(struct emu *e, uint8_t page, uint8_t pc, uint8_t *buf, size_t len)
{
	ck_good(run_in(e, CDB(0x5A, 0, (uint8_t)(pc << 6 | page), 0, 0, 0, 0, B16(len)), buf, len));
}

/* Page 05h read back, changed and sent as MODE SELECT(10) does. */
static int set_write_params(struct emu *e, bool bufe, uint8_t write_type, uint8_t multisession)
{
	uint8_t buf[60];

	mode_sense(e, 0x05, 0, buf, sizeof(buf));
	memset(buf, 0, 8);
	buf[8] &= 0x3F;
	buf[10] = (uint8_t)((buf[10] & ~0x4F) | (bufe ? 0x40 : 0) | write_type);
	buf[11] = (uint8_t)((buf[11] & 0x3F) | multisession << 6);
	return run_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 60), buf, 60);
}

static uint16_t current_profile(struct emu *e)
{
	uint8_t b[8];

	ck_good(run_in(e, CDB(0x46, 0, 0, 0, 0, 0, 0, 0, 8), b, 8));
	return mmc_get16(b + 6);
}

static uint16_t progress_from_request_sense(struct emu *e, uint8_t asc_q)
{
	uint8_t b[18];

	ck_good(run_in(e, CDB(0x03, 0, 0, 0, 18), b, 18));
	ck_assert_int_eq(b[2] & 0xF, 2);
	ck_assert_int_eq(b[12], 0x04);
	ck_assert_int_eq(b[13], asc_q);
	ck_assert_int_eq(b[15] & 0x80, 0x80);
	return mmc_get16(b + 16);
}

/* A fake ISO 9660 image: primary volume descriptor at LBA 16 saying size blocks. */
static void make_iso(const char *image, uint32_t size)
{
	char p[256];
	uint8_t pvd[2048] = { 1, 'C', 'D', '0', '0', '1', 1 };
	FILE *f;

	path(p, sizeof(p), image);
	pvd[80] = (uint8_t)size;
	pvd[81] = (uint8_t)(size >> 8);
	pvd[82] = (uint8_t)(size >> 16);
	pvd[83] = (uint8_t)(size >> 24);
	pvd[129] = 0x08;	/* logical blocks of 2048 bytes */
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fseek(f, 16 * 2048, SEEK_SET);
	fwrite(pvd, 1, sizeof(pvd), f);
	fclose(f);
}

/* ---- spec and creation ---- */

START_TEST(spec_parses_every_option)
{
	struct emu_config cfg;
	char *storage;
	const char *error;

	ck_assert_int_eq(emu_parse_spec("bd-r,image=/x/y.img,timescale=2.5,state=closed,log=/l,buffer=512", &cfg,
					&storage, &error), 0);
	ck_assert_str_eq(cfg.media, "bd-r");
	ck_assert_str_eq(cfg.image, "/x/y.img");
	ck_assert_str_eq(cfg.log_path, "/l");
	ck_assert(cfg.timescale == 2.5);
	ck_assert_int_eq(cfg.state, EMU_STATE_CLOSED);
	ck_assert_uint_eq(cfg.buffer_kib, 512);
	free(storage);

	ck_assert_int_eq(emu_parse_spec("dvd+rw", &cfg, &storage, &error), 0);
	ck_assert(cfg.timescale == 1.0);
	ck_assert_ptr_null(cfg.image);
	ck_assert_int_eq(cfg.state, EMU_STATE_DEFAULT);
	free(storage);
}
END_TEST

START_TEST(spec_rejects_nonsense)
{
	static const char *bad[] = {
		"floppy", "", "dvd+rw,timescale=0", "dvd+rw,timescale=-1", "dvd+rw,timescale=abc",
		"dvd+rw,state=open", "dvd+rw,buffer=0", "dvd+rw,buffer=-5", "dvd+rw,buffer=12x", "dvd+rw,color=red",
		"dvd+rw,image", "dvd+rw,image=", "dvd+rw,fault=gremlins", "dvd+rw,fault=timeout@",
		"dvd+rw,fault=timeout@-1", "dvd+rw,fault=timeout@12x", "dvd+rw,fault=@5", "dvd+rw,fault=vanish@99999999999",
		/* an option twice; a state the medium cannot be in */
		"dvd+r,timescale=2,timescale=3", "dvd+r,image=/a,image=/b", "dvd+rw,state=closed", "bd-re,state=appendable",
		"cd-rom,state=blank", "none,state=closed",
	};
	struct emu_config cfg;
	char *storage;
	const char *error;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error = NULL;
		ck_assert_msg(emu_parse_spec(bad[i], &cfg, &storage, &error) == -EINVAL, "%s accepted", bad[i]);
		ck_assert_ptr_nonnull(error);
		ck_assert_ptr_null(storage);
	}
}
END_TEST

START_TEST(create_rejects_bad_config)
{
	struct emu_config cfg = { .media = "zip", .timescale = 1 };

	errno = 0;
	ck_assert_ptr_null(emu_create(&cfg));
	ck_assert_int_eq(errno, EINVAL);
	cfg.media = "cd-r";
	cfg.timescale = 0;
	ck_assert_ptr_null(emu_create(&cfg));
	cfg.timescale = 1;
	cfg.image = "/nonexistent-dir/x.img";
	ck_assert_ptr_null(emu_create(&cfg));
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(virtual_clock_moves_only_when_slept_on)
{
	struct emu_config cfg;
	char *storage;
	const char *error;
	struct emu *emu;

	ck_assert_int_eq(emu_parse_spec("dvd+r,timescale=virtual", &cfg, &storage, &error), 0);
	ck_assert(cfg.virtual_clock);
	emu = emu_create(&cfg);
	free(storage);
	ck_assert_ptr_nonnull(emu);
	ck_assert_uint_eq(emu_now_ns(emu), 0);
	/* An hour passes at once, and exactly. */
	emu_sleep_until_ns(emu, 3600ull * 1000000000ull);
	ck_assert_uint_eq(emu_now_ns(emu), 3600ull * 1000000000ull);
	/* Time never runs backwards. */
	emu_sleep_until_ns(emu, 5);
	ck_assert_uint_eq(emu_now_ns(emu), 3600ull * 1000000000ull);
	emu_destroy(emu);
}
END_TEST

/* ---- drive-level commands ---- */

/* Polls a long operation with cdb until it is over; the polls it took. */
static int polls_until_ready(struct emu *e, const uint8_t *cdb, uint8_t *b, size_t len)
{
	int polls = 0;

	for (int st = run_in(e, cdb, b, len); st != MMC_GOOD; st = run_in(e, cdb, b, len)) {
		ck_sense(st, 2, 0x04, 0x07);
		ck_assert_int_lt(++polls, 100);
	}
	return polls;
}

/* On the virtual clock, a host polling a long operation moves time on, an
 * eighth of the operation a poll: it sees the progress grow and the end
 * within eight polls. */
START_TEST(virtual_clock_moves_when_polled_while_busy)
{
	struct emu *e = make("dvd-r,timescale=virtual");
	uint8_t b[34];
	uint64_t start, after_first;

	ck_good(write10(e, 0, 16));
	start = emu_now_ns(e);
	ck_good(close_ts(e, 2, 0, true));	/* IMMED: 30 s of lead-out */
	ck_assert_uint_eq(emu_now_ns(e), start);
	ck_sense(run_none(e, CDB(0x00)), 2, 0x04, 0x07);
	after_first = emu_now_ns(e);
	ck_assert_uint_ge(after_first, start + 30 * NS / 8);
	ck_assert_uint_lt(after_first, start + 30 * NS / 4);
	ck_assert_int_le(polls_until_ready(e, CDB(0x00), b, 0), 7);
	ck_assert_uint_ge(emu_now_ns(e), start + 30 * NS);
	/* READ DISC INFORMATION polls too, and so does GET EVENT STATUS,
	 * which is answered while busy. */
	ck_good(write10(e, nwa(e), 16));
	ck_good(close_ts(e, 2, 0, true));
	ck_assert_int_le(polls_until_ready(e, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34), b, 34), 8);
	ck_good(write10(e, nwa(e), 16));
	ck_good(close_ts(e, 2, 0, true));
	for (int i = 0; i < 8; i++)
		ck_good(run_in(e, CDB(0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8), b, 8));
	ck_good(run_none(e, CDB(0x00)));
	emu_destroy(e);
}
END_TEST

START_TEST(inquiry_identifies_a_removable_cd_dvd_device)
{
	struct emu *e = make("dvd+rw");
	uint8_t b[96];

	ck_good(run_in(e, CDB(0x12, 0, 0, 0, 96), b, sizeof(b)));
	ck_assert_uint_eq(xfer, 36);
	ck_assert_int_eq(b[0], 0x05);
	ck_assert_int_eq(b[1], 0x80);
	ck_assert_int_eq(b[4], 31);
	ck_assert_mem_eq(b + 8, "DISCFS  ", 8);
	ck_assert_mem_eq(b + 16, "Emulated Writer ", 16);
	ck_assert_mem_eq(b + 32, "1.0 ", 4);
	/* allocation length and host buffer both bound the reply */
	ck_good(run_in(e, CDB(0x12, 0, 0, 0, 5), b, sizeof(b)));
	ck_assert_uint_eq(xfer, 5);
	ck_assert_int_eq(b[5], 0xCC);
	ck_good(run_in(e, CDB(0x12, 0, 0, 0, 96), b, 3));
	ck_assert_uint_eq(xfer, 3);
	ck_sense(run_in(e, CDB(0x12, 1, 0x80, 0, 96), b, sizeof(b)), 5, 0x24, 0x00);
	emu_destroy(e);
}
END_TEST

START_TEST(unknown_and_short_cdbs_are_refused)
{
	struct emu *e = make("cd-r");
	uint8_t cdb[12] = { MMC_READ_DISC_INFO };

	ck_sense(run_none(e, CDB(0xA8)), 5, 0x20, 0x00);
	ck_sense(run_none(e, CDB(0xFF)), 5, 0x20, 0x00);
	memset(sense, 0, sizeof(sense));
	ck_sense(emu_exec(e, cdb, 6, MMC_DIR_NONE, NULL, 0, &xfer, sense), 5, 0x24, 0x00);
	ck_sense(emu_exec(e, cdb, 0, MMC_DIR_NONE, NULL, 0, &xfer, sense), 5, 0x20, 0x00);
	ck_sense(emu_exec(e, NULL, 10, MMC_DIR_NONE, NULL, 0, &xfer, sense), 5, 0x20, 0x00);
	emu_destroy(e);
}
END_TEST

START_TEST(no_medium_reports_tray_state)
{
	struct emu *e = make("none");
	uint8_t b[64];

	ck_assert_str_eq(emu_media_name(e), "none");
	ck_sense(run_none(e, CDB(0x00)), 2, 0x3A, 0x01);
	ck_sense(run_in(e, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34), b, 34), 2, 0x3A, 0x01);
	ck_sense(run_in(e, CDB(0x25), b, 8), 2, 0x3A, 0x01);
	ck_assert_int_eq(current_profile(e), 0);
	/* GET PERFORMANCE type 03h: an empty list */
	ck_good(run_in(e, CDB(0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 8, 3), b, 64));
	ck_assert_uint_eq(xfer, 8);
	ck_assert_uint_eq(mmc_get32(b), 4);
	/* READ FORMAT CAPACITIES: "no media present" descriptor */
	ck_good(run_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 12), b, 12));
	ck_assert_int_eq(b[3], 8);
	ck_assert_int_eq(b[8] & 3, 3);
	ck_assert_int_eq(emu_eject(e), 0);
	ck_sense(run_none(e, CDB(0x00)), 2, 0x3A, 0x02);
	ck_good(run_none(e, CDB(0x1B, 0, 0, 0, 0x03)));	/* close the empty tray */
	ck_sense(run_none(e, CDB(0x00)), 2, 0x3A, 0x01);
	emu_destroy(e);
}
END_TEST

START_TEST(loading_media_raises_unit_attention_and_event_once)
{
	struct emu *e = make("none");
	uint8_t b[8];

	ck_assert_int_eq(emu_load_media(e, "dvd+rw", EMU_STATE_CLOSED), -EINVAL);
	ck_assert_int_eq(emu_load_media(e, "bd-r", EMU_STATE_BLANK), 0);
	ck_assert_int_eq(emu_load_media(e, "laserdisc", EMU_STATE_BLANK), -EINVAL);
	ck_assert_str_eq(emu_media_name(e), "bd-r");
	/* INQUIRY, REQUEST SENSE and GET EVENT STATUS do not consume the unit attention */
	ck_good(run_in(e, CDB(0x12, 0, 0, 0, 36), b, 8));
	ck_good(run_in(e, CDB(0x03, 0, 0, 0, 8), b, 8));
	ck_good(run_in(e, CDB(0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8), b, 8));
	ck_assert_uint_eq(mmc_get16(b), 6);
	ck_assert_int_eq(b[2] & 7, 4);
	ck_assert_int_eq(b[3], 0x10);
	ck_assert_int_eq(b[4] & 0xF, 2);	/* new media */
	ck_assert_int_eq(b[5], 0x02);		/* present, tray closed */
	ck_good(run_in(e, CDB(0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8), b, 8));
	ck_assert_int_eq(b[4] & 0xF, 0);	/* reported once */
	ck_sense(run_none(e, CDB(0x00)), 6, 0x28, 0x00);
	ck_good(run_none(e, CDB(0x00)));
	ck_assert_int_eq(current_profile(e), 0x41);
	emu_destroy(e);
}
END_TEST

START_TEST(event_status_without_media_class_is_nea)
{
	struct emu *e = make("cd-r");
	uint8_t b[8];

	ck_good(run_in(e, CDB(0x4A, 1, 0, 0, 0x02, 0, 0, 0, 8), b, 8));
	ck_assert_uint_eq(xfer, 4);
	ck_assert_int_eq(b[2] & 0x80, 0x80);
	ck_assert_int_eq(b[3], 0x10);
	ck_sense(run_in(e, CDB(0x4A, 0, 0, 0, 0x10, 0, 0, 0, 8), b, 8), 5, 0x24, 0x00);	/* not polled */
	emu_destroy(e);
}
END_TEST

START_TEST(prevent_blocks_eject_and_tray_cycle_reloads)
{
	struct emu *e = make("dvd-r");
	uint8_t b[8];

	ck_good(run_none(e, CDB(0x1E, 0, 0, 0, 1)));
	ck_sense(run_none(e, CDB(0x1B, 0, 0, 0, 0x02)), 5, 0x53, 0x02);
	ck_assert_int_eq(emu_eject(e), -EBUSY);
	ck_good(run_none(e, CDB(0x1E, 0, 0, 0, 0)));
	ck_good(run_none(e, CDB(0x1B, 0, 0, 0, 0x02)));
	ck_assert_str_eq(emu_media_name(e), "none");
	ck_sense(run_none(e, CDB(0x00)), 2, 0x3A, 0x02);
	ck_good(run_in(e, CDB(0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8), b, 8));
	ck_assert_int_eq(b[4] & 0xF, 3);	/* removal */
	ck_assert_int_eq(b[5], 0x01);		/* tray open, no medium */
	ck_good(run_none(e, CDB(0x1B, 0, 0, 0, 0x03)));
	ck_sense(run_none(e, CDB(0x00)), 6, 0x28, 0x00);
	ck_good(run_none(e, CDB(0x00)));
	ck_assert_str_eq(emu_media_name(e), "dvd-r");
	emu_destroy(e);
}
END_TEST

START_TEST(request_sense_returns_last_failure_then_nothing)
{
	struct emu *e = make("cd-r");
	uint8_t b[18];

	ck_sense(run_in(e, CDB(0x28, 0, 0, 0, 0, 0, 0, 0, 1), b, 18), 5, 0x24, 0x00);
	ck_good(run_in(e, CDB(0x03, 0, 0, 0, 18), b, 18));
	ck_assert_int_eq(b[0], 0x70);
	ck_assert_int_eq(b[7], 10);
	ck_assert_int_eq(b[2], 5);
	ck_assert_int_eq(b[12], 0x24);
	ck_good(run_in(e, CDB(0x03, 0, 0, 0, 18), b, 18));
	ck_assert_int_eq(b[2], 0);
	ck_assert_int_eq(b[12], 0);
	emu_destroy(e);
}
END_TEST

/* ---- GET CONFIGURATION ---- */

/* The descriptor of a feature in an RT=0 reply, or NULL. */
static const uint8_t *feature(const uint8_t *b, size_t len, uint16_t code)
{
	size_t end = 4 + mmc_get32(b);

	for (size_t off = 8; off + 4 <= end && off + 4 <= len; off += 4 + b[off + 3])
		if (mmc_get16(b + off) == code)
			return b + off;
	return NULL;
}

START_TEST(configuration_lists_profiles_and_current_features)
{
	struct emu *e = make("dvd+rw");
	uint8_t b[1024];
	const uint8_t *f;
	bool found = false;

	ck_good(run_in(e, CDB(0x46, 0, 0, 0, 0, 0, 0, B16(1024)), b, sizeof(b)));
	ck_assert_uint_eq(xfer, 4 + mmc_get32(b));
	ck_assert_int_eq(mmc_get16(b + 6), 0x1A);
	f = feature(b, xfer, 0x0000);
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < f[3]; i += 4) {
		uint16_t p = mmc_get16(f + 4 + i);

		ck_assert_int_eq(f[4 + i + 2] & 1, p == 0x1A);
		found |= p == 0x43;
	}
	ck_assert(found);
	ck_assert_int_eq(feature(b, xfer, 0x002A)[2] & 1, 1);	/* DVD+RW current */
	ck_assert_int_eq(feature(b, xfer, 0x002B)[2] & 1, 0);	/* DVD+R not */
	ck_assert_int_eq(feature(b, xfer, 0x0020)[2] & 1, 1);	/* random writable */
	ck_assert_int_eq(feature(b, xfer, 0x0023)[2] & 1, 1);	/* formattable */
	ck_assert_int_eq(feature(b, xfer, 0x002D)[2] & 1, 0);
	f = feature(b, xfer, 0x0003);
	ck_assert_int_eq(f[4] & 0xE0, 0x20);	/* tray */
	ck_assert_int_eq(f[4] & 0x19, 0x19);	/* load, eject, lock */
	f = feature(b, xfer, 0x0107);
	ck_assert_int_eq(f[4] & 0x1F, 0x1F);
	ck_assert_ptr_nonnull(feature(b, xfer, 0x0100));
	ck_assert_ptr_nonnull(feature(b, xfer, 0x0024));
	ck_assert_ptr_nonnull(feature(b, xfer, 0x0041));

	/* RT=1: current features only */
	ck_good(run_in(e, CDB(0x46, 1, 0, 0, 0, 0, 0, B16(1024)), b, sizeof(b)));
	ck_assert_ptr_null(feature(b, xfer, 0x002B));
	ck_assert_ptr_nonnull(feature(b, xfer, 0x002A));
	/* RT=2: the one feature asked for */
	ck_good(run_in(e, CDB(0x46, 2, 0x00, 0x2F, 0, 0, 0, B16(1024)), b, sizeof(b)));
	ck_assert_uint_eq(xfer, 8 + 8);
	ck_assert_int_eq(mmc_get16(b + 8), 0x002F);
	ck_assert_int_eq(b[10] & 1, 0);
	ck_assert_int_eq(b[12] & 0x40, 0x40);	/* BUF */
	ck_sense(run_in(e, CDB(0x46, 3, 0, 0, 0, 0, 0, 0, 8), b, 8), 5, 0x24, 0x00);
	emu_destroy(e);
}
END_TEST

START_TEST(configuration_current_bits_follow_the_medium)
{
	static const struct {
		const char *media;
		uint16_t profile, feature;
	} cases[] = {
		{ "cd-r", 0x09, 0x002D }, { "cd-rw", 0x0A, 0x002E }, { "dvd-r", 0x11, 0x002F },
		{ "dvd-rw", 0x14, 0x0021 }, { "dvd+r", 0x1B, 0x002B }, { "dvd+rw", 0x1A, 0x002A },
		{ "bd-r", 0x41, 0x0041 }, { "bd-re", 0x43, 0x0024 }, { "cd-rom", 0x08, 0x001E },
		{ "dvd-rom", 0x10, 0x001F },
	};
	uint8_t b[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct emu *e = make(cases[i].media);
		const uint8_t *f;

		ck_good(run_in(e, CDB(0x46, 0, 0, 0, 0, 0, 0, B16(1024)), b, sizeof(b)));
		ck_assert_int_eq(mmc_get16(b + 6), cases[i].profile);
		f = feature(b, xfer, cases[i].feature);
		ck_assert_ptr_nonnull(f);
		ck_assert_msg(f[2] & 1, "%s: feature %04X not current", cases[i].media, cases[i].feature);
		emu_destroy(e);
	}
}
END_TEST

/* ---- disc information per medium ---- */

START_TEST(disc_information_per_medium)
{
	static const struct {
		const char *media;
		uint8_t status, state;
		bool erasable;
		uint8_t bg;
		uint32_t leadout;	/* bytes 20-23 */
	} cases[] = {
		{ "cd-r", 0, 0, false, 0, 0x004F3B4A },	/* 79:59:74 */
		{ "cd-rw", 0, 0, true, 0, 0x004F3B4A },
		{ "dvd-r", 0, 0, false, 0, 2298496 },
		{ "dvd-rw", 0, 0, true, 0, 2297888 },
		{ "dvd+r", 0, 0, false, 0, 2295104 },
		{ "dvd+rw", 3, 3, true, 3, 2295104 },
		{ "bd-r", 0, 0, false, 0, 12219392 },
		{ "bd-re", 3, 3, true, 3, 11826176 },
		{ "dvd-rom", 2, 3, false, 0, 512 },
	};
	uint8_t b[34];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct emu *e = make(cases[i].media);

		disc_info(e, b);
		ck_assert_uint_eq(mmc_get16(b), 32);
		ck_assert_msg((b[2] & 3) == cases[i].status, "%s status %d", cases[i].media, b[2] & 3);
		ck_assert_int_eq((b[2] >> 2) & 3, cases[i].state);
		ck_assert_int_eq(!!(b[2] & 0x10), cases[i].erasable);
		ck_assert_int_eq(b[7] & 3, cases[i].bg);
		ck_assert_int_eq(b[3], 1);
		ck_assert_int_eq(b[4], 1);
		ck_assert_msg(mmc_get32(b + 20) == cases[i].leadout, "%s lead-out %08X", cases[i].media,
			      mmc_get32(b + 20));
		emu_destroy(e);
	}
}
END_TEST

START_TEST(unformatted_overwrite_media_with_state_blank)
{
	struct emu *e = make("dvd+rw,state=blank");
	uint8_t b[48];

	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 0);
	ck_assert_int_eq(b[7] & 3, 0);
	ck_sense(write10(e, 0, 16), 5, 0x30, 0x10);
	ck_good(run_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 48), b, 48));
	ck_assert_int_eq(b[3], 16);
	ck_assert_uint_eq(mmc_get32(b + 4), 2295104);
	ck_assert_int_eq(b[8] & 3, 1);		/* unformatted */
	ck_assert_int_eq(b[12 + 4] >> 2, 0x26);
	emu_destroy(e);
}
END_TEST

/* ---- sequential write life cycle ---- */

START_TEST(dvd_r_blank_write_close_append_finalize)
{
	struct emu *e = make("dvd-r,timescale=100000");
	uint8_t b[48], r[4 * 2048];
	uint8_t *expect;

	/* blank: one empty session, invisible track 1 at 0 */
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 0x0F, 0x00);
	ck_assert_int_eq(b[5], 1);
	ck_assert_int_eq(b[6], 1);
	ck_good(track_info(e, 1, 1, b));
	ck_assert_int_eq(b[2], 1);
	/* Blank, variable packets (Packet/Inc 1, FP 0), data mode 1: page
	 * 05h's default of fixed 16-sector packets is not the track's. */
	ck_assert_int_eq(b[6], 0x61);
	ck_assert_uint_eq(mmc_get32(b + 20), 0);
	ck_assert_int_eq(b[7] & 3, 1);
	ck_assert_uint_eq(mmc_get32(b + 12), 0);
	ck_assert_uint_eq(mmc_get32(b + 16), 2298496);
	ck_sense(run_in(e, CDB(0x28, 0, 0, 0, 0, 0, 0, 0, 1), r, 2048), 5, 0x21, 0x00);

	/* writing opens track 1: incomplete disc, incomplete session */
	ck_sense(write10(e, 16, 16), 5, 0x21, 0x02);
	ck_good(write10(e, 0, 100));
	ck_assert_uint_eq(xfer, 100 * 2048);
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 1);
	ck_assert_int_eq((b[2] >> 2) & 3, 1);
	ck_good(track_info(e, 1, 1, b));
	ck_assert_int_eq(b[6] & 0x40, 0);
	ck_assert_uint_eq(mmc_get32(b + 12), 100);
	ck_assert_uint_eq(mmc_get32(b + 16), 2298496 - 100);
	ck_assert_int_eq(b[7] & 3, 3);
	ck_assert_uint_eq(mmc_get32(b + 28), 99);
	ck_assert_int_eq(b[5] & 0x0F, 7);
	ck_assert_int_eq(b[6], 0x31);	/* written with page 05h's FP=1: fixed packets of 16 */
	ck_assert_uint_eq(mmc_get32(b + 20), 16);
	ck_good(write10(e, 100, 4));
	ck_good(run_in(e, CDB(0x28, 0, 0, 0, 0, 100, 0, 0, 4), r, sizeof(r)));
	expect = sectors(100, 4);
	ck_assert_mem_eq(r, expect, sizeof(r));
	free(expect);
	ck_good(run_in(e, CDB(0x25), b, 8));
	ck_assert_uint_eq(mmc_get32(b), 103);
	ck_assert_uint_eq(mmc_get32(b + 4), 2048);
	ck_good(sync_cache(e));

	/* close track: size 104, the next track starts on an ECC block */
	ck_good(close_ts(e, 1, 1, false));
	ck_good(track_info(e, 1, 1, b));
	ck_assert_uint_eq(mmc_get32(b + 24), 104);
	ck_assert_int_eq(b[7] & 1, 0);
	ck_assert_uint_eq(nwa(e), 112);
	ck_good(track_info(e, 1, 2, b));
	ck_assert_int_eq(b[2], 2);

	/* close session with multi-session 11b: appendable */
	ck_good(close_ts(e, 2, 0, false));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 1);
	ck_assert_int_eq((b[2] >> 2) & 3, 0);
	ck_assert_int_eq(b[4], 2);
	ck_assert_int_eq(b[5], 2);
	ck_assert_int_eq(b[6], 2);
	ck_assert_uint_eq(nwa(e), 112);
	ck_good(track_info(e, 2, 2, b));
	ck_assert_int_eq(b[2], 2);
	ck_good(run_in(e, CDB(0x43, 0, 1, 0, 0, 0, 0, 0, 12), b, 12));
	ck_assert_int_eq(b[3], 1);
	ck_assert_int_eq(b[6], 1);
	ck_assert_uint_eq(mmc_get32(b + 8), 0);

	/* second session, then finalize through page 05h multi-session 00b */
	ck_good(write10(e, 112, 32));
	ck_good(set_write_params(e, true, 0, 0));
	ck_good(close_ts(e, 2, 0, false));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 0x0F, 0x0E);	/* complete session, finalized */
	ck_assert_int_eq(b[4], 2);
	ck_assert_int_eq(b[6], 2);
	ck_sense(track_info(e, 1, 0xFF, b), 5, 0x24, 0x00);
	ck_sense(write10(e, 144, 16), 7, 0x27, 0x00);
	ck_sense(close_ts(e, 2, 0, false), 5, 0x2C, 0x00);
	ck_good(run_in(e, CDB(0x43, 0, 1, 0, 0, 0, 0, 0, 12), b, 12));
	ck_assert_int_eq(b[3], 2);
	ck_assert_int_eq(b[6], 2);
	ck_assert_uint_eq(mmc_get32(b + 8), 112);
	emu_destroy(e);
}
END_TEST

START_TEST(cd_sessions_cost_lead_in_and_lead_out)
{
	struct emu *e = make("cd-r,timescale=100000");
	uint8_t b[36];

	ck_good(write10(e, 0, 300));
	ck_good(close_ts(e, 2, 0, false));
	ck_assert_uint_eq(nwa(e), 300 + 11400);
	ck_good(write10(e, 11700, 50));
	ck_good(close_ts(e, 1, 2, false));
	ck_assert_uint_eq(nwa(e), 11750 + 152);
	ck_good(write10(e, 11902, 10));
	ck_good(close_ts(e, 2, 0, false));
	ck_assert_uint_eq(nwa(e), 11912 + 6900);
	disc_info(e, b);
	ck_assert_int_eq(b[4], 3);
	ck_assert_int_eq(b[5], 4);
	/* READ TOC format 0 in MSF: track 2 at 11700 = 02:38:00 */
	ck_good(run_in(e, CDB(0x43, 2, 0, 0, 0, 0, 0, 0, 36), b, 36));
	ck_assert_uint_eq(mmc_get16(b), 34);
	ck_assert_int_eq(b[3], 3);
	ck_assert_int_eq(b[4 + 8 + 2], 2);
	ck_assert_uint_eq(mmc_get32(b + 4 + 8 + 4), 0x00022600 | 0);
	ck_assert_int_eq(b[4 + 24 + 2], 0xAA);
	ck_good(run_in(e, CDB(0x43, 0, 1, 0, 0, 0, 0, 0, 12), b, 12));
	ck_assert_int_eq(b[3], 2);
	ck_assert_int_eq(b[6], 2);
	ck_assert_uint_eq(mmc_get32(b + 8), 11700);
	ck_sense(run_in(e, CDB(0x43, 0, 3, 0, 0, 0, 0, 0, 12), b, 12), 5, 0x24, 0x00);	/* no PMA */
	emu_destroy(e);
}
END_TEST

/* READ TOC format 4: the 28-byte ATIP of a blank 80-minute CD-R and CD-RW;
 * DVD media have none. */
START_TEST(atip_of_cd_r_and_cd_rw)
{
	static const uint8_t cd_r[28] = { 0, 26, 0, 0, 0xD0, 0x40, 0x80, 0, 97, 24, 1, 0, 79, 59, 74, 0 };
	static const uint8_t cd_rw[28] = { 0, 26, 0, 0, 0xC1, 0x40, 0xD4, 0, 97, 34, 23, 0, 79, 59, 74, 0, 0x38 };
	struct emu *e = make("cd-r,timescale=100000");
	uint8_t b[34];

	ck_good(run_in(e, CDB(0x43, 0, 4, 0, 0, 0, 0, 0, 32), b, 32));
	ck_assert_uint_eq(xfer, 28);
	ck_assert_mem_eq(b, cd_r, 28);
	/* Lead-out 79:59:74 is LBA 359849, the disc's last possible lead-out. */
	disc_info(e, b);
	ck_assert_uint_eq(mmc_msf_field_to_lba(mmc_get32(b + 20)), 359849);
	ck_assert_int_eq(emu_load_media(e, "cd-rw", EMU_STATE_BLANK), 0);
	ck_sense(run_none(e, CDB(0x00)), 6, 0x28, 0x00);
	ck_good(run_in(e, CDB(0x43, 0, 4, 0, 0, 0, 0, 0, 32), b, 32));
	ck_assert_mem_eq(b, cd_rw, 28);
	ck_assert_int_eq(emu_load_media(e, "dvd-r", EMU_STATE_BLANK), 0);
	ck_sense(run_none(e, CDB(0x00)), 6, 0x28, 0x00);
	ck_sense(run_in(e, CDB(0x43, 0, 4, 0, 0, 0, 0, 0, 32), b, 32), 5, 0x24, 0x00);
	emu_destroy(e);
}
END_TEST

/* READ TOC format 2 on a two-session CD-R: per session A0, A1, A2, the
 * tracks and B0 (the next program area and the ATIP lead-out), and C0 (the
 * ATIP lead-in) in the first; a finalized disc's last session has no B0. */
START_TEST(full_toc_lists_every_session)
{
	static const uint8_t expect[4 + 12 * 11] = {
		0, 134, 1, 2,
		1, 0x14, 0, 0xA0, 0, 0, 0, 0, 1, 0x00, 0,
		1, 0x14, 0, 0xA1, 0, 0, 0, 0, 1, 0, 0,
		1, 0x14, 0, 0xA2, 0, 0, 0, 0, 0, 6, 0,
		1, 0x14, 0, 0x01, 0, 0, 0, 0, 0, 2, 0,
		1, 0x54, 0, 0xB0, 2, 36, 0, 2, 79, 59, 74,
		1, 0x54, 0, 0xC0, 0xD0, 0, 0, 0, 97, 24, 1,
		2, 0x14, 0, 0xA0, 0, 0, 0, 0, 2, 0x00, 0,
		2, 0x14, 0, 0xA1, 0, 0, 0, 0, 3, 0, 0,
		2, 0x14, 0, 0xA2, 0, 0, 0, 0, 2, 40, 62,
		2, 0x14, 0, 0x02, 0, 0, 0, 0, 2, 38, 0,
		2, 0x14, 0, 0x03, 0, 0, 0, 0, 2, 40, 52,
		2, 0x54, 0, 0xB0, 4, 10, 62, 1, 79, 59, 74,
	};
	struct emu *e = make("cd-r,timescale=100000");
	uint8_t b[200];

	ck_sense(run_in(e, CDB(0x43, 2, 2, 0, 0, 0, 0, 0, 200), b, 200), 5, 0x24, 0x00);	/* blank */
	ck_good(write10(e, 0, 300));
	ck_good(close_ts(e, 2, 0, false));
	ck_good(write10(e, 11700, 50));
	ck_good(close_ts(e, 1, 2, false));
	ck_good(write10(e, 11902, 10));
	ck_good(close_ts(e, 2, 0, false));
	ck_good(run_in(e, CDB(0x43, 2, 2, 0, 0, 0, 0, 0, 200), b, 200));
	ck_assert_uint_eq(xfer, sizeof(expect));
	ck_assert_mem_eq(b, expect, sizeof(expect));
	/* From session 2 on; the MSF bit changes nothing. */
	ck_good(run_in(e, CDB(0x43, 0, 2, 0, 0, 0, 2, 0, 200), b, 200));
	ck_assert_uint_eq(xfer, 4 + 6 * 11);
	ck_assert_int_eq(b[2], 2);
	ck_assert_mem_eq(b + 4, expect + 4 + 6 * 11, 6 * 11);
	ck_sense(run_in(e, CDB(0x43, 0, 2, 0, 0, 0, 3, 0, 200), b, 200), 5, 0x24, 0x00);
	/* Finalized: the last session's B0 goes. */
	ck_good(write10(e, 18812, 10));
	ck_good(set_write_params(e, true, 1, 0));
	ck_good(close_ts(e, 2, 0, false));
	ck_good(run_in(e, CDB(0x43, 2, 2, 0, 0, 0, 3, 0, 200), b, 200));
	ck_assert_uint_eq(xfer, 4 + 4 * 11);
	ck_assert_int_eq(b[4 + 3 * 11 + 3], 4);	/* A0 A1 A2, track 4, no B0 */
	emu_destroy(e);
}
END_TEST

/* CD session-at-once: SEND CUE SHEET lays out lead-in, one Mode 1 track
 * with its 150-sector pre-gap and the lead-out; the host writes from LBA
 * -150; the drive closes the session at SYNCHRONIZE CACHE. */
START_TEST(cd_session_at_once)
{
	static const uint8_t cue[32] = {
		0x41, 0x00, 0x00, 0x14, 0, 0, 0, 0,	/* lead-in */
		0x41, 0x01, 0x00, 0x10, 0, 0, 0, 0,	/* track 1 index 0 (pre-gap) at 00:00:00 */
		0x41, 0x01, 0x01, 0x10, 0, 0, 2, 0,	/* index 1 at 00:02:00, LBA 0 */
		0x41, 0xAA, 0x01, 0x14, 0, 0, 6, 0,	/* lead-out at 00:06:00, LBA 300 */
	};
	uint8_t bad[32], b[48], r[2048], *expect;
	struct emu *e = make("cd-r,timescale=100000");

	ck_sense(run_out(e, CDB(0x5D, 0, 0, 0, 0, 0, 0, 0, 32), cue, 32), 5, 0x2C, 0x00);	/* TAO */
	ck_good(set_write_params(e, true, 2, 3));
	memcpy(bad, cue, 32);
	bad[11] = 0x00;	/* an audio track */
	ck_sense(run_out(e, CDB(0x5D, 0, 0, 0, 0, 0, 0, 0, 32), bad, 32), 5, 0x26, 0x00);
	memcpy(bad, cue, 32);
	bad[22] = 3;	/* index 1 at 00:03:00: a pre-gap of 225 */
	ck_sense(run_out(e, CDB(0x5D, 0, 0, 0, 0, 0, 0, 0, 32), bad, 32), 5, 0x26, 0x00);
	ck_sense(write10(e, (uint32_t)-150, 16), 5, 0x2C, 0x00);	/* no cue sheet yet */
	ck_good(run_out(e, CDB(0x5D, 0, 0, 0, 0, 0, 0, 0, 32), cue, 32));
	ck_sense(write10(e, 0, 16), 5, 0x21, 0x02);	/* the pre-gap comes first */
	ck_good(write10(e, (uint32_t)-150, 200));
	ck_good(write10(e, 50, 250));
	ck_sense(write10(e, 300, 1), 5, 0x21, 0x00);	/* past the lead-out */
	ck_good(sync_cache(e));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 0x0F, 0x01);	/* appendable: page 05h said multi-session */
	ck_assert_int_eq(b[4], 2);
	ck_good(track_info(e, 1, 1, b));
	ck_assert_uint_eq(mmc_get32(b + 8), 0);
	ck_assert_uint_eq(mmc_get32(b + 24), 300);
	ck_assert_uint_eq(nwa(e), 300 + 11400);
	/* The pre-gap is not kept; LBA 0 holds the 151st sector sent. */
	ck_good(run_in(e, CDB(0x28, 0, 0, 0, 0, 0, 0, 0, 1), r, sizeof(r)));
	expect = sectors(0, 1);
	ck_assert_mem_eq(r, expect, sizeof(r));
	free(expect);
	emu_destroy(e);
}
END_TEST

START_TEST(finalized_cd_and_track_info_by_session)
{
	struct emu *e = make("cd-rw,timescale=100000");
	uint8_t b[48];

	ck_good(write10(e, 0, 500));
	ck_good(close_ts(e, 2, 0, false));
	ck_good(write10(e, 11900, 20));
	ck_good(track_info(e, 2, 2, b));	/* session 2: its first track */
	ck_assert_int_eq(b[2], 2);
	ck_assert_int_eq(b[3], 2);
	ck_assert_uint_eq(mmc_get32(b + 8), 11900);
	ck_assert_int_eq(b[5] & 0x0F, 4);
	ck_sense(track_info(e, 2, 3, b), 5, 0x24, 0x00);
	ck_sense(track_info(e, 3, 1, b), 5, 0x24, 0x00);
	ck_good(set_write_params(e, true, 1, 0));
	ck_good(close_ts(e, 2, 0, false));
	ck_good(run_in(e, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34), b, 34));
	ck_assert_int_eq(b[2] & 0x1F, 0x1E);	/* erasable, complete, finalized */
	ck_assert_uint_eq(mmc_get32(b + 16), 0xFFFFFFFF);
	ck_assert_uint_eq(mmc_get32(b + 20), 0xFFFFFFFF);
	ck_sense(write10(e, 18820, 1), 7, 0x27, 0x00);
	emu_destroy(e);
}
END_TEST

START_TEST(dvd_plus_r_and_bd_r_finalize_with_their_functions)
{
	struct emu *e = make("dvd+r,timescale=100000");
	uint8_t b[48];

	ck_sense(close_ts(e, 5, 0, false), 5, 0x2C, 0x00);	/* blank: nothing to finalize */
	ck_good(write10(e, 0, 20));
	ck_good(close_ts(e, 2, 0, false));
	ck_assert_uint_eq(nwa(e), 32);
	ck_sense(close_ts(e, 6, 0, false), 5, 0x24, 0x00);
	ck_good(close_ts(e, 5, 0, false));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 2);
	emu_destroy(e);

	e = make("bd-r,timescale=100000");
	ck_good(write10(e, 0, 33));
	ck_good(close_ts(e, 1, 1, false));
	ck_assert_uint_eq(nwa(e), 64);
	ck_good(write10(e, 64, 1));
	ck_sense(close_ts(e, 5, 0, false), 5, 0x24, 0x00);
	ck_good(close_ts(e, 6, 0, false));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 0x0F, 0x0E);
	ck_assert_int_eq(b[4], 1);
	ck_assert_int_eq(b[6], 2);
	ck_good(track_info(e, 0, 64, b));	/* by LBA: track 2 */
	ck_assert_int_eq(b[2], 2);
	ck_assert_uint_eq(mmc_get32(b + 24), 1);
	ck_sense(track_info(e, 0, 70, b), 5, 0x24, 0x00);	/* beyond the last track */
	emu_destroy(e);
}
END_TEST

START_TEST(write_errors)
{
	struct emu *e = make("cd-r");
	uint8_t data[2048];

	ck_sense(write10(e, 5, 1), 5, 0x21, 0x02);
	/* less data than the CDB claims */
	ck_sense(run_out(e, CDB(0x2A, 0, 0, 0, 0, 0, 0, 0, 2), data, sizeof(data)), 5, 0x24, 0x00);
	ck_sense(run(e, CDB(0x2A, 0, 0, 0, 0, 0, 0, 0, 1), MMC_DIR_READ, data, sizeof(data)), 5, 0x24, 0x00);
	/* WRITE(12) with a huge transfer length */
	ck_sense(run_out(e, CDB(0xAA, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF), data, sizeof(data)), 5, 0x24, 0x00);
	ck_sense(run_out(e, CDB(0xAA, 0, 0, 0x05, 0x7D, 0x00, 0, 0x10, 0, 0), data, sizeof(data)), 5, 0x24, 0x00);
	ck_good(run_out(e, CDB(0xAA, 0, 0, 0, 0, 0, 0, 0, 0, 1), data, sizeof(data)));
	ck_good(run_out(e, CDB(0x2A, 0, 0, 0, 0, 1, 0, 0, 0), NULL, 0));	/* zero blocks */
	/* beyond the capacity at the NWA */
	ck_sense(run_out(e, CDB(0xAA, 0, 0, 0, 0, 1, 0, 0x05, 0x7D, 0x00), data, sizeof(data)), 5, 0x24, 0x00);
	emu_destroy(e);

	e = make("dvd-rom");
	ck_sense(write10(e, 0, 1), 5, 0x30, 0x05);
	ck_sense(run_none(e, CDB(0xA1, 0x01)), 5, 0x30, 0x05);
	emu_destroy(e);
}
END_TEST

START_TEST(overwrite_media_accept_writes_anywhere)
{
	struct emu *e = make("bd-re");
	uint8_t b[48], r[2048];
	uint8_t *expect = sectors(5000, 1);

	ck_good(write10(e, 5000, 1));
	ck_good(write10(e, 10, 1));
	ck_good(run_in(e, CDB(0x28, 0, B32(5000), 0, 0, 1), r, sizeof(r)));
	ck_assert_mem_eq(r, expect, 2048);
	free(expect);
	ck_sense(write10(e, 11826176 - 1, 2), 5, 0x21, 0x00);
	ck_sense(run_in(e, CDB(0x28, 0, B32(11826176), 0, 0, 1), r, sizeof(r)), 5, 0x21, 0x00);
	ck_good(run_in(e, CDB(0x25), b, 8));
	ck_assert_uint_eq(mmc_get32(b), 11826176 - 1);
	ck_good(track_info(e, 1, 1, b));
	ck_assert_uint_eq(mmc_get32(b + 24), 11826176);
	ck_sense(track_info(e, 1, 2, b), 5, 0x24, 0x00);
	ck_good(close_ts(e, 2, 0, false));	/* stop background format: accepted */
	emu_destroy(e);
}
END_TEST

/* ---- the image file ---- */

static int write_zeros(struct emu *e, uint32_t lba, uint16_t blocks)
{
	uint8_t *zeros = calloc(blocks, 2048);
	int st;

	ck_assert_ptr_nonnull(zeros);
	st = run_out(e, CDB(0x2A, 0, B32(lba), 0, B16(blocks)), zeros, (size_t)blocks * 2048);
	free(zeros);
	return st;
}

static void image_stat(const char *image, struct stat *st)
{
	char p[256];

	ck_assert_int_eq(stat(img_path(p, sizeof(p), image), st), 0);
}

START_TEST(zeros_over_data_read_back_as_zeros)
{
	struct emu *e = make_on("bd-re", "zeros.img", "");
	uint8_t r[8 * 2048], zero[2048] = { 0 };
	uint8_t *expect = sectors(100, 8);
	struct stat st;

	ck_good(write10(e, 100, 8));
	/* zeros over 102-105, and one past the data's end */
	ck_good(write_zeros(e, 102, 4));
	ck_good(write_zeros(e, 2000, 1));
	ck_good(run_in(e, CDB(0x28, 0, B32(100), 0, 0, 8), r, sizeof(r)));
	ck_assert_mem_eq(r, expect, 2 * 2048);
	for (int i = 2; i < 6; i++)
		ck_assert_mem_eq(r + i * 2048, zero, 2048);
	ck_assert_mem_eq(r + 6 * 2048, expect + 6 * 2048, 2 * 2048);
	ck_good(run_in(e, CDB(0x28, 0, B32(2000), 0, 0, 1), r, 2048));
	ck_assert_mem_eq(r, zero, 2048);
	/* the image still reaches the last sector written */
	image_stat("zeros.img", &st);
	ck_assert_int_eq(st.st_size, 2001 * 2048);
	free(expect);
	emu_destroy(e);
}
END_TEST

/* A sparse file burned costs the host what its data costs, not its size. */
START_TEST(zero_sectors_stay_holes_in_the_image)
{
	struct emu *e = make_on("dvd+r", "holes.img", "timescale=virtual");
	const uint32_t chunk = 16384, gib = 524288;
	struct stat st;
	uint8_t r[2048];
	uint8_t *expect;

	for (uint32_t lba = 0; lba < gib; lba += chunk)
		ck_good(write_zeros(e, lba, (uint16_t)chunk));
	ck_good(write10(e, gib, 1));
	ck_good(sync_cache(e));
	image_stat("holes.img", &st);
	ck_assert_int_eq(st.st_size, (off_t)(gib + 1) * 2048);
	ck_assert_msg(st.st_blocks * 512 <= 1024 * 1024, "1 GiB of zeros took %lld bytes",
		      (long long)st.st_blocks * 512);
	ck_good(run_in(e, CDB(0x28, 0, B32(gib), 0, 0, 1), r, sizeof(r)));
	expect = sectors(gib, 1);
	ck_assert_mem_eq(r, expect, 2048);
	free(expect);
	emu_destroy(e);
}
END_TEST

/* ---- format and blank ---- */

static int format_unit(struct emu *e, uint32_t blocks, uint8_t type, bool immed)
{
	uint8_t p[12] = { 0, immed ? 0x02 : 0, 0, 8, B32(blocks), (uint8_t)(type << 2) };

	return run_out(e, CDB(0x04, 0x11), p, sizeof(p));
}

START_TEST(format_dvd_plus_rw_immed_reports_progress)
{
	struct emu *e = make("dvd+rw,state=blank,timescale=virtual");
	uint8_t b[34];
	uint64_t start = emu_now_ns(e);
	uint16_t first, second;

	ck_sense(format_unit(e, 0, 0x30, true), 5, 0x26, 0x00);
	ck_good(format_unit(e, 0xFFFFFFFF, 0x26, true));
	ck_sense(run_none(e, CDB(0x00)), 2, 0x04, 0x04);
	ck_assert_int_eq(sense[15] & 0x80, 0x80);
	first = progress_from_request_sense(e, 0x04);
	emu_sleep_until_ns(e, start + 10 * NS);
	second = progress_from_request_sense(e, 0x04);
	ck_assert_uint_gt(second, first);
	ck_assert_uint_ge(second, 65536 / 2 - 2000);
	ck_good(run_in(e, CDB(0x46, 0, 0, 0, 0, 0, 0, 0, 8), b, 8));	/* allowed while busy */
	emu_sleep_until_ns(e, start + 21 * NS);
	ck_good(run_none(e, CDB(0x00)));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 3);
	ck_assert_int_eq(b[7] & 3, 3);
	ck_good(write10(e, 100, 16));
	emu_destroy(e);
}
END_TEST

START_TEST(format_bd_re_and_dvd_rw)
{
	struct emu *e = make("bd-re,timescale=100000");
	uint8_t b[64];
	uint64_t before;

	ck_good(run_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 64), b, sizeof(b)));
	ck_assert_int_eq(b[3], 32);
	ck_assert_int_eq(b[8] & 3, 2);
	ck_assert_uint_eq(mmc_get32(b + 12), 11826176);
	ck_assert_int_eq(b[16] >> 2, 0x30);
	ck_assert_int_eq(b[32] >> 2, 0x31);
	ck_assert_uint_eq(mmc_get32(b + 28), 12219392);
	before = emu_now_ns(e);
	ck_good(format_unit(e, 12219392, 0x31, false));	/* waits on the emulated clock */
	ck_assert_uint_ge(emu_now_ns(e) - before, 60 * NS);
	ck_good(run_in(e, CDB(0x25), b, 8));
	ck_assert_uint_eq(mmc_get32(b), 12219392 - 1);
	emu_destroy(e);

	e = make("dvd-rw,timescale=100000");
	ck_good(run_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 64), b, sizeof(b)));
	ck_assert_int_eq(b[3], 32);
	ck_assert_int_eq(b[16] >> 2, 0x00);
	ck_assert_int_eq(b[24] >> 2, 0x13);
	ck_assert_int_eq(b[32] >> 2, 0x15);
	ck_good(format_unit(e, 2297888, 0x15, false));
	ck_assert_int_eq(current_profile(e), 0x13);
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 3);
	ck_sense(write10(e, 8, 16), 5, 0x21, 0x02);	/* restricted overwrite: whole ECC blocks */
	ck_good(write10(e, 32, 16));
	ck_good(run_none(e, CDB(0xA1, 0x00)));		/* full blank: back to sequential */
	ck_assert_int_eq(current_profile(e), 0x14);
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 0);
	emu_destroy(e);

	e = make("cd-r");
	ck_sense(format_unit(e, 0, 0x00, false), 5, 0x30, 0x06);
	ck_sense(run_out(e, CDB(0x04, 0x11), (const uint8_t *)"\0\0", 2), 5, 0x24, 0x00);
	emu_destroy(e);
}
END_TEST

START_TEST(blank_cd_rw_minimal_with_progress)
{
	struct emu *e = make("cd-rw,timescale=virtual");
	uint8_t b[34];
	uint64_t start;

	ck_good(write10(e, 0, 64));
	ck_good(close_ts(e, 2, 0, false));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 1);
	ck_sense(run_none(e, CDB(0xA1, 0x02)), 5, 0x24, 0x00);
	start = emu_now_ns(e);
	ck_good(run_none(e, CDB(0xA1, 0x11)));
	ck_sense(run_none(e, CDB(0x00)), 2, 0x04, 0x07);
	ck_sense(run_in(e, CDB(0x51, 0, 0, 0, 0, 0, 0, 0, 34), b, 34), 2, 0x04, 0x07);
	emu_sleep_until_ns(e, start + 30 * NS);
	ck_assert_uint_ge(progress_from_request_sense(e, 0x07), 65536 / 2 - 2000);
	emu_sleep_until_ns(e, start + 61 * NS);
	ck_good(run_none(e, CDB(0x00)));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 0x0F, 0);
	ck_assert_uint_eq(nwa(e), 0);
	emu_destroy(e);
}
END_TEST

/* ---- mode pages ---- */

START_TEST(mode_pages_report_defaults_and_speeds)
{
	struct emu *e = make("cd-r");
	uint8_t b[256];
	const uint8_t *p;

	mode_sense(e, 0x05, 0, b, 60);
	ck_assert_uint_eq(xfer, 60);
	ck_assert_uint_eq(mmc_get16(b), 58);
	p = b + 8;
	ck_assert_int_eq(p[0] & 0x3F, 5);
	ck_assert_int_eq(p[1], 0x32);
	ck_assert_int_eq(p[2] & 0x40, 0x40);	/* BUFE */
	ck_assert_int_eq(p[2] & 0x0F, 1);	/* TAO */
	ck_assert_int_eq(p[3] >> 6, 3);
	ck_assert_int_eq(p[4] & 0x0F, 8);

	mode_sense(e, 0x2A, 0, b, sizeof(b));
	p = b + 8;
	ck_assert_int_eq(p[0], 0x2A);
	ck_assert_uint_eq(mmc_get16(p + 30), 5);
	ck_assert_uint_eq(p[1], 30 + 4 * 5);
	ck_assert_uint_eq(mmc_get16(p + 28), 8467);
	ck_assert_int_eq(p[27] & 3, 1);		/* CAV selected */
	ck_assert_uint_eq(mmc_get16(p + 12), 2048);
	ck_assert_int_eq(p[32 + 1] & 7, 1);
	ck_assert_uint_eq(mmc_get16(p + 32 + 2), 8467);
	ck_assert_uint_eq(mmc_get16(p + 32 + 4 * 4 + 2), 706);

	mode_sense(e, 0x3F, 0, b, sizeof(b));
	ck_assert_uint_eq(mmc_get16(b), 6 + 52 + 32 + 20);
	ck_assert_int_eq(b[8] & 0x3F, 0x05);
	ck_assert_int_eq(b[8 + 52], 0x2A);
	ck_sense(run_in(e, CDB(0x5A, 0, 0x01, 0, 0, 0, 0, 0, 60), b, 60), 5, 0x24, 0x00);
	ck_sense(run_in(e, CDB(0x5A, 0, 0xC5, 0, 0, 0, 0, 0, 60), b, 60), 5, 0x39, 0x00);
	emu_destroy(e);

	e = make("dvd-r");
	mode_sense(e, 0x05, 0, b, 60);
	ck_assert_int_eq(b[10] & 0x0F, 0);	/* incremental */
	ck_assert_int_eq(b[13], 16);		/* link size */
	emu_destroy(e);
}
END_TEST

START_TEST(mode_select_stores_and_validates)
{
	struct emu *e = make("cd-r");
	uint8_t b[60];

	ck_good(set_write_params(e, false, 2, 0));
	mode_sense(e, 0x05, 0, b, 60);
	ck_assert_int_eq(b[10] & 0x40, 0);
	ck_assert_int_eq(b[10] & 0x0F, 2);
	ck_assert_int_eq(b[11] >> 6, 0);
	mode_sense(e, 0x05, 2, b, 60);	/* defaults unchanged */
	ck_assert_int_eq(b[10] & 0x4F, 0x41);

	ck_sense(set_write_params(e, true, 3, 3), 5, 0x26, 0x00);	/* raw */
	ck_sense(set_write_params(e, true, 1, 2), 5, 0x26, 0x00);	/* reserved multi-session */
	mode_sense(e, 0x05, 0, b, 60);
	b[10] |= 0x10;	/* test write: on CD-R/RW and DVD-R/RW only */
	memset(b, 0, 8);
	ck_good(run_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 60), b, 60));
	b[10] &= (uint8_t)~0x10;
	ck_good(run_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 60), b, 60));
	ck_assert_int_eq(emu_load_media(e, "dvd+r", EMU_STATE_BLANK), 0);
	ck_sense(run_none(e, CDB(0x00)), 6, 0x28, 0x00);
	b[10] |= 0x10;
	ck_sense(run_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 60), b, 60), 5, 0x26, 0x00);
	ck_assert_int_eq(emu_load_media(e, "cd-r", EMU_STATE_BLANK), 0);
	ck_sense(run_none(e, CDB(0x00)), 6, 0x28, 0x00);
	/* parameter list longer than the data sent */
	ck_sense(run_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 60), b, 20), 5, 0x24, 0x00);
	/* a page that does not fit the list, and page 2Ah */
	memset(b, 0, sizeof(b));
	b[8] = 0x05;
	b[9] = 0x32;
	ck_sense(run_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 20), b, 20), 5, 0x26, 0x00);
	b[8] = 0x2A;
	b[9] = 2;
	ck_sense(run_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 12), b, 12), 5, 0x26, 0x00);
	ck_sense(run_out(e, CDB(0x55, 0x11, 0, 0, 0, 0, 0, 0, 12), b, 12), 5, 0x24, 0x00);
	ck_sense(run_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 4), b, 4), 5, 0x26, 0x00);
	emu_destroy(e);
}
END_TEST

/* ---- speeds ---- */

static uint32_t selected_write_speed(struct emu *e)
{
	uint8_t b[256];

	mode_sense(e, 0x2A, 0, b, sizeof(b));
	return mmc_get16(b + 8 + 28);
}

static int set_streaming(struct emu *e, uint32_t write_kb, uint32_t write_ms, bool rdd)
{
	uint8_t d[28] = { rdd ? 0x04 : 0 };

	mmc_put32(d + 8, 2298495);
	mmc_put32(d + 20, write_kb);
	mmc_put32(d + 24, write_ms);
	return run_out(e, CDB(0xB6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 28), d, sizeof(d));
}

START_TEST(performance_descriptors_and_speed_selection)
{
	struct emu *e = make("dvd-r");
	uint8_t b[8 + 16 * 8];

	ck_good(run_in(e, CDB(0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 8, 3), b, sizeof(b)));
	ck_assert_uint_eq(mmc_get32(b), 4 + 16 * 4);
	ck_assert_uint_eq(xfer, 8 + 16 * 4);
	ck_assert_int_eq((b[8] >> 3) & 3, 1);	/* 16x CAV */
	ck_assert_uint_eq(mmc_get32(b + 8 + 4), 2298495);
	ck_assert_uint_eq(mmc_get32(b + 8 + 12), 22160);
	ck_assert_uint_eq(mmc_get32(b + 8 + 48 + 12), 3324);
	ck_assert_int_eq((b[8 + 16] >> 3) & 3, 0);
	/* max descriptors bounds what is sent, not the length */
	ck_good(run_in(e, CDB(0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3), b, sizeof(b)));
	ck_assert_uint_eq(xfer, 24);
	ck_assert_uint_eq(mmc_get32(b), 4 + 16 * 4);

	/* type 00h write nominal: the CAV ramp */
	ck_good(run_in(e, CDB(0xAC, 0x14, 0, 0, 0, 0, 0, 0, 0, 8, 0), b, sizeof(b)));
	ck_assert_uint_eq(xfer, 24);
	ck_assert_int_eq(b[4] & 2, 2);
	ck_assert_uint_eq(mmc_get32(b + 8 + 4), 8864);
	ck_assert_uint_eq(mmc_get32(b + 8 + 8), 2298495);
	ck_assert_uint_eq(mmc_get32(b + 8 + 12), 22160);

	ck_good(set_streaming(e, 12000, 1000, false));
	ck_assert_uint_eq(selected_write_speed(e), 11080);
	ck_good(run_in(e, CDB(0xAC, 0x14, 0, 0, 0, 0, 0, 0, 0, 8, 0), b, sizeof(b)));
	ck_assert_uint_eq(mmc_get32(b + 8 + 4), 11080);
	ck_assert_uint_eq(mmc_get32(b + 8 + 12), 11080);
	ck_good(set_streaming(e, 100, 1000, false));
	ck_assert_uint_eq(selected_write_speed(e), 3324);
	ck_good(set_streaming(e, 11080, 2000, false));
	ck_assert_uint_eq(selected_write_speed(e), 5540);
	ck_good(set_streaming(e, 0, 0, true));
	ck_assert_uint_eq(selected_write_speed(e), 22160);
	ck_sense(set_streaming(e, 1, 0, false), 5, 0x26, 0x00);
	ck_sense(run_out(e, CDB(0xB6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 28), b, 10), 5, 0x24, 0x00);
	ck_sense(run_out(e, CDB(0xB6, 0, 0, 0, 0, 0, 0, 0, 5, 0, 28), b, 28), 5, 0x24, 0x00);
	ck_good(run_none(e, CDB(0xBB, 0, 0xFF, 0xFF, B16(6000))));	/* accepted on DVD too */
	ck_assert_uint_eq(selected_write_speed(e), 5540);
	emu_destroy(e);

	e = make("cd-r");
	ck_good(run_none(e, CDB(0xBB, 0, 0xFF, 0xFF, B16(3000))));
	ck_assert_uint_eq(selected_write_speed(e), 2823);
	ck_good(run_none(e, CDB(0xBB, 0, 0xFF, 0xFF, B16(100))));
	ck_assert_uint_eq(selected_write_speed(e), 706);
	ck_good(run_none(e, CDB(0xBB, 0, 0xFF, 0xFF, 0xFF, 0xFF)));
	ck_assert_uint_eq(selected_write_speed(e), 8467);
	/* type 00h read */
	ck_good(run_in(e, CDB(0xAC, 0x10, 0, 0, 0, 0, 0, 0, 0, 8, 0), b, sizeof(b)));
	ck_assert_int_eq(b[4] & 2, 0);
	ck_assert_uint_eq(mmc_get32(b + 8 + 12), 8467);
	ck_sense(run_in(e, CDB(0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 8, 7), b, sizeof(b)), 5, 0x24, 0x00);
	emu_destroy(e);
}
END_TEST

/* ---- buffer and clock ---- */

static void buffer_capacity(struct emu *e, uint32_t *length, uint32_t *blank)
{
	uint8_t b[12];

	ck_good(run_in(e, CDB(0x5C, 0, 0, 0, 0, 0, 0, 0, 12), b, sizeof(b)));
	*length = mmc_get32(b + 4);
	*blank = mmc_get32(b + 8);
}

START_TEST(buffer_fills_and_drains_on_the_emulated_clock)
{
	struct emu *e = make("cd-r,timescale=1000,buffer=1024");
	uint32_t length, blank;
	uint8_t b[12];
	uint64_t t0, t2, drained;

	ck_good(run_none(e, CDB(0xBB, 0, 0xFF, 0xFF, B16(706))));	/* 4x: 300 sectors/s */
	buffer_capacity(e, &length, &blank);
	ck_assert_uint_eq(length, 1024 * 1024);
	ck_assert_uint_eq(blank, length);
	t0 = emu_now_ns(e);
	ck_good(write10(e, 0, 256));
	buffer_capacity(e, &length, &blank);
	t2 = emu_now_ns(e);
	/* no more drained than 300 sectors/s allow since before the WRITE */
	drained = blank / 2048 - 256;
	ck_assert_uint_le(drained, (t2 - t0) * 300 / NS + 1);
	ck_good(run_in(e, CDB(0x5C, 1, 0, 0, 0, 0, 0, 0, 12), b, sizeof(b)));
	ck_assert_int_eq(b[5] & 1, 1);
	ck_assert_uint_le(mmc_get32(b + 8), 512);
	/* a WRITE that does not fit waits until it does: 512 + 256 > 512 sectors */
	ck_good(write10(e, 256, 512));
	ck_assert_uint_ge(emu_now_ns(e) - t0, 256 * NS / 300);
	ck_good(sync_cache(e));
	ck_assert_uint_ge(emu_now_ns(e) - t0, 768 * NS / 300);
	buffer_capacity(e, &length, &blank);
	ck_assert_uint_eq(blank, length);
	emu_destroy(e);
}
END_TEST

/* The achieved write rate, measured from the log as a test of discfs would. */
/* A 12x BD-R drive lists 12x, 10x, 8x and 6x CAV, 4x and 2x CLV, and
 * starts at the fastest: 0.4 of 12x at LBA 0, 12x at the last sector. */
START_TEST(bd_r_offers_a_12x_drives_speeds)
{
	static const uint32_t kbps[] = { 53946, 44955, 35964, 26973, 17982, 8991 };
	struct emu *e = make("bd-r");
	uint8_t b[8 + 16 * 8];

	ck_good(run_in(e, CDB(0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 8, 3), b, sizeof(b)));
	ck_assert_uint_eq(mmc_get32(b), 4 + 16 * 6);
	for (size_t i = 0; i < 6; i++) {
		ck_assert_uint_eq(mmc_get32(b + 8 + 16 * i + 12), kbps[i]);
		ck_assert_int_eq((b[8 + 16 * i] >> 3) & 3, i < 4 ? 1 : 0);	/* WRC: CAV, then CLV */
	}
	ck_good(run_in(e, CDB(0xAC, 0x14, 0, 0, 0, 0, 0, 0, 0, 8, 0), b, sizeof(b)));
	ck_assert_uint_eq(mmc_get32(b + 8 + 4), 21578);
	ck_assert_uint_eq(mmc_get32(b + 8 + 12), 53946);
	ck_good(set_streaming(e, 40000, 1000, false));
	ck_assert_uint_eq(selected_write_speed(e), 35964);
	emu_destroy(e);
}
END_TEST

START_TEST(write_rate_follows_selected_speed)
{
	char logpath[256], spec[320], line[256];
	struct emu *e;
	FILE *f;
	unsigned long long first = 0, last = 0, ns;
	char name[64];
	unsigned writes = 0;
	struct emu_stats st;
	const uint32_t total = 4096;

	path(logpath, sizeof(logpath), "rate.log");
	snprintf(spec, sizeof(spec), "dvd-r,timescale=virtual,log=%s", logpath);
	e = make(spec);
	ck_good(set_streaming(e, 5540, 1000, false));	/* 4x CLV: 2705 sectors/s */
	for (uint32_t lba = 0; lba < total; lba += 32)
		ck_good(write10(e, lba, 32));
	ck_good(sync_cache(e));
	emu_get_stats(e, &st);
	emu_destroy(e);

	f = fopen(logpath, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		ck_assert_int_eq(sscanf(line, "%llu %*s %63s", &ns, name), 2);
		if (strcmp(name, "WRITE10") == 0 && writes++ == 0)
			first = ns;
		if (strcmp(name, "SYNC_CACHE") == 0)
			last = ns;
	}
	fclose(f);
	ck_assert_uint_eq(writes, total / 32);
	{
		double expected = total / (5540 * 1000.0 / 2048), seconds = (double)(last - first) / NS;

		/* On the virtual clock a stalled host costs no emulated time: never faster than the
		 * medium, and its speed to 3 %, on any machine. */
		ck_assert_msg(seconds >= expected * 0.99, "%.3f s for %.3f s", seconds, expected);
		ck_assert_msg(st.buffer_underruns > 0 || seconds <= expected * 1.03, "%.3f s for %.3f s", seconds,
			      expected);
	}
}
END_TEST

START_TEST(underrun_counted_with_bufe_and_fatal_without)
{
	struct emu *e = make("cd-r,timescale=1000");
	struct emu_stats st;
	uint8_t b[48];

	ck_good(write10(e, 0, 32));
	emu_sleep_until_ns(e, emu_now_ns(e) + 2 * NS);	/* the buffer runs dry */
	ck_good(write10(e, 32, 32));
	emu_get_stats(e, &st);
	ck_assert_uint_eq(st.buffer_underruns, 1);
	ck_assert_uint_eq(st.sectors_written, 64);
	ck_good(sync_cache(e));
	emu_sleep_until_ns(e, emu_now_ns(e) + 2 * NS);	/* a flushed buffer is no underrun */
	ck_good(write10(e, 64, 32));
	emu_get_stats(e, &st);
	ck_assert_uint_eq(st.buffer_underruns, 1);
	emu_destroy(e);

	e = make("dvd-r,timescale=1000");
	ck_good(set_write_params(e, false, 0, 3));
	ck_good(write10(e, 0, 32));
	emu_sleep_until_ns(e, emu_now_ns(e) + 2 * NS);
	ck_sense(write10(e, 32, 32), 3, 0x0C, 0x09);
	ck_sense(write10(e, 32, 32), 3, 0x0C, 0x09);
	ck_good(track_info(e, 1, 1, b));
	ck_assert_int_eq(b[5] & 0x20, 0x20);
	ck_assert_int_eq(b[7] & 1, 0);
	emu_destroy(e);
}
END_TEST

START_TEST(close_session_takes_emulated_time)
{
	struct emu *e = make("dvd-r,timescale=virtual");
	uint64_t before;

	ck_good(write10(e, 0, 16));
	before = emu_now_ns(e);
	ck_good(close_ts(e, 2, 0, false));
	ck_assert_uint_ge(emu_now_ns(e) - before, 30 * NS);
	ck_good(write10(e, 16, 16));
	before = emu_now_ns(e);
	ck_good(close_ts(e, 2, 0, true));
	ck_assert_uint_lt(emu_now_ns(e) - before, 30 * NS);
	ck_sense(run_none(e, CDB(0x00)), 2, 0x04, 0x07);
	emu_sleep_until_ns(e, before + 31 * NS);
	ck_good(run_none(e, CDB(0x00)));
	emu_destroy(e);
}
END_TEST

struct writer {
	struct emu *e;
	volatile int done;
	int status;
};

/* WRITE(10) of 64 sectors at 0 (the globals sense and xfer are its own
 * until it is joined). */
static void *blocked_writer(void *arg)
{
	struct writer *w = arg;

	w->status = write10(w->e, 0, 64);
	w->done = 1;
	return NULL;
}

START_TEST(a_blocked_write_does_not_block_other_commands)
{
	struct emu *e = make("cd-r,buffer=64");	/* 32 sectors; real time */
	struct writer w = { e, 0, 0 };
	struct emu_stats st;
	uint8_t b[36];
	pthread_t thread;

	ck_good(run_none(e, CDB(0xBB, 0, 0xFF, 0xFF, B16(706))));
	ck_assert_int_eq(pthread_create(&thread, NULL, blocked_writer, &w), 0);
	do
		emu_get_stats(e, &st);
	while (st.sectors_written < 64);
	/* the writer waits ~107 ms for 32 sectors to drain; INQUIRY is served meanwhile */
	ck_assert_int_eq(emu_exec(e, CDB(0x12, 0, 0, 0, 36), 6, MMC_DIR_READ, b, sizeof(b), NULL, NULL), 0);
	ck_assert_int_eq(w.done, 0);
	pthread_join(thread, NULL);
	ck_assert_int_eq(w.done, 1);
	emu_destroy(e);
}
END_TEST

/* ---- persistence and initial states ---- */

/* A disc formatted by FORMAT UNIT (DVD-RW to restricted overwrite,
 * DVD+RW, BD-RE) is one closed track over the whole capacity: the image's
 * .state brings it back as it was, and what was written reads back. */
START_TEST(a_formatted_disc_survives_a_restart)
{
	static const struct {
		const char *media, *extra;
		uint32_t blocks;
		uint8_t type;
		uint16_t profile;
	} discs[] = {
		{ "dvd-rw", "timescale=100000", 2297888, 0x15, 0x13 },
		{ "dvd+rw", "timescale=100000,state=blank", 2295104, 0x26, 0x1A },
		{ "bd-re", "timescale=100000,state=blank", 12219392, 0x31, 0x43 },
	};
	uint8_t b[34], r[2048], *expect = sectors(40, 1);

	for (size_t i = 0; i < sizeof(discs) / sizeof(discs[0]); i++) {
		struct emu *e = make_on(discs[i].media, "formatted.img", discs[i].extra);

		ck_good(format_unit(e, discs[i].blocks, discs[i].type, false));
		ck_good(write10(e, 32, 16));
		ck_good(sync_cache(e));
		emu_destroy(e);
		e = try_on(discs[i].media, "formatted.img", "timescale=100000");
		ck_assert_msg(e != NULL, "%s: the formatted disc does not load: %s", discs[i].media, strerror(errno));
		ck_assert_int_eq(current_profile(e), discs[i].profile);
		disc_info(e, b);
		ck_assert_int_eq(b[2] & 3, 3);	/* complete, as formatted */
		ck_good(run_in(e, CDB(0x28, 0, B32(40), 0, B16(1)), r, sizeof(r)));
		ck_assert_mem_eq(r, expect, 2048);
		emu_destroy(e);
		ck_assert_int_eq(unlink(img_path((char[256]){ 0 }, 256, "formatted.img.state")), 0);
		ck_assert_int_eq(unlink(img_path((char[256]){ 0 }, 256, "formatted.img")), 0);
	}
	free(expect);
}
END_TEST

START_TEST(sidecar_survives_a_restart)
{
	struct emu *e = make_on("dvd-r", "persist.img", "timescale=100000");
	uint8_t b[48], r[2048];
	char p[256], line[128];
	FILE *f;
	bool saw_track = false;
	uint8_t *expect;

	ck_good(write10(e, 0, 40));
	ck_good(close_ts(e, 2, 0, false));
	ck_good(write10(e, 48, 8));
	ck_good(sync_cache(e));
	emu_destroy(e);

	path(p, sizeof(p), "persist.img.state");
	f = fopen(p, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		saw_track |= strcmp(line, "track=0 40 1 closed\n") == 0;
	fclose(f);
	ck_assert(saw_track);

	e = make_on("dvd-r", "persist.img", "");
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 1);
	ck_assert_int_eq(b[4], 2);
	ck_assert_uint_eq(nwa(e), 56);
	ck_good(run_in(e, CDB(0x28, 0, 0, 0, 0, 50, 0, 0, 1), r, sizeof(r)));
	expect = sectors(50, 1);
	ck_assert_mem_eq(r, expect, 2048);
	free(expect);
	emu_destroy(e);

	/* another medium on the same image is refused, naming the one it holds */
	ck_assert_ptr_null(try_on("cd-r", "persist.img", ""));
	ck_assert_int_eq(errno, EMEDIUMTYPE);
	ck_assert_int_eq(emu_state_medium(img_path(p, sizeof(p), "persist.img"), line, sizeof(line)), 0);
	ck_assert_str_eq(line, "dvd-r");
	/* ... unless a state is asked for: a new disc */
	e = make_on("cd-r", "persist.img", "state=blank");
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 0);
	emu_destroy(e);
}
END_TEST

START_TEST(corrupt_sidecar_is_refused)
{
	static const char *bad[] = {
		"media=dvd-r\nprofile=0x0011\ncapacity=99999999\n",
		"media=dvd-r\nprofile=0x0011\ncapacity=2298496\ntrack=0 10 1 open\ntrack=10 5 1 closed\n",
		"media=dvd-r\nprofile=0x0011\ncapacity=2298496\ntrack=0 10 x closed\n",
		"media=dvd-r\nbogus\n",
		"profile=0x0011\ncapacity=2298496\n",
	};
	char p[256];
	uint8_t b[34];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f;
		struct emu *e;

		path(p, sizeof(p), "corrupt.img.state");
		f = fopen(p, "w");
		ck_assert_ptr_nonnull(f);
		fputs(bad[i], f);
		fclose(f);
		ck_assert_ptr_null(try_on("dvd-r", "corrupt.img", ""));
		ck_assert_int_eq(errno, EBADMSG);
		e = make_on("dvd-r", "corrupt.img", "state=blank");
		disc_info(e, b);
		ck_assert_int_eq(b[2] & 3, 0);
		emu_destroy(e);
	}
}
END_TEST

START_TEST(appendable_and_closed_states_hold_the_iso)
{
	struct emu *e;
	uint8_t b[48], sector[2048];

	make_iso("iso.img", 1000);
	e = make_on("cd-r", "iso.img", "state=appendable");
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 0x0F, 0x01);
	ck_assert_int_eq(b[4], 2);
	ck_good(track_info(e, 1, 1, b));
	ck_assert_uint_eq(mmc_get32(b + 24), 1000);
	ck_assert_uint_eq(nwa(e), 1000 + 11400);
	emu_destroy(e);

	e = make_on("dvd+r", "iso.img", "state=closed");
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 0x0F, 0x0E);
	ck_good(run_in(e, CDB(0x25), b, 8));
	ck_assert_uint_eq(mmc_get32(b), 999);
	emu_destroy(e);

	e = make("bd-r,state=appendable");	/* no ISO: 1 MiB */
	ck_good(track_info(e, 1, 1, b));
	ck_assert_uint_eq(mmc_get32(b + 24), 512);
	ck_assert_uint_eq(nwa(e), 512);
	emu_destroy(e);

	e = make_on("dvd-rom", "iso.img", "");
	ck_good(run_in(e, CDB(0x25), b, 8));
	ck_assert_uint_eq(mmc_get32(b), 999);
	ck_good(run_in(e, CDB(0x28, 0, 0, 0, 0, 16, 0, 0, 1), sector, sizeof(sector)));
	ck_assert_mem_eq(sector + 1, "CD001", 5);
	ck_sense(run_in(e, CDB(0x28, 0, B32(1000), 0, 0, 1), sector, sizeof(sector)), 5, 0x21, 0x00);
	emu_destroy(e);
}
END_TEST

/* READ DISC STRUCTURE: DVD physical format (book type, size, layers, data
 * zone), BD disc information and spare areas, write protection on any
 * medium, the structure list; a structure of another family is 5/30/02. */
START_TEST(disc_structures_per_medium)
{
	static const uint8_t dvd_r[16] = { 0x08, 0x02, 0, 0, 0x25, 0x0F, 0x02, 0x00, 0, 0x03, 0, 0, 0, 0x26, 0x12, 0x7F };
	struct emu *e = make("dvd-r,timescale=100000");
	uint8_t b[4200];

	ck_good(run_in(e, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0x00, B16(2052), 0), b, sizeof(b)));
	ck_assert_uint_eq(xfer, 2052);
	ck_assert_mem_eq(b, dvd_r, sizeof(dvd_r));	/* data zone 030000h..26127Fh: 2298496 sectors */
	ck_sense(run_in(e, CDB(0xAD, 0, 0, 0, 0, 0, 1, 0x00, B16(2052), 0), b, sizeof(b)), 5, 0x24, 0x00);
	ck_sense(run_in(e, CDB(0xAD, 1, 0, 0, 0, 0, 0, 0x00, B16(2052), 0), b, sizeof(b)), 5, 0x30, 0x02);
	ck_sense(run_in(e, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0x0A, B16(16), 0), b, sizeof(b)), 5, 0x24, 0x00);
	ck_good(run_in(e, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0xC0, B16(8), 0), b, sizeof(b)));
	ck_assert_uint_eq(xfer, 8);
	ck_assert_uint_eq(mmc_get16(b), 6);
	ck_assert_int_eq(b[4], 0);	/* no SWPP, PWP, CWP, MSWI */
	ck_good(run_in(e, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0xFF, B16(64), 0), b, sizeof(b)));
	ck_assert_uint_eq(mmc_get16(b), 2 + 12);
	ck_assert_int_eq(b[4], 0x00);
	ck_assert_int_eq(b[5], 0x40);
	ck_assert_uint_eq(mmc_get16(b + 6), 2050);
	ck_assert_int_eq(b[8], 0xC0);
	ck_assert_int_eq(b[12], 0xFF);

	ck_assert_int_eq(emu_load_media(e, "dvd+rw", EMU_STATE_DEFAULT), 0);
	ck_sense(run_none(e, CDB(0x00)), 6, 0x28, 0x00);
	ck_good(run_in(e, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0x00, B16(2052), 0), b, sizeof(b)));
	ck_assert_int_eq(b[4], 0x92);
	ck_assert_int_eq(b[6], 0x04);

	ck_assert_int_eq(emu_load_media(e, "bd-re", EMU_STATE_DEFAULT), 0);
	ck_sense(run_none(e, CDB(0x00)), 6, 0x28, 0x00);
	ck_good(run_in(e, CDB(0xAD, 1, 0, 0, 0, 0, 0, 0x00, B16(4100), 0), b, sizeof(b)));
	ck_assert_uint_eq(xfer, 4100);
	ck_assert_uint_eq(mmc_get16(b), 4098);
	ck_assert_mem_eq(b + 4, "DI\x01\x08", 4);
	ck_assert_int_eq(b[4 + 6], 112);
	ck_assert_mem_eq(b + 4 + 8, "BDW", 3);
	ck_assert_int_eq(b[4 + 12], 0x10);	/* one layer */
	ck_assert_uint_eq(mmc_get32(b + 4 + 24), 0x100000);
	ck_assert_uint_eq(mmc_get32(b + 4 + 28), 0x100000 + 12219392 - 1);
	/* The default format keeps 393216 sectors of spare: 12288 clusters. */
	ck_good(run_in(e, CDB(0xAD, 1, 0, 0, 0, 0, 0, 0x0A, B16(16), 0), b, sizeof(b)));
	ck_assert_uint_eq(xfer, 16);
	ck_assert_uint_eq(mmc_get16(b), 14);
	ck_assert_uint_eq(mmc_get32(b + 8), 12288);
	ck_assert_uint_eq(mmc_get32(b + 12), 12288);
	ck_sense(run_in(e, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0x00, B16(2052), 0), b, sizeof(b)), 5, 0x30, 0x02);

	ck_assert_int_eq(emu_load_media(e, "cd-r", EMU_STATE_BLANK), 0);
	ck_sense(run_none(e, CDB(0x00)), 6, 0x28, 0x00);
	ck_sense(run_in(e, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0x00, B16(2052), 0), b, sizeof(b)), 5, 0x30, 0x02);
	ck_good(run_in(e, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0xC0, B16(8), 0), b, sizeof(b)));
	ck_sense(run_in(e, CDB(0xAD, 0, 0, 0, 0, 0, 0, 0x30, B16(8), 0), b, sizeof(b)), 5, 0x24, 0x00);
	emu_destroy(e);
}
END_TEST

/* READ BUFFER of the drive buffer (descriptor, data, both) and REZERO UNIT,
 * which programs send to size the buffer and to test the link. */
START_TEST(read_buffer_and_rezero)
{
	struct emu *e = make("cd-r,buffer=1024");
	uint8_t b[64];

	ck_good(run_in(e, CDB(0x3C, 0x03, 0, 0, 0, 0, 0, 0, 4, 0), b, 4));
	ck_assert_uint_eq(xfer, 4);
	ck_assert_int_eq(b[0], 0);
	ck_assert_uint_eq((uint32_t)b[1] << 16 | mmc_get16(b + 2), 1024 * 1024);
	ck_good(run_in(e, CDB(0x3C, 0x00, 0, 0, 0, 0, 0, 0, 64, 0), b, 64));
	ck_assert_uint_eq(xfer, 64);
	ck_assert_uint_eq((uint32_t)b[1] << 16 | mmc_get16(b + 2), 1024 * 1024);
	ck_good(run_in(e, CDB(0x3C, 0x02, 0, 0, 0x10, 0, 0, 0, 64, 0), b, 64));
	ck_assert_uint_eq(xfer, 64);
	ck_good(run_in(e, CDB(0x3C, 0x02, 0, 0x10, 0, 0, 0, 0, 64, 0), b, 64));
	ck_assert_uint_eq(xfer, 0);	/* at the end of the buffer */
	ck_sense(run_in(e, CDB(0x3C, 0x02, 0, 0x20, 0, 0, 0, 0, 64, 0), b, 64), 5, 0x24, 0x00);
	ck_sense(run_in(e, CDB(0x3C, 0x02, 1, 0, 0, 0, 0, 0, 64, 0), b, 64), 5, 0x24, 0x00);	/* buffer ID 1 */
	ck_sense(run_in(e, CDB(0x3C, 0x0A, 0, 0, 0, 0, 0, 0, 64, 0), b, 64), 5, 0x24, 0x00);	/* echo buffer */
	ck_good(run_none(e, CDB(0x01)));
	ck_assert_int_eq(emu_eject(e), 0);
	ck_sense(run_none(e, CDB(0x01)), 2, 0x3A, 0x02);
	emu_destroy(e);
}
END_TEST

/* DVD-R disc-at-once: after RESERVE TRACK the drive closes the track and
 * the disc itself at the SYNCHRONIZE CACHE that follows the last sector. */
START_TEST(dvd_r_dao_closes_at_synchronize_cache)
{
	struct emu *e = make("dvd-r,timescale=100000");
	uint8_t b[48];

	ck_good(set_write_params(e, true, 2, 0));
	ck_good(run_none(e, CDB(0x53, 0, 0, 0, 0, B32(64))));
	ck_good(write10(e, 0, 32));
	ck_good(sync_cache(e));	/* half the reservation: still open */
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 1);
	ck_sense(write10(e, 32, 48), 5, 0x21, 0x00);	/* past the reservation */
	ck_good(write10(e, 32, 32));
	ck_good(run_none(e, CDB(0x35, 0x02)));	/* IMMED: lead-out written meanwhile */
	ck_sense(run_none(e, CDB(0x00)), 2, 0x04, 0x08);
	emu_sleep_until_ns(e, emu_now_ns(e) + 61 * NS);
	ck_good(run_none(e, CDB(0x00)));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 0x1F, 0x0E);	/* complete, last session complete */
	ck_assert_int_eq(b[4], 1);
	ck_good(run_in(e, CDB(0x43, 0, 0, 0, 0, 0, 0, 0, 20), b, 20));
	ck_assert_int_eq(b[3], 1);
	ck_assert_uint_eq(mmc_get32(b + 16), 64);	/* lead-out */
	ck_sense(write10(e, 64, 16), 7, 0x27, 0x00);
	emu_destroy(e);

	/* Incremental (write type 0): the host closes the reserved track. */
	e = make("dvd-r,timescale=100000");
	ck_good(run_none(e, CDB(0x53, 0, 0, 0, 0, B32(64))));
	ck_good(write10(e, 0, 64));
	ck_good(sync_cache(e));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 3, 1);
	emu_destroy(e);
}
END_TEST

/* A blank BD-R lists the SRM+POW formats (00h default spares, 32h sizes),
 * formats for one, keeps its spares in format 0Ah, accepts RESERVE TRACK
 * and is written in sessions. */
START_TEST(bd_r_formats_with_spare_areas)
{
	static const uint8_t list[4 + 5 * 8] = {
		0, 0, 0, 40,
		B32(12219392), 0x01, 0, 0x08, 0x00,	/* current: unformatted, 2048 */
		B32(11826176), 0x00, 0, 0x30, 0x00,	/* 00h: 12288 spare clusters */
		B32(11826176), 0x32 << 2, 0, 0, 0,
		B32(11564032), 0x32 << 2, 0, 0, 1,
		B32(12088320), 0x32 << 2, 0, 0, 2,
	};
	struct emu *e = make("bd-r,timescale=100000");
	uint8_t b[64];

	ck_good(run_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 64), b, sizeof(b)));
	ck_assert_uint_eq(xfer, sizeof(list));
	ck_assert_mem_eq(b, list, sizeof(list));
	ck_sense(format_unit(e, 11000000, 0x32, false), 5, 0x26, 0x00);	/* not a listed size */
	ck_sense(format_unit(e, 11826176, 0x30, false), 5, 0x26, 0x00);	/* a BD-RE type */
	ck_good(format_unit(e, 11564032, 0x32, true));
	ck_sense(run_none(e, CDB(0x00)), 2, 0x04, 0x04);
	emu_sleep_until_ns(e, emu_now_ns(e) + 10 * NS);
	ck_good(run_none(e, CDB(0x00)));
	ck_good(run_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 64), b, sizeof(b)));
	ck_assert_uint_eq(xfer, 12);	/* formatted: no more choices */
	ck_assert_uint_eq(mmc_get32(b + 4), 11564032);
	ck_assert_int_eq(b[8], 0x02);
	ck_good(run_in(e, CDB(0xAD, 1, 0, 0, 0, 0, 0, 0x0A, B16(16), 0), b, sizeof(b)));
	ck_assert_uint_eq(mmc_get32(b + 8), (12219392 - 11564032) / 32);
	ck_good(track_info(e, 1, 1, b));
	ck_assert_uint_eq(mmc_get32(b + 16), 11564032);	/* free blocks */
	ck_sense(format_unit(e, 11564032, 0x32, false), 5, 0x30, 0x06);	/* once */
	/* RESERVE TRACK in SRM; the reserved track is written and closed. */
	ck_good(run_none(e, CDB(0x53, 0, 0, 0, 0, B32(64))));
	ck_sense(write10(e, 0, 96), 5, 0x21, 0x00);
	ck_good(write10(e, 0, 64));
	ck_good(close_ts(e, 1, 1, false));
	ck_good(close_ts(e, 2, 0, false));
	ck_assert_uint_eq(nwa(e), 64);
	ck_good(write10(e, 64, 32));
	emu_destroy(e);
}
END_TEST

/* Test Write (page 05h byte 2 bit 4): a dry run writes at the real speed,
 * closes nothing and leaves the medium blank; on CD in TAO and SAO alike. */
START_TEST(test_write_records_nothing)
{
	static const uint8_t cue[32] = {
		0x41, 0x00, 0x00, 0x14, 0, 0, 0, 0, 0x41, 0x01, 0x00, 0x10, 0, 0, 0, 0,
		0x41, 0x01, 0x01, 0x10, 0, 0, 2, 0, 0x41, 0xAA, 0x01, 0x14, 0, 0, 6, 0,
	};
	struct emu *e = make("dvd-r,timescale=100000");
	uint8_t b[60];
	uint64_t before;

	mode_sense(e, 0x05, 0, b, 60);
	memset(b, 0, 8);
	b[10] |= 0x10;
	ck_good(run_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 60), b, 60));
	before = emu_now_ns(e);
	ck_good(write10(e, 0, 2048));
	ck_sense(write10(e, 0, 16), 5, 0x21, 0x02);	/* the dry run goes on where it was */
	ck_good(write10(e, 2048, 16));
	ck_good(sync_cache(e));
	ck_assert_uint_gt(emu_now_ns(e) - before, NS / 2);	/* 4 MiB at 16x took its time */
	ck_good(close_ts(e, 1, 1, false));
	ck_good(close_ts(e, 2, 0, false));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 0x1F, 0x00);	/* still blank */
	ck_assert_uint_eq(nwa(e), 0);
	ck_good(write10(e, 0, 16));	/* a new dry run starts at the NWA again */
	emu_destroy(e);

	e = make("cd-r,timescale=100000");
	ck_good(set_write_params(e, true, 2, 3));
	mode_sense(e, 0x05, 0, b, 60);
	memset(b, 0, 8);
	b[10] |= 0x10;
	ck_good(run_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 60), b, 60));
	ck_good(run_out(e, CDB(0x5D, 0, 0, 0, 0, 0, 0, 0, 32), cue, 32));
	ck_good(write10(e, (uint32_t)-150, 450));
	ck_good(sync_cache(e));
	disc_info(e, b);
	ck_assert_int_eq(b[2] & 0x1F, 0x00);
	emu_destroy(e);
}
END_TEST

START_TEST(reserve_track_and_opc)
{
	struct emu *e = make("dvd+r");

	ck_good(run_none(e, CDB(0x54, 1)));
	ck_good(run_none(e, CDB(0x53, 0, 0, 0, 0, B32(1000))));
	ck_sense(run_none(e, CDB(0x53, 0, 0, 0, 0, B32(99999999))), 5, 0x21, 0x00);
	emu_destroy(e);
	e = make("cd-r");
	ck_sense(run_none(e, CDB(0x53, 0, 0, 0, 0, B32(1000))), 5, 0x30, 0x05);
	emu_destroy(e);
}
END_TEST

START_TEST(log_has_one_line_per_command)
{
	char logpath[256], spec[320], line[256];
	struct emu *e;
	struct emu_stats st;
	FILE *f;
	unsigned lines = 0;

	path(logpath, sizeof(logpath), "count.log");
	snprintf(spec, sizeof(spec), "cd-r,log=%s", logpath);
	e = make(spec);
	ck_good(run_none(e, CDB(0x00)));
	ck_good(write10(e, 0, 2));
	ck_sense(write10(e, 9, 1), 5, 0x21, 0x02);
	emu_get_stats(e, &st);
	ck_assert_uint_eq(st.commands, 3);

	f = fopen(logpath, "r");	/* flushed per line: readable before destroy */
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long ns;
		char op[8], name[32], lba[16], blocks[16], sk[16];

		ck_assert_int_eq(sscanf(line, "%llu %7s %31s %15s %15s %15s", &ns, op, name, lba, blocks, sk), 6);
		if (lines == 0)
			ck_assert_str_eq(name, "TEST_UNIT_READY");
		if (lines == 1) {
			ck_assert_str_eq(op, "2A");
			ck_assert_str_eq(blocks, "2");
			ck_assert_str_eq(sk, "-");
		}
		if (lines == 2) {
			ck_assert_str_eq(lba, "9");
			ck_assert_str_eq(sk, "5/21/02");
		}
		lines++;
	}
	fclose(f);
	ck_assert_uint_eq(lines, 3);
	emu_destroy(e);
}
END_TEST

/* Random CDBs and lengths must never crash or overrun (ASan watches). */
/* Each injected fault fires once, on the WRITE after its sector count (SEND
 * OPC for calibration), with the sense or transport failure it stands for;
 * the next command is served normally, except after "vanish". */
START_TEST(injected_faults_fire_once)
{
	static const struct {
		const char *name;
		int status;
		uint8_t key, asc, ascq;
	} faults[] = {
		{ "write-error", 2, 3, 0x0C, 0x00 },	 { "loss-of-streaming", 2, 3, 0x0C, 0x09 },
		{ "unit-attention", 2, 6, 0x29, 0x00 }, { "becoming-ready", 2, 2, 0x04, 0x01 },
		{ "medium-removed", 2, 2, 0x3A, 0x02 }, { "timeout", -ETIMEDOUT, 0, 0, 0 },
	};
	struct emu_stats st;
	enum emu_fault kind;
	struct emu *e;

	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		char spec[64];

		snprintf(spec, sizeof(spec), "dvd+rw,fault=%s@32", faults[i].name);
		e = make(spec);
		ck_good(run_none(e, CDB(0x1E, 0, 0, 0, 1)));	/* the host locks the tray */
		ck_good(write10(e, 0, 16));
		ck_good(write10(e, 16, 16));
		if (faults[i].status == 2)
			ck_sense(write10(e, 32, 16), faults[i].key, faults[i].asc, faults[i].ascq);
		else
			ck_assert_int_eq(write10(e, 32, 16), faults[i].status);
		emu_get_stats(e, &st);
		ck_assert_uint_eq(st.faults_fired, 1);
		ck_assert(st.removal_prevented);
		if (strcmp(faults[i].name, "medium-removed") == 0) {
			/* Forced out despite the lock; closing the tray brings it back. */
			ck_assert_str_eq(emu_media_name(e), "none");
			ck_good(run_none(e, CDB(0x1E, 0, 0, 0, 0)));
			ck_good(run_none(e, CDB(0x1B, 0, 0, 0, 0x03)));
			ck_sense(run_none(e, CDB(0x00)), 6, 0x28, 0x00);
		}
		ck_good(write10(e, 32, 16));	/* fired once */
		emu_destroy(e);
	}

	e = make("dvd-r,fault=power-calibration");
	ck_good(run_none(e, CDB(0x00)));
	ck_sense(run_none(e, CDB(0x54, 0x01)), 3, 0x73, 0x03);
	ck_good(run_none(e, CDB(0x54, 0x01)));
	emu_destroy(e);

	e = make("cd-r,fault=vanish");
	ck_good(run_none(e, CDB(0x00)));
	ck_assert_int_eq(write10(e, 0, 16), -ENODEV);
	ck_assert_int_eq(run_none(e, CDB(0x00)), -ENODEV);
	ck_assert_int_eq(run_in(e, CDB(0x12, 0, 0, 0, 36), (uint8_t[36]){ 0 }, 36), -ENODEV);
	ck_assert_int_eq(emu_inject_fault(e, EMU_FAULT_NONE, 0), 0);	/* plugged back in */
	ck_good(run_none(e, CDB(0x00)));
	/* Armed at run time, counted from then on. */
	ck_assert_int_eq(emu_inject_fault(e, EMU_FAULT_WRITE_ERROR, 16), 0);
	ck_good(write10(e, 0, 16));
	ck_sense(write10(e, 16, 16), 3, 0x0C, 0x00);
	ck_assert_int_eq(emu_inject_fault(e, (enum emu_fault)99, 0), -EINVAL);
	emu_destroy(e);

	ck_assert_int_eq(emu_fault_by_name("vanish", &kind), 0);
	ck_assert_int_eq(kind, EMU_FAULT_VANISH);
	ck_assert_int_eq(emu_fault_by_name("gremlins", &kind), -EINVAL);
}
END_TEST

/* fault=stall@: a WRITE that touches the sectors hangs, and the log says so
 * as it hangs; nothing of it reaches the disc; disarming the fault ends it
 * with -ETIMEDOUT (no answer).  Other WRITEs go on as usual. */
START_TEST(stalled_write_hangs_until_disarmed)
{
	char logpath[256], spec[320], line[256], last[256] = "";
	struct writer w = { 0 };
	struct emu_stats st;
	uint8_t *got = malloc(64 * 2048), *zeros = calloc(64, 2048);
	pthread_t thread;
	struct emu *e;
	FILE *f;

	path(logpath, sizeof(logpath), "stall.log");
	snprintf(spec, sizeof(spec), "dvd+rw,log=%s,fault=stall@16-31", logpath);
	e = make(spec);
	ck_good(write10(e, 64, 16));
	w.e = e;
	ck_assert_int_eq(pthread_create(&thread, NULL, blocked_writer, &w), 0);
	for (;;) {
		emu_get_stats(e, &st);
		if (st.faults_fired)
			break;
		usleep(1000);
	}
	f = fopen(logpath, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		snprintf(last, sizeof(last), "%s", line);
	fclose(f);
	ck_assert_msg(strstr(last, " 2A WRITE10 0 64 STALLED\n") != NULL, "last log line: %s", last);
	ck_assert_int_eq(w.done, 0);
	ck_assert_int_eq(emu_inject_fault(e, EMU_FAULT_NONE, 0), 0);
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	ck_assert_int_eq(w.status, -ETIMEDOUT);
	ck_good(run_in(e, CDB(0x28, 0, B32(0), 0, B16(64)), got, 64 * 2048));
	ck_assert_mem_eq(got, zeros, 64 * 2048);
	ck_good(write10(e, 0, 64));	/* disarmed */
	emu_get_stats(e, &st);
	ck_assert_uint_eq(st.faults_fired, 1);
	emu_destroy(e);
	free(got);
	free(zeros);
}
END_TEST

START_TEST(stall_spec_parses_and_rejects)
{
	static const char *bad[] = { "dvd+rw,fault=stall", "dvd+rw,fault=stall@", "dvd+rw,fault=stall@5-3",
				     "dvd+rw,fault=stall@x", "dvd+rw,fault=stallx@5" };
	struct emu_config cfg;
	char *storage;
	const char *error;
	enum emu_fault kind;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(emu_parse_spec(bad[i], &cfg, &storage, &error) == -EINVAL, "%s accepted", bad[i]);
	ck_assert_int_eq(emu_parse_spec("bd-re,fault=stall@0-31", &cfg, &storage, &error), 0);
	ck_assert_int_eq(cfg.fault, EMU_FAULT_STALL);
	ck_assert_uint_eq(cfg.fault_after, 0);
	ck_assert_uint_eq(cfg.fault_last_lba, 31);
	free(storage);
	ck_assert_int_eq(emu_fault_by_name("stall", &kind), 0);
	ck_assert_int_eq(kind, EMU_FAULT_STALL);
	/* It needs its sectors: not armed by count. */
	{
		struct emu *e = make("dvd+rw");

		ck_assert_int_eq(emu_inject_fault(e, EMU_FAULT_STALL, 0), -EINVAL);
		emu_destroy(e);
	}
}
END_TEST

START_TEST(fuzzed_cdbs_stay_in_bounds)
{
	static const uint8_t ops[] = { 0x00, 0x01, 0x03, 0x04, 0x12, 0x1B, 0x1E, 0x23, 0x25, 0x28, 0x2A, 0x35, 0x3C, 0x43,
				       0x46, 0x4A, 0x51, 0x52, 0x53, 0x54, 0x55, 0x5A, 0x5B, 0x5C, 0x5D, 0xA1, 0xAA,
				       0xAC, 0xAD, 0xB6, 0xBB };
	struct emu *e = make("cd-rw,timescale=1000000000");
	unsigned seed = 12345;

	for (int i = 0; i < 20000; i++) {
		uint8_t cdb[12], *data;
		size_t len = (size_t)(rand_r(&seed) % 600), cdb_n = (size_t)(rand_r(&seed) % 13);
		enum mmc_dir dir = (enum mmc_dir)(rand_r(&seed) % 3);

		for (size_t j = 0; j < sizeof(cdb); j++)
			cdb[j] = (uint8_t)rand_r(&seed);
		cdb[0] = ops[(size_t)rand_r(&seed) % sizeof(ops)];
		if (cdb[0] == 0x1B)
			cdb[4] &= 0x01;	/* keep the tray in */
		data = malloc(len ? len : 1);
		for (size_t j = 0; j < len; j++)
			data[j] = (uint8_t)rand_r(&seed);
		emu_exec(e, cdb, cdb_n, dir, len ? data : NULL, len, &xfer, sense);
		ck_assert_uint_le(xfer, len);
		free(data);
	}
	emu_destroy(e);
}
END_TEST

/* ---- runner ---- */

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

int main(void)
{
	Suite *s = suite_create("emu");
	TCase *tc = tcase_create("emu");
	SRunner *sr;
	int failed;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_emu-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, spec_parses_every_option);
	tcase_add_test(tc, spec_rejects_nonsense);
	tcase_add_test(tc, create_rejects_bad_config);
	tcase_add_test(tc, virtual_clock_moves_only_when_slept_on);
	tcase_add_test(tc, virtual_clock_moves_when_polled_while_busy);
	tcase_add_test(tc, inquiry_identifies_a_removable_cd_dvd_device);
	tcase_add_test(tc, unknown_and_short_cdbs_are_refused);
	tcase_add_test(tc, no_medium_reports_tray_state);
	tcase_add_test(tc, loading_media_raises_unit_attention_and_event_once);
	tcase_add_test(tc, event_status_without_media_class_is_nea);
	tcase_add_test(tc, prevent_blocks_eject_and_tray_cycle_reloads);
	tcase_add_test(tc, request_sense_returns_last_failure_then_nothing);
	tcase_add_test(tc, configuration_lists_profiles_and_current_features);
	tcase_add_test(tc, configuration_current_bits_follow_the_medium);
	tcase_add_test(tc, disc_information_per_medium);
	tcase_add_test(tc, unformatted_overwrite_media_with_state_blank);
	tcase_add_test(tc, dvd_r_blank_write_close_append_finalize);
	tcase_add_test(tc, cd_sessions_cost_lead_in_and_lead_out);
	tcase_add_test(tc, atip_of_cd_r_and_cd_rw);
	tcase_add_test(tc, full_toc_lists_every_session);
	tcase_add_test(tc, cd_session_at_once);
	tcase_add_test(tc, finalized_cd_and_track_info_by_session);
	tcase_add_test(tc, dvd_plus_r_and_bd_r_finalize_with_their_functions);
	tcase_add_test(tc, write_errors);
	tcase_add_test(tc, overwrite_media_accept_writes_anywhere);
	tcase_add_test(tc, zeros_over_data_read_back_as_zeros);
	tcase_add_test(tc, zero_sectors_stay_holes_in_the_image);
	tcase_add_test(tc, format_dvd_plus_rw_immed_reports_progress);
	tcase_add_test(tc, format_bd_re_and_dvd_rw);
	tcase_add_test(tc, blank_cd_rw_minimal_with_progress);
	tcase_add_test(tc, mode_pages_report_defaults_and_speeds);
	tcase_add_test(tc, mode_select_stores_and_validates);
	tcase_add_test(tc, performance_descriptors_and_speed_selection);
	tcase_add_test(tc, bd_r_offers_a_12x_drives_speeds);
	tcase_add_test(tc, buffer_fills_and_drains_on_the_emulated_clock);
	tcase_add_test(tc, write_rate_follows_selected_speed);
	tcase_add_test(tc, underrun_counted_with_bufe_and_fatal_without);
	tcase_add_test(tc, close_session_takes_emulated_time);
	tcase_add_test(tc, a_blocked_write_does_not_block_other_commands);
	tcase_add_test(tc, sidecar_survives_a_restart);
	tcase_add_test(tc, a_formatted_disc_survives_a_restart);
	tcase_add_test(tc, corrupt_sidecar_is_refused);
	tcase_add_test(tc, appendable_and_closed_states_hold_the_iso);
	tcase_add_test(tc, reserve_track_and_opc);
	tcase_add_test(tc, test_write_records_nothing);
	tcase_add_test(tc, bd_r_formats_with_spare_areas);
	tcase_add_test(tc, disc_structures_per_medium);
	tcase_add_test(tc, read_buffer_and_rezero);
	tcase_add_test(tc, dvd_r_dao_closes_at_synchronize_cache);
	tcase_add_test(tc, log_has_one_line_per_command);
	tcase_add_test(tc, injected_faults_fire_once);
	tcase_add_test(tc, stalled_write_hangs_until_disarmed);
	tcase_add_test(tc, stall_spec_parses_and_rejects);
	tcase_add_test(tc, fuzzed_cdbs_stay_in_bounds);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	nftw(tmpdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
