/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the disc back: the readable-end rule per medium, the TOC lead-out,
 * and the read path over the emulated recorder (short reads at a damaged
 * sector, no reads into a burn, the cache across a media change, the
 * modelled read speed, the unreadable@ fault). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discfs/drive.h"
#include "discfs/emu.h"
#include "discfs/read.h"
#include "discfs/transport.h"

#define SECTORS 600	/* the ISO written into the test image */

static struct emu *emu;
static struct drive *drive;
static char image[64];

/* Every byte of sector lba says where it is, and which disc it is on. */
static uint8_t pattern(uint32_t lba, size_t i, uint8_t disc)
{
	return (uint8_t)(lba * 31 + i * 7 + disc);
}

/* An image holding an ISO 9660 volume of SECTORS sectors, every sector but
 * the volume descriptor filled with the pattern. */
static void write_image(uint8_t disc)
{
	uint8_t sector[2048];
	FILE *f;

	snprintf(image, sizeof(image), "/tmp/check_read.%d.img", getpid());
	f = fopen(image, "w");
	ck_assert_ptr_nonnull(f);
	for (uint32_t lba = 0; lba < SECTORS; lba++) {
		for (size_t i = 0; i < sizeof(sector); i++)
			sector[i] = pattern(lba, i, disc);
		if (lba == 16) {
			memset(sector, 0, sizeof(sector));
			sector[0] = 1;
			memcpy(sector + 1, "CD001", 5);
			sector[80] = SECTORS & 0xFF;
			sector[81] = SECTORS >> 8;
			sector[128] = 0x00;
			sector[129] = 0x08;	/* 2048-byte blocks */
		}
		ck_assert_uint_eq(fwrite(sector, 1, sizeof(sector), f), sizeof(sector));
	}
	fclose(f);
}

static void open_drive(const char *spec)
{
	struct emu_config cfg;
	struct transport *t;
	const char *error;
	char *storage, full[256];

	snprintf(full, sizeof(full), "%s,image=%s", spec, image);
	ck_assert_int_eq(emu_parse_spec(full, &cfg, &storage, &error), 0);
	/* The image as one closed session; overwrite media have no sessions:
	 * formatted (no state), they hold the image's volume. */
	if (strcmp(cfg.media, "dvd+rw") != 0 && strcmp(cfg.media, "bd-re") != 0)
		cfg.state = EMU_STATE_APPENDABLE;
	emu = emu_create(&cfg);
	free(storage);
	ck_assert_ptr_nonnull(emu);
	t = transport_emu_open(emu);
	ck_assert_ptr_nonnull(t);
	drive = drive_create(0, t, emu, 0, 4 << 20);
	ck_assert_ptr_nonnull(drive);
}

static void close_drive(void)
{
	char state[80];

	drive_destroy(drive);
	unlink(image);
	snprintf(state, sizeof(state), "%s.state", image);
	unlink(state);
}

static void check_sectors(const uint8_t *buf, uint32_t lba, uint32_t count, uint8_t disc)
{
	for (uint32_t s = 0; s < count; s++) {
		if (lba + s == 16)
			continue;
		for (size_t i = 0; i < 2048; i += 97)
			ck_assert_uint_eq(buf[(size_t)s * 2048 + i], pattern(lba + s, i, disc));
	}
}

/* ---- the rule ---- */

