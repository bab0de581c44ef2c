/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MODE SENSE(10) / MODE SELECT(10): page 05h (write parameters, which the
 * host may change) and page 2Ah (capabilities and write speeds, read-only).
 */
#include <string.h>

#include "emu_internal.h"

#define HEADER_LEN 8
#define PAGE05_LEN 52	/* page length 32h + 2 */
#define PAGE05_MIN_SENT 16	/* a MODE SELECT page must reach the audio pause length */
#define PAGE2A_FIXED_LEN 32
#define MAX_SPEEDS 16

/* Bits of page 05h byte i that MODE SELECT may change. */
static uint8_t page05_changeable(size_t i)
{
	static const uint8_t head[16] = {
		[2] = 0x7F,	/* BUFE, LS_V, Test Write, write type */
		[3] = 0xFF, [4] = 0x0F, [5] = 0xFF, [7] = 0x3F, [8] = 0xFF,
		[10] = 0xFF, [11] = 0xFF, [12] = 0xFF, [13] = 0xFF, [14] = 0xFF, [15] = 0xFF,
	};

	return i < sizeof(head) ? head[i] : 0xFF;	/* MCN, ISRC, sub-header */
}

static bool is_dvd_dash(uint16_t profile)
{
	const struct profile_info *p = profile_by_number(profile);

	return p->family == MEDIA_FAMILY_DVD && PROFILE_CAN(p, PROFILE_WRITE_PARAMETERS);
}

bool emu_mode_page05_applies(const struct emu *e)
{
	return PROFILE_CAN(profile_by_number(e->disc.profile), PROFILE_WRITE_PARAMETERS);
}

static void page05_defaults(uint16_t profile, uint8_t *p)
{
	memset(p, 0, PAGE05_LEN);
	p[0] = 0x05;
	p[1] = PAGE05_LEN - 2;
	p[4] = 8;	/* Mode 1, 2048 bytes */
	mmc_put16(p + 14, 150);
	if (is_dvd_dash(profile)) {
		/* Incremental, fixed packets of one ECC block, linking 16 */
		p[2] = 0x40 | 0x20 | 0x00;
		p[3] = 0xC0 | 0x20 | 5;
		p[5] = 16;
		mmc_put32(p + 10, 16);
	} else {
		p[2] = 0x40 | 0x01;	/* BUFE, track at once */
		p[3] = 0xC0 | 4;	/* next session allowed, data track */
	}
}

void emu_mode_reset(struct emu *e)
{
	page05_defaults(e->disc.profile, e->write_params);
}

bool emu_mode_bufe(const struct emu *e)
{
	return e->write_params[2] & 0x40;
}

uint8_t emu_mode_multisession(const struct emu *e)
{
	return e->write_params[3] >> 6;
}

bool emu_mode_test_write(const struct emu *e)
{
	return emu_mode_page05_applies(e) && (e->write_params[2] & 0x10);
}

uint8_t emu_mode_write_type(const struct emu *e)
{
	return e->write_params[2] & 0x0F;
}

static size_t page05(const struct emu *e, uint8_t pc, uint8_t *out)
{
	switch (pc) {
	case 1:
		out[0] = 0x05;
		out[1] = PAGE05_LEN - 2;
		for (size_t i = 2; i < PAGE05_LEN; i++)
			out[i] = page05_changeable(i);
		break;
	case 2:
		page05_defaults(e->disc.profile, out);
		break;
	default:
		memcpy(out, e->write_params, PAGE05_LEN);
		break;
	}
	return PAGE05_LEN;
}

static size_t page2a(const struct emu *e, uint8_t pc, uint8_t *out)
{
	const struct emu_medium *m = emu_has_medium(e) ? e->disc.medium : NULL;
	const struct emu_speed *cur = m ? emu_current_speed(e) : NULL;
	size_t n = m && m->nspeeds < MAX_SPEEDS ? m->nspeeds : 0;
	size_t len = PAGE2A_FIXED_LEN + 4 * n;
	uint16_t read_kbps = m ? (uint16_t)m->read_kbps : 8467;

	memset(out, 0, len);
	out[0] = 0x2A;
	out[1] = (uint8_t)(len - 2);
	if (pc == 1)
		return len;	/* nothing in it is changeable */
	out[2] = 0x1B;	/* reads CD-R, CD-RW, DVD-ROM, DVD-R */
	out[3] = 0x13;	/* writes CD-R, CD-RW, DVD-R */
	out[4] = 0xC0;	/* BUF, multi-session */
	out[6] = 0x20 | 0x08 | 0x01 | (e->prevent ? 0x02 : 0);	/* tray, eject, lock, lock state */
	mmc_put16(out + 8, read_kbps);
	mmc_put16(out + 12, (uint16_t)(e->buffer.size * 2));
	mmc_put16(out + 14, read_kbps);
	if (n) {
		mmc_put16(out + 18, (uint16_t)m->speeds[0].write_kbps);
		mmc_put16(out + 20, (uint16_t)cur->write_kbps);
		out[27] = cur->cav ? 1 : 0;
		mmc_put16(out + 28, (uint16_t)cur->write_kbps);
	}
	mmc_put16(out + 30, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		out[PAGE2A_FIXED_LEN + 4 * i + 1] = m->speeds[i].cav ? 1 : 0;
		mmc_put16(out + PAGE2A_FIXED_LEN + 4 * i + 2, (uint16_t)m->speeds[i].write_kbps);
	}
	return len;
}

