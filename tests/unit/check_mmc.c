/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests of the MMC layer: CDB builders byte for byte, and parsers on
 * replies real drives sent (sources next to each array) and on malformed
 * ones.  Parsers get exactly-sized heap copies so AddressSanitizer reports
 * any read past `len`.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/mmc.h"

/* A heap copy of exactly n bytes: reading past it trips ASan. */
static uint8_t *dup_exact(const uint8_t *src, size_t n)
{
	uint8_t *p = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(p);
	if (n)
		memcpy(p, src, n);
	return p;
}

static void expect_cmd(const struct mmc_cmd *cmd, const uint8_t want[MMC_CDB_MAX], size_t cdb_len, enum mmc_dir dir,
		       uint32_t xfer_len)
{
	ck_assert_mem_eq(cmd->cdb, want, MMC_CDB_MAX);
	ck_assert_uint_eq(cmd->cdb_len, cdb_len);
	ck_assert_int_eq(cmd->dir, dir);
	ck_assert_uint_eq(cmd->xfer_len, xfer_len);
}

/* Builders must zero what they do not set, whatever the struct held. */
static struct mmc_cmd dirty_cmd(void)
{
	struct mmc_cmd cmd;

	memset(&cmd, 0xA5, sizeof(cmd));
	return cmd;
}

/* ------------------------------------------------------------------ */
/* CDB length and names                                                */

START_TEST(test_cdb_length_by_group)
{
	ck_assert_uint_eq(mmc_cdb_length(0x00), 6);
	ck_assert_uint_eq(mmc_cdb_length(0x1F), 6);
	ck_assert_uint_eq(mmc_cdb_length(0x20), 10);
	ck_assert_uint_eq(mmc_cdb_length(0x5F), 10);
	ck_assert_uint_eq(mmc_cdb_length(0x60), 0);
	ck_assert_uint_eq(mmc_cdb_length(0x7F), 0);
	/* Group 4 is 16 bytes (SPC-4), though libcdio cannot carry one. */
	ck_assert_uint_eq(mmc_cdb_length(0x80), 16);
	ck_assert_uint_eq(mmc_cdb_length(0x9F), 16);
	ck_assert_uint_eq(mmc_cdb_length(0xA0), 12);
	ck_assert_uint_eq(mmc_cdb_length(0xBF), 12);
	ck_assert_uint_eq(mmc_cdb_length(0xC0), 0);
	ck_assert_uint_eq(mmc_cdb_length(0xFF), 0);
}
END_TEST

