/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The drive model and the write engine over the emulated recorder: what
 * the tree shows for each medium, caching, media changes, and burns. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discfs/disc.h"
#include "discfs/emu.h"
/* White-box: the test looks inside struct drive and struct burn. */
#include "../../src/drive/drive_internal.h"

#define FAST_CLOCK 200.0

static struct emu *emu;
static struct drive *drive;
static char image[64];

static struct drive *open_drive(const char *media, enum emu_disc_state state, double timescale)
{
	struct emu_config cfg = { .media = media, .image = image, .timescale = timescale, .state = state };
	struct transport *t;

	snprintf(image, sizeof(image), "/tmp/check_drive.%d.img", getpid());
	unlink(image);
	emu = emu_create(&cfg);
	ck_assert_ptr_nonnull(emu);
	t = transport_emu_open(emu);
	ck_assert_ptr_nonnull(t);
	drive = drive_create(0, t, emu, 0, 4 << 20);
	ck_assert_ptr_nonnull(drive);
	return drive;
}

static void close_drive(void)
{
	char state[80];

	drive_destroy(drive);
	unlink(image);
	snprintf(state, sizeof(state), "%s.state", image);
	unlink(state);
}

struct expectation {
	const char *media;
	uint32_t total;
	uint32_t status;
};

static const struct expectation blank_media[] = {
	{ "cd-r", 359849, MEDIA_BLANK },
	{ "cd-rw", 359849, MEDIA_BLANK },
	{ "dvd-r", 2298496, MEDIA_BLANK },
	{ "dvd-rw", 2297888, MEDIA_BLANK },
	{ "dvd+r", 2295104, MEDIA_BLANK },
	{ "dvd+rw", 2295104, MEDIA_BLANK | MEDIA_OVERWRITE_ONLY },
	{ "bd-r", 12219392, MEDIA_BLANK },
	{ "bd-re", 11826176, MEDIA_BLANK | MEDIA_OVERWRITE_ONLY },
};

START_TEST(blank_media_read_as_expected)
{
	const struct expectation *x = &blank_media[_i];
	struct media_info m;

	open_drive(x->media, EMU_STATE_DEFAULT, FAST_CLOCK);
	ck_assert_int_eq(drive_media(drive, &m), 0);
	ck_assert_str_eq(m.profile->name, x->media);
	ck_assert_uint_eq(m.total_sectors, x->total);
	ck_assert_uint_eq(m.free_sectors, x->total);
	ck_assert(m.next_writable_valid);
	ck_assert_uint_eq(m.next_writable, 0);
	ck_assert_uint_eq(m.status, x->status);
	ck_assert_uint_gt(m.nspeeds, 0);
	for (size_t i = 1; i < m.nspeeds; i++)
		ck_assert_uint_le(m.speeds[i - 1].sps, m.speeds[i].sps);
	ck_assert(m.estimate_start_sps > 0);
	ck_assert(m.estimate_end_sps >= m.estimate_start_sps);
	ck_assert_str_eq(drive->id.vendor, "DISCFS");
	close_drive();
}
END_TEST

START_TEST(empty_tray_says_no_medium)
{
	struct media_info m;

	open_drive("none", EMU_STATE_DEFAULT, FAST_CLOCK);
	ck_assert_int_eq(drive_media(drive, &m), -ENOMEDIUM);
	ck_assert_str_eq(m.profile->name, "none");
	close_drive();
}
END_TEST

START_TEST(cached_reads_send_no_commands)
{
	struct emu_stats before, after;
	struct media_info m;

	open_drive("dvd+r", EMU_STATE_DEFAULT, FAST_CLOCK);
	emu_get_stats(emu, &before);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(drive_media(drive, &m), 0);
	emu_get_stats(emu, &after);
	ck_assert_uint_eq(after.commands, before.commands);
	close_drive();
}
END_TEST