int emu_cmd_mode_sense(struct emu *e, struct emu_cmd *c)
{
	uint8_t buf[HEADER_LEN + PAGE05_LEN + PAGE2A_FIXED_LEN + 4 * MAX_SPEEDS];
	uint8_t pc = c->cdb[2] >> 6, page = c->cdb[2] & 0x3F;
	size_t len = HEADER_LEN;

	if (pc == 3)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_SAVING_PARAMETERS_NOT_SUPPORTED, 0x00);
	if (c->cdb[3] != 0 && !(page == 0x3F && c->cdb[3] == 0xFF))
		return emu_invalid_field(c);
	memset(buf, 0, HEADER_LEN);
	if (page == 0x05 || page == 0x3F)
		len += page05(e, pc, buf + len);
	if (page == 0x2A || page == 0x3F)
		len += page2a(e, pc, buf + len);
	if (len == HEADER_LEN)
		return emu_invalid_field(c);
	mmc_put16(buf, (uint16_t)(len - 2));
	return emu_reply(c, buf, len, mmc_get16(c->cdb + 7));
}

/* Page 05h values the drive cannot honour. */
static bool page05_valid(uint16_t profile, const uint8_t *p)
{
	uint8_t write_type = p[2] & 0x0F, block_type = p[4] & 0x0F;

	if (write_type > 2)
		return false;	/* raw and layer jump are not emulated */
	if ((p[3] >> 6) == 2)
		return false;	/* reserved multi-session value */
	if ((p[2] & 0x10) && !PROFILE_CAN(profile_by_number(profile), PROFILE_TEST_WRITE))
		return false;	/* Test Write: CD-R/RW and DVD-R/RW only */
	if (write_type == 2 && block_type == 0)
		return true;	/* session-at-once: the cue sheet's data forms rule; no raw sub-channel */
	return block_type == 8 || block_type == 10;	/* 2048-byte user data only */
}

int emu_cmd_mode_select(struct emu *e, struct emu_cmd *c)
{
	uint16_t plen = mmc_get16(c->cdb + 7);
	const uint8_t *p;
	uint8_t page[PAGE05_LEN];
	size_t off;

	if (c->cdb[1] & 0x01)
		return emu_invalid_field(c);	/* SP: nothing is saved */
	if (plen == 0)
		return MMC_GOOD;
	p = emu_param_list(c, plen);
	if (!p)
		return emu_invalid_field(c);
	if (plen < HEADER_LEN)
		return emu_invalid_param(c);
	off = HEADER_LEN + (size_t)mmc_get16(p + 6);	/* skip block descriptors */
	if (off > plen)
		return emu_invalid_param(c);
	memcpy(page, e->write_params, PAGE05_LEN);
	while (off < plen) {
		size_t page_len, n;

		if (plen - off < 2)
			return emu_invalid_param(c);
		page_len = (size_t)p[off + 1] + 2;
		if ((p[off] & 0x3F) != 0x05 || page_len < PAGE05_MIN_SENT || page_len > plen - off)
			return emu_invalid_param(c);
		n = page_len < PAGE05_LEN ? page_len : PAGE05_LEN;
		for (size_t i = 2; i < n; i++) {
			uint8_t mask = page05_changeable(i);

			if ((p[off + i] ^ page[i]) & ~mask)
				return emu_invalid_param(c);	/* e.g. test write, or a reserved bit */
			page[i] = (uint8_t)((page[i] & ~mask) | (p[off + i] & mask));
		}
		off += page_len;
	}
	if (!page05_valid(e->disc.profile, page))
		return emu_invalid_param(c);
	memcpy(e->write_params, page, PAGE05_LEN);
	return MMC_GOOD;
}