START_TEST(readable_end_per_medium)
{
	struct media_info m = { 0 };

	m.previous_session_last = -1;
	m.profile = profile_by_number(0x1B);	/* DVD+R: the last complete session */
	m.total_sectors = 2295104;
	ck_assert_uint_eq(readable_end_rule(&m, 0, false), 0);
	m.previous_session_last = 4095;
	ck_assert_uint_eq(readable_end_rule(&m, 0, false), 4096);
	m.profile = profile_by_number(0x41);	/* BD-R */
	ck_assert_uint_eq(readable_end_rule(&m, 0, false), 4096);
	m.profile = profile_by_number(0x14);	/* DVD-RW sequential */
	ck_assert_uint_eq(readable_end_rule(&m, 0, false), 4096);

	/* Overwrite media: READ CAPACITY is the whole disc, the volume is the data. */
	m.volume_sectors = 1700;
	for (uint16_t p = 0x12; p <= 0x1A; p = p == 0x13 ? 0x1A : p + 1) {
		m.profile = profile_by_number(p);
		ck_assert_uint_eq(readable_end_rule(&m, 0, false), 1700);
	}
	m.profile = profile_by_number(0x43);	/* BD-RE */
	ck_assert_uint_eq(readable_end_rule(&m, 0, false), 1700);
	m.volume_sectors = 0;
	ck_assert_uint_eq(readable_end_rule(&m, 0, false), 0);

	/* CD: the lead-out, less a TAO track's two run-out blocks. */
	m.profile = profile_by_number(0x09);
	ck_assert_uint_eq(readable_end_rule(&m, 22132, true), 22130);
	ck_assert_uint_eq(readable_end_rule(&m, 22132, false), 22132);
	ck_assert_uint_eq(readable_end_rule(&m, 0, false), 0);

	m.profile = profile_by_number(0x10);	/* DVD-ROM: READ CAPACITY */
	ck_assert_uint_eq(readable_end_rule(&m, 0, false), 2295104);
	m.error = -ENOMEDIUM;
	ck_assert_uint_eq(readable_end_rule(&m, 0, false), 0);
}
END_TEST

START_TEST(toc_leadout_is_found_and_bounded)
{
	/* Format 0 from track AAh: header and the lead-out descriptor at LBA 22132. */
	static const uint8_t reply[12] = { 0x00, 0x0A, 0x01, 0x01, 0x00, 0x14, 0xAA, 0x00, 0x00, 0x00, 0x56, 0x74 };
	uint8_t buf[12];
	uint32_t lba;

	ck_assert_int_eq(mmc_parse_toc_leadout(reply, sizeof(reply), &lba), 0);
	ck_assert_uint_eq(lba, 22132);
	for (size_t n = 0; n < sizeof(reply); n++) {
		memcpy(buf, reply, n);
		ck_assert_int_eq(mmc_parse_toc_leadout(buf, n, &lba), -EPROTO);
	}
	memcpy(buf, reply, sizeof(buf));
	buf[1] = 0x02;	/* claims the header only */
	ck_assert_int_eq(mmc_parse_toc_leadout(buf, sizeof(buf), &lba), -EPROTO);
	buf[1] = 0x0A;
	buf[6] = 0x01;	/* a track, no lead-out */
	ck_assert_int_eq(mmc_parse_toc_leadout(buf, sizeof(buf), &lba), -EPROTO);
}
END_TEST

/* ---- the read path ---- */

static const char *const every_medium[] = { "cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd+r", "dvd+rw", "bd-r", "bd-re" };

START_TEST(every_medium_reads_back_to_its_end)
{
	uint8_t *buf = malloc((size_t)SECTORS * 2048);
	char spec[64];
	uint64_t end;

	snprintf(spec, sizeof(spec), "%s,timescale=virtual", every_medium[_i]);
	write_image(1);
	open_drive(spec);
	ck_assert_int_eq(drive_readable_end(drive, &end), 0);
	ck_assert_uint_eq(end, SECTORS);
	/* In odd pieces, so the cache is hit, missed and straddled. */
	for (uint32_t lba = 0; lba < SECTORS;) {
		uint32_t n = lba % 3 ? 7 : 100;
		int got;

		if (n > SECTORS - lba)
			n = SECTORS - lba;
		got = drive_read_sectors(drive, lba, n, buf + (size_t)lba * 2048);
		ck_assert_int_eq(got, (int)n);
		lba += n;
	}
	check_sectors(buf, 0, SECTORS, 1);
	free(buf);
	close_drive();
}
END_TEST