START_TEST(media_change_refreshes_through_unit_attention)
{
	struct media_info m;
	struct mmc_cmd cmd;

	open_drive("dvd+r", EMU_STATE_DEFAULT, FAST_CLOCK);
	ck_assert_int_eq(emu_load_media(emu, "bd-r", EMU_STATE_DEFAULT), 0);
	/* The cache does not know yet; the next command meets the unit
	 * attention and marks it stale. */
	mmc_build_test_unit_ready(&cmd);
	drive_probe(drive, &cmd, NULL, NULL);
	ck_assert_int_eq(drive_media(drive, &m), 0);
	ck_assert_str_eq(m.profile->name, "bd-r");
	ck_assert_uint_eq(m.total_sectors, 12219392);
	close_drive();
}
END_TEST

START_TEST(poller_sees_a_media_change)
{
	struct media_info m;

	open_drive("cd-r", EMU_STATE_DEFAULT, FAST_CLOCK);
	drive->poll_ms = 5;
	ck_assert_int_eq(drive_poller_start(drive), 0);
	ck_assert_int_eq(emu_load_media(emu, "dvd-r", EMU_STATE_DEFAULT), 0);
	/* The poller asks the drive every 5 ms; give it up to 30 s, for a
	 * loaded machine. */
	for (int i = 0; i < 6000; i++) {
		pthread_mutex_lock(&drive->lock);
		bool stale = drive->media_stale;
		pthread_mutex_unlock(&drive->lock);
		if (stale)
			break;
		usleep(5000);
	}
	ck_assert_int_eq(drive_media(drive, &m), 0);
	ck_assert_str_eq(m.profile->name, "dvd-r");
	drive_poller_stop(drive);
	close_drive();
}
END_TEST

static void assert_last_error_is(const char *expected)
{
	char error[DRIVE_ERROR_MAX];

	drive_last_error(drive, error, sizeof(error));
	ck_assert_str_eq(error, expected);
}

START_TEST(a_probe_answer_is_no_error)
{
	char earlier[DRIVE_ERROR_MAX], error[DRIVE_ERROR_MAX];
	struct mmc_sense sense;
	struct mmc_cmd cmd;

	open_drive("none", EMU_STATE_DEFAULT, FAST_CLOCK);
	drive_fail(drive, COND_BUSY, "an earlier failure");
	drive_last_error(drive, earlier, sizeof(earlier));
	mmc_build_test_unit_ready(&cmd);
	/* "No medium" is what a probe asks about: the earlier failure stays. */
	ck_assert_int_eq(drive_probe(drive, &cmd, NULL, &sense), -ENOMEDIUM);
	ck_assert_uint_eq(sense.key, SK_NOT_READY);
	assert_last_error_is(earlier);
	/* The same answer to a command that needed a medium is its error. */
	ck_assert_int_eq(drive_command(drive, &cmd, NULL, 0, NULL), -ENOMEDIUM);
	drive_last_error(drive, error, sizeof(error));
	ck_assert_ptr_nonnull(strstr(error, "TEST UNIT READY"));
	ck_assert_ptr_nonnull(strstr(error, "no medium"));
	/* ... and a probe's caller can take it as one after all. */
	drive_clear_error(drive);
	ck_assert_int_eq(drive_probe(drive, &cmd, NULL, &sense), -ENOMEDIUM);
	ck_assert_int_eq(drive_probe_failed(drive, &sense, "TEST UNIT READY", NULL, -ENOMEDIUM), -ENOMEDIUM);
	assert_last_error_is(error);
	close_drive();
}
END_TEST

START_TEST(waiting_for_a_drive_that_cannot_become_ready_says_why)
{
	char error[DRIVE_ERROR_MAX];

	open_drive("none", EMU_STATE_DEFAULT, FAST_CLOCK);
	drive_clear_error(drive);
	ck_assert_int_eq(disc_wait_ready(drive, NULL, NULL), -ENOMEDIUM);
	drive_last_error(drive, error, sizeof(error));
	ck_assert_ptr_nonnull(strstr(error, "no medium"));
	close_drive();
}
END_TEST

/* An ISO 9660 descriptor set at image sector 16 (the buffer's byte 32768):
 * a primary volume descriptor for sectors, its path table and root
 * directory just past the terminator at sector 17, as mastering tools put
 * them for an image made for LBA made_for. */
