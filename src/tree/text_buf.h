/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A growing text buffer for the files rendered whole (last_burn/). */
#ifndef DISCFS_TREE_TEXT_BUF_H
#define DISCFS_TREE_TEXT_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct text_buf {
	char *data;
	size_t len, capacity;
	bool failed;	/* out of memory: the text is incomplete */
};

/* Appends printf-style; on failure sets failed and keeps what was there. */
void text_printf(struct text_buf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