START_TEST(cd_run_out_blocks_are_not_counted)
{
	/* The two blocks before the lead-out read as a TAO track's run-out
	 * does (here: unreadable); finding that out is no error to report. */
	char error[320];
	uint64_t end;
	char spec[96];

	write_image(9);
	snprintf(spec, sizeof(spec), "cd-r,timescale=virtual,fault=unreadable@%d-%d", SECTORS - 2, SECTORS - 1);
	open_drive(spec);
	ck_assert_int_eq(drive_readable_end(drive, &end), 0);
	ck_assert_uint_eq(end, SECTORS - 2);
	drive_last_error(drive, error, sizeof(error));
	ck_assert_str_eq(error, "none");
	close_drive();
}
END_TEST

START_TEST(a_damaged_sector_ends_the_read_there)
{
	uint8_t buf[64 * 2048];
	char error[320];

	write_image(2);
	open_drive("dvd-r,timescale=virtual,fault=unreadable@300-301");
	ck_assert_int_eq(drive_read_sectors(drive, 290, 64, buf), 10);
	check_sectors(buf, 290, 10, 2);
	drive_last_error(drive, error, sizeof(error));
	ck_assert_ptr_nonnull(strstr(error, "LBA 300"));
	ck_assert_ptr_nonnull(strstr(error, "sense 3/11/00"));
	ck_assert_int_eq(drive_read_sectors(drive, 300, 1, buf), -EIO);
	ck_assert_int_eq(drive_read_sectors(drive, 301, 4, buf), -EIO);
	ck_assert_int_eq(drive_read_sectors(drive, 302, 4, buf), 4);
	check_sectors(buf, 302, 4, 2);
	/* The write engine's verify takes the same path, uncached. */
	ck_assert_int_eq(drive_read_sectors_owned(drive, 296, 8, buf), 4);
	ck_assert_int_eq(drive_read_sectors_owned(drive, 301, 8, buf), -EIO);
	close_drive();
}
END_TEST

START_TEST(a_damaged_sector_read_ahead_is_no_error)
{
	uint8_t buf[4 * 2048];
	char error[320];

	write_image(4);
	open_drive("dvd-r,timescale=virtual,fault=unreadable@300-301");
	drive_fail(drive, COND_BUSY, "an earlier failure");
	/* The read-ahead from 280 runs into 300, which nobody asked for yet. */
	ck_assert_int_eq(drive_read_sectors(drive, 280, 4, buf), 4);
	check_sectors(buf, 280, 4, 4);
	drive_last_error(drive, error, sizeof(error));
	ck_assert_ptr_nonnull(strstr(error, "an earlier failure"));
	ck_assert_int_eq(drive_read_sectors(drive, 296, 4, buf), 4);
	drive_last_error(drive, error, sizeof(error));
	ck_assert_ptr_nonnull(strstr(error, "an earlier failure"));
	/* Asked for, it is this read's error. */
	ck_assert_int_eq(drive_read_sectors(drive, 298, 4, buf), 2);
	drive_last_error(drive, error, sizeof(error));
	ck_assert_ptr_nonnull(strstr(error, "LBA 300 cannot be read"));
	close_drive();
}
END_TEST

START_TEST(no_read_goes_into_a_burn)
{
	uint8_t buf[2048];
	struct emu_stats before, after;
	uint64_t end;

	write_image(3);
	open_drive("bd-r,timescale=virtual");
	ck_assert_int_eq(drive_readable_end(drive, &end), 0);
	ck_assert_int_eq(drive_claim(drive, "check"), 0);
	emu_get_stats(emu, &before);
	ck_assert_int_eq(drive_read_sectors(drive, 20, 1, buf), -EBUSY);
	/* The end learned before the burn is still known. */
	ck_assert_int_eq(drive_readable_end(drive, &end), 0);
	ck_assert_uint_eq(end, SECTORS);
	emu_get_stats(emu, &after);
	ck_assert_uint_eq(after.commands, before.commands);
	drive_release(drive);
	ck_assert_int_eq(drive_read_sectors(drive, 20, 1, buf), 1);
	close_drive();
}
END_TEST

