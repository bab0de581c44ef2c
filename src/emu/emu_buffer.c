/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The drive buffer: written sectors wait in it and reach the medium at the
 * physical speed, which on a CAV descriptor grows linearly with the LBA.
 * With speed a + b*lba sectors/s the drain has a closed form, so the model
 * needs no ticking: it is advanced to "now" whenever a command looks at it.
 */
#include <math.h>
#include <string.h>

#include "emu_internal.h"

/* Seconds to drain n sectors starting at lba. */
static double drain_seconds(const struct emu_rate *r, double lba, double n)
{
	double rate = r->a + r->b * lba;

	if (r->b <= 0)
		return n / r->a;
	return log1p(r->b * n / rate) / r->b;
}

/* Sectors drained in t seconds starting at lba. */
static double drained_in(const struct emu_rate *r, double lba, double t)
{
	double rate = r->a + r->b * lba;

	if (r->b <= 0)
		return r->a * t;
	return rate * expm1(r->b * t) / r->b;
}

void emu_buffer_reset(struct emu_buffer *b, uint32_t size, uint64_t now_ns)
{
	memset(b, 0, sizeof(*b));
	b->size = size;
	b->updated_ns = now_ns;
}

void emu_buffer_advance(struct emu_buffer *b, const struct emu_rate *r, uint64_t now_ns)
{
	double t;

	if (now_ns <= b->updated_ns)
		return;
	t = (double)(now_ns - b->updated_ns) / 1e9;
	if (b->fill <= 0) {
		if (b->streaming)
			b->ran_dry = true;
	} else if (r->a > 0) {
		double drained = drained_in(r, b->drain_lba, t);

		if (drained >= b->fill) {
			if (b->streaming && drain_seconds(r, b->drain_lba, b->fill) < t)
				b->ran_dry = true;
			b->drain_lba += b->fill;
			b->fill = 0;
		} else {
			b->drain_lba += drained;
			b->fill -= drained;
		}
	}
	b->updated_ns = now_ns;
}

void emu_buffer_add(struct emu_buffer *b, const struct emu_rate *r, uint64_t now_ns, uint32_t lba, uint32_t n)
{
	emu_buffer_advance(b, r, now_ns);
	b->ran_dry = false;	/* data arriving ends a dry spell; WRITE judged it before */
	if (b->fill <= 0) {
		b->fill = 0;
		b->drain_lba = lba;
	}
	b->fill += n;
}

uint64_t emu_buffer_time_at_fill(const struct emu_buffer *b, const struct emu_rate *r, double target)
{
	double s;

	if (b->fill <= target || r->a <= 0)
		return b->updated_ns;
	s = ceil(drain_seconds(r, b->drain_lba, b->fill - target) * 1e9);
	if (s >= (double)(UINT64_MAX - b->updated_ns))
		return UINT64_MAX;
	return b->updated_ns + (uint64_t)s;
}

uint32_t emu_buffer_free(const struct emu_buffer *b)
{
	if (b->fill >= b->size)
		return 0;
	return (uint32_t)floor(b->size - b->fill);
}
