/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CRC-32 as IEEE 802.3 (and zlib, PNG) defines it, whatever the length,
 * alignment and split of the data. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/crc32.h"

/* One bit at a time, straight from the polynomial. */
static uint32_t crc32_bitwise(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xFFFFFFFFu;

	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
	}
	return ~crc;
}

START_TEST(check_value)
{
	ck_assert_uint_eq(crc32_update(0, "123456789", 9), 0xCBF43926u);
	ck_assert_uint_eq(crc32_update(0, "", 0), 0);
}
END_TEST

START_TEST(any_length_alignment_and_split)
{
	uint8_t buf[100];

	srand(7);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	for (size_t start = 0; start < 9; start++)
		for (size_t len = 0; start + len <= sizeof(buf); len++) {
			uint32_t whole = crc32_update(0, buf + start, len);

			ck_assert_uint_eq(whole, crc32_bitwise(buf + start, len));
			ck_assert_uint_eq(crc32_update(crc32_update(0, buf + start, len / 3), buf + start + len / 3,
						       len - len / 3), whole);
		}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("crc32");
	TCase *tc = tcase_create("crc32");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, check_value);
	tcase_add_test(tc, any_length_alignment_and_split);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