static void put_iso_descriptors(uint8_t *image_start, uint64_t sectors, uint32_t made_for)
{
	uint8_t *pvd = image_start + 32768, *terminator = pvd + 2048;
	uint32_t path_table = made_for + 18, root = made_for + 19;

	memset(pvd, 0, 4096);
	pvd[0] = 1;
	memcpy(pvd + 1, "CD001", 5);
	for (int i = 0; i < 4; i++) {
		pvd[80 + i] = (uint8_t)(sectors >> (8 * i));
		pvd[140 + i] = (uint8_t)(path_table >> (8 * i));
		pvd[158 + i] = (uint8_t)(root >> (8 * i));
	}
	pvd[129] = 0x08; /* logical block size 2048 */
	terminator[0] = 255;
	memcpy(terminator + 1, "CD001", 5);
}

/* Streams size bytes of a pattern image into the burn, as FUSE would. */
static int stream_image(uint64_t sectors, uint8_t seed, bool iso)
{
	uint8_t chunk[65536];
	uint64_t total = sectors * 2048;
	struct media_info m;
	int rc = burn_begin(drive->burn, "burn", "check");

	if (rc)
		return rc;
	drive_media(drive, &m);
	for (uint64_t off = 0; off < total; off += sizeof(chunk)) {
		size_t n = total - off < sizeof(chunk) ? (size_t)(total - off) : sizeof(chunk);

		for (size_t i = 0; i < n; i++)
			chunk[i] = (uint8_t)((off + i) * 7 + seed);
		if (iso && off == 0)
			put_iso_descriptors(chunk, sectors,
					    m.profile->model == WRITE_MODEL_SEQUENTIAL ? m.next_writable : 0);
		rc = burn_write(drive->burn, chunk, n, (off_t)off);
		if (rc < 0)
			break;
	}
	if (rc >= 0)
		rc = burn_flush(drive->burn, true);
	burn_end(drive->burn);
	return rc;
}

/* Sector 1 of a burn that started at lba holds the stream's pattern. */
static void check_image_pattern(uint64_t lba, uint8_t seed)
{
	FILE *f = fopen(image, "rb");
	uint8_t sector[2048];

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseeko(f, (off_t)(lba * 2048 + 2048), SEEK_SET), 0);
	ck_assert_uint_eq(fread(sector, 1, sizeof(sector), f), sizeof(sector));
	for (size_t i = 0; i < sizeof(sector); i++)
		ck_assert_uint_eq(sector[i], (uint8_t)((2048 + i) * 7 + seed));
	fclose(f);
}

START_TEST(burn_then_append_on_sequential_media)
{
	struct media_info m;
	uint32_t nwa;

	open_drive("dvd+r", EMU_STATE_DEFAULT, FAST_CLOCK);
	ck_assert_int_eq(stream_image(1024, 3, true), 0);
	ck_assert_int_eq(drive_media(drive, &m), 0);
	ck_assert(m.status & MEDIA_APPENDABLE);
	ck_assert_uint_ge(m.next_writable, 1024);
	ck_assert_uint_eq(m.free_sectors, m.total_sectors - m.next_writable);
	check_image_pattern(0, 3);
	nwa = m.next_writable;
	ck_assert_int_eq(stream_image(512, 9, true), 0);
	check_image_pattern(nwa, 9);
	ck_assert_int_eq(drive_media(drive, &m), 0);
	ck_assert_uint_ge(m.next_writable, nwa + 512);
	close_drive();
}
END_TEST

START_TEST(force_close_finalizes)
{
	struct media_info m;

	open_drive("cd-r", EMU_STATE_DEFAULT, FAST_CLOCK);
	drive->burn->settings.force_close = true;
	ck_assert_int_eq(stream_image(300, 1, true), 0);
	ck_assert_int_eq(drive_media(drive, &m), 0);
	ck_assert(m.status & MEDIA_FINALIZED);
	ck_assert(!m.next_writable_valid);
	/* A closed disc takes no more. */
	ck_assert_int_eq(burn_begin(drive->burn, "burn", "check"), -EMEDIUMTYPE);
	close_drive();
}
END_TEST