START_TEST(a_media_change_drops_the_cache)
{
	uint8_t buf[8 * 2048];
	uint64_t end;

	write_image(4);
	open_drive("dvd+r,timescale=virtual");
	ck_assert_int_eq(drive_read_sectors(drive, 100, 8, buf), 8);
	check_sectors(buf, 100, 8, 4);
	/* Another disc with other data: its sectors, not the cached ones. */
	write_image(5);
	ck_assert_int_eq(emu_load_media(emu, "dvd+r", EMU_STATE_APPENDABLE), 0);
	drive_mark_stale(drive);
	ck_assert_int_eq(drive_read_sectors(drive, 104, 4, buf), 4);
	check_sectors(buf, 104, 4, 5);
	ck_assert_int_eq(emu_load_media(emu, "none", EMU_STATE_DEFAULT), 0);
	drive_mark_stale(drive);
	ck_assert_int_eq(drive_read_sectors(drive, 104, 4, buf), -ENOMEDIUM);
	ck_assert_int_eq(drive_readable_end(drive, &end), -ENOMEDIUM);
	ck_assert_uint_eq(end, 0);
	close_drive();
}
END_TEST

/* ---- the emulated drive ---- */

START_TEST(reads_take_the_modelled_time)
{
	/* 16x DVD (22160 kB/s) with CAV: 0.4 of it at LBA 0.  The image is 600
	 * sectors, the disc 2295104: reading it is all near the inside. */
	uint8_t buf[32 * 2048];
	uint64_t t0, ns;
	double sps;

	write_image(6);
	open_drive("dvd+r,timescale=virtual");
	t0 = emu_now_ns(emu);
	ck_assert_int_eq(drive_read_sectors_owned(drive, 0, 32, buf), 32);
	ns = emu_now_ns(emu) - t0;
	sps = 32 / (ns / 1e9);
	ck_assert_msg(sps > 0.4 * 22160 * 1000 / 2048 * 0.99 && sps < 0.4 * 22160 * 1000 / 2048 * 1.01,
		      "%.0f sectors/s", sps);
	close_drive();
}
END_TEST

START_TEST(a_streaming_drive_reads_ahead_while_the_host_is_away)
{
	uint8_t buf[32 * 2048];
	uint64_t t, one;

	write_image(8);
	open_drive("dvd+r,timescale=virtual");
	t = emu_now_ns(emu);
	ck_assert_int_eq(drive_read_sectors_owned(drive, 0, 32, buf), 32);
	one = emu_now_ns(emu) - t;
	ck_assert_uint_gt(one, 0);
	/* Away for as long as a READ takes: the next sectors are in the buffer. */
	emu_sleep_until_ns(emu, emu_now_ns(emu) + one);
	t = emu_now_ns(emu);
	ck_assert_int_eq(drive_read_sectors_owned(drive, 32, 32, buf), 32);
	ck_assert_uint_eq(emu_now_ns(emu) - t, 0);
	/* Straight on: the disc's own pace again. */
	t = emu_now_ns(emu);
	ck_assert_int_eq(drive_read_sectors_owned(drive, 64, 32, buf), 32);
	ck_assert_uint_ge(emu_now_ns(emu) - t, one * 99 / 100);
	/* Elsewhere: nothing was read ahead there. */
	t = emu_now_ns(emu);
	ck_assert_int_eq(drive_read_sectors_owned(drive, 400, 32, buf), 32);
	ck_assert_uint_ge(emu_now_ns(emu) - t, one * 99 / 100);
	close_drive();
}
END_TEST