START_TEST(test_opcode_names)
{
	static const uint8_t known[] = {
		MMC_TEST_UNIT_READY, MMC_REQUEST_SENSE, MMC_FORMAT_UNIT, MMC_INQUIRY, MMC_START_STOP_UNIT,
		MMC_PREVENT_ALLOW, MMC_READ_FORMAT_CAPACITIES, MMC_READ_CAPACITY, MMC_READ10, MMC_WRITE10,
		MMC_SYNC_CACHE, MMC_READ_TOC, MMC_GET_CONFIGURATION, MMC_GET_EVENT_STATUS, MMC_READ_DISC_INFO,
		MMC_READ_TRACK_INFO, MMC_RESERVE_TRACK, MMC_SEND_OPC, MMC_MODE_SELECT10, MMC_CLOSE_TRACK_SESSION,
		MMC_READ_BUFFER_CAPACITY, MMC_MODE_SENSE10, MMC_BLANK, MMC_GET_PERFORMANCE, MMC_WRITE12,
		MMC_READ_DISC_STRUCTURE, MMC_SET_STREAMING, MMC_SET_CD_SPEED, MMC_REZERO_UNIT, MMC_READ_BUFFER,
		MMC_SEND_CUE_SHEET,
	};

	ck_assert_str_eq(mmc_opcode_name(MMC_READ_TRACK_INFO), "READ TRACK INFORMATION");
	ck_assert_str_eq(mmc_opcode_name(MMC_GET_PERFORMANCE), "GET PERFORMANCE");
	ck_assert_str_eq(mmc_opcode_name(0xFF), "UNKNOWN");
	ck_assert_str_eq(mmc_opcode_name(0x02), "UNKNOWN");
	ck_assert_str_eq(mmc_opcode_word(MMC_READ_TRACK_INFO), "READ_TRACK_INFO");
	ck_assert_str_eq(mmc_opcode_word(MMC_WRITE10), "WRITE10");
	ck_assert_str_eq(mmc_opcode_word(MMC_SEND_CUE_SHEET), "SEND_CUE_SHEET");
	ck_assert_str_eq(mmc_opcode_word(0x02), "UNKNOWN");
	for (size_t i = 0; i < sizeof(known); i++) {
		ck_assert_str_ne(mmc_opcode_name(known[i]), "UNKNOWN");
		ck_assert_str_ne(mmc_opcode_word(known[i]), "UNKNOWN");
		/* Every opcode we send has a CDB length libcdio can carry. */
		ck_assert_uint_ne(mmc_cdb_length(known[i]), 0);
		ck_assert_uint_le(mmc_cdb_length(known[i]), MMC_CDB_MAX);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Builders                                                            */

START_TEST(test_build_test_unit_ready)
{
	static const uint8_t want[MMC_CDB_MAX] = { 0x00 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_test_unit_ready(&cmd);
	expect_cmd(&cmd, want, 6, MMC_DIR_NONE, 0);
}
END_TEST

START_TEST(test_build_request_sense)
{
	static const uint8_t want[MMC_CDB_MAX] = { 0x03, 0, 0, 0, 18, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_request_sense(&cmd, 18);
	expect_cmd(&cmd, want, 6, MMC_DIR_READ, 18);
}
END_TEST

START_TEST(test_build_inquiry)
{
	/* sg_get_config -v on a TSSTcorp SH-S223F printed "inquiry cdb: 12 00 00 00 24 00"
	 * (https://github.com/haikuports/haikuports/pull/2010). */
	static const uint8_t want[MMC_CDB_MAX] = { 0x12, 0x00, 0x00, 0x00, 0x24, 0x00 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_inquiry(&cmd, 36);
	expect_cmd(&cmd, want, 6, MMC_DIR_READ, 36);
}
END_TEST

START_TEST(test_build_get_configuration)
{
	/* sg_get_config -v (haikuports PR 2010): "46 00 00 00 00 00 00 20 00 00". */
	static const uint8_t sg3[MMC_CDB_MAX] = { 0x46, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00 };
	/* Windows XP setup probing an ATAPI drive, logged by ZuluIDE
	 * (https://github.com/ZuluIDE/ZuluIDE-firmware/issues/4): "46 00 00 00 00 00 00 00 08 00". */
	static const uint8_t winxp[MMC_CDB_MAX] = { 0x46, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00 };
	static const uint8_t one_feature[MMC_CDB_MAX] = { 0x46, 0x02, 0x01, 0x07, 0, 0, 0, 0x00, 0x10, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_get_configuration(&cmd, 0, 0, 0x2000);
	expect_cmd(&cmd, sg3, 10, MMC_DIR_READ, 0x2000);
	mmc_build_get_configuration(&cmd, 0, 0, 8);
	expect_cmd(&cmd, winxp, 10, MMC_DIR_READ, 8);
	mmc_build_get_configuration(&cmd, 2, 0x0107, 16);
	expect_cmd(&cmd, one_feature, 10, MMC_DIR_READ, 16);
	/* RT is two bits wide. */
	mmc_build_get_configuration(&cmd, 0xFE, 0x0107, 16);
	ck_assert_uint_eq(cmd.cdb[1], 0x02);
}
END_TEST

START_TEST(test_build_get_event_status)
{
	static const uint8_t want[MMC_CDB_MAX] = { 0x4A, 0x01, 0, 0, 0x10, 0, 0, 0x00, 0x08, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_get_event_status(&cmd, 0x10, 8);
	expect_cmd(&cmd, want, 10, MMC_DIR_READ, 8);
}
END_TEST

START_TEST(test_build_read_disc_info)
{
	/* cdrecord on an AOPEN CRW3248 (tclug-list, Dec 2002):
	 * "CDB:  51 00 00 00 00 00 00 00 04 00". */
	static const uint8_t cdrecord[MMC_CDB_MAX] = { 0x51, 0, 0, 0, 0, 0, 0, 0x00, 0x04, 0 };
	static const uint8_t full[MMC_CDB_MAX] = { 0x51, 0, 0, 0, 0, 0, 0, 0x00, 0x22, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_read_disc_info(&cmd, 4);
	expect_cmd(&cmd, cdrecord, 10, MMC_DIR_READ, 4);
	mmc_build_read_disc_info(&cmd, 34);
	expect_cmd(&cmd, full, 10, MMC_DIR_READ, 34);
}
END_TEST

START_TEST(test_build_read_track_info)
{
	/* cdrecord -msinfo, NetBSD current-users 2003-10-27 and alug 2001:
	 * "CDB:  52 01 00 00 00 FF 00 00 1C 00" (invisible track, MMC-2 28 bytes). */
	static const uint8_t cdrecord[MMC_CDB_MAX] = { 0x52, 0x01, 0x00, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x1C, 0x00 };
	/* xorriso -scsi_log (https://github.com/pali/udftools/pull/44):
	 * "52 01 00 00 00 01 00 00 22 00". */
	static const uint8_t xorriso[MMC_CDB_MAX] = { 0x52, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x22, 0x00 };
	static const uint8_t by_lba[MMC_CDB_MAX] = { 0x52, 0x00, 0x12, 0x34, 0x56, 0x78, 0, 0x01, 0x00, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_read_track_info(&cmd, 1, 0xFF, 28);
	expect_cmd(&cmd, cdrecord, 10, MMC_DIR_READ, 28);
	mmc_build_read_track_info(&cmd, 1, 1, 34);
	expect_cmd(&cmd, xorriso, 10, MMC_DIR_READ, 34);
	mmc_build_read_track_info(&cmd, 0, 0x12345678, 256);
	expect_cmd(&cmd, by_lba, 10, MMC_DIR_READ, 256);
}
END_TEST

START_TEST(test_build_read_capacity)
{
	static const uint8_t want[MMC_CDB_MAX] = { 0x25 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_read_capacity(&cmd);
	expect_cmd(&cmd, want, 10, MMC_DIR_READ, 8);
}
END_TEST

START_TEST(test_build_read_format_capacities)
{
	static const uint8_t want[MMC_CDB_MAX] = { 0x23, 0, 0, 0, 0, 0, 0, 0x00, 0xFC, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_read_format_capacities(&cmd, 252);
	expect_cmd(&cmd, want, 10, MMC_DIR_READ, 252);
}
END_TEST

START_TEST(test_build_mode_sense10)
{
	/* DVRTool's LabelFlash probe (forum.imgburn.com topic 25521):
	 * "5A 00 2D 00 00 00 00 00 FC 00". */
	static const uint8_t dvrtool[MMC_CDB_MAX] = { 0x5A, 0x00, 0x2D, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFC, 0x00 };
	static const uint8_t changeable[MMC_CDB_MAX] = { 0x5A, 0x00, 0x45, 0, 0, 0, 0, 0x00, 0x3C, 0 };
	static const uint8_t saved_caps[MMC_CDB_MAX] = { 0x5A, 0x00, 0xEA, 0, 0, 0, 0, 0x01, 0x00, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_mode_sense10(&cmd, 0x2D, 0, 0xFC);
	expect_cmd(&cmd, dvrtool, 10, MMC_DIR_READ, 0xFC);
	mmc_build_mode_sense10(&cmd, 0x05, 1, 60);
	expect_cmd(&cmd, changeable, 10, MMC_DIR_READ, 60);
	mmc_build_mode_sense10(&cmd, 0x2A, 3, 256);
	expect_cmd(&cmd, saved_caps, 10, MMC_DIR_READ, 256);
}
END_TEST

START_TEST(test_build_mode_select10)
{
	/* cdrecord writing page 05h (linux-india-help, HP CD-Writer+ 8200a):
	 * "CDB: 55 10 00 00 00 00 00 00 3C 00". */
	static const uint8_t want[MMC_CDB_MAX] = { 0x55, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3C, 0x00 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_mode_select10(&cmd, 60);
	expect_cmd(&cmd, want, 10, MMC_DIR_WRITE, 60);
}
END_TEST

START_TEST(test_build_get_performance)
{
	static const uint8_t write_speeds[MMC_CDB_MAX] = { 0xAC, 0x00, 0, 0, 0, 0, 0, 0, 0x00, 0x20, 0x03, 0 };
	static const uint8_t nominal[MMC_CDB_MAX] = { 0xAC, 0x14, 0x00, 0x01, 0x00, 0x00, 0, 0, 0x00, 0x01, 0x00, 0 };
	static const uint8_t header_only[MMC_CDB_MAX] = { 0xAC, 0x10, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	/* Type 03h: the data type argument does not leak into byte 1. */
	mmc_build_get_performance(&cmd, 0x03, 0x14, 0, 32);
	expect_cmd(&cmd, write_speeds, 12, MMC_DIR_READ, 8 + 16 * 32);
	mmc_build_get_performance(&cmd, 0x00, 0x14, 0x10000, 1);
	expect_cmd(&cmd, nominal, 12, MMC_DIR_READ, 24);
	mmc_build_get_performance(&cmd, 0x00, 0x10, 0, 0);
	expect_cmd(&cmd, header_only, 12, MMC_DIR_READ, 8);
	mmc_build_get_performance(&cmd, 0x03, 0, 0, 0xFFFF);
	ck_assert_uint_eq(cmd.xfer_len, 8 + 16u * 0xFFFF);
}
END_TEST

START_TEST(test_build_set_streaming)
{
	static const uint8_t want[MMC_CDB_MAX] = { 0xB6, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x1C, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_set_streaming(&cmd);
	expect_cmd(&cmd, want, 12, MMC_DIR_WRITE, 28);
}
END_TEST

START_TEST(test_build_streaming_descriptor)
{
	/* libburn's default End LBA, 2294921 - 1; 4x DVD write, 8x read. */
	static const uint8_t clv[28] = {
		0x00, 0, 0, 0,
		0x00, 0x00, 0x00, 0x00,		/* start */
		0x00, 0x23, 0x04, 0x88,		/* end 2294920 */
		0x00, 0x00, 0x2B, 0x48,		/* read size 11080 kB */
		0x00, 0x00, 0x03, 0xE8,		/* read time 1000 ms */
		0x00, 0x00, 0x15, 0xA4,		/* write size 5540 kB */
		0x00, 0x00, 0x03, 0xE8,		/* write time 1000 ms */
	};
	uint8_t out[28];

	memset(out, 0xA5, sizeof(out));
	mmc_build_streaming_descriptor(out, 0, 2294920, 11080, 5540, false);
	ck_assert_mem_eq(out, clv, sizeof(clv));
	mmc_build_streaming_descriptor(out, 0x01020304, 0x7FFFFFFE, 0xFFFFFFFF, 0x10000000, true);
	ck_assert_uint_eq(out[0], 0x08);	/* WRC 01b in bits 4-3 */
	ck_assert_uint_eq(mmc_get32(&out[4]), 0x01020304);
	ck_assert_uint_eq(mmc_get32(&out[8]), 0x7FFFFFFE);
	ck_assert_uint_eq(mmc_get32(&out[12]), 0xFFFFFFFF);
	ck_assert_uint_eq(mmc_get32(&out[20]), 0x10000000);
	ck_assert_uint_eq(out[1] | out[2] | out[3], 0);
}
END_TEST

START_TEST(test_build_set_cd_speed)
{
	/* 48x read (8467 kB/s), write as fast as possible. */
	static const uint8_t clv[MMC_CDB_MAX] = { 0xBB, 0x00, 0x21, 0x13, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0 };
	static const uint8_t cav[MMC_CDB_MAX] = { 0xBB, 0x01, 0xFF, 0xFF, 0x1B, 0x90, 0, 0, 0, 0, 0, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_set_cd_speed(&cmd, 8467, 0xFFFF, false);
	expect_cmd(&cmd, clv, 12, MMC_DIR_NONE, 0);
	mmc_build_set_cd_speed(&cmd, 0xFFFF, 7056, true);
	expect_cmd(&cmd, cav, 12, MMC_DIR_NONE, 0);
}
END_TEST

START_TEST(test_build_read_buffer_capacity)
{
	static const uint8_t bytes[MMC_CDB_MAX] = { 0x5C, 0x00, 0, 0, 0, 0, 0, 0x00, 0x0C, 0 };
	static const uint8_t blocks[MMC_CDB_MAX] = { 0x5C, 0x01, 0, 0, 0, 0, 0, 0x00, 0x0C, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_read_buffer_capacity(&cmd, false);
	expect_cmd(&cmd, bytes, 10, MMC_DIR_READ, 12);
	mmc_build_read_buffer_capacity(&cmd, true);
	expect_cmd(&cmd, blocks, 10, MMC_DIR_READ, 12);
}
END_TEST

START_TEST(test_build_read10_write10)
{
	/* cdrecord's first track write on an HL-DT-ST GCE-8080N (gnhlug-discuss 2003-09):
	 * "CDB: 2A 00 00 00 00 00 00 00 1B 00". */
	static const uint8_t cdrecord[MMC_CDB_MAX] = { 0x2A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1B, 0x00 };
	/* cdrdao on a Yamaha CRW2100S (alug 2001-11): "CDB: 2A 00 00 00 8A BC 00 00 1A 00". */
	static const uint8_t cdrdao[MMC_CDB_MAX] = { 0x2A, 0x00, 0x00, 0x00, 0x8A, 0xBC, 0x00, 0x00, 0x1A, 0x00 };
	static const uint8_t read[MMC_CDB_MAX] = { 0x28, 0x00, 0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0xFF, 0xFF, 0x00 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_write10(&cmd, 0, 27);
	expect_cmd(&cmd, cdrecord, 10, MMC_DIR_WRITE, 27 * 2048);
	mmc_build_write10(&cmd, 0x8ABC, 26);
	expect_cmd(&cmd, cdrdao, 10, MMC_DIR_WRITE, 26 * 2048);
	mmc_build_read10(&cmd, 0xDEADBEEF, 0xFFFF);
	expect_cmd(&cmd, read, 10, MMC_DIR_READ, 0xFFFFu * 2048);
}
END_TEST

START_TEST(test_build_sync_cache)
{
	static const uint8_t immed[MMC_CDB_MAX] = { 0x35, 0x02 };
	static const uint8_t wait[MMC_CDB_MAX] = { 0x35, 0x00 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_sync_cache(&cmd, true);
	expect_cmd(&cmd, immed, 10, MMC_DIR_NONE, 0);
	mmc_build_sync_cache(&cmd, false);
	expect_cmd(&cmd, wait, 10, MMC_DIR_NONE, 0);
}
END_TEST

START_TEST(test_build_close_track_session)
{
	static const uint8_t close_track[MMC_CDB_MAX] = { 0x5B, 0x01, 0x01, 0x00, 0x00, 0x01 };
	static const uint8_t finalize_dvdpr[MMC_CDB_MAX] = { 0x5B, 0x00, 0x05, 0x00, 0x01, 0x02 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_close_track_session(&cmd, 1, 1, true);
	expect_cmd(&cmd, close_track, 10, MMC_DIR_NONE, 0);
	mmc_build_close_track_session(&cmd, 5, 0x0102, false);
	expect_cmd(&cmd, finalize_dvdpr, 10, MMC_DIR_NONE, 0);
	mmc_build_close_track_session(&cmd, 0xFE, 0, false);
	ck_assert_uint_eq(cmd.cdb[2], 0x06);	/* function is 3 bits */
}
END_TEST

START_TEST(test_build_read_toc)
{
	static const uint8_t multisession[MMC_CDB_MAX] = { 0x43, 0x00, 0x01, 0, 0, 0, 0x00, 0x00, 0x0C, 0 };
	static const uint8_t track[MMC_CDB_MAX] = { 0x43, 0x00, 0x00, 0, 0, 0, 0x05, 0x03, 0x24, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_read_toc(&cmd, 1, 0, 12);
	expect_cmd(&cmd, multisession, 10, MMC_DIR_READ, 12);
	mmc_build_read_toc(&cmd, 0, 5, 804);
	expect_cmd(&cmd, track, 10, MMC_DIR_READ, 804);
}
END_TEST

/* IMAPI2's WriteProtectStatus: READ DISC STRUCTURE C0h, 12 bytes of CDB,
 * and its 8-byte reply (MMC-6 Table 389). */
START_TEST(test_write_protection)
{
	static const uint8_t dvd[MMC_CDB_MAX] = { 0xAD, 0x00, 0, 0, 0, 0, 0, 0xC0, 0x00, 0x08, 0, 0 };
	static const uint8_t bd[MMC_CDB_MAX] = { 0xAD, 0x01, 0, 0, 0, 0, 0, 0xC0, 0x00, 0x08, 0, 0 };
	static const uint8_t none[8] = { 0x00, 0x06, 0, 0, 0x00, 0, 0, 0 };
	static const uint8_t cartridge_and_pwp[8] = { 0x00, 0x06, 0, 0, 0xF6, 0, 0, 0 };
	struct mmc_cmd cmd = dirty_cmd();
	uint8_t flags = 0xFF;

	mmc_build_read_disc_structure(&cmd, 0, 0xC0, 8);
	expect_cmd(&cmd, dvd, 12, MMC_DIR_READ, 8);
	mmc_build_read_disc_structure(&cmd, 1, 0xC0, 8);
	expect_cmd(&cmd, bd, 12, MMC_DIR_READ, 8);
	ck_assert_int_eq(mmc_parse_write_protection(none, sizeof(none), &flags), 0);
	ck_assert_int_eq(flags, 0);
	ck_assert_int_eq(mmc_parse_write_protection(cartridge_and_pwp, sizeof(cartridge_and_pwp), &flags), 0);
	ck_assert_int_eq(flags, MMC_WP_CWP | MMC_WP_PWP);	/* reserved bits dropped */
	ck_assert_int_eq(mmc_parse_write_protection(none, 4, &flags), -EPROTO);
}
END_TEST

START_TEST(test_build_blank)
{
	/* cdrecord blank=fast on an AOPEN CRW3248 (tclug-list, Dec 2002):
	 * "CDB:  A1 01 00 00 00 00 00 00 00 00 00 00". */
	static const uint8_t minimal[MMC_CDB_MAX] = {
		0xA1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	static const uint8_t full_immed[MMC_CDB_MAX] = { 0xA1, 0x10 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_blank(&cmd, 1, false);
	expect_cmd(&cmd, minimal, 12, MMC_DIR_NONE, 0);
	mmc_build_blank(&cmd, 0, true);
	expect_cmd(&cmd, full_immed, 12, MMC_DIR_NONE, 0);
}
END_TEST

START_TEST(test_build_format_unit)
{
	static const uint8_t want[MMC_CDB_MAX] = { 0x04, 0x11, 0, 0, 0, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_format_unit(&cmd);
	expect_cmd(&cmd, want, 6, MMC_DIR_WRITE, 12);
}
END_TEST

START_TEST(test_build_format_descriptor)
{
	/* DVD+RW full format (type 26h) over the 2295104 blocks the GP60N offered. */
	static const uint8_t dvdprw[12] = {
		0x00, 0x02, 0x00, 0x08,
		0x00, 0x23, 0x05, 0x40,
		0x26 << 2, 0x00, 0x00, 0x00,
	};
	/* DVD-RW quick format 15h with a type parameter of 10 (GSA-4083N list). */
	static const uint8_t dvdrw_quick[12] = {
		0x00, 0x00, 0x00, 0x08,
		0x00, 0x23, 0x10, 0x20,
		0x15 << 2, 0x00, 0x00, 0x0A,
	};
	uint8_t out[12];

	memset(out, 0xA5, sizeof(out));
	mmc_build_format_descriptor(out, 2295104, 0x26, 0, true);
	ck_assert_mem_eq(out, dvdprw, sizeof(out));
	mmc_build_format_descriptor(out, 2297888, 0x15, 10, false);
	ck_assert_mem_eq(out, dvdrw_quick, sizeof(out));
	mmc_build_format_descriptor(out, 0, 0x31, 0x123456, false);
	ck_assert_uint_eq(out[8], 0xC4);
	ck_assert_uint_eq(out[9], 0x12);
	ck_assert_uint_eq(out[10], 0x34);
	ck_assert_uint_eq(out[11], 0x56);
}
END_TEST

START_TEST(test_build_start_stop)
{
	static const uint8_t eject[MMC_CDB_MAX] = { 0x1B, 0x00, 0, 0, 0x02, 0 };
	static const uint8_t load_immed[MMC_CDB_MAX] = { 0x1B, 0x01, 0, 0, 0x03, 0 };
	static const uint8_t spin_up[MMC_CDB_MAX] = { 0x1B, 0x00, 0, 0, 0x01, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_start_stop(&cmd, true, false, false);
	expect_cmd(&cmd, eject, 6, MMC_DIR_NONE, 0);
	mmc_build_start_stop(&cmd, true, true, true);
	expect_cmd(&cmd, load_immed, 6, MMC_DIR_NONE, 0);
	mmc_build_start_stop(&cmd, false, true, false);
	expect_cmd(&cmd, spin_up, 6, MMC_DIR_NONE, 0);
}
END_TEST

START_TEST(test_build_prevent_allow)
{
	static const uint8_t prevent[MMC_CDB_MAX] = { 0x1E, 0, 0, 0, 0x01, 0 };
	static const uint8_t allow[MMC_CDB_MAX] = { 0x1E, 0, 0, 0, 0x00, 0 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_prevent_allow(&cmd, true);
	expect_cmd(&cmd, prevent, 6, MMC_DIR_NONE, 0);
	mmc_build_prevent_allow(&cmd, false);
	expect_cmd(&cmd, allow, 6, MMC_DIR_NONE, 0);
}
END_TEST

START_TEST(test_build_send_opc)
{
	/* wodim on an Optiarc AD-7280S (forums.gentoo.org): "CDB:  54 01 00 00 00 00 00 00 00 00". */
	static const uint8_t want[MMC_CDB_MAX] = { 0x54, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct mmc_cmd cmd = dirty_cmd();

	mmc_build_send_opc(&cmd);
	expect_cmd(&cmd, want, 10, MMC_DIR_NONE, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Sense                                                               */

static int parse_sense_exact(const uint8_t *bytes, size_t n, struct mmc_sense *out)
{
	uint8_t *p = dup_exact(bytes, n);
	int rc = mmc_parse_sense(p, n, out);

	free(p);
	return rc;
}

START_TEST(test_sense_real_drives)
{
	static const struct {
		const char *source;
		uint8_t bytes[16];
		uint8_t key, asc, ascq;
	} cases[] = {
		/* cdrecord, HL-DT-ST CD-RW GCE-8080N, gnhlug-discuss 2003-09: illegal mode for this track. */
		{ "GCE-8080N", { 0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0A,
				 0x00, 0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00 }, 0x5, 0x64, 0x00 },
		/* cdrecord, AOPEN CD-RW CRW3248, tclug-list 2002-12: tracking servo failure. */
		{ "CRW3248", { 0x70, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x0C,
			       0x00, 0x00, 0x00, 0x00, 0x09, 0x01, 0x00, 0x00 }, 0x4, 0x09, 0x01 },
		/* cdrdao, Yamaha CRW2100S, alug main list 2001-11: power on or reset. */
		{ "CRW2100S", { 0x70, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x0A,
				0x00, 0x00, 0x00, 0x00, 0x29, 0x00, 0x00, 0x00 }, 0x6, 0x29, 0x00 },
		/* wodim, Optiarc DVD RW AD-7280S, forums.gentoo.org "Impossible to burn a CD": OPC failed. */
		{ "AD-7280S", { 0x70, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x0A,
				0x00, 0x00, 0x00, 0x00, 0x73, 0x03, 0x00, 0x00 }, 0x3, 0x73, 0x03 },
		/* cdrdao, HL-DT-ST DVDRWBD CA10N (https://github.com/AkBKukU/cd-ripping/issues/3):
		 * invalid field in CDB, SKSV set with a field pointer. */
		{ "CA10N", { 0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0A,
			     0xBE, 0xF8, 0x00, 0x08, 0x24, 0x00, 0x00, 0xC0 }, 0x5, 0x24, 0x00 },
		/* cdrecord MODE SELECT, HP CD-Writer+ 8200a, linux-india-help: invalid field in
		 * parameter list; length byte claims 26 bytes, 16 were printed. */
		{ "8200a", { 0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x12,
			     0x00, 0x00, 0x00, 0x00, 0x26, 0x00, 0x00, 0x8B }, 0x5, 0x26, 0x00 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mmc_sense s;

		ck_assert_msg(parse_sense_exact(cases[i].bytes, sizeof(cases[i].bytes), &s) == 0, "%s",
			      cases[i].source);
		ck_assert_uint_eq(s.key, cases[i].key);
		ck_assert_uint_eq(s.asc, cases[i].asc);
		ck_assert_uint_eq(s.ascq, cases[i].ascq);
		/* SKSV on ILLEGAL REQUEST is a field pointer, never progress. */
		ck_assert(!s.progress_valid);
	}
}
END_TEST

START_TEST(test_sense_progress)
{
	/* NOT READY, format in progress (04/04), SKSV with 0x8000 = half done. */
	static const uint8_t formatting[18] = {
		0x70, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0A,
		0x00, 0x00, 0x00, 0x00, 0x04, 0x04, 0x00, 0x80, 0x80, 0x00,
	};
	/* NO SENSE with progress: a drive answering REQUEST SENSE while blanking. */
	static const uint8_t no_sense[18] = {
		0xF0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0xFF, 0xFF,
	};
	uint8_t no_sksv[18];
	struct mmc_sense s;

	ck_assert_int_eq(parse_sense_exact(formatting, sizeof(formatting), &s), 0);
	ck_assert_uint_eq(s.key, 2);
	ck_assert_uint_eq(s.asc, 0x04);
	ck_assert_uint_eq(s.ascq, 0x04);
	ck_assert(s.progress_valid);
	ck_assert_uint_eq(s.progress, 0x8000);

	/* The VALID bit (byte 0 bit 7) does not change the response code. */
	ck_assert_int_eq(parse_sense_exact(no_sense, sizeof(no_sense), &s), 0);
	ck_assert_uint_eq(s.key, 0);
	ck_assert(s.progress_valid);
	ck_assert_uint_eq(s.progress, 0xFFFF);

	memcpy(no_sksv, formatting, sizeof(no_sksv));
	no_sksv[15] = 0x00;
	ck_assert_int_eq(parse_sense_exact(no_sksv, sizeof(no_sksv), &s), 0);
	ck_assert(!s.progress_valid);
	ck_assert_uint_eq(s.progress, 0);

	/* Progress bytes cut off: still parses, without progress. */
	ck_assert_int_eq(parse_sense_exact(formatting, 17, &s), 0);
	ck_assert_uint_eq(s.asc, 0x04);
	ck_assert(!s.progress_valid);

	/* Additional length 6 ends the data at byte 13: SKSV bytes are not sense. */
	memcpy(no_sksv, formatting, sizeof(no_sksv));
	no_sksv[7] = 6;
	ck_assert_int_eq(parse_sense_exact(no_sksv, sizeof(no_sksv), &s), 0);
	ck_assert_uint_eq(s.ascq, 0x04);
	ck_assert(!s.progress_valid);
}
END_TEST

START_TEST(test_sense_descriptor_format)
{
	static const uint8_t desc[8] = { 0x72, 0x05, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t deferred[4] = { 0x73, 0x03, 0x0C, 0x00 };
	struct mmc_sense s;

	ck_assert_int_eq(parse_sense_exact(desc, sizeof(desc), &s), 0);
	ck_assert_uint_eq(s.key, 5);
	ck_assert_uint_eq(s.asc, 0x24);
	ck_assert_uint_eq(s.ascq, 0x00);
	ck_assert(!s.progress_valid);
	ck_assert_int_eq(parse_sense_exact(deferred, sizeof(deferred), &s), 0);
	ck_assert_uint_eq(s.key, 3);
	ck_assert_uint_eq(s.asc, 0x0C);
	ck_assert_int_eq(parse_sense_exact(desc, 3, &s), -EPROTO);
}
END_TEST

START_TEST(test_sense_malformed)
{
	static const uint8_t unknown_code[18] = { 0x7F, 0x00, 0x05 };
	static const uint8_t zeros[18] = { 0 };
	static const uint8_t fixed[18] = {
		0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0A,
		0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct mmc_sense s;

	ck_assert_int_eq(parse_sense_exact(fixed, 0, &s), -EPROTO);
	ck_assert_int_eq(parse_sense_exact(unknown_code, sizeof(unknown_code), &s), -EPROTO);
	ck_assert_int_eq(parse_sense_exact(zeros, sizeof(zeros), &s), -EPROTO);
	/* Fixed format needs the key byte; ASC/ASCQ only when they arrived. */
	ck_assert_int_eq(parse_sense_exact(fixed, 2, &s), -EPROTO);
	ck_assert_int_eq(parse_sense_exact(fixed, 3, &s), 0);
	ck_assert_uint_eq(s.key, 5);
	ck_assert_uint_eq(s.asc, 0);
	ck_assert_int_eq(parse_sense_exact(fixed, 13, &s), 0);
	ck_assert_uint_eq(s.asc, 0x21);
	ck_assert_uint_eq(s.ascq, 0);
	/* Every truncation of a fixed sense is safe. */
	for (size_t n = 0; n <= sizeof(fixed); n++)
		ck_assert_int_eq(parse_sense_exact(fixed, n, &s), n < 3 ? -EPROTO : 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* INQUIRY                                                             */

START_TEST(test_inquiry)
{
	/* The TSSTcorp SH-S223F of haikuports PR 2010: strings as cdrecord -scanbus printed
	 * them there ('TSSTcorp' 'CDDVDW SH-S223F ' 'SB03'); bytes 0-7 are the usual MMC
	 * values (CD/DVD, removable, response format 2, 31 more bytes). */
	static const uint8_t reply[36] = {
		0x05, 0x80, 0x00, 0x02, 0x1F, 0x00, 0x00, 0x00,
		'T', 'S', 'S', 'T', 'c', 'o', 'r', 'p',
		'C', 'D', 'D', 'V', 'D', 'W', ' ', 'S', 'H', '-', 'S', '2', '2', '3', 'F', ' ',
		'S', 'B', '0', '3',
	};
	uint8_t odd[36];
	struct mmc_inquiry inq;
	uint8_t *p;

	p = dup_exact(reply, sizeof(reply));
	ck_assert_int_eq(mmc_parse_inquiry(p, sizeof(reply), &inq), 0);
	free(p);
	ck_assert_uint_eq(inq.peripheral_type, 5);
	ck_assert_str_eq(inq.vendor, "TSSTcorp");
	ck_assert_str_eq(inq.product, "CDDVDW SH-S223F");
	ck_assert_str_eq(inq.revision, "SB03");

	/* NUL padding, control bytes and a qualifier in the type byte. */
	memcpy(odd, reply, sizeof(odd));
	odd[0] = 0x25;
	memcpy(&odd[8], "AB\x01\0\0\0\0\0", 8);
	memset(&odd[16], ' ', 16);
	odd[35] = 0xFF;
	p = dup_exact(odd, sizeof(odd));
	ck_assert_int_eq(mmc_parse_inquiry(p, sizeof(odd), &inq), 0);
	free(p);
	ck_assert_uint_eq(inq.peripheral_type, 5);
	ck_assert_str_eq(inq.vendor, "AB?");
	ck_assert_str_eq(inq.product, "");
	ck_assert_str_eq(inq.revision, "SB0?");

	for (size_t n = 0; n < sizeof(reply); n++) {
		p = dup_exact(reply, n);
		ck_assert_int_eq(mmc_parse_inquiry(p, n, &inq), -EPROTO);
		free(p);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* GET CONFIGURATION                                                   */

static int parse_config_exact(const uint8_t *bytes, size_t n, struct mmc_config *cfg)
{
	uint8_t *p = dup_exact(bytes, n);
	int rc = mmc_parse_configuration(p, n, cfg);

	free(p);
	return rc;
}

/*
 * TSSTcorp CDDVDW SH-S223F with DVD+R DL loaded: header and Profile List
 * rebuilt from `sg_get_config -v` output in
 * https://github.com/haikuports/haikuports/pull/2010 ("Current profile: DVD+R
 * dual layer", "version=0, persist=1, current=1", profiles in the order
 * printed; the post is cut after CD-R, so the list ends there).  Core and
 * Real Time Streaming features follow with MMC-5 layouts (ATAPI interface;
 * SCS, MP2A, WSPD, SW set).
 */
static const uint8_t sh_s223f_config[] = {
	0x00, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x2B,
	0x00, 0x00, 0x03, 0x34,
	0x00, 0x15, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x2B, 0x01, 0x00,
	0x00, 0x1B, 0x00, 0x00, 0x00, 0x1A, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x13, 0x00, 0x00,
	0x00, 0x12, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00,
	0x00, 0x09, 0x00, 0x00,
	0x00, 0x01, 0x0B, 0x08, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x07, 0x11, 0x04, 0x0F, 0x00, 0x00, 0x00,
};

START_TEST(test_config_real_drive)
{
	static const uint16_t profiles[] = {
		0x15, 0x16, 0x17, 0x2B, 0x1B, 0x1A, 0x14, 0x13, 0x12, 0x11, 0x10, 0x0A, 0x09,
	};
	struct mmc_config cfg;
	const struct mmc_feature *f;

	ck_assert_int_eq(parse_config_exact(sh_s223f_config, sizeof(sh_s223f_config), &cfg), 0);
	ck_assert_uint_eq(cfg.current_profile, 0x002B);
	ck_assert_uint_eq(cfg.nprofiles, 13);
	for (size_t i = 0; i < cfg.nprofiles; i++) {
		ck_assert_uint_eq(cfg.profiles[i], profiles[i]);
		ck_assert(cfg.profile_current[i] == (profiles[i] == 0x2B));
	}
	ck_assert_uint_eq(cfg.nfeatures, 3);
	f = mmc_config_feature(&cfg, 0x0000);
	ck_assert_ptr_nonnull(f);
	ck_assert(f->current);
	ck_assert_uint_eq(f->data_len, 8);
	ck_assert_uint_eq(f->data[0], 0x00);
	ck_assert_uint_eq(f->data[1], 0x15);
	f = mmc_config_feature(&cfg, 0x0001);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->data_len, 8);
	ck_assert_uint_eq(mmc_get32(f->data), 2);	/* ATAPI */
	f = mmc_config_feature(&cfg, 0x0107);
	ck_assert_ptr_nonnull(f);
	ck_assert(f->current);
	ck_assert_uint_eq(f->data_len, 4);
	ck_assert_uint_eq(f->data[0], 0x0F);
	ck_assert_ptr_null(mmc_config_feature(&cfg, 0x002F));
}
END_TEST

START_TEST(test_config_truncated)
{
	struct mmc_config cfg;

	for (size_t n = 0; n < 8; n++)
		ck_assert_int_eq(parse_config_exact(sh_s223f_config, n, &cfg), -EPROTO);

	/* Header only: the current profile, nothing else. */
	ck_assert_int_eq(parse_config_exact(sh_s223f_config, 8, &cfg), 0);
	ck_assert_uint_eq(cfg.current_profile, 0x2B);
	ck_assert_uint_eq(cfg.nfeatures, 0);

	/* Cut inside the profile list (the Data Length claims more): keep the
	 * whole profile descriptors that arrived. */
	ck_assert_int_eq(parse_config_exact(sh_s223f_config, 12 + 4 * 3 + 2, &cfg), 0);
	ck_assert_uint_eq(cfg.nprofiles, 3);
	ck_assert_uint_eq(cfg.nfeatures, 1);
	ck_assert_uint_eq(cfg.features[0].data_len, 8);

	/* Cut inside the Core feature header: it is not a feature. */
	ck_assert_int_eq(parse_config_exact(sh_s223f_config, 64 + 3, &cfg), 0);
	ck_assert_uint_eq(cfg.nprofiles, 13);
	ck_assert_uint_eq(cfg.nfeatures, 1);

	/* Cut inside the Core feature data: recorded with what arrived. */
	ck_assert_int_eq(parse_config_exact(sh_s223f_config, 64 + 4 + 5, &cfg), 0);
	ck_assert_uint_eq(cfg.nfeatures, 2);
	ck_assert_uint_eq(cfg.features[1].code, 0x0001);
	ck_assert_uint_eq(cfg.features[1].data_len, 5);

	for (size_t n = 8; n <= sizeof(sh_s223f_config); n++)
		ck_assert_int_eq(parse_config_exact(sh_s223f_config, n, &cfg), 0);
}
END_TEST

START_TEST(test_config_length_lies)
{
	uint8_t reply[sizeof(sh_s223f_config)];
	struct mmc_config cfg;

	/* Data Length of 4: only the header is reply data. */
	memcpy(reply, sh_s223f_config, sizeof(reply));
	mmc_put32(reply, 4);
	ck_assert_int_eq(parse_config_exact(reply, sizeof(reply), &cfg), 0);
	ck_assert_uint_eq(cfg.current_profile, 0x2B);
	ck_assert_uint_eq(cfg.nfeatures, 0);
	ck_assert_uint_eq(cfg.nprofiles, 0);

	/* Data Length of 0xFFFFFFFF: bounded by what was received. */
	mmc_put32(reply, 0xFFFFFFFF);
	ck_assert_int_eq(parse_config_exact(reply, sizeof(reply), &cfg), 0);
	ck_assert_uint_eq(cfg.nfeatures, 3);
	ck_assert_uint_eq(cfg.nprofiles, 13);

	/* A profile list whose Additional Length claims 252 bytes. */
	memcpy(reply, sh_s223f_config, sizeof(reply));
	reply[11] = 0xFC;
	ck_assert_int_eq(parse_config_exact(reply, sizeof(reply), &cfg), 0);
	ck_assert_uint_eq(cfg.nfeatures, 1);
	ck_assert_uint_eq(cfg.nprofiles, (sizeof(reply) - 12) / 4);
}
END_TEST

START_TEST(test_config_huge_lists)
{
	/* 80 empty features and a Profile List of 63 entries: capped, not overrun. */
	size_t n = 8 + (4 + 252) + 80 * 4;
	uint8_t *reply = calloc(1, n);
	struct mmc_config cfg;
	size_t off = 8;

	ck_assert_ptr_nonnull(reply);
	mmc_put32(reply, (uint32_t)(n - 4));
	mmc_put16(&reply[6], 0x0012);
	reply[off + 3] = 252;
	for (size_t i = 0; i < 63; i++)
		mmc_put16(&reply[off + 4 + 4 * i], (uint16_t)(0x100 + i));
	off += 4 + 252;
	for (size_t i = 0; i < 80; i++, off += 4)
		mmc_put16(&reply[off], (uint16_t)(0x200 + i));
	ck_assert_int_eq(parse_config_exact(reply, n, &cfg), 0);
	ck_assert_uint_eq(cfg.nprofiles, MMC_MAX_PROFILES);
	ck_assert_uint_eq(cfg.profiles[MMC_MAX_PROFILES - 1], 0x100 + MMC_MAX_PROFILES - 1);
	ck_assert_uint_eq(cfg.nfeatures, MMC_MAX_FEATURES);
	ck_assert_uint_eq(cfg.features[0].code, 0x0000);
	ck_assert_uint_eq(cfg.features[MMC_MAX_FEATURES - 1].code, 0x200 + MMC_MAX_FEATURES - 2);
	ck_assert_uint_eq(cfg.features[1].data_len, 0);
	free(reply);
}
END_TEST

START_TEST(test_config_garbage)
{
	uint8_t reply[64];
	struct mmc_config cfg;

	for (unsigned seed = 1; seed < 200; seed++) {
		unsigned x = seed;

		for (size_t i = 0; i < sizeof(reply); i++) {
			x = x * 1103515245u + 12345u;
			reply[i] = (uint8_t)(x >> 16);
		}
		for (size_t n = 0; n <= sizeof(reply); n += 7) {
			int rc = parse_config_exact(reply, n, &cfg);

			ck_assert(rc == 0 || rc == -EPROTO);
			ck_assert_uint_le(cfg.nfeatures, MMC_MAX_FEATURES);
			ck_assert_uint_le(cfg.nprofiles, MMC_MAX_PROFILES);
			for (size_t i = 0; i < cfg.nfeatures; i++)
				ck_assert_uint_le(cfg.features[i].data_len, 8);
		}
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* GET EVENT STATUS NOTIFICATION                                       */

static int parse_event_exact(const uint8_t *bytes, size_t n, struct mmc_media_event *ev)
{
	uint8_t *p = dup_exact(bytes, n);
	int rc = mmc_parse_media_event(p, n, ev);

	free(p);
	return rc;
}

START_TEST(test_media_event)
{
	/* Media class (4), supported classes 0x5E; new media, tray closed, media present. */
	static const uint8_t new_media[8] = { 0x00, 0x06, 0x04, 0x5E, 0x02, 0x02, 0x00, 0x00 };
	/* Tray open, no media. */
	static const uint8_t tray_open[8] = { 0x00, 0x06, 0x04, 0x5E, 0x00, 0x01, 0x00, 0x00 };
	/* NEA set: the drive has no media class; header only. */
	static const uint8_t nea[4] = { 0x00, 0x02, 0x80, 0x00 };
	struct mmc_media_event ev;

	ck_assert_int_eq(parse_event_exact(new_media, sizeof(new_media), &ev), 0);
	ck_assert(!ev.no_event_available);
	ck_assert_uint_eq(ev.event, 2);
	ck_assert(!ev.door_open);
	ck_assert(ev.media_present);
	ck_assert_int_eq(parse_event_exact(tray_open, sizeof(tray_open), &ev), 0);
	ck_assert_uint_eq(ev.event, 0);
	ck_assert(ev.door_open);
	ck_assert(!ev.media_present);
	ck_assert_int_eq(parse_event_exact(nea, sizeof(nea), &ev), 0);
	ck_assert(ev.no_event_available);
}
END_TEST

START_TEST(test_media_event_malformed)
{
	static const uint8_t new_media[8] = { 0x00, 0x06, 0x04, 0x5E, 0xF2, 0x02, 0x00, 0x00 };
	uint8_t reply[8];
	struct mmc_media_event ev;

	for (size_t n = 0; n < 6; n++)
		ck_assert_int_eq(parse_event_exact(new_media, n, &ev), -EPROTO);
	/* The descriptor's reserved bytes 2-3 are not needed. */
	ck_assert_int_eq(parse_event_exact(new_media, 6, &ev), 0);
	ck_assert_uint_eq(ev.event, 2);	/* high nibble is reserved */

	/* Event data length claims no descriptor. */
	memcpy(reply, new_media, sizeof(reply));
	reply[1] = 0x00;
	ck_assert_int_eq(parse_event_exact(reply, sizeof(reply), &ev), -EPROTO);
	/* Claims far more than sent: bounded by what arrived. */
	reply[0] = 0xFF;
	reply[1] = 0xFF;
	ck_assert_int_eq(parse_event_exact(reply, sizeof(reply), &ev), 0);
	ck_assert(ev.media_present);
	/* Another class than the media class we asked for. */
	memcpy(reply, new_media, sizeof(reply));
	reply[2] = 0x02;
	ck_assert_int_eq(parse_event_exact(reply, sizeof(reply), &ev), -EPROTO);
}
END_TEST

/* ------------------------------------------------------------------ */
/* READ DISC INFORMATION                                               */

static int parse_disc_exact(const uint8_t *bytes, size_t n, struct mmc_disc_info *di)
{
	uint8_t *p = dup_exact(bytes, n);
	int rc = mmc_parse_disc_info(p, n, di);

	free(p);
	return rc;
}

/* Synthetic: an appendable CD-ROM XA on CD-RW, two closed sessions and an
 * empty third one for track 3.  The addresses are the ATIP lead-in 97:27/66
 * and lead-out 79:59/74 cdrecord printed for a Ricoh disc (plug-discuss
 * 2001-06), so the MSF conversion can be checked against its LBAs. */
static const uint8_t cdrw_disc_info[34] = {
	0x00, 0x20, 0x11, 0x01, 0x03, 0x03, 0x03, 0x20, 0x20, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x61, 0x1B, 0x42,
	0x00, 0x4F, 0x3B, 0x4A,
	0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00,
};

START_TEST(test_disc_info)
{
	struct mmc_disc_info di;

	ck_assert_int_eq(parse_disc_exact(cdrw_disc_info, sizeof(cdrw_disc_info), &di), 0);
	ck_assert(di.erasable);
	ck_assert_uint_eq(di.last_session_state, 0);
	ck_assert_uint_eq(di.disc_status, 1);
	ck_assert_uint_eq(di.first_track, 1);
	ck_assert_uint_eq(di.sessions, 3);
	ck_assert_uint_eq(di.first_track_last_session, 3);
	ck_assert_uint_eq(di.last_track_last_session, 3);
	ck_assert_uint_eq(di.bg_format_status, 0);
	ck_assert_uint_eq(di.disc_type, 0x20);
	ck_assert_uint_eq(di.last_session_leadin, 0x00611B42);
	ck_assert_uint_eq(di.last_possible_leadout, 0x004F3B4A);
	/* cdrecord printed these as -11559 (97:27/66) and 359849 (79:59/74). */
	ck_assert_int_eq(mmc_msf_field_to_lba(di.last_session_leadin), -11559);
	ck_assert_int_eq(mmc_msf_field_to_lba(di.last_possible_leadout), 359849);
}
END_TEST

START_TEST(test_disc_info_msb_and_bg_format)
{
	/* A DVD+RW (GP60N, fourdollars.blogspot 2015-07: blank, 1 session, "Next"
	 * track 1, 1 track) with background format running and 300 sessions
	 * patched in to exercise the MSB bytes. */
	uint8_t reply[34] = {
		0x00, 0x20, 0x10, 0x01, 0x2C, 0x2D, 0x2E, 0x02, 0x00, 0x01, 0x01, 0x01,
	};
	struct mmc_disc_info di;

	ck_assert_int_eq(parse_disc_exact(reply, sizeof(reply), &di), 0);
	ck_assert_uint_eq(di.disc_status, 0);
	ck_assert_uint_eq(di.last_session_state, 0);
	ck_assert_uint_eq(di.sessions, 300);
	ck_assert_uint_eq(di.first_track_last_session, 301);
	ck_assert_uint_eq(di.last_track_last_session, 302);
	ck_assert_uint_eq(di.bg_format_status, 2);
	reply[2] = 0x0E;	/* damaged last session, complete disc */
	ck_assert_int_eq(parse_disc_exact(reply, sizeof(reply), &di), 0);
	ck_assert_uint_eq(di.last_session_state, 3);
	ck_assert_uint_eq(di.disc_status, 2);
	ck_assert(!di.erasable);
}
END_TEST

START_TEST(test_disc_info_malformed)
{
	uint8_t reply[34];
	struct mmc_disc_info di;

	/* cdrecord's 4-byte probe (alloc 4) and anything short of byte 11. */
	for (size_t n = 0; n < 12; n++)
		ck_assert_int_eq(parse_disc_exact(cdrw_disc_info, n, &di), -EPROTO);
	/* Through the counts: addresses not yet sent read 0. */
	ck_assert_int_eq(parse_disc_exact(cdrw_disc_info, 12, &di), 0);
	ck_assert_uint_eq(di.sessions, 3);
	ck_assert_uint_eq(di.last_session_leadin, 0);
	ck_assert_uint_eq(di.last_possible_leadout, 0);
	ck_assert_int_eq(parse_disc_exact(cdrw_disc_info, 23, &di), 0);
	ck_assert_uint_eq(di.last_session_leadin, 0x00611B42);
	ck_assert_uint_eq(di.last_possible_leadout, 0);

	/* Disc Information Length claims 2 bytes: not enough. */
	memcpy(reply, cdrw_disc_info, sizeof(reply));
	reply[1] = 0x02;
	ck_assert_int_eq(parse_disc_exact(reply, sizeof(reply), &di), -EPROTO);
	/* Claims 18 bytes total: the lead-out is not reply data. */
	reply[1] = 0x12;
	ck_assert_int_eq(parse_disc_exact(reply, sizeof(reply), &di), 0);
	ck_assert_uint_eq(di.last_session_leadin, 0x00611B42);
	ck_assert_uint_eq(di.last_possible_leadout, 0);
	/* Claims 65537: bounded by the 34 received. */
	reply[0] = 0xFF;
	reply[1] = 0xFF;
	ck_assert_int_eq(parse_disc_exact(reply, sizeof(reply), &di), 0);
	ck_assert_uint_eq(di.last_possible_leadout, 0x004F3B4A);
}
END_TEST

START_TEST(test_msf_to_lba)
{
	ck_assert_int_eq(mmc_msf_field_to_lba(0x00000200), 0);		/* 00:02:00 */
	ck_assert_int_eq(mmc_msf_field_to_lba(0x00000000), -150);
	ck_assert_int_eq(mmc_msf_field_to_lba(0x00010000), 4350);	/* 01:00:00 */
	/* cdrecord -atip, HP CD-Writer+ 8000 (plug-discuss 2001-06):
	 * "ATIP start of lead out: 359849 (79:59/74)". */
	ck_assert_int_eq(mmc_msf_field_to_lba(0x004F3B4A), 359849);
	/* "ATIP start of lead in:  -11559 (97:27/66)": lead-in minutes count from 90. */
	ck_assert_int_eq(mmc_msf_field_to_lba(0x00611B42), -11559);
	ck_assert_int_eq(mmc_msf_field_to_lba(0x005A0000), -45150);	/* 90:00:00 */
	ck_assert_int_eq(mmc_msf_field_to_lba(0x00593B4A), 404849);	/* 89:59:74 */
	/* Byte 0 of the field is reserved. */
	ck_assert_int_eq(mmc_msf_field_to_lba(0xFF000200), 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* READ TRACK INFORMATION                                              */

static int parse_track_exact(const uint8_t *bytes, size_t n, struct mmc_track_info *ti)
{
	uint8_t *p = dup_exact(bytes, n);
	int rc = mmc_parse_track_info(p, n, ti);

	free(p);
	return rc;
}

/* xorriso -scsi_log, track 1 of a packet-formatted CD-RW
 * (https://github.com/pali/udftools/pull/44, Thomas Schmitt, 2021-01-02).
 * Data Length 0x22 claims 36 bytes; the drive sent the 34 asked for. */
static const uint8_t cdrw_formatted_track[34] = {
	0x00, 0x22, 0x01, 0x01, 0x00, 0x07, 0xB2, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x04, 0x81, 0x60, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00,
};

/* Same thread: track 1 of the unformatted, closed CD-RW. */
static const uint8_t cdrw_closed_track[34] = {
	0x00, 0x22, 0x01, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x85, 0x81, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00,
};

START_TEST(test_track_info_real_drive)
{
	struct mmc_track_info ti;

	ck_assert_int_eq(parse_track_exact(cdrw_formatted_track, sizeof(cdrw_formatted_track), &ti), 0);
	ck_assert_uint_eq(ti.track, 1);
	ck_assert_uint_eq(ti.session, 1);
	ck_assert_uint_eq(ti.track_mode, 7);	/* data, recorded incrementally */
	ck_assert(!ti.damage && !ti.copy);
	ck_assert(ti.rt);
	ck_assert(!ti.blank);
	ck_assert(ti.packet);
	ck_assert(ti.fixed_packet);
	ck_assert_uint_eq(ti.data_mode, 2);
	ck_assert(!ti.nwa_valid && !ti.lra_valid);
	ck_assert_uint_eq(ti.start, 0);
	ck_assert_uint_eq(ti.packet_size, 32);
	ck_assert_uint_eq(ti.size, 295264);

	ck_assert_int_eq(parse_track_exact(cdrw_closed_track, sizeof(cdrw_closed_track), &ti), 0);
	ck_assert_uint_eq(ti.track_mode, 4);	/* data, recorded uninterrupted */
	ck_assert(!ti.rt && !ti.packet && !ti.fixed_packet && !ti.blank);
	ck_assert_uint_eq(ti.data_mode, 1);
	ck_assert_uint_eq(ti.packet_size, 0);
	ck_assert_uint_eq(ti.size, 34177);
}
END_TEST

START_TEST(test_track_info_msb_and_flags)
{
	/* Invisible track 0x0102 of session 0x0201 on a DVD+R: blank, NWA valid. */
	static const uint8_t reply[36] = {
		0x00, 0x22, 0x02, 0x01, 0x00, 0x25, 0x41, 0x03,
		0x00, 0x00, 0x10, 0x00,		/* start 4096 */
		0x00, 0x00, 0x10, 0x10,		/* NWA 4112 */
		0x00, 0x22, 0x55, 0x20,		/* free */
		0x00, 0x00, 0x00, 0x10,		/* packet 16 */
		0x00, 0x22, 0x65, 0x20,		/* size */
		0x00, 0x00, 0x10, 0x0F,		/* LRA */
		0x01, 0x02, 0x00, 0x00,
	};
	struct mmc_track_info ti;

	ck_assert_int_eq(parse_track_exact(reply, sizeof(reply), &ti), 0);
	ck_assert_uint_eq(ti.track, 0x0102);
	ck_assert_uint_eq(ti.session, 0x0201);
	ck_assert(ti.damage);
	ck_assert(!ti.copy);
	ck_assert_uint_eq(ti.track_mode, 5);
	ck_assert(ti.blank);
	ck_assert_uint_eq(ti.data_mode, 1);
	ck_assert(ti.nwa_valid && ti.lra_valid);
	ck_assert_uint_eq(ti.start, 4096);
	ck_assert_uint_eq(ti.nwa, 4112);
	ck_assert_uint_eq(ti.free_blocks, 0x225520);
	ck_assert_uint_eq(ti.packet_size, 16);
	ck_assert_uint_eq(ti.size, 0x226520);
	ck_assert_uint_eq(ti.last_recorded, 0x100F);

	/* MSB bytes only when received: 33 bytes carry the track MSB only. */
	ck_assert_int_eq(parse_track_exact(reply, 33, &ti), 0);
	ck_assert_uint_eq(ti.track, 0x0102);
	ck_assert_uint_eq(ti.session, 0x01);
	/* MMC-2's 28 bytes: no LRA, no MSBs. */
	ck_assert_int_eq(parse_track_exact(reply, 28, &ti), 0);
	ck_assert_uint_eq(ti.track, 0x02);
	ck_assert(ti.nwa_valid);
	ck_assert(!ti.lra_valid);
	ck_assert_uint_eq(ti.last_recorded, 0);
	ck_assert_uint_eq(ti.size, 0x226520);
}
END_TEST

START_TEST(test_track_info_malformed)
{
	uint8_t reply[34];
	struct mmc_track_info ti;

	for (size_t n = 0; n < 28; n++)
		ck_assert_int_eq(parse_track_exact(cdrw_formatted_track, n, &ti), -EPROTO);
	for (size_t n = 28; n <= sizeof(cdrw_formatted_track); n++) {
		ck_assert_int_eq(parse_track_exact(cdrw_formatted_track, n, &ti), 0);
		ck_assert_uint_eq(ti.size, 295264);
	}
	/* Data Length claiming less than the mandatory 28 bytes. */
	memcpy(reply, cdrw_formatted_track, sizeof(reply));
	reply[1] = 0x18;
	ck_assert_int_eq(parse_track_exact(reply, sizeof(reply), &ti), -EPROTO);
	/* Claiming 30 bytes: the MSBs past it are not track data. */
	reply[1] = 0x1C;
	reply[32] = 0x7F;
	ck_assert_int_eq(parse_track_exact(reply, sizeof(reply), &ti), 0);
	ck_assert_uint_eq(ti.track, 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* READ CAPACITY, READ FORMAT CAPACITIES                               */

START_TEST(test_read_capacity)
{
	/* The CD-RW above: 34177 blocks of 2048 bytes. */
	static const uint8_t reply[8] = { 0x00, 0x00, 0x85, 0x80, 0x00, 0x00, 0x08, 0x00 };
	struct mmc_capacity cap;
	uint8_t *p;

	p = dup_exact(reply, sizeof(reply));
	ck_assert_int_eq(mmc_parse_read_capacity(p, sizeof(reply), &cap), 0);
	free(p);
	ck_assert_uint_eq(cap.last_lba, 34176);
	ck_assert_uint_eq(cap.block_len, 2048);
	for (size_t n = 0; n < sizeof(reply); n++) {
		p = dup_exact(reply, n);
		ck_assert_int_eq(mmc_parse_read_capacity(p, n, &cap), -EPROTO);
		free(p);
	}
}
END_TEST

static int parse_formats_exact(const uint8_t *bytes, size_t n, struct mmc_format_capacities *fc)
{
	uint8_t *p = dup_exact(bytes, n);
	int rc = mmc_parse_format_capacities(p, n, fc);

	free(p);
	return rc;
}

/* dvd+rw-mediainfo on an HL-DT-ST DVDRAM GSA-4083N with a DVD-RW
 * (Wikipedia "Media Identification Code"): "formatted: 2254432*2048",
 * "00h(800): 2297888*2048", "10h(10): 2297888*2048", "15h(10): 2297888*2048".
 * Rebuilt as the reply those lines decode. */
static const uint8_t gsa4083n_formats[36] = {
	0x00, 0x00, 0x00, 0x20,
	0x00, 0x22, 0x66, 0x60, 0x02, 0x00, 0x08, 0x00,
	0x00, 0x23, 0x10, 0x20, 0x00 << 2, 0x00, 0x03, 0x20,
	0x00, 0x23, 0x10, 0x20, 0x10 << 2, 0x00, 0x00, 0x0A,
	0x00, 0x23, 0x10, 0x20, 0x15 << 2, 0x00, 0x00, 0x0A,
};

START_TEST(test_format_capacities)
{
	/* dvd+rw-mediainfo, GP60N, blank DVD+RW (fourdollars.blogspot 2015-07):
	 * "unformatted: 2295104*2048", "26h(0): 2295104*2048". */
	static const uint8_t gp60n[20] = {
		0x00, 0x00, 0x00, 0x10,
		0x00, 0x23, 0x05, 0x40, 0x01, 0x00, 0x08, 0x00,
		0x00, 0x23, 0x05, 0x40, 0x26 << 2, 0x00, 0x00, 0x00,
	};
	struct mmc_format_capacities fc;

	ck_assert_int_eq(parse_formats_exact(gsa4083n_formats, sizeof(gsa4083n_formats), &fc), 0);
	ck_assert_uint_eq(fc.current_blocks, 2254432);
	ck_assert_uint_eq(fc.current_type, 2);
	ck_assert_uint_eq(fc.nformats, 3);
	ck_assert_uint_eq(fc.formats[0].blocks, 2297888);
	ck_assert_uint_eq(fc.formats[0].format_type, 0x00);
	ck_assert_uint_eq(fc.formats[0].type_param, 800);
	ck_assert_uint_eq(fc.formats[1].format_type, 0x10);
	ck_assert_uint_eq(fc.formats[1].type_param, 10);
	ck_assert_uint_eq(fc.formats[2].format_type, 0x15);
	ck_assert_uint_eq(fc.formats[2].type_param, 10);

	ck_assert_int_eq(parse_formats_exact(gp60n, sizeof(gp60n), &fc), 0);
	ck_assert_uint_eq(fc.current_blocks, 2295104);
	ck_assert_uint_eq(fc.current_type, 1);
	ck_assert_uint_eq(fc.nformats, 1);
	ck_assert_uint_eq(fc.formats[0].format_type, 0x26);
	ck_assert_uint_eq(fc.formats[0].type_param, 0);
}
END_TEST

START_TEST(test_format_capacities_malformed)
{
	uint8_t reply[sizeof(gsa4083n_formats)];
	uint8_t *big;
	struct mmc_format_capacities fc;

	for (size_t n = 0; n < 12; n++)
		ck_assert_int_eq(parse_formats_exact(gsa4083n_formats, n, &fc), -EPROTO);
	/* Partial descriptors do not count. */
	ck_assert_int_eq(parse_formats_exact(gsa4083n_formats, 12 + 8 + 7, &fc), 0);
	ck_assert_uint_eq(fc.nformats, 1);
	/* List length claiming only the current descriptor. */
	memcpy(reply, gsa4083n_formats, sizeof(reply));
	reply[3] = 8;
	ck_assert_int_eq(parse_formats_exact(reply, sizeof(reply), &fc), 0);
	ck_assert_uint_eq(fc.nformats, 0);
	/* List length too short for it. */
	reply[3] = 4;
	ck_assert_int_eq(parse_formats_exact(reply, sizeof(reply), &fc), -EPROTO);
	/* List length 0xFF: bounded by what arrived. */
	reply[3] = 0xFF;
	ck_assert_int_eq(parse_formats_exact(reply, sizeof(reply), &fc), 0);
	ck_assert_uint_eq(fc.nformats, 3);
	/* 31 descriptors: capped at MMC_MAX_FORMATS. */
	big = calloc(1, 4 + 0xF8);
	ck_assert_ptr_nonnull(big);
	big[3] = 0xF8;
	ck_assert_int_eq(mmc_parse_format_capacities(big, 4 + 0xF8, &fc), 0);
	ck_assert_uint_eq(fc.nformats, MMC_MAX_FORMATS);
	free(big);
}
END_TEST

/* ------------------------------------------------------------------ */
/* GET PERFORMANCE                                                     */

/* dvd+rw-mediainfo, HL-DT-ST DVD+-RW GP60N, blank DVD+RW
 * (fourdollars.blogspot.tw 2015-07 "在 GNU/Linux 系統上使用指令來燒錄光碟"):
 * "Speed Descriptor#0: 00/2295103 R@8.0x1385=11080KB/s W@4.0x1385=5540KB/s",
 * "Speed Descriptor#1: 00/2295103 R@8.0x1385=11080KB/s W@2.4x1385=3324KB/s".
 * mediainfo prints byte 0, End LBA, Read and Write Speed of each type 03h
 * descriptor, so the reply is rebuilt exactly but for the reserved bytes. */
static const uint8_t gp60n_write_speeds[40] = {
	0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x23, 0x05, 0x3F, 0x00, 0x00, 0x2B, 0x48, 0x00, 0x00, 0x15, 0xA4,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x23, 0x05, 0x3F, 0x00, 0x00, 0x2B, 0x48, 0x00, 0x00, 0x0C, 0xFC,
};

static int parse_speeds_exact(const uint8_t *bytes, size_t n, struct mmc_write_speed *out, size_t max,
			      size_t *count)
{
	uint8_t *p = dup_exact(bytes, n);
	int rc = mmc_parse_write_speeds(p, n, out, max, count);

	free(p);
	return rc;
}

START_TEST(test_write_speeds_real_drive)
{
	/* dvd+rw-mediainfo, GSA-4083N, DVD-RW (Wikipedia "Media Identification Code"):
	 * "Speed Descriptor#0: 02/2254431 R@3.3x1385=4584KB/s W@2.0x1385=2770KB/s" (Exact set). */
	static const uint8_t gsa4083n[24] = {
		0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x22, 0x66, 0x5F, 0x00, 0x00, 0x11, 0xE8, 0x00, 0x00, 0x0A, 0xD2,
	};
	struct mmc_write_speed ws[MMC_MAX_SPEEDS];
	size_t count;

	ck_assert_int_eq(parse_speeds_exact(gp60n_write_speeds, sizeof(gp60n_write_speeds), ws, MMC_MAX_SPEEDS,
					    &count), 0);
	ck_assert_uint_eq(count, 2);
	for (size_t i = 0; i < count; i++) {
		ck_assert_uint_eq(ws[i].wrc, 0);
		ck_assert(!ws[i].rdd && !ws[i].exact && !ws[i].mrw);
		ck_assert_uint_eq(ws[i].end_lba, 2295103);
		ck_assert_uint_eq(ws[i].read_kbps, 11080);
	}
	ck_assert_uint_eq(ws[0].write_kbps, 5540);
	ck_assert_uint_eq(ws[1].write_kbps, 3324);

	ck_assert_int_eq(parse_speeds_exact(gsa4083n, sizeof(gsa4083n), ws, MMC_MAX_SPEEDS, &count), 0);
	ck_assert_uint_eq(count, 1);
	ck_assert(ws[0].exact);
	ck_assert(!ws[0].rdd && !ws[0].mrw);
	ck_assert_uint_eq(ws[0].wrc, 0);
	ck_assert_uint_eq(ws[0].end_lba, 2254431);
	ck_assert_uint_eq(ws[0].read_kbps, 4584);
	ck_assert_uint_eq(ws[0].write_kbps, 2770);
}
END_TEST

START_TEST(test_write_speeds_flags)
{
	uint8_t reply[sizeof(gp60n_write_speeds)];
	struct mmc_write_speed ws[2];
	size_t count;

	memcpy(reply, gp60n_write_speeds, sizeof(reply));
	reply[8] = 0x0F;	/* WRC 01b (CAV), RDD, Exact, MRW */
	reply[24] = 0x18;	/* WRC 11b, reserved value, kept */
	ck_assert_int_eq(parse_speeds_exact(reply, sizeof(reply), ws, 2, &count), 0);
	ck_assert_uint_eq(ws[0].wrc, 1);
	ck_assert(ws[0].rdd && ws[0].exact && ws[0].mrw);
	ck_assert_uint_eq(ws[1].wrc, 3);
	ck_assert(!ws[1].rdd && !ws[1].exact && !ws[1].mrw);
}
END_TEST

START_TEST(test_write_speeds_malformed)
{
	uint8_t reply[sizeof(gp60n_write_speeds)];
	struct mmc_write_speed ws[MMC_MAX_SPEEDS];
	uint8_t *big;
	size_t count;

	for (size_t n = 0; n < 8; n++) {
		count = 99;
		ck_assert_int_eq(parse_speeds_exact(gp60n_write_speeds, n, ws, MMC_MAX_SPEEDS, &count), -EPROTO);
		ck_assert_uint_eq(count, 0);
	}
	/* libburn's first call asks for 8 bytes to learn the length. */
	ck_assert_int_eq(parse_speeds_exact(gp60n_write_speeds, 8, ws, MMC_MAX_SPEEDS, &count), 0);
	ck_assert_uint_eq(count, 0);
	/* A partial descriptor does not count. */
	ck_assert_int_eq(parse_speeds_exact(gp60n_write_speeds, 8 + 16 + 15, ws, MMC_MAX_SPEEDS, &count), 0);
	ck_assert_uint_eq(count, 1);
	/* Bounded by max. */
	ck_assert_int_eq(parse_speeds_exact(gp60n_write_speeds, sizeof(gp60n_write_speeds), ws, 1, &count), 0);
	ck_assert_uint_eq(count, 1);
	ck_assert_int_eq(parse_speeds_exact(gp60n_write_speeds, sizeof(gp60n_write_speeds), NULL, 0, &count), 0);
	ck_assert_uint_eq(count, 0);
	/* Length claiming one descriptor while two arrived. */
	memcpy(reply, gp60n_write_speeds, sizeof(reply));
	reply[3] = 0x14;
	ck_assert_int_eq(parse_speeds_exact(reply, sizeof(reply), ws, MMC_MAX_SPEEDS, &count), 0);
	ck_assert_uint_eq(count, 1);
	/* Length claiming less than the header. */
	reply[3] = 0x00;
	ck_assert_int_eq(parse_speeds_exact(reply, sizeof(reply), ws, MMC_MAX_SPEEDS, &count), 0);
	ck_assert_uint_eq(count, 0);
	/* Huge count: 0xFFFFFFFF claimed, 40 descriptors sent, 32 taken. */
	big = calloc(1, 8 + 40 * 16);
	ck_assert_ptr_nonnull(big);
	mmc_put32(big, 0xFFFFFFFF);
	ck_assert_int_eq(mmc_parse_write_speeds(big, 8 + 40 * 16, ws, MMC_MAX_SPEEDS, &count), 0);
	ck_assert_uint_eq(count, MMC_MAX_SPEEDS);
	free(big);
}
END_TEST

START_TEST(test_performance_nominal)
{
	/* Type 00h write performance over the GP60N medium: 0 -> 2295103 at 5540 kB/s
	 * ("Write Performance: 4.0x1385=5540KB/s@[0 -> 2295103]" in mediainfo's format). */
	static const uint8_t reply[24] = {
		0x00, 0x00, 0x00, 0x14, 0x02, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x15, 0xA4, 0x00, 0x23, 0x05, 0x3F, 0x00, 0x00, 0x15, 0xA4,
	};
	uint8_t except[sizeof(reply)];
	struct mmc_performance perf[4];
	size_t count;
	uint8_t *p;

	p = dup_exact(reply, sizeof(reply));
	ck_assert_int_eq(mmc_parse_performance(p, sizeof(reply), perf, 4, &count), 0);
	free(p);
	ck_assert_uint_eq(count, 1);
	ck_assert_uint_eq(perf[0].start_lba, 0);
	ck_assert_uint_eq(perf[0].start_kbps, 5540);
	ck_assert_uint_eq(perf[0].end_lba, 2295103);
	ck_assert_uint_eq(perf[0].end_kbps, 5540);

	/* Exception descriptors have another layout. */
	memcpy(except, reply, sizeof(except));
	except[4] = 0x03;
	ck_assert_int_eq(mmc_parse_performance(except, sizeof(except), perf, 4, &count), -EPROTO);
	ck_assert_uint_eq(count, 0);

	for (size_t n = 0; n <= sizeof(reply); n++) {
		p = dup_exact(reply, n);
		ck_assert_int_eq(mmc_parse_performance(p, n, perf, 4, &count), n < 8 ? -EPROTO : 0);
		ck_assert_uint_eq(count, n == sizeof(reply) ? 1 : 0);
		free(p);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* READ BUFFER CAPACITY, READ TOC                                      */

START_TEST(test_buffer_capacity)
{
	/* 2 MiB buffer, 1.5 MiB free. */
	static const uint8_t reply[12] = {
		0x00, 0x0A, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x18, 0x00, 0x00,
	};
	uint8_t lying[12];
	struct mmc_buffer_capacity bc;
	uint8_t *p;

	p = dup_exact(reply, sizeof(reply));
	ck_assert_int_eq(mmc_parse_buffer_capacity(p, sizeof(reply), &bc), 0);
	free(p);
	ck_assert_uint_eq(bc.length, 2 * 1024 * 1024);
	ck_assert_uint_eq(bc.blank, 1536 * 1024);

	/* Blank larger than the buffer (libburn saw drives do it): clamped. */
	memcpy(lying, reply, sizeof(lying));
	mmc_put32(&lying[8], 0x7FFFFFFF);
	ck_assert_int_eq(mmc_parse_buffer_capacity(lying, sizeof(lying), &bc), 0);
	ck_assert_uint_eq(bc.blank, bc.length);

	/* Data Length short of the blank field. */
	memcpy(lying, reply, sizeof(lying));
	lying[1] = 0x06;
	ck_assert_int_eq(mmc_parse_buffer_capacity(lying, sizeof(lying), &bc), -EPROTO);

	for (size_t n = 0; n < sizeof(reply); n++) {
		p = dup_exact(reply, n);
		ck_assert_int_eq(mmc_parse_buffer_capacity(p, n, &bc), -EPROTO);
		free(p);
	}
}
END_TEST

START_TEST(test_toc_session)
{
	/* Multisession info of a 2-session CD: session 2 starts with track 2 at
	 * LBA 22132 (the second value `cdrecord -msinfo` would print). */
	static const uint8_t reply[12] = {
		0x00, 0x0A, 0x01, 0x02, 0x00, 0x14, 0x02, 0x00, 0x00, 0x00, 0x56, 0x74,
	};
	uint8_t lying[12];
	struct mmc_toc_session ts;
	uint8_t *p;

	p = dup_exact(reply, sizeof(reply));
	ck_assert_int_eq(mmc_parse_toc_session(p, sizeof(reply), &ts), 0);
	free(p);
	ck_assert_uint_eq(ts.first_session, 1);
	ck_assert_uint_eq(ts.last_session, 2);
	ck_assert_uint_eq(ts.first_track_last_session, 2);
	ck_assert_uint_eq(ts.start_lba, 22132);

	memcpy(lying, reply, sizeof(lying));
	lying[1] = 0x02;	/* header only claimed */
	ck_assert_int_eq(mmc_parse_toc_session(lying, sizeof(lying), &ts), -EPROTO);
	lying[1] = 0xFF;	/* claims more than sent */
	ck_assert_int_eq(mmc_parse_toc_session(lying, sizeof(lying), &ts), 0);
	ck_assert_uint_eq(ts.start_lba, 22132);

	for (size_t n = 0; n < sizeof(reply); n++) {
		p = dup_exact(reply, n);
		ck_assert_int_eq(mmc_parse_toc_session(p, n, &ts), -EPROTO);
		free(p);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Mode pages                                                          */

static int find_page_exact(const uint8_t *bytes, size_t n, uint8_t code, size_t *offset, size_t *page_len)
{
	uint8_t *p = dup_exact(bytes, n);
	const uint8_t *page;
	int rc = mmc_find_mode_page(p, n, code, &page, page_len);

	*offset = page ? (size_t)(page - p) : 0;
	free(p);
	return rc;
}

START_TEST(test_find_mode_page_real_drive)
{
	/* HDAT2 MODE SENSE(10) dump of an HL-DT-ST DVDRAM GSA-4040B
	 * (forum.hddguru.com MODESENS.TXT, 2015): header "00 F4 41 00 00 00 00 00"
	 * (244 bytes of mode data, medium 41h) and page 01h
	 * "01 0A 80 13 00 00 00 00 03 00 00 00".  Only these 20 bytes are here, so
	 * the Mode Data Length claims far more than was received. */
	static const uint8_t reply[20] = {
		0x00, 0xF4, 0x41, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x01, 0x0A, 0x80, 0x13, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	};
	size_t off, page_len;

	ck_assert_int_eq(find_page_exact(reply, sizeof(reply), 0x01, &off, &page_len), 0);
	ck_assert_uint_eq(off, 8);
	ck_assert_uint_eq(page_len, 12);
	ck_assert_int_eq(find_page_exact(reply, sizeof(reply), 0x2A, &off, &page_len), -ENOENT);
	/* Page cut by the end of the transfer: returned with what arrived. */
	ck_assert_int_eq(find_page_exact(reply, 15, 0x01, &off, &page_len), 0);
	ck_assert_uint_eq(page_len, 7);
	ck_assert_int_eq(find_page_exact(reply, 9, 0x01, &off, &page_len), -ENOENT);
	for (size_t n = 0; n < 8; n++)
		ck_assert_int_eq(find_page_exact(reply, n, 0x01, &off, &page_len), -EPROTO);
}
END_TEST

START_TEST(test_find_mode_page_walk)
{
	/* Block descriptor, page 01h, a subpage-format page, then page 2Ah with PS set. */
	static const uint8_t reply[8 + 8 + 4 + 6 + 32] = {
		0x00, 0x38, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00,
		0x01, 0x02, 0xAA, 0xBB,
		0x6A, 0x01, 0x00, 0x02, 0xCC, 0xDD,
		0xAA, 0x1E, 0x3F,
	};
	uint8_t lying[sizeof(reply)];
	size_t off, page_len;

	ck_assert_int_eq(find_page_exact(reply, sizeof(reply), 0x2A, &off, &page_len), 0);
	ck_assert_uint_eq(off, 26);
	ck_assert_uint_eq(page_len, 32);
	ck_assert_int_eq(find_page_exact(reply, sizeof(reply), 0x01, &off, &page_len), 0);
	ck_assert_uint_eq(off, 16);
	ck_assert_uint_eq(page_len, 4);
	ck_assert_int_eq(find_page_exact(reply, sizeof(reply), 0x05, &off, &page_len), -ENOENT);

	/* Mode Data Length ends the data before page 2Ah. */
	memcpy(lying, reply, sizeof(lying));
	lying[1] = 24;
	ck_assert_int_eq(find_page_exact(lying, sizeof(lying), 0x2A, &off, &page_len), -ENOENT);
	/* ... or inside it: the page is cut there. */
	lying[1] = 40;
	ck_assert_int_eq(find_page_exact(lying, sizeof(lying), 0x2A, &off, &page_len), 0);
	ck_assert_uint_eq(page_len, 42 - 26);
	/* A block descriptor length pointing past the reply. */
	memcpy(lying, reply, sizeof(lying));
	lying[6] = 0xFF;
	lying[7] = 0xF0;
	ck_assert_int_eq(find_page_exact(lying, sizeof(lying), 0x2A, &off, &page_len), -ENOENT);
	/* Page 00h of length 0 repeated: the walk still advances and ends. */
	memset(lying, 0, sizeof(lying));
	lying[1] = sizeof(lying) - 2;
	ck_assert_int_eq(find_page_exact(lying, sizeof(lying), 0x2A, &off, &page_len), -ENOENT);
	ck_assert_int_eq(find_page_exact(lying, sizeof(lying), 0x00, &off, &page_len), 0);
	ck_assert_uint_eq(off, 8);
	ck_assert_uint_eq(page_len, 2);
}
END_TEST

static int parse_caps_exact(const uint8_t *bytes, size_t n, struct mmc_caps_page *caps)
{
	uint8_t *p = dup_exact(bytes, n);
	int rc = mmc_parse_caps_page(p, n, caps);

	free(p);
	return rc;
}

START_TEST(test_caps_page)
{
	/* Page 2Ah of a DVD writer: reads CD-R/RW, DVD-ROM/R/RAM; writes CD-R, CD-RW,
	 * DVD-R, DVD-RAM; BUF; 8467 kB/s max read, 2048 KiB buffer, 16 write speed
	 * descriptors announced, current write 5540 kB/s. */
	static const uint8_t page[32] = {
		0xAA, 0x1E, 0x3B, 0x37, 0xF1, 0x73, 0x29, 0x23,
		0x21, 0x13, 0x01, 0x00, 0x08, 0x00, 0x21, 0x13,
		0x00, 0x10, 0x21, 0x13, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x15, 0xA4, 0x00, 0x00,
	};
	/* An MMC-1 era page of 0x12 bytes: no current write speed field. */
	static const uint8_t mmc1_page[20] = {
		0x2A, 0x12, 0x03, 0x01, 0x71, 0x63, 0x29, 0x03,
		0x0B, 0x06, 0x01, 0x00, 0x05, 0x40, 0x0B, 0x06,
		0x00, 0x00, 0x02, 0xC2,
	};
	uint8_t odd[sizeof(page)];
	struct mmc_caps_page caps;

	ck_assert_int_eq(parse_caps_exact(page, sizeof(page), &caps), 0);
	ck_assert(caps.buf);
	ck_assert(caps.writes_cdr && caps.writes_cdrw && caps.writes_dvdr && caps.writes_dvdram);
	ck_assert_uint_eq(caps.max_read_kbps, 8467);
	ck_assert_uint_eq(caps.buffer_kib, 2048);
	ck_assert_uint_eq(caps.current_write_kbps, 5540);

	ck_assert_int_eq(parse_caps_exact(mmc1_page, sizeof(mmc1_page), &caps), 0);
	ck_assert(caps.writes_cdr);
	ck_assert(!caps.writes_cdrw && !caps.writes_dvdr && !caps.writes_dvdram && !caps.buf);
	ck_assert_uint_eq(caps.max_read_kbps, 2822);
	ck_assert_uint_eq(caps.buffer_kib, 1344);
	ck_assert_uint_eq(caps.current_write_kbps, 0);

	/* Received page shorter than its length byte claims. */
	ck_assert_int_eq(parse_caps_exact(page, 29, &caps), 0);
	ck_assert_uint_eq(caps.buffer_kib, 2048);
	ck_assert_uint_eq(caps.current_write_kbps, 0);
	ck_assert_int_eq(parse_caps_exact(page, 30, &caps), 0);
	ck_assert_uint_eq(caps.current_write_kbps, 5540);
	for (size_t n = 0; n < 14; n++)
		ck_assert_int_eq(parse_caps_exact(page, n, &caps), -EPROTO);

	/* Page length byte claiming less than the received bytes. */
	memcpy(odd, page, sizeof(odd));
	odd[1] = 0x0C;
	ck_assert_int_eq(parse_caps_exact(odd, sizeof(odd), &caps), 0);
	ck_assert_uint_eq(caps.current_write_kbps, 0);
	odd[1] = 0x0B;
	ck_assert_int_eq(parse_caps_exact(odd, sizeof(odd), &caps), -EPROTO);
	/* Not page 2Ah. */
	memcpy(odd, page, sizeof(odd));
	odd[0] = 0x05;
	ck_assert_int_eq(parse_caps_exact(odd, sizeof(odd), &caps), -EPROTO);
}
END_TEST

/* cdrecord's MODE SELECT data for multi-session TAO on an HP CD-Writer+
 * 8200a (linux-india-help, "Mode Select Data 00 11 00 00 05 32 01 E4 08 ..."):
 * the page starts at "05 32", the rest of the 52 bytes are zero. */
static const uint8_t hp8200a_page5[52] = {
	0x05, 0x32, 0x01, 0xE4, 0x08, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x96,
};

static int parse_wp_exact(const uint8_t *bytes, size_t n, struct mmc_write_params *wp)
{
	uint8_t *p = dup_exact(bytes, n);
	int rc = mmc_parse_write_params(p, n, wp);

	free(p);
	return rc;
}

START_TEST(test_write_params_real)
{
	struct mmc_write_params wp;

	ck_assert_int_eq(parse_wp_exact(hp8200a_page5, sizeof(hp8200a_page5), &wp), 0);
	ck_assert_uint_eq(wp.write_type, 1);	/* TAO */
	ck_assert(!wp.bufe && !wp.test_write && !wp.ls_v);
	ck_assert_uint_eq(wp.multi_session, 3);
	ck_assert(wp.fixed_packet);
	ck_assert_uint_eq(wp.track_mode, 4);
	ck_assert_uint_eq(wp.data_block_type, 8);	/* Mode 1, 2048 */
	ck_assert_uint_eq(wp.link_size, 0);
	ck_assert_uint_eq(wp.packet_size, 32);

	for (size_t n = 0; n < 14; n++)
		ck_assert_int_eq(parse_wp_exact(hp8200a_page5, n, &wp), -EPROTO);
	ck_assert_int_eq(parse_wp_exact(hp8200a_page5, 14, &wp), 0);
	ck_assert_uint_eq(wp.packet_size, 32);
}
END_TEST

START_TEST(test_write_params_store)
{
	uint8_t page[sizeof(hp8200a_page5)];
	struct mmc_write_params wp = {
		.bufe = true, .test_write = true, .ls_v = true,
		.write_type = 0, .multi_session = 0, .track_mode = 5, .data_block_type = 8,
		.link_size = 16, .packet_size = 16, .fixed_packet = true,
	};
	struct mmc_write_params back;
	uint8_t *exact;

	memcpy(page, hp8200a_page5, sizeof(page));
	page[3] |= 0x10;	/* Copy bit: not ours, must survive */
	page[4] |= 0x30;	/* reserved high bits of byte 4 */
	ck_assert_int_eq(mmc_store_write_params(page, sizeof(page), &wp), 0);
	ck_assert_uint_eq(page[0], 0x05);
	ck_assert_uint_eq(page[1], 0x32);
	ck_assert_uint_eq(page[2], 0x70);
	ck_assert_uint_eq(page[3], 0x35);
	ck_assert_uint_eq(page[4], 0x38);
	ck_assert_uint_eq(page[5], 16);
	ck_assert_uint_eq(mmc_get32(&page[10]), 16);
	ck_assert_uint_eq(page[8], 0x20);	/* session format untouched */
	ck_assert_uint_eq(mmc_get16(&page[14]), 150);	/* audio pause untouched */
	ck_assert_int_eq(mmc_parse_write_params(page, sizeof(page), &back), 0);
	ck_assert(back.bufe && back.test_write && back.ls_v && back.fixed_packet);
	ck_assert_uint_eq(back.write_type, 0);
	ck_assert_uint_eq(back.multi_session, 0);
	ck_assert_uint_eq(back.track_mode, 5);
	ck_assert_uint_eq(back.link_size, 16);
	ck_assert_uint_eq(back.packet_size, 16);

	/* Out-of-range values stay in their bit fields. */
	wp.write_type = 0xF2;
	wp.multi_session = 0xFF;
	wp.track_mode = 0xF4;
	wp.data_block_type = 0xFA;
	ck_assert_int_eq(mmc_store_write_params(page, sizeof(page), &wp), 0);
	ck_assert_uint_eq(page[2], 0x72);
	ck_assert_uint_eq(page[3], 0xF4);
	ck_assert_uint_eq(page[4], 0x3A);

	/* Too short, or not page 05h: untouched and refused. */
	exact = dup_exact(hp8200a_page5, 13);
	ck_assert_int_eq(mmc_store_write_params(exact, 13, &wp), -EPROTO);
	ck_assert_mem_eq(exact, hp8200a_page5, 13);
	free(exact);
	memcpy(page, hp8200a_page5, sizeof(page));
	page[0] = 0x2A;
	ck_assert_int_eq(mmc_store_write_params(page, sizeof(page), &wp), -EPROTO);
	ck_assert_uint_eq(page[2], 0x01);
	page[0] = 0x05;
	page[1] = 0x0A;	/* page claims 12 bytes: packet size not inside */
	ck_assert_int_eq(mmc_store_write_params(page, sizeof(page), &wp), -EPROTO);
	ck_assert_int_eq(mmc_parse_write_params(page, sizeof(page), &back), -EPROTO);
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *mmc_suite(void)
{
	Suite *s = suite_create("mmc");
	TCase *builders = tcase_create("builders");
	TCase *parsers = tcase_create("parsers");

	tcase_add_test(builders, test_cdb_length_by_group);
	tcase_add_test(builders, test_opcode_names);
	tcase_add_test(builders, test_build_test_unit_ready);
	tcase_add_test(builders, test_build_request_sense);
	tcase_add_test(builders, test_build_inquiry);
	tcase_add_test(builders, test_build_get_configuration);
	tcase_add_test(builders, test_build_get_event_status);
	tcase_add_test(builders, test_build_read_disc_info);
	tcase_add_test(builders, test_build_read_track_info);
	tcase_add_test(builders, test_build_read_capacity);
	tcase_add_test(builders, test_build_read_format_capacities);
	tcase_add_test(builders, test_build_mode_sense10);
	tcase_add_test(builders, test_build_mode_select10);
	tcase_add_test(builders, test_build_get_performance);
	tcase_add_test(builders, test_build_set_streaming);
	tcase_add_test(builders, test_build_streaming_descriptor);
	tcase_add_test(builders, test_build_set_cd_speed);
	tcase_add_test(builders, test_build_read_buffer_capacity);
	tcase_add_test(builders, test_build_read10_write10);
	tcase_add_test(builders, test_build_sync_cache);
	tcase_add_test(builders, test_build_close_track_session);
	tcase_add_test(builders, test_build_read_toc);
	tcase_add_test(builders, test_build_blank);
	tcase_add_test(builders, test_build_format_unit);
	tcase_add_test(builders, test_build_format_descriptor);
	tcase_add_test(builders, test_build_start_stop);
	tcase_add_test(builders, test_build_prevent_allow);
	tcase_add_test(builders, test_build_send_opc);
	suite_add_tcase(s, builders);

	tcase_add_test(parsers, test_sense_real_drives);
	tcase_add_test(parsers, test_sense_progress);
	tcase_add_test(parsers, test_sense_descriptor_format);
	tcase_add_test(parsers, test_sense_malformed);
	tcase_add_test(parsers, test_inquiry);
	tcase_add_test(parsers, test_config_real_drive);
	tcase_add_test(parsers, test_config_truncated);
	tcase_add_test(parsers, test_config_length_lies);
	tcase_add_test(parsers, test_config_huge_lists);
	tcase_add_test(parsers, test_config_garbage);
	tcase_add_test(parsers, test_media_event);
	tcase_add_test(parsers, test_media_event_malformed);
	tcase_add_test(parsers, test_disc_info);
	tcase_add_test(parsers, test_disc_info_msb_and_bg_format);
	tcase_add_test(parsers, test_disc_info_malformed);
	tcase_add_test(parsers, test_msf_to_lba);
	tcase_add_test(parsers, test_track_info_real_drive);
	tcase_add_test(parsers, test_track_info_msb_and_flags);
	tcase_add_test(parsers, test_track_info_malformed);
	tcase_add_test(parsers, test_read_capacity);
	tcase_add_test(parsers, test_format_capacities);
	tcase_add_test(parsers, test_format_capacities_malformed);
	tcase_add_test(parsers, test_write_speeds_real_drive);
	tcase_add_test(parsers, test_write_speeds_flags);
	tcase_add_test(parsers, test_write_speeds_malformed);
	tcase_add_test(parsers, test_performance_nominal);
	tcase_add_test(parsers, test_buffer_capacity);
	tcase_add_test(parsers, test_toc_session);
	tcase_add_test(parsers, test_find_mode_page_real_drive);
	tcase_add_test(parsers, test_find_mode_page_walk);
	tcase_add_test(parsers, test_caps_page);
	tcase_add_test(parsers, test_write_protection);
	tcase_add_test(parsers, test_write_params_real);
	tcase_add_test(parsers, test_write_params_store);
	suite_add_tcase(s, parsers);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(mmc_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