START_TEST(too_large_image_fails_before_writing)
{
	struct emu_stats stats;

	open_drive("cd-r", EMU_STATE_DEFAULT, FAST_CLOCK);
	ck_assert_int_eq(burn_begin(drive->burn, "burn", "check"), 0);
	{
		static uint8_t head[64 * 1024];

		/* 1048576 sectors: more than a CD holds. */
		put_iso_descriptors(head, 1048576, 0);
		ck_assert_int_eq(burn_write(drive->burn, head, sizeof(head), 0), -ENOSPC);
	}
	ck_assert_int_eq(burn_flush(drive->burn, true), -ENOSPC);
	burn_end(drive->burn);
	emu_get_stats(emu, &stats);
	ck_assert_uint_eq(stats.sectors_written, 0);
	close_drive();
}
END_TEST

START_TEST(overwrite_media_need_force_overwrite_once_written)
{
	open_drive("dvd+rw", EMU_STATE_DEFAULT, FAST_CLOCK);
	ck_assert_int_eq(stream_image(2048, 5, true), 0);
	/* Refused from its descriptors, before a sector is written. */
	ck_assert_int_eq(stream_image(1024, 7, true), -EEXIST);
	check_image_pattern(0, 5);
	drive->burn->settings.force_overwrite = true;
	ck_assert_int_eq(stream_image(1024, 6, true), 0);
	check_image_pattern(0, 6);
	close_drive();
}
END_TEST

START_TEST(verify_full_reads_back)
{
	open_drive("bd-r", EMU_STATE_DEFAULT, FAST_CLOCK);
	drive->burn->settings.verify = VERIFY_FULL;
	ck_assert_int_eq(stream_image(4096, 2, true), 0);
	ck_assert_int_eq(drive->burn->progress.state, BURN_DONE);
	close_drive();
}
END_TEST

START_TEST(backward_write_is_refused)
{
	uint8_t data[4096] = { 0 };

	open_drive("dvd-r", EMU_STATE_DEFAULT, FAST_CLOCK);
	ck_assert_int_eq(burn_begin(drive->burn, "burn", "check"), 0);
	ck_assert_int_eq(burn_write(drive->burn, data, sizeof(data), 0), (int)sizeof(data));
	ck_assert_int_eq(burn_write(drive->burn, data, sizeof(data), 0), -ESPIPE);
	ck_assert_int_eq(burn_begin(drive->burn, "other", "check"), -EBUSY);
	/* It ended before any volume descriptor: nothing to burn. */
	ck_assert_int_eq(burn_flush(drive->burn, true), -EIO);
	burn_end(drive->burn);
	close_drive();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("drive");
	TCase *media = tcase_create("media");
	TCase *burn = tcase_create("burn");
	SRunner *sr;
	int failed;

	/* Generous: a loaded machine under ASan is slow, and nothing here is
	 * a measure of speed. */
	tcase_set_timeout(media, 120);
	tcase_add_loop_test(media, blank_media_read_as_expected, 0, sizeof(blank_media) / sizeof(blank_media[0]));
	tcase_add_test(media, empty_tray_says_no_medium);
	tcase_add_test(media, cached_reads_send_no_commands);
	tcase_add_test(media, media_change_refreshes_through_unit_attention);
	tcase_add_test(media, poller_sees_a_media_change);
	tcase_add_test(media, a_probe_answer_is_no_error);
	tcase_add_test(media, waiting_for_a_drive_that_cannot_become_ready_says_why);
	tcase_set_timeout(burn, 300);
	tcase_add_test(burn, burn_then_append_on_sequential_media);
	tcase_add_test(burn, force_close_finalizes);
	tcase_add_test(burn, too_large_image_fails_before_writing);
	tcase_add_test(burn, overwrite_media_need_force_overwrite_once_written);
	tcase_add_test(burn, verify_full_reads_back);
	tcase_add_test(burn, backward_write_is_refused);
	suite_add_tcase(s, media);
	suite_add_tcase(s, burn);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
