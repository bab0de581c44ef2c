/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the drive model's pure parts: speeds, the error table,
 * volume sizes, the host FIFO and the tree table. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/errors.h"
#include "discfs/fifo.h"
#include "discfs/profile.h"
#include "discfs/speed.h"
#include "discfs/tree.h"
#include "discfs/volume.h"

static int parse(const char *text, struct speed_request *out)
{
	return speed_parse(text, strlen(text), out);
}

START_TEST(speed_accepts_what_echo_and_printf_write)
{
	struct speed_request r;

	ck_assert_int_eq(parse("4000\n", &r), 0);
	ck_assert_int_eq(r.kind, SPEED_SECTORS);
	ck_assert_uint_eq(speed_request_sps(&r, MEDIA_FAMILY_DVD), 4000);
	ck_assert_int_eq(parse("4000", &r), 0);
	ck_assert_uint_eq(speed_request_sps(&r, MEDIA_FAMILY_DVD), 4000);
	ck_assert_int_eq(parse("max\n", &r), 0);
	ck_assert_int_eq(r.kind, SPEED_MAX);
	ck_assert(!r.spelled_minus_one);
	ck_assert_int_eq(parse("-1", &r), 0);
	ck_assert_int_eq(r.kind, SPEED_MAX);
	ck_assert(r.spelled_minus_one);
	ck_assert_int_eq(parse("auto\n", &r), 0);
	ck_assert_int_eq(r.kind, SPEED_AUTO);
}
END_TEST

START_TEST(speed_x_factor_uses_imapi_1x_rates)
{
	struct speed_request r;

	ck_assert_int_eq(parse("8x", &r), 0);
	ck_assert_uint_eq(speed_request_sps(&r, MEDIA_FAMILY_DVD), 8 * 680);
	ck_assert_uint_eq(speed_request_sps(&r, MEDIA_FAMILY_CD), 8 * 75);
	ck_assert_uint_eq(speed_request_sps(&r, MEDIA_FAMILY_BD), 8 * 2195);
	ck_assert_int_eq(parse("2.4x\n", &r), 0);
	ck_assert_uint_eq(speed_request_sps(&r, MEDIA_FAMILY_DVD), 1632);
}
END_TEST

START_TEST(speed_rejects_malformed_values)
{
	static const char *const bad[] = { "", "\n", " ", "abc", "12a", "-2", "4000\n\n", " 4000", "4000 ",
					   "1e5", "x", "-x", "4x4", "max\n1", "--1", "+5" };
	struct speed_request r = { .kind = SPEED_SECTORS, .value = 77 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse(bad[i], &r) == -EINVAL, "'%s' accepted", bad[i]);
	ck_assert_int_eq(speed_parse("40\0" "00", 5, &r), -EINVAL);
	ck_assert_int_eq(r.kind, SPEED_SECTORS);
	ck_assert(r.value == 77);
}
END_TEST

START_TEST(speed_rejects_out_of_range_values)
{
	struct speed_request r;

	ck_assert_int_eq(parse("0", &r), -ERANGE);
	ck_assert_int_eq(parse("99999999999999999999", &r), -ERANGE);
	ck_assert_int_eq(parse("2147483648", &r), -ERANGE);
	ck_assert_int_eq(parse("2147483647", &r), 0);
	ck_assert_int_eq(parse("0x", &r), -ERANGE);
}
END_TEST

START_TEST(speed_units_convert_both_ways)
{
	/* 1x CD is 176.4 kB/s of 2352-byte frames: 75 sectors/s. */
	ck_assert(fabs(kbps_to_sps(MEDIA_FAMILY_CD, 176.4) - 75.0) < 1e-9);
	/* 8x DVD = 11080 kB/s = 5410 sectors of 2048 bytes. */
	ck_assert_int_eq((int)(kbps_to_sps(MEDIA_FAMILY_DVD, 11080) + 0.5), 5410);
	/* Rounded up, so a drive that rounds down still gets what was asked. */
	ck_assert_uint_eq(sps_to_kbps(MEDIA_FAMILY_DVD, 5410), 11080);
	ck_assert_uint_eq(sps_to_kbps(MEDIA_FAMILY_CD, 600), 1412);
	ck_assert(fabs(kbps_to_xfactor(MEDIA_FAMILY_DVD, 11080) - 8.0) < 1e-9);
}
END_TEST

