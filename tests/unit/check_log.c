/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The -d trace line: what a user pastes into a bug report must carry the
 * CDB, the direction and length, the status and the sense bytes. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/log.h"

static struct mmc_reply good(size_t transferred)
{
	struct mmc_reply r;

	memset(&r, 0, sizeof(r));
	r.transferred = transferred;
	return r;
}

START_TEST(inquiry_reads_like_sg_raw)
{
	struct mmc_cmd cmd;
	uint8_t data[96] = { 0x05, 0x80, 0x05, 0x32, 0x5b };
	struct mmc_reply r = good(36);
	char line[600];

	mmc_build_inquiry(&cmd, 96);
	log_format_mmc(line, sizeof(line), "drive0", &cmd, data, &r);
	ck_assert_str_eq(line, "drive0: cdb to send: 12 00 00 00 60 00 [INQUIRY] data-in 96 bytes; SCSI Status: Good; "
			       "received 36 bytes: 05 80 05 32 5b 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
			       "00 00 00 00 00 00 00 00 00 00 ...");
}
END_TEST

START_TEST(check_condition_shows_the_sense)
{
	struct mmc_cmd cmd;
	struct mmc_reply r = good(0);
	static const uint8_t sense[18] = { 0x70, 0, 0x02, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x3a, 0x01 };
	char line[600];

	mmc_build_test_unit_ready(&cmd);
	r.status = -EIO;
	memcpy(r.sense, sense, sizeof(sense));
	r.sense_len = sizeof(sense);
	log_format_mmc(line, sizeof(line), "drive1", &cmd, NULL, &r);
	ck_assert_str_eq(line, "drive1: cdb to send: 00 00 00 00 00 00 [TEST UNIT READY] no data; SCSI Status: Check "
			       "Condition; Sense key: Not Ready, asc/ascq 3a/01 (2/3A/01); raw sense data, length=18: "
			       "70 00 02 00 00 00 00 0a 00 00 00 00 3a 01 00 00 00 00");
}
END_TEST

START_TEST(transport_errors_are_named)
{
	struct mmc_cmd cmd;
	struct mmc_reply r = good(0);
	char line[600];

	mmc_build_test_unit_ready(&cmd);
	r.status = -ETIMEDOUT;
	log_format_mmc(line, sizeof(line), "drive0", &cmd, NULL, &r);
	ck_assert_ptr_nonnull(strstr(line, "; transport error: Connection timed out"));
}
END_TEST

START_TEST(sector_data_is_not_dumped)
{
	struct mmc_cmd cmd = { .cdb = { MMC_WRITE10, 0, 0, 0, 0, 0x10, 0, 0, 0x20, 0 }, .cdb_len = 10,
			       .dir = MMC_DIR_WRITE, .xfer_len = 65536 };
	static uint8_t data[65536];
	struct mmc_reply r = good(65536);
	char line[600];

	log_format_mmc(line, sizeof(line), "drive0", &cmd, data, &r);
	ck_assert_str_eq(line, "drive0: cdb to send: 2a 00 00 00 00 10 00 00 20 00 [WRITE(10)] data-out 65536 bytes; "
			       "SCSI Status: Good");
}
END_TEST

START_TEST(a_short_buffer_is_cut_and_the_length_told)
{
	struct mmc_cmd cmd;
	struct mmc_reply r = good(0);
	char full[600], cut[20];
	int need;

	mmc_build_test_unit_ready(&cmd);
	need = log_format_mmc(full, sizeof(full), "drive0", &cmd, NULL, &r);
	ck_assert_int_eq(log_format_mmc(cut, sizeof(cut), "drive0", &cmd, NULL, &r), need);
	ck_assert_int_eq((int)strlen(full), need);
	ck_assert_int_eq(strlen(cut), sizeof(cut) - 1);
	ck_assert_int_eq(strncmp(cut, full, sizeof(cut) - 1), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("log");
	TCase *mmc = tcase_create("mmc trace");
	SRunner *sr;
	int failed;

	tcase_add_test(mmc, inquiry_reads_like_sg_raw);
	tcase_add_test(mmc, check_condition_shows_the_sense);
	tcase_add_test(mmc, transport_errors_are_named);
	tcase_add_test(mmc, sector_data_is_not_dumped);
	tcase_add_test(mmc, a_short_buffer_is_cut_and_the_length_told);
	suite_add_tcase(s, mmc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