START_TEST(unreadable_spec_parses_and_rejects)
{
	static const char *bad[] = {
		"dvd-r,fault=unreadable", "dvd-r,fault=unreadable@", "dvd-r,fault=unreadable@x",
		"dvd-r,fault=unreadable@5-", "dvd-r,fault=unreadable@5-3", "dvd-r,fault=unreadable@-5",
		"dvd-r,fault=unreadable@5--6", "dvd-r,fault=unreadable@99999999999", "dvd-r,fault=unreadablex@5",
	};
	struct emu_config cfg;
	char *storage;
	const char *error;

	ck_assert_int_eq(emu_parse_spec("dvd-r,fault=unreadable@100-163", &cfg, &storage, &error), 0);
	ck_assert_int_eq(cfg.fault, EMU_FAULT_UNREADABLE);
	ck_assert_uint_eq(cfg.fault_after, 100);
	ck_assert_uint_eq(cfg.fault_last_lba, 163);
	free(storage);
	ck_assert_int_eq(emu_parse_spec("dvd-r,fault=unreadable@7", &cfg, &storage, &error), 0);
	ck_assert_uint_eq(cfg.fault_after, 7);
	ck_assert_uint_eq(cfg.fault_last_lba, 7);
	free(storage);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(emu_parse_spec(bad[i], &cfg, &storage, &error) == -EINVAL, "%s accepted", bad[i]);
}
END_TEST

START_TEST(damaged_sectors_fail_every_read_touching_them)
{
	uint8_t buf[4 * 2048], sense[18];
	uint8_t cdb[10] = { MMC_READ10 };
	size_t moved;

	write_image(7);
	open_drive("dvd-r,timescale=virtual");
	ck_assert_int_eq(emu_inject_fault(emu, EMU_FAULT_UNREADABLE, 5), -EINVAL);
	ck_assert_int_eq(emu_damage_sectors(emu, 10, 9), -EINVAL);
	ck_assert_int_eq(emu_damage_sectors(emu, 10, 11), 0);
	drive_refresh_media(drive);	/* takes the unit attention of the load */
	for (uint32_t lba = 6; lba < 14; lba++) {
		bool touches = lba + 3 >= 10 && lba <= 11;

		mmc_put32(cdb + 2, lba);
		mmc_put16(cdb + 7, 4);
		for (int pass = 0; pass < 2; pass++) {
			int st = emu_exec(emu, cdb, sizeof(cdb), MMC_DIR_READ, buf, sizeof(buf), &moved, sense);

			ck_assert_int_eq(st, touches ? 2 : 0);
			if (touches) {
				ck_assert_uint_eq(sense[2], 0x3);
				ck_assert_uint_eq(sense[12], 0x11);
				ck_assert_uint_eq(sense[13], 0x00);
				ck_assert_uint_eq(moved, 0);
			}
		}
	}
	close_drive();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("read");
	TCase *rule = tcase_create("rule");
	TCase *path = tcase_create("path");
	TCase *emulator = tcase_create("emulator");
	SRunner *sr;
	int failed;

	tcase_add_test(rule, readable_end_per_medium);
	tcase_add_test(rule, toc_leadout_is_found_and_bounded);
	tcase_set_timeout(path, 60);
	tcase_add_loop_test(path, every_medium_reads_back_to_its_end, 0,
			    sizeof(every_medium) / sizeof(every_medium[0]));
	tcase_add_test(path, cd_run_out_blocks_are_not_counted);
	tcase_add_test(path, a_damaged_sector_ends_the_read_there);
	tcase_add_test(path, a_damaged_sector_read_ahead_is_no_error);
	tcase_add_test(path, no_read_goes_into_a_burn);
	tcase_add_test(path, a_media_change_drops_the_cache);
	tcase_add_test(emulator, reads_take_the_modelled_time);
	tcase_add_test(emulator, a_streaming_drive_reads_ahead_while_the_host_is_away);
	tcase_add_test(emulator, unreadable_spec_parses_and_rejects);
	tcase_add_test(emulator, damaged_sectors_fail_every_read_touching_them);
	suite_add_tcase(s, rule);
	suite_add_tcase(s, path);
	suite_add_tcase(s, emulator);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
