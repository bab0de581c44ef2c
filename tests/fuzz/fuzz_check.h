/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fuzz harnesses' assertion: a broken promise aborts, so libFuzzer
 * saves the input as a crash. */
#ifndef DISCFS_FUZZ_CHECK_H
#define DISCFS_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                                         \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "%s:%d: %s does not hold\n", __FILE__, __LINE__, #cond); \
			abort();                                                            \
		}                                                                           \
	} while (0)

#endif