START_TEST(speed_descriptor_line)
{
	struct speed_descriptor d = { .sps = 5410, .kbps = 11080, .xfactor = 8.0, .cav = false };
	char line[64];

	speed_descriptor_format(&d, line, sizeof(line));
	ck_assert_str_eq(line, "5410 11080 8.0x CLV");
	d.cav = true;
	speed_descriptor_format(&d, line, sizeof(line));
	ck_assert_str_eq(line, "5410 11080 8.0x CAV");
}
END_TEST

START_TEST(speed_plan_is_linear_by_lba)
{
	/* A flat plan: time is sectors over rate. */
	ck_assert(fabs(speed_plan_seconds(1000, 1000, 5000, 10000) - 5.0) < 1e-9);
	/* A ramp from 1000 to 3000 sectors/s over 10000 sectors takes
	 * 10000/2000 * ln 3 seconds; halfway the rate is 2000. */
	ck_assert(fabs(speed_plan_seconds(1000, 3000, 10000, 10000) - 5.0 * log(3.0)) < 1e-9);
	ck_assert(fabs(speed_plan_rate(1000, 3000, 5000, 10000) - 2000.0) < 1e-9);
	/* The time to reach a sector grows as the integral of 1/rate: the
	 * local slope is 1/rate. */
	double t1 = speed_plan_seconds(1000, 3000, 7000, 10000);
	double t2 = speed_plan_seconds(1000, 3000, 7001, 10000);

	ck_assert(fabs(1.0 / (t2 - t1) - speed_plan_rate(1000, 3000, 7000, 10000)) < 1.0);
}
END_TEST

START_TEST(errors_map_sense_to_errno)
{
	struct mmc_sense s = { .key = 2, .asc = 0x3A, .ascq = 1 };
	char line[320];

	ck_assert_int_eq(error_for_sense(&s)->err, ENOMEDIUM);
	ck_assert_str_eq(error_for_sense(&s)->imapi, "E_IMAPI_RECORDER_MEDIA_NO_MEDIA");
	s = (struct mmc_sense){ .key = 2, .asc = 0x04, .ascq = 1 };
	ck_assert_int_eq(error_for_sense(&s)->err, EAGAIN);
	s = (struct mmc_sense){ .key = 6, .asc = 0x28, .ascq = 0 };
	ck_assert_int_eq(error_for_sense(&s)->err, EAGAIN);
	s = (struct mmc_sense){ .key = 7, .asc = 0x27, .ascq = 0 };
	ck_assert_int_eq(error_for_sense(&s)->err, EROFS);
	s = (struct mmc_sense){ .key = 5, .asc = 0x30, .ascq = 5 };
	ck_assert_int_eq(error_for_sense(&s)->err, EMEDIUMTYPE);
	s = (struct mmc_sense){ .key = 3, .asc = 0x0C, .ascq = 9 };
	ck_assert_str_eq(error_for_sense(&s)->imapi, "E_IMAPI_LOSS_OF_STREAMING");
	s = (struct mmc_sense){ .key = 0xE, .asc = 0x99, .ascq = 0x99 };
	ck_assert_int_eq(error_for_sense(&s)->err, EIO);
	s = (struct mmc_sense){ .key = 2, .asc = 0x3A, .ascq = 2 };
	error_format(line, sizeof(line), error_for_sense(&s), &s, "READ DISC INFORMATION", NULL);
	ck_assert_str_eq(line, "ENOMEDIUM: no medium in the drive (E_IMAPI_RECORDER_MEDIA_NO_MEDIA 0xC0AA0202, "
			       "sense 2/3A/02, READ DISC INFORMATION)");
}
END_TEST

