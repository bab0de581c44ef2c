/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Write speeds: GET PERFORMANCE reports them, SET STREAMING and SET CD SPEED
 * choose one.  A request selects the fastest descriptor not above it, or the
 * slowest when it is below them all, as drives round down.
 */
#include <string.h>

#include "emu_internal.h"

#define PERF_HEADER_LEN 8
#define PERF_DESC_LEN 16
#define MAX_DESCRIPTORS 16
#define STREAMING_DESC_LEN 28
#define CAV_START_FACTOR 0.4

static size_t select_speed(const struct emu_medium *m, uint64_t kbps)
{
	for (size_t i = 0; i < m->nspeeds; i++)
		if (m->speeds[i].write_kbps <= kbps)
			return i;
	return m->nspeeds - 1;
}

/* The buffer drains at the old speed up to now, at the new one afterwards. */
static void set_speed(struct emu *e, uint64_t kbps)
{
	struct emu_rate r = emu_drain_rate(e);

	if (!e->disc.medium || e->disc.medium->nspeeds == 0)
		return;
	emu_buffer_advance(&e->buffer, &r, emu_now_ns(e));
	e->speed_index = select_speed(e->disc.medium, kbps);
}

static void put_nominal(uint8_t *p, uint32_t end_lba, double start_kbps, double end_kbps)
{
	mmc_put32(p, 0);
	mmc_put32(p + 4, (uint32_t)(start_kbps + 0.5));
	mmc_put32(p + 8, end_lba);
	mmc_put32(p + 12, (uint32_t)(end_kbps + 0.5));
}

/* Drives read at their top speed with the disc spinning at a constant rate
 * (CAV), so the data rate grows from the inside out, as GET PERFORMANCE's
 * read descriptor says; the rate halfway through a READ times it.  A
 * sequential READ continues where the last one ended: the disc kept
 * spinning and the drive kept reading ahead into its buffer meanwhile, so
 * a host that comes back late finds up to a buffer's worth ready. */
uint64_t emu_read_deadline(struct emu *e, uint32_t lba, uint32_t blocks)
{
	const struct emu_speed read = { .write_kbps = e->disc.medium->read_kbps, .cav = true };
	double kbps = emu_speed_kbps_at(&read, lba + blocks / 2, e->disc.capacity);
	double sps = kbps_to_sps(emu_disc_family(&e->disc), kbps);
	uint64_t now = emu_now_ns(e), start = now;

	if (sps <= 0)
		return now;
	if (lba == e->read_next_lba && e->read_done_ns) {
		uint64_t ahead = emu_seconds(e->buffer.size / sps);

		start = e->read_done_ns;
		if (now > ahead && start < now - ahead)
			start = now - ahead;
	}
	e->read_next_lba = lba + blocks;
	e->read_done_ns = start + emu_seconds(blocks / sps);
	return e->read_done_ns;
}

int emu_cmd_get_performance(struct emu *e, struct emu_cmd *c)
{
	uint8_t b[PERF_HEADER_LEN + PERF_DESC_LEN * MAX_DESCRIPTORS];
	uint8_t data_type = c->cdb[1] & 0x1F, type = c->cdb[10];
	uint16_t max = mmc_get16(c->cdb + 8);
	const struct emu_medium *m = emu_has_medium(e) ? e->disc.medium : NULL;
	uint32_t last = m && e->disc.capacity ? e->disc.capacity - 1 : 0;
	size_t n = 0;

	memset(b, 0, sizeof(b));
	if (type == 0x00) {
		bool write = data_type & 0x04;
		const struct emu_speed *s = m ? emu_current_speed(e) : NULL;

		b[4] = (uint8_t)((write ? 0x02 : 0) | ((data_type & 0x03) ? 0x01 : 0));
		if ((data_type & 0x03) == 0 && write && s) {
			put_nominal(b + PERF_HEADER_LEN, last, emu_speed_kbps_at(s, 0, e->disc.capacity),
				    emu_speed_kbps_at(s, last, e->disc.capacity));
			n = 1;
		} else if ((data_type & 0x03) == 0 && !write && m) {
			put_nominal(b + PERF_HEADER_LEN, last, CAV_START_FACTOR * m->read_kbps, m->read_kbps);
			n = 1;
		}
	} else if (type == 0x03) {
		for (; m && n < m->nspeeds && n < MAX_DESCRIPTORS; n++) {
			uint8_t *p = b + PERF_HEADER_LEN + PERF_DESC_LEN * n;

			p[0] = (uint8_t)((m->speeds[n].cav ? 0x08 : 0x00) | 0x02);	/* WRC, Exact */
			mmc_put32(p + 4, last);
			mmc_put32(p + 8, m->read_kbps);
			mmc_put32(p + 12, m->speeds[n].write_kbps);
		}
	} else {
		return emu_invalid_field(c);
	}
	/* The length tells what there is; only max descriptors are sent. */
	mmc_put32(b, (uint32_t)(PERF_HEADER_LEN - 4 + PERF_DESC_LEN * n));
	if (n > max)
		n = max;
	return emu_reply(c, b, PERF_HEADER_LEN + PERF_DESC_LEN * n, sizeof(b));
}

int emu_cmd_set_streaming(struct emu *e, struct emu_cmd *c)
{
	uint16_t plen = mmc_get16(c->cdb + 9);
	const uint8_t *p;
	uint32_t size_kb, time_ms;

	if (c->cdb[8] != 0x00 || plen < STREAMING_DESC_LEN)
		return emu_invalid_field(c);	/* performance descriptors only */
	p = emu_param_list(c, STREAMING_DESC_LEN);
	if (!p)
		return emu_invalid_field(c);
	if (p[0] & 0x04) {
		set_speed(e, UINT64_MAX);	/* RDD: the default is the fastest */
		return MMC_GOOD;
	}
	size_kb = mmc_get32(p + 20);
	time_ms = mmc_get32(p + 24);
	if (time_ms == 0)
		return emu_invalid_param(c);
	set_speed(e, (uint64_t)size_kb * 1000 / time_ms);
	return MMC_GOOD;
}

int emu_cmd_set_cd_speed(struct emu *e, struct emu_cmd *c)
{
	uint16_t write_kbps = mmc_get16(c->cdb + 4);

	set_speed(e, write_kbps == 0xFFFF ? UINT64_MAX : write_kbps);
	return MMC_GOOD;
}
