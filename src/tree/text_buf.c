/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A growing text buffer; see text_buf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "text_buf.h"

void text_printf(struct text_buf *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed)
		return;
	for (;;) {
		size_t room = t->capacity - t->len;

		va_start(ap, fmt);
		n = vsnprintf(t->data ? t->data + t->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->failed = true;
			return;
		}
		if ((size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		size_t grown = t->capacity ? t->capacity * 2 : 4096;
		while (grown - t->len <= (size_t)n)
			grown *= 2;
		char *data = realloc(t->data, grown);
		if (!data) {
			t->failed = true;
			return;
		}
		t->data = data;
		t->capacity = grown;
	}
}