START_TEST(errors_map_conditions)
{
	ck_assert_int_eq(error_for_condition(COND_INVALID_VALUE)->err, EINVAL);
	ck_assert_int_eq(error_for_condition(COND_IMAGE_TOO_LARGE)->err, ENOSPC);
	ck_assert_int_eq(error_for_condition(COND_NOT_SEQUENTIAL)->err, ESPIPE);
	ck_assert_int_eq(error_for_condition(COND_INVALID_RESPONSE)->err, EPROTO);
	ck_assert_str_eq(error_for_condition(COND_INVALID_RESPONSE)->imapi,
			 "E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE");
	ck_assert_str_eq(errno_name(EMEDIUMTYPE), "EMEDIUMTYPE");
	ck_assert_str_eq(errno_name(12345), "E12345");
}
END_TEST

/* A fake disc for the volume parser: sectors set up by each test. */
static uint8_t disc[300][2048];

static int read_fake(void *ctx, uint32_t lba, uint8_t *sector)
{
	(void)ctx;
	if (lba >= 300)
		return -1;
	memcpy(sector, disc[lba], 2048);
	return 0;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

START_TEST(volume_iso9660_size)
{
	memset(disc, 0, sizeof(disc));
	ck_assert_uint_eq(volume_size_sectors(read_fake, NULL), 0);
	disc[16][0] = 1;
	memcpy(disc[16] + 1, "CD001", 5);
	put_le32(disc[16] + 80, 180224);
	disc[16][128] = 0x00;
	disc[16][129] = 0x08;
	ck_assert_uint_eq(volume_size_sectors(read_fake, NULL), 180224);
	/* Not 2048-byte logical blocks: not a disc volume we can size. */
	disc[16][129] = 0x02;
	ck_assert_uint_eq(volume_size_sectors(read_fake, NULL), 0);
}
END_TEST

START_TEST(volume_udf_partition_end)
{
	memset(disc, 0, sizeof(disc));
	disc[256][0] = 2;	/* anchor volume descriptor pointer */
	put_le32(disc[256] + 16, 4 * 2048);
	put_le32(disc[256] + 20, 32);
	disc[33][0] = 5;	/* partition descriptor: start 272, length 5000 */
	put_le32(disc[33] + 188, 272);
	put_le32(disc[33] + 192, 5000);
	disc[34][0] = 8;	/* terminator */
	ck_assert_uint_eq(volume_size_sectors(read_fake, NULL), 5272);
	/* A lying extent length is bounded, not followed off the disc. */
	put_le32(disc[256] + 16, 0xFFFFFFFF);
	ck_assert_uint_eq(volume_size_sectors(read_fake, NULL), 5272);
}
END_TEST

static void put_descriptor(unsigned lba, uint8_t type, const char *id)
{
	disc[lba][0] = type;
	memcpy(disc[lba] + 1, id, 5);
}

START_TEST(volume_recognition)
{
	struct volume_descriptors v;

	memset(disc, 0, sizeof(disc));
	volume_recognise(disc[16], VOLUME_RECOGNITION_BYTES, &v);
	ck_assert_int_eq(v.kind, VOLUME_NONE);
	/* ISO 9660 made with -C 0,5000: PVD, Joliet, terminator; its path
	 * table and root directory lie past 5000. */
	put_descriptor(16, 1, "CD001");
	disc[16][129] = 0x08;
	put_le32(disc[16] + 80, 182);
	put_le32(disc[16] + 140, 5020);
	put_le32(disc[16] + 158, 5028);
	put_descriptor(17, 2, "CD001");
	put_descriptor(18, 255, "CD001");
	volume_recognise(disc[16], VOLUME_RECOGNITION_BYTES, &v);
	ck_assert_int_eq(v.kind, VOLUME_ISO9660);
	ck_assert_uint_eq(v.iso_sectors, 182);
	ck_assert_uint_eq(v.first_reference, 5020);
	ck_assert_uint_eq(v.terminator, 18);
	/* Sector 16 alone says ISO 9660. */
	ck_assert(volume_recognised(disc[16], 2048));
	/* The volume space size is rewritten in both byte orders. */
	volume_set_iso_sectors(disc[16], 0x01020304);
	ck_assert_uint_eq(disc[16][80], 0x04);
	ck_assert_uint_eq(disc[16][87], 0x04);
	ck_assert_uint_eq(disc[16][84], 0x01);
	/* UDF: BEA01, NSR02, TEA01. */
	memset(disc, 0, sizeof(disc));
	put_descriptor(16, 0, "BEA01");
	put_descriptor(17, 0, "NSR02");
	put_descriptor(18, 0, "TEA01");
	volume_recognise(disc[16], VOLUME_RECOGNITION_BYTES, &v);
	ck_assert_int_eq(v.kind, VOLUME_UDF);
	ck_assert(volume_recognised(disc[16], VOLUME_RECOGNITION_BYTES));
	/* Only BEA01 has come: not yet a UDF volume. */
	ck_assert(!volume_recognised(disc[16], 2048));
	/* NSR02 without BEA01 before it is no recognition sequence. */
	memset(disc[16], 0, 2048);
	volume_recognise(disc[16], VOLUME_RECOGNITION_BYTES, &v);
	ck_assert_int_eq(v.kind, VOLUME_NONE);
	ck_assert(!volume_recognised(disc[16], VOLUME_RECOGNITION_BYTES));
}
END_TEST

struct producer {
	struct fifo *f;
	size_t total;
};

/* How many of the n bytes at buf are the stream's bytes from offset seen on:
 * one assertion per chunk, not one per byte, keeps the test's time to the
 * FIFO's own (a per-byte ck_assert under ASan took most of it). */
static size_t in_order(const unsigned char *buf, size_t n, size_t seen)
{
	size_t i = 0;

	while (i < n && buf[i] == (seen + i) % 251)
		i++;
	return i;
}

static void *produce(void *arg)
{
	struct producer *p = arg;
	unsigned char block[1000];

	for (size_t sent = 0; sent < p->total; sent += sizeof(block)) {
		for (size_t i = 0; i < sizeof(block); i++)
			block[i] = (unsigned char)((sent + i) % 251);
		fifo_put(p->f, block, sizeof(block));
	}
	fifo_close(p->f);
	return NULL;
}

START_TEST(fifo_keeps_order_and_bounds_memory)
{
	struct fifo f;
	struct producer p = { &f, 1000 * 1000 };
	unsigned char buf[4096];
	size_t got, seen = 0;
	pthread_t t;

	ck_assert_int_eq(fifo_init(&f, 8192), 0);
	pthread_create(&t, NULL, produce, &p);
	while ((got = fifo_get(&f, 0, buf, sizeof(buf))) > 0) {
		ck_assert_uint_le(fifo_used(&f), 8192);
		ck_assert_uint_eq(in_order(buf, got, seen), got);
		seen += got;
	}
	pthread_join(t, NULL);
	ck_assert_uint_eq(seen, p.total);
	fifo_destroy(&f);
}
END_TEST

/* The engine writes chunks from where they lie in the FIFO: what fifo_peek
 * shows stays intact while a writer keeps filling, until fifo_consume. */
START_TEST(fifo_peek_reads_in_place_until_consumed)
{
	struct fifo f;
	struct producer p = { &f, 1000 * 1000 };
	size_t got, seen = 0;
	const void *data;
	pthread_t t;

	ck_assert_int_eq(fifo_init(&f, 8192), 0);
	pthread_create(&t, NULL, produce, &p);
	/* 3000 does not divide 8192: some peeks stop short at the ring's end. */
	while ((got = fifo_peek(&f, 0, &data, 3000)) > 0) {
		const unsigned char *bytes = data;

		ck_assert_uint_le(got, 3000);
		sched_yield();	/* let the writer run; it must not touch these bytes */
		ck_assert_uint_eq(in_order(bytes, got, seen), got);
		fifo_consume(&f, 0, got);
		seen += got;
	}
	pthread_join(t, NULL);
	ck_assert_uint_eq(seen, p.total);
	fifo_destroy(&f);
}
END_TEST

struct reader {
	struct fifo *f;
	unsigned r;
	size_t stop_after;	/* drops out after this many bytes; 0: reads to the end */
	size_t seen;
	bool in_order;
};

static void *read_all(void *arg)
{
	struct reader *rd = arg;
	unsigned char buf[3000];
	size_t got;

	rd->in_order = true;
	while ((got = fifo_get(rd->f, rd->r, buf, sizeof(buf))) > 0) {
		rd->in_order &= in_order(buf, got, rd->seen) == got;
		rd->seen += got;
		if (rd->stop_after && rd->seen >= rd->stop_after) {
			fifo_drop(rd->f, rd->r, -EIO);
			break;
		}
	}
	return NULL;
}

/* A tower's FIFO: every reader sees the whole stream in order from one
 * ring no larger than one FIFO; a reader that drops out frees its place
 * and the others go on to the end. */
START_TEST(fifo_feeds_every_reader_once_and_survives_one_dropping)
{
	struct fifo f;
	struct producer p = { &f, 1000 * 1000 };
	struct reader rd[3] = { { &f, 0, 0, 0, false }, { &f, 1, 200 * 1000, 0, false }, { &f, 2, 0, 0, false } };
	pthread_t t, readers[3];

	ck_assert_int_eq(fifo_init(&f, 8192), 0);
	fifo_reset(&f, 3);
	for (int i = 0; i < 3; i++)
		pthread_create(&readers[i], NULL, read_all, &rd[i]);
	pthread_create(&t, NULL, produce, &p);
	pthread_join(t, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(readers[i], NULL);
	ck_assert_uint_eq(rd[0].seen, p.total);
	ck_assert_uint_eq(rd[2].seen, p.total);
	ck_assert_uint_ge(rd[1].seen, 200 * 1000);
	ck_assert_uint_lt(rd[1].seen, p.total);
	for (int i = 0; i < 3; i++)
		ck_assert(rd[i].in_order);
	fifo_destroy(&f);
}
END_TEST

/* The writer waits for the slowest reader, and fails only once every
 * reader has gone. */
START_TEST(fifo_waits_for_the_slowest_reader)
{
	struct fifo f;
	unsigned char buf[16];
	const void *data;

	ck_assert_int_eq(fifo_init(&f, 16), 0);
	fifo_reset(&f, 2);
	ck_assert_int_eq(fifo_put_zeros(&f, 16), 0);
	ck_assert_uint_eq(fifo_get(&f, 0, buf, 16), 16);
	ck_assert_uint_eq(fifo_used(&f), 16);	/* reader 1 has not taken them */
	ck_assert_uint_eq(fifo_pending(&f, 0), 0);
	ck_assert_uint_eq(fifo_pending(&f, 1), 16);
	fifo_drop(&f, 1, -EIO);
	ck_assert_uint_eq(fifo_used(&f), 0);
	ck_assert_uint_eq(fifo_peek(&f, 1, &data, 16), 0);	/* gone: nothing for it */
	ck_assert_int_eq(fifo_put_zeros(&f, 16), 0);
	fifo_drop(&f, 0, -ENOSPC);
	ck_assert_int_eq(fifo_put_zeros(&f, 1), -ENOSPC);
	fifo_destroy(&f);
}
END_TEST

static void *fail_later(void *arg)
{
	fifo_drop(arg, 0, -EIO);
	return NULL;
}

START_TEST(fifo_failure_wakes_a_blocked_writer)
{
	struct fifo f;
	unsigned char big[64] = { 0 };
	pthread_t t;

	ck_assert_int_eq(fifo_init(&f, 16), 0);
	pthread_create(&t, NULL, fail_later, &f);
	ck_assert_int_eq(fifo_put(&f, big, sizeof(big)), -EIO);
	pthread_join(t, NULL);
	fifo_reset(&f, 1);
	ck_assert_int_eq(fifo_put_zeros(&f, 10), 0);
	ck_assert_uint_eq(fifo_used(&f), 10);
	fifo_destroy(&f);
}
END_TEST

static void count_entry(void *ctx, const char *name, bool is_dir)
{
	(void)name;
	(void)is_dir;
	(*(int *)ctx)++;
}

START_TEST(tree_lists_each_file_once)
{
	int top = 0, speeds = 0;

	ck_assert_ptr_nonnull(tree_lookup("free_sectors", false));
	ck_assert_ptr_nonnull(tree_lookup("write_speed/starting", false));
	ck_assert_ptr_null(tree_lookup("write_speed", false));
	ck_assert_ptr_null(tree_lookup("nonexistent", false));
	ck_assert(tree_is_dir("write_speed", false));
	ck_assert(tree_is_dir("progress", false));
	ck_assert(!tree_is_dir("free_sectors", false));
	ck_assert(!tree_is_dir("write", false));
	tree_list("write_speed", false, count_entry, &speeds);
	ck_assert_int_eq(speeds, 3);
	tree_list("", false, count_entry, &top);
	ck_assert_int_gt(top, 15);
	ck_assert_int_eq(tree_lookup("burn", false)->mode, 0200);
	ck_assert(tree_lookup("burn", false)->stream);
	ck_assert_int_eq(tree_lookup("write_speed/starting", false)->mode, 0644);
	/* The emulator's controls exist on emulated recorders only. */
	ck_assert_ptr_null(tree_lookup("emulator/media", false));
	ck_assert_ptr_nonnull(tree_lookup("emulator/media", true));
	ck_assert(!tree_is_dir("emulator", false));
	ck_assert(tree_is_dir("emulator", true));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("model");
	TCase *speed = tcase_create("speed");
	TCase *errors = tcase_create("errors");
	TCase *volume = tcase_create("volume");
	TCase *fifo = tcase_create("fifo");
	TCase *tree = tcase_create("tree");
	SRunner *sr;
	int failed;

	tcase_add_test(speed, speed_accepts_what_echo_and_printf_write);
	tcase_add_test(speed, speed_x_factor_uses_imapi_1x_rates);
	tcase_add_test(speed, speed_rejects_malformed_values);
	tcase_add_test(speed, speed_rejects_out_of_range_values);
	tcase_add_test(speed, speed_units_convert_both_ways);
	tcase_add_test(speed, speed_descriptor_line);
	tcase_add_test(speed, speed_plan_is_linear_by_lba);
	tcase_add_test(errors, errors_map_sense_to_errno);
	tcase_add_test(errors, errors_map_conditions);
	tcase_add_test(volume, volume_iso9660_size);
	tcase_add_test(volume, volume_udf_partition_end);
	tcase_add_test(volume, volume_recognition);
	/* Threads hand 1 MB through an 8 KiB ring: on a loaded machine under
	 * ASan that takes seconds, not Check's default 4. */
	tcase_set_timeout(fifo, 120);
	tcase_add_test(fifo, fifo_keeps_order_and_bounds_memory);
	tcase_add_test(fifo, fifo_peek_reads_in_place_until_consumed);
	tcase_add_test(fifo, fifo_failure_wakes_a_blocked_writer);
	tcase_add_test(fifo, fifo_feeds_every_reader_once_and_survives_one_dropping);
	tcase_add_test(fifo, fifo_waits_for_the_slowest_reader);
	tcase_add_test(tree, tree_lists_each_file_once);
	suite_add_tcase(s, speed);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, volume);
	suite_add_tcase(s, fifo);
	suite_add_tcase(s, tree);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
