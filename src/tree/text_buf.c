/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A growing text buffer; see text_buf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "text_buf.h"

/* Room for at least need more bytes; false (and failed set) without memory. */
static bool reserve(struct text_buf *t, size_t need)
{
	size_t grown = t->capacity ? t->capacity : 4096;
	char *data;

	while (grown - t->len <= need)
		grown *= 2;
	data = realloc(t->data, grown);
	if (!data) {
		t->failed = true;
		return false;
	}
	t->data = data;
	t->capacity = grown;
	return true;
}

void text_printf(struct text_buf *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->data ? t->data + t->len : NULL, t->capacity - t->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		t->failed = true;
		return;
	}
	if ((size_t)n >= t->capacity - t->len) {
		if (!reserve(t, (size_t)n))
			return;
		va_start(ap, fmt);
		vsnprintf(t->data + t->len, t->capacity - t->len, fmt, ap);
		va_end(ap);
	}
	t->len += (size_t)n;
}
